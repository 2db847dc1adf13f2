"""Results as pure functions: weighted total, band (with the county relaxation), rank, winner.

HZ 三(四)2: two stages, 50 % / 50 %. HZ 三(四)3: ≥ 90 priority, [85, 90) recommended,
[80, 85) optional, < 80 eliminated; the three counties qualify from 75; highest total wins.
URC 二(四): the owner chooses among qualified answers, or up to three race (赛马制).
"""

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from common.policy import Violation
from common.rulesets.schema import Band, RuleSet
from services.review.explain import quantize, step


@dataclass(frozen=True)
class Candidate:
    application_id: uuid.UUID
    stage_scores: dict[str, Decimal]
    county: str | None = None
    submitted_at: datetime | None = None
    requested_subsidy: Decimal | None = None


@dataclass
class Result:
    application_id: uuid.UUID
    stage_scores: dict[str, Decimal]
    total: Decimal
    band: str
    qualified: bool
    rank: int = 0
    winner: bool = False
    explanation: list[dict[str, Any]] = field(default_factory=list)


def weighted_total(
    rules: RuleSet, stage_scores: dict[str, Decimal]
) -> tuple[Decimal, dict[str, Any]]:
    review = rules.review
    parts = {s.code: s.weight * stage_scores[s.code] for s in review.stages}
    total = quantize(sum(parts.values(), Decimal(0)), review.rounding)
    formula = " + ".join(f"{s.weight} × {stage_scores[s.code]}" for s in review.stages)
    return total, step(
        "review.stages",
        review.stages_clause,
        f"Total = {formula} = {total} (rounded {review.rounding.mode}, "
        f"{review.rounding.places} places)",
        f"总分 = {formula} = {total}",
        weights={s.code: s.weight for s in review.stages},
        stage_scores=stage_scores,
        total=total,
    )


def band_for(rules: RuleSet, total: Decimal, county: str | None) -> tuple[Band, dict[str, Any]]:
    review = rules.review
    band = next(b for b in review.bands if total >= b.min_total)
    relax = review.county_relaxation
    if not band.qualified and relax and county in relax.counties and total >= relax.min_total:
        relaxed = next(b for b in review.bands if b.code == relax.band)
        return relaxed, step(
            "review.county_relaxation",
            relax.clause,
            f"Total {total} < {relaxed.min_total}, but county {county} qualifies from "
            f"{relax.min_total}: band {relaxed.code}",
            f"总分 {total}，{county} 项目放宽至 {relax.min_total} 分：{relaxed.name_zh}",
            total=total,
            relaxed_min_total=relax.min_total,
            county=county,
        )
    return band, step(
        "review.bands",
        review.bands_clause,
        f"Total {total} ≥ {band.min_total}: band {band.code}"
        + ("" if band.qualified else " (not qualified)"),
        f"总分 {total} ≥ {band.min_total}：{band.name_zh}",
        total=total,
        min_total=band.min_total,
    )


def _sort_key(rules: RuleSet, c: Candidate, total: Decimal) -> tuple[Any, ...]:
    """Higher total first, then the rule set's tie-breaks in order, then the id (stable)."""
    last_stage = rules.review.stages[-1].code
    keys: list[Any] = [-total]
    for rule in rules.review.winner.tie_break:
        if rule == "higher_last_stage":
            keys.append(-c.stage_scores[last_stage])
        elif rule == "earliest_submission":
            keys.append(c.submitted_at.timestamp() if c.submitted_at else float("inf"))
        elif rule == "lower_requested_subsidy":
            keys.append(
                c.requested_subsidy if c.requested_subsidy is not None else Decimal("Infinity")
            )
    keys.append(str(c.application_id))
    return tuple(keys)


def compute(
    rules: RuleSet, candidates: Sequence[Candidate], chosen: Sequence[uuid.UUID] = ()
) -> list[Result]:
    """Every candidate's total, band and rank; winners by the city's winner rule.

    ``chosen`` are the applications the owner picked or that race (owner_choice cities).
    """
    results: list[tuple[tuple[Any, ...], Result]] = []
    for c in candidates:
        total, total_step = weighted_total(rules, c.stage_scores)
        band, band_step = band_for(rules, total, c.county)
        r = Result(c.application_id, dict(c.stage_scores), total, band.code, band.qualified)
        r.explanation = [total_step, band_step]
        results.append((_sort_key(rules, c, total), r))
    results.sort(key=lambda pair: pair[0])
    ranked = [r for _, r in results]
    for i, r in enumerate(ranked, start=1):
        r.rank = i
    _mark_winners(rules, [k for k, _ in results], ranked, set(chosen))
    return ranked


def _mark_winners(
    rules: RuleSet, keys: list[tuple[Any, ...]], ranked: list[Result], chosen: set[uuid.UUID]
) -> None:
    winner = rules.review.winner
    if winner.rule == "owner_choice":
        for r in ranked:
            r.winner = r.application_id in chosen and r.qualified
            r.explanation.append(
                step(
                    "review.winner",
                    winner.clause,
                    "Chosen by the owner / racing (赛马)"
                    if r.winner
                    else "The owner chooses among qualified answers or a horse race is started",
                    "发榜方选定 / 赛马" if r.winner else "由发榜方择优选定或赛马",
                    winner_rule=winner.rule,
                )
            )
        return
    qualified = [i for i, r in enumerate(ranked) if r.qualified]
    # Counted once: comparing each result with every qualified one made 10⁴ applications
    # take half a minute (quadratic; ``make bench``).
    totals = Counter(ranked[j].total for j in qualified)
    for i, r in enumerate(ranked):
        r.winner = bool(qualified) and i == qualified[0]
        tied = totals[r.total] - r.qualified > 0
        text = "Highest qualified total wins" if r.winner else "Not the highest qualified total"
        if tied:
            text += "; tie on total broken by " + ", ".join(winner.tie_break)
        r.explanation.append(
            step(
                "review.winner",
                winner.clause,
                text,
                "同一榜单合格者总分最高者胜出" + ("（同分按规则排序）" if tied else ""),
                winner_rule=winner.rule,
                tie_break=list(winner.tie_break),
                rank=r.rank,
            )
        )


def horse_race_violations(rules: RuleSet, racers: int) -> list[Violation]:
    limit = rules.review.horse_race_max
    if limit is None:
        return [
            Violation(
                "results.horse_race_not_allowed",
                rules.review.winner.clause,
                "This city's rules have no horse race",
                "本市规则未设赛马制",
            )
        ]
    if racers > limit.value:
        return [
            Violation(
                "results.horse_race_max",
                limit.clause,
                f"At most {limit.value} solvers may race in parallel; {racers} given",
                f"赛马制原则上不超过 {limit.value} 家，现为 {racers} 家",
                limit.enforcement,
            )
        ]
    return []


def duplicate_racer_violations(rules: RuleSet, racers: Sequence[uuid.UUID]) -> list[Violation]:
    """Each racer is one application, named once: a repeated consent is refused, not folded
    (issue #11 item 11), so the count the limit sees is the count the bureau typed."""
    repeated = [a for a, n in Counter(racers).items() if n > 1]
    return [
        Violation(
            "results.duplicate_racer",
            rules.review.winner.clause,
            f"Application {a} is named {Counter(racers)[a]} times; each racer is named once",
            f"赛马名单中同一申请重复出现 {Counter(racers)[a]} 次",
        )
        for a in repeated
    ]


def publicity_closes_at(rules: RuleSet, opens_at: datetime) -> tuple[datetime, dict[str, Any]]:
    """The period runs for ``publicity_days`` calendar days in the city's time zone, the
    opening day counted as day 1, and ends at local midnight after the last day."""
    days = rules.review.publicity_days
    local = opens_at.astimezone(rules.tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    closes = (start + timedelta(days=days.value)).replace(tzinfo=None).replace(tzinfo=rules.tz)
    return closes, step(
        "review.publicity_days",
        days.clause,
        f"Publicity runs {days.value} days ({rules.timezone}) until {closes.isoformat()}",
        f"公示期 {days.value} 天，至 {closes.isoformat()} 止",
        days=days.value,
        opens_at=opens_at.isoformat(),
        closes_at=closes.isoformat(),
    )
