"""Which backups to keep and when the next one is due: pure rules, no files, no clock.

Thinning keeps the newest backup of each of the last 12 days, 10 ISO weeks and 9 months that
*have* a backup (one backup may fill several of those slots), so at most 12 + 10 + 9 remain.
"Periods that have one", not calendar periods counted back from today, on purpose: a lifter
who stops for half a year and comes back must still find last season's backups, not just the
one made this morning. Periods are UTC, like every stored time.

Backups dated after `now` (the clock was wrong when they were made, or is wrong now) are all
kept and fill no slot: thinning can't judge them, and letting them fill the slots would get
today's backups deleted right after they were made while the clock is off.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Final

__all__ = [
    "BACKUP_INTERVAL",
    "KEEP_DAYS",
    "KEEP_MONTHS",
    "KEEP_WEEKS",
    "MAX_KEPT",
    "due",
    "keep",
]

KEEP_DAYS: Final = 12
KEEP_WEEKS: Final = 10
KEEP_MONTHS: Final = 9
MAX_KEPT: Final = KEEP_DAYS + KEEP_WEEKS + KEEP_MONTHS
"""The most backups thinning leaves (of those not dated in the future)."""

BACKUP_INTERVAL: Final = timedelta(minutes=30)
"""While changes wait to be backed up, at most one backup this often (outside session ends)."""


def _utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment!r} has no time zone; backup times are UTC.")
    return moment.astimezone(UTC)


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _iso_week(moment: datetime) -> Hashable:
    year, week, _ = moment.isocalendar()
    return year, week


def _month(moment: datetime) -> Hashable:
    return moment.year, moment.month


_SLOTS: Final[tuple[tuple[Callable[[datetime], Hashable], int], ...]] = (
    (_day, KEEP_DAYS),
    (_iso_week, KEEP_WEEKS),
    (_month, KEEP_MONTHS),
)


def keep(times: Iterable[datetime], now: datetime) -> set[datetime]:
    """The backup times to keep (in UTC); every other backup may be deleted.

    The newest is always kept. Thinning the result again keeps all of it (a fixed point), so
    running thin() after every backup never eats into what an earlier thin() kept.
    """
    now = _utc(now)
    ordered = sorted({_utc(t) for t in times}, reverse=True)
    kept = {t for t in ordered if t > now}
    past = [t for t in ordered if t <= now]
    if ordered:
        kept.add(ordered[0])
    for period, count in _SLOTS:
        seen: set[Hashable] = set()
        for moment in past:  # newest first: the first one seen in a period is its newest
            key = period(moment)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.add(key)
            kept.add(moment)
    return kept


def due(last_backup_at: datetime | None, changed_since: bool, now: datetime, *,
        session_ended: bool = False) -> bool:
    """Whether to back up now: only if the data changed since the last backup, and then at
    the end of every session, or once `BACKUP_INTERVAL` has passed since the last one.

    A last backup dated after `now` means the clock went back: back up rather than wait for
    the clock to catch up, which could be days of training without a backup.
    """
    if not changed_since:
        return False
    if session_ended or last_backup_at is None:
        return True
    last, now = _utc(last_backup_at), _utc(now)
    return now < last or now - last >= BACKUP_INTERVAL
