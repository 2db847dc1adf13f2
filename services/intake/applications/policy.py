"""Who may answer a challenge (揭榜条件), per the city's rule set.

Huzhou (HZ 三(三)): an enterprise leads a consortium; its R&D spend last year is at least 3 % of
revenue (exactly 3 % passes); the PI is the lead's employee; an explicit declaration of no other
municipal application; the four documents; and (HZ 二) the amount applied for. Urumqi
(URC 二(三)): no affiliation (关联关系) between the demand owner and the lead or any member;
the category's documents (an IP agreement for achievement transfer). Every failure is listed at
once. Tests: tests/intake/test_policy.py, tests/review/test_hz_integrity.py.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from common.affiliation import Party, affiliation_violations
from common.policy import Violation
from common.rulesets.schema import RuleSet
from common.rulesets.vocabulary import ORG_KINDS, zh_list


@dataclass(frozen=True)
class Org:
    id: UUID
    kind: str
    revenue_last_year: Decimal | None = None
    rd_spend_last_year: Decimal | None = None
    affiliated_org_ids: frozenset[UUID] = frozenset()


@dataclass(frozen=True)
class ApplicationFacts:
    category: str
    owner: Org
    lead: Org
    members: list[Org] = field(default_factory=list)
    pi_employed_by_lead: bool | None = None
    other_municipal_application: bool | None = False
    document_kinds: frozenset[str] = frozenset()
    requested_subsidy: Decimal | None = Decimal("0.00")


def rd_ratio(org: Org) -> Decimal | None:
    """R&D spend / revenue last year, exact; None when revenue is unknown or zero."""
    if not org.revenue_last_year or org.rd_spend_last_year is None:
        return None
    return org.rd_spend_last_year / org.revenue_last_year


def _form(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    form = ruleset.applications.solver_form
    out = []
    if form.consortium_required and not [m for m in facts.members if m.id != facts.lead.id]:
        out.append(
            Violation(
                "ruleset.consortium_required",
                form.clause,
                "The applicant must be a consortium: name at least one member besides the lead",
                "须以创新联合体形式揭榜，除牵头单位外至少有一家成员单位",
            )
        )
    if form.lead_kinds is not None and facts.lead.kind not in form.lead_kinds:
        out.append(
            Violation(
                "ruleset.lead_kind",
                form.clause,
                f"The lead must be one of: {', '.join(form.lead_kinds)}",
                f"牵头单位须为{zh_list(form.lead_kinds, ORG_KINDS)}",
            )
        )
    return out


def _lead(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    rules = ruleset.applications
    out = []
    minimum = rules.lead_rd_ratio_min
    ratio = rd_ratio(facts.lead)
    if minimum and (ratio is None or ratio < minimum.value):
        out.append(
            Violation(
                "ruleset.lead_rd_ratio",
                minimum.clause,
                f"The lead's R&D spend last year must be at least {minimum.value:%} of its revenue",
                f"牵头单位上年度研发投入占营业收入比例不低于{minimum.value:%}",
                minimum.enforcement,
            )
        )
    if rules.pi_employed_by_lead and not facts.pi_employed_by_lead:
        out.append(
            Violation(
                "ruleset.pi_employed_by_lead",
                rules.pi_employed_by_lead.clause,
                "The PI must be a formal employee of the lead who actually leads the work",
                "项目负责人须为牵头单位正式在职人员并实际主持研发工作",
            )
        )
    if rules.no_other_municipal and facts.other_municipal_application is None:
        out.append(
            Violation(
                "ruleset.other_municipal_undeclared",
                rules.no_other_municipal.clause,
                "Declare whether the project is also applied for in another municipal programme "
                "(other_municipal_application: true or false)",
                "须声明本项目是否同时申报其他市级科技计划",
            )
        )
    if rules.no_other_municipal and facts.other_municipal_application:
        out.append(
            Violation(
                "ruleset.other_municipal_application",
                rules.no_other_municipal.clause,
                "The project may not also be applied for in another municipal programme",
                "同一项目不得同时申报其他市级科技计划",
            )
        )
    return out


def _requested(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    """A city that caps the subsidy by the amount applied for (HZ 二) needs that amount."""
    funding = ruleset.funding
    if not funding.cap_by_requested or facts.requested_subsidy is not None:
        return []
    return [
        Violation(
            "ruleset.requested_subsidy_missing",
            funding.clause,
            "State the subsidy applied for (requested_subsidy): the subsidy is capped by it",
            "须填写申请补助金额：补助不超过申请金额",
        )
    ]


def _party(org: Org) -> Party:
    return Party(org.id, org.affiliated_org_ids)


def _affiliation(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    solvers = [_party(o) for o in (facts.lead, *facts.members)]
    return affiliation_violations(ruleset, _party(facts.owner), solvers)


def required_documents(ruleset: RuleSet, category: str) -> list[str]:
    kinds = list(ruleset.applications.required_documents)
    cat = ruleset.category(category)
    kinds += [k for k in (cat.required_documents if cat else []) if k not in kinds]
    return kinds


def _documents(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    clause = ruleset.applications.required_documents_clause
    return [
        Violation(
            "ruleset.required_document",
            clause,
            f"A stored file of kind '{kind}' uploaded by the lead or a member is required",
            f"缺少必备材料：{kind}（须为揭榜方上传的文件）",
        )
        for kind in required_documents(ruleset, facts.category)
        if kind not in facts.document_kinds
    ]


def eligibility_violations(ruleset: RuleSet, facts: ApplicationFacts) -> list[Violation]:
    return [
        *_form(ruleset, facts),
        *_lead(ruleset, facts),
        *_requested(ruleset, facts),
        *_affiliation(ruleset, facts),
        *_documents(ruleset, facts),
    ]
