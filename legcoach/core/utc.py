"""UTC timestamps as stored text: one format everywhere, so stored documents sort and compare."""

from __future__ import annotations

from datetime import UTC, datetime


def iso_utc(moment: datetime) -> str:
    """Fixed-width UTC ISO-8601 with "Z": sorts as text in time order, reads back exactly."""
    if moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; legcoach stores UTC times only.")
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_utc(text: object) -> datetime:
    """Read `iso_utc` output (or any ISO-8601 time with an offset) as an aware UTC datetime."""
    if not isinstance(text, str):
        raise ValueError(f"A time must be ISO-8601 text, not {text!r}.")
    moment = datetime.fromisoformat(text)
    if moment.utcoffset() is None:
        raise ValueError(f"The time {text!r} has no time zone.")
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01 at +05:00 is before year 1 in UTC
        raise ValueError(f"The time {text!r} is out of range in UTC.") from None
