"""Panel rules as pure functions: size, conflicts of interest (回避), and a stage's score.

HZ 三(四)2: each stage is scored by a panel of an odd number of at least five experts; experts
with a conflict of interest with an application must not sit on its panel.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common.policy import Violation
from common.rulesets.schema import RuleSet
from services.review.explain import quantize, step


@dataclass(frozen=True)
class Org:
    """An organisation and the ones it declares affiliated (关联关系)."""

    id: uuid.UUID
    affiliated: frozenset[uuid.UUID] = frozenset()


@dataclass(frozen=True)
class ExpertFacts:
    id: uuid.UUID
    name: str
    org: Org


@dataclass(frozen=True)
class ApplicationFacts:
    id: uuid.UUID
    lead: Org
    members: tuple[Org, ...] = ()
    demand_owner: Org | None = None


@dataclass(frozen=True)
class Conflict:
    expert_id: uuid.UUID
    application_id: uuid.UUID
    relation: str
    violation: Violation = field(compare=False)


def size_violations(rules: RuleSet, size: int, stage: str | None = None) -> list[Violation]:
    """The stage's own size rules where the rule set gives them, else the panel's."""
    panel = rules.review.panel
    own = next((s for s in rules.review.stages if s.code == stage), None)
    minimum = (own.panel_min_size if own else None) or panel.min_size
    odd = (own.panel_odd_size if own else None) or panel.odd_size
    found: list[Violation] = []
    if size < minimum.value:
        found.append(
            Violation(
                "panel.too_small",
                minimum.clause,
                f"A panel needs at least {minimum.value} experts; {size} given",
                f"评审专家组至少 {minimum.value} 人，现为 {size} 人",
                minimum.enforcement,
            )
        )
    if odd is not None and size % 2 == 0:
        found.append(
            Violation(
                "panel.even_size",
                odd.clause,
                f"A panel must have an odd number of experts; {size} given",
                f"评审专家组人数须为单数，现为 {size} 人",
                odd.enforcement,
            )
        )
    return found


def _affiliated(a: Org, b: Org) -> bool:
    """Affiliation counts whichever side declared it."""
    return a.id in b.affiliated or b.id in a.affiliated


def _parties(rules: RuleSet, app: ApplicationFacts) -> list[tuple[str, Org]]:
    parties: list[tuple[str, Org]] = [("lead organisation", app.lead)]
    parties += [("consortium member", m) for m in app.members]
    if app.demand_owner is not None and rules.review.panel.conflict_demand_owner:
        parties.append(("demand owner", app.demand_owner))
    return parties


def _relation(rules: RuleSet, expert: ExpertFacts, parties: list[tuple[str, Org]]) -> str | None:
    """The first relation that makes the expert conflicted, or None."""
    panel = rules.review.panel
    for role, org in parties:
        if panel.conflict_same_org and expert.org.id == org.id:
            return f"same organisation as the {role} {org.id}"
        if panel.conflict_affiliated and _affiliated(expert.org, org):
            return f"affiliated with the {role} {org.id}"
    return None


def _conflict(rules: RuleSet, expert: ExpertFacts, subject: uuid.UUID, why: str) -> Conflict:
    return Conflict(
        expert.id,
        subject,
        why,
        Violation(
            "panel.conflict_of_interest",
            rules.review.panel.conflict_clause,
            f"Expert {expert.name} ({expert.id}) has a conflict of interest with {subject}: {why}",
            f"专家 {expert.name}（{expert.id}）与 {subject} 存在利益冲突（{why}），须回避",
        ),
    )


def conflicts(
    rules: RuleSet, experts: Iterable[ExpertFacts], apps: Sequence[ApplicationFacts]
) -> list[Conflict]:
    """Every (expert, application) pair where the expert must stand aside (回避)."""
    found: list[Conflict] = []
    for expert in experts:
        for app in apps:
            why = _relation(rules, expert, _parties(rules, app))
            if why is not None:
                found.append(_conflict(rules, expert, app.id, why))
    return found


def demand_conflicts(
    rules: RuleSet, experts: Iterable[ExpertFacts], demand_id: uuid.UUID, owner: Org
) -> list[Conflict]:
    """Vetting a demand: the expert must not belong to, or be affiliated with, its owner."""
    found: list[Conflict] = []
    for expert in experts:
        why = _relation(rules, expert, [("demand owner", owner)])
        if why is not None:
            found.append(_conflict(rules, expert, demand_id, why))
    return found


@dataclass(frozen=True)
class StageScore:
    value: Decimal
    explanation: list[dict[str, Any]]


def stage_score(rules: RuleSet, stage: str, scores: Sequence[Decimal]) -> StageScore:
    """Aggregate the members' scores: mean, or trimmed mean dropping the extremes."""
    agg = rules.review.aggregation
    ordered = sorted(scores)
    used = ordered
    if agg.method == "trimmed_mean" and agg.trim_each_side:
        k = agg.trim_each_side
        if len(ordered) > 2 * k:  # too few to trim: the plain mean is the only fair answer
            used = ordered[k:-k]
    raw = sum(used, Decimal(0)) / Decimal(len(used))
    value = quantize(raw, rules.review.rounding)
    text = (
        f"Stage {stage}: {agg.method.replace('_', ' ')} of {len(used)} of {len(ordered)} "
        f"expert scores = {raw.normalize():f}, rounded ({rules.review.rounding.mode}, "
        f"{rules.review.rounding.places} places) to {value}"
    )
    how = "去极值平均" if used is not ordered else "平均"
    text_zh = f"{stage} 阶段得分：{len(ordered)} 位专家评分{how} = {value}"
    return StageScore(
        value,
        [
            step(
                "review.aggregation",
                agg.clause,
                text,
                text_zh,
                scores=list(ordered),
                used=list(used),
                stage_score=value,
            )
        ],
    )
