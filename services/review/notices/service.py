"""Making the publicity notice: one function, called wherever publicity opens.

``open_notice`` is the single place a notice is made, so when a city's procedure moves the
moment publicity opens (Huzhou: after the decision meeting), the notice follows the call.
Names, not ids: the lead organisations' names come from intake at that moment.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from common.rulesets.schema import RuleSet
from services.review.notices import repository
from services.review.notices.models import Notice
from services.review.results.models import ChallengeReview
from services.review.upstream import Intake


def how_to_object(rules: RuleSet, closes_at: datetime) -> tuple[str, str]:
    local = closes_at.astimezone(rules.tz).strftime("%Y-%m-%d %H:%M")
    return (
        f"Anyone may object in writing until {local} ({rules.timezone}): sign in and file an "
        "objection (POST /api/v1/objections) naming this challenge and the grounds; the "
        "publisher answers and the bureau resolves it before any decision.",
        f"公示期内（至 {local}，{rules.timezone}）任何单位和个人可实名提出书面异议："
        "登录平台提交异议（POST /api/v1/objections），写明榜单和理由；"
        "发榜单位答复，科技局处理后方作决定。",
    )


async def open_notice(
    session: AsyncSession, rules: RuleSet, intake: Intake, review: ChallengeReview
) -> Notice:
    """The notice for the publicity ``review`` has just opened (its period set)."""
    assert review.publicity_opens_at and review.publicity_closes_at
    challenge = await intake.challenge(review.challenge_id)
    items = []
    for result in await repository.publicised_results(session, review.city, review.challenge_id):
        org = await intake.organization(result.lead_org_id)
        items.append(
            {
                "rank": result.rank,
                "organization": org["name"],
                "total": str(result.total),
                "band": result.band,
                "winner": result.winner,
            }
        )
    english, chinese = how_to_object(rules, review.publicity_closes_at)
    notice = Notice(
        city=review.city,
        challenge_id=review.challenge_id,
        kind="results",
        title=f"评审结果公示：{challenge['title']}",
        subject=challenge["title"],
        items=items,
        opens_at=review.publicity_opens_at,
        closes_at=review.publicity_closes_at,
        timezone=rules.timezone,
        how_to_object=english,
        how_to_object_zh=chinese,
        clause=rules.review.publicity_days.clause,
    )
    session.add(notice)
    await session.flush()
    return notice
