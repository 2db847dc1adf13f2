"""What a demand must satisfy to be submitted, per the city's rule set.

Every violated rule is listed at once, each with its clause, so an owner fixes all in one go:
required content (HZ 三(一)), minimum total investment (URC 二(一)), the field being open this
round, the evaluation opinion of achievement-transfer demands, classified projects, the bounty
(揭榜金额) within the total, the project manager (URC 三(四)), and the files ``documents.demand``
names (the owner's responsibility letter, URC 三(四); the evaluation opinion, URC 二(一)).
"""

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common.documents import missing, required_for
from common.policy import Violation
from common.rulesets.schema import RuleSet
from common.rulesets.vocabulary import DEMAND_FIELDS, OPINION_ISSUERS, zh_list

_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class DemandFacts:
    category: str
    field: str | None
    problem: str | None = None
    core_indicators: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    due_months: int | None = None
    expected_results: str | None = None
    end_users: str | None = None
    total_investment: Decimal | None = None
    bounty_amount: Decimal | None = None
    classified: bool = False
    evaluation_opinion: dict[str, Any] | None = None
    project_manager: dict[str, Any] | None = None
    document_kinds: frozenset[str] = frozenset()


def _missing_fields(ruleset: RuleSet, facts: DemandFacts) -> list[Violation]:
    clause = ruleset.demands.required_fields_clause
    out = []
    for name in ["field", *ruleset.demands.required_fields]:
        value = getattr(facts, name, None)
        if value is None or value == "" or value == []:
            out.append(
                Violation(
                    "ruleset.required_field",
                    clause,
                    f"'{name}' is required to submit",
                    f"提交需求须填写{DEMAND_FIELDS.get(name, name)}",
                )
            )
    if "core_indicators" in ruleset.demands.required_fields:
        for item in facts.core_indicators:
            if not _DIGIT.search(str(item.get("target", ""))):
                out.append(
                    Violation(
                        "ruleset.indicator_not_measurable",
                        clause,
                        f"Core indicator '{item.get('name')}' needs a measurable (numeric) target",
                        f"核心指标“{item.get('name')}”须有可量化的目标值",
                    )
                )
    return out


def _money(ruleset: RuleSet, facts: DemandFacts) -> list[Violation]:
    out = []
    minimum = ruleset.demands.min_total_investment
    if minimum and (facts.total_investment is None or facts.total_investment < minimum.value):
        out.append(
            Violation(
                "ruleset.min_total_investment",
                minimum.clause,
                f"Total investment must be at least {minimum.value:.2f} CNY",
                f"项目总投入不得低于{minimum.value:.2f}元",
                minimum.enforcement,
            )
        )
    rule = ruleset.demands.bounty_within_total
    if (
        facts.bounty_amount is not None
        and facts.total_investment is not None
        and facts.bounty_amount > facts.total_investment
    ):
        out.append(
            Violation(
                "ruleset.bounty_exceeds_total",
                rule.clause,
                "The bounty amount cannot exceed the total investment",
                "揭榜金额不得超过项目总投入",
                rule.enforcement,
            )
        )
    return out


def _opinion(ruleset: RuleSet, facts: DemandFacts) -> list[Violation]:
    rule = ruleset.demands.achievement_transfer
    if rule is None or facts.category != rule.category:
        return []
    kind = (facts.evaluation_opinion or {}).get("issuer_kind")
    if kind in rule.opinion_issuer_kinds:
        return []
    return [
        Violation(
            "ruleset.evaluation_opinion",
            rule.clause,
            "An achievement-transfer demand needs an evaluation opinion from one of: "
            + ", ".join(rule.opinion_issuer_kinds),
            f"成果转化类需求须由{zh_list(rule.opinion_issuer_kinds, OPINION_ISSUERS, '或')}"
            "出具评价和推荐意见",
        )
    ]


def _owner(ruleset: RuleSet, facts: DemandFacts) -> list[Violation]:
    out = []
    classified = ruleset.demands.classified_refused
    if classified and facts.classified:
        out.append(
            Violation(
                "ruleset.classified",
                classified.clause,
                "Classified projects are not published",
                "涉密项目原则上不发榜",
                classified.enforcement,
            )
        )
    duties = ruleset.demands.owner_duties
    if duties and duties.project_manager_required and not facts.project_manager:
        out.append(
            Violation(
                "ruleset.project_manager",
                duties.clause,
                "The owner must name a project manager",
                "发榜方须确定项目经理人",
            )
        )
    return out


def submission_violations(
    ruleset: RuleSet, facts: DemandFacts, fields_open: list[str]
) -> list[Violation]:
    out = [*_missing_fields(ruleset, facts), *_money(ruleset, facts)]
    if facts.field is not None and facts.field not in fields_open:
        out.append(
            Violation(
                "ruleset.field_not_open",
                ruleset.fields_clause,
                f"Field '{facts.field}' is not open in this round",
                "该领域本批次未开放征集",
            )
        )
    files = missing(required_for(ruleset.documents.demand, facts.category), facts.document_kinds)
    return [*out, *_opinion(ruleset, facts), *_owner(ruleset, facts), *files]


def marks_over_quota(ruleset: RuleSet, owner_over_quota: bool) -> bool:
    """超过限项 (URC 二(一)): the demand may be published but the project gets no subsidy."""
    return ruleset.demands.over_quota is not None and owner_over_quota


@dataclass(frozen=True)
class VettingDecision:
    passed: bool
    passes: int
    required: int
    clause: str


def vetting_passed(vettings: list[dict[str, Any]], ruleset: RuleSet) -> VettingDecision:
    """Publication needs ``vetting.min_passed_vettings`` expert vettings with verdict "pass"
    (URC 二(二), HZ 三(二)); each expert counts once."""
    passed = [v for v in vettings if v.get("verdict") == "pass"]
    experts = {str(v.get("expert_id") or v.get("id")) for v in passed}
    required = ruleset.vetting.min_passed_vettings
    return VettingDecision(len(experts) >= required, len(experts), required, ruleset.vetting.clause)
