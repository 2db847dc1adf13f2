"""The platform's clock.

Deadlines are counted in the city's time zone. In dev and test mode a caller may pin "now" with
the ``X-Clock-Now`` header (ISO 8601 with offset) so a whole lifecycle runs in seconds without
sleeping; the header is forwarded downstream and ignored in production.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from common.context import clock_override_var


def now() -> datetime:
    pinned = clock_override_var.get()
    if pinned:
        return datetime.fromisoformat(pinned)
    return datetime.now(UTC)


def parse_override(value: str | None) -> str | None:
    """Accept only an aware ISO 8601 timestamp; anything else is ignored."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return value if parsed.tzinfo is not None else None


def local_date(moment: datetime, timezone: str) -> "datetime":
    return moment.astimezone(ZoneInfo(timezone))
