"""Backup thinning (12 days, 10 ISO weeks, 9 months that have a backup) and when one is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.backup_policy import BACKUP_INTERVAL, MAX_KEPT, _iso_week, due, keep

NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)


def days_ago(days: float, hour: int = 18) -> datetime:
    return (NOW - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_the_newest_of_each_day_is_kept_and_older_ones_of_that_day_go() -> None:
    morning, noon, evening = (NOW.replace(hour=h) for h in (8, 12, 19))
    assert keep([morning, noon, evening], NOW) == {evening}


def test_daily_backups_for_a_year_keep_12_days_10_weeks_and_9_months() -> None:
    times = [days_ago(n) for n in range(365)]
    kept = keep(times, NOW)
    assert {days_ago(n) for n in range(12)} <= kept
    assert len(kept) <= MAX_KEPT
    months = {(t.year, t.month) for t in kept}
    assert len(months) == 9
    oldest = min(kept)
    assert oldest.replace(day=1).date() == datetime(2026, 3, 1).date()  # March … November


def test_a_long_break_does_not_cost_the_backups_from_before_it() -> None:
    """Periods that have a backup count, not calendar days back from today."""
    before_break = [days_ago(300 + n) for n in range(20)]
    after = [days_ago(0)]
    kept = keep(before_break + after, NOW)
    assert days_ago(300) in kept  # the newest from before the break
    assert len([t for t in kept if t in before_break]) >= 11


def test_iso_weeks_span_years() -> None:
    """29 Dec 2025 to 4 Jan 2026 is ISO week 1 of 2026: one weekly slot, not two."""
    assert _iso_week(datetime(2025, 12, 29, tzinfo=UTC)) == _iso_week(
        datetime(2026, 1, 4, tzinfo=UTC))
    assert _iso_week(datetime(2026, 1, 4, tzinfo=UTC)) != _iso_week(
        datetime(2026, 1, 5, tzinfo=UTC))


def test_backups_dated_in_the_future_are_kept_and_fill_no_slot() -> None:
    """A clock that was wrong must not get today's backups thinned away."""
    future = [NOW + timedelta(days=400 + n) for n in range(40)]
    today = [days_ago(n) for n in range(12)]
    kept = keep(future + today, NOW)
    assert set(future) <= kept and set(today) <= kept


def test_no_backups_keep_nothing() -> None:
    assert keep([], NOW) == set()


def test_times_without_a_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        keep([datetime(2026, 1, 1)], NOW)


def test_times_in_other_zones_are_compared_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    late = datetime(2026, 11, 23, 0, 30, tzinfo=plus_two)  # 22:30 UTC on the 22nd
    early = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert keep([late, early], NOW + timedelta(hours=5)) == {late.astimezone(UTC)}


# --- properties ---------------------------------------------------------------------------

spread = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 11, 22, 20),
                      timezones=st.just(UTC))
recent = st.integers(min_value=0, max_value=90 * 24 * 60).map(
    lambda minutes: NOW - timedelta(minutes=minutes))
"""Several a day over the last three months: where days, weeks and months all compete."""
moments = st.one_of(spread, recent)


@settings(max_examples=150, deadline=None)
@given(st.lists(moments, max_size=300))
def test_the_newest_is_always_kept(times: list[datetime]) -> None:
    kept = keep(times, NOW)
    assert (max(times) in kept) if times else not kept
    assert kept <= set(times)


@settings(max_examples=150, deadline=None)
@given(st.lists(moments, max_size=300))
def test_thinning_twice_is_thinning_once(times: list[datetime]) -> None:
    kept = keep(times, NOW)
    assert keep(kept, NOW) == kept


@settings(max_examples=150, deadline=None)
@given(st.lists(moments, max_size=300))
def test_never_more_than_12_plus_10_plus_9(times: list[datetime]) -> None:
    assert len(keep(times, NOW)) <= 12 + 10 + 9 == MAX_KEPT


@settings(max_examples=100, deadline=None)
@given(st.lists(moments, min_size=1, max_size=80))
def test_thinning_as_time_goes_by_keeps_the_newest_of_each_of_the_last_12_days(
        times: list[datetime]) -> None:
    """Thinning after every backup never loses what a single thin at the end would keep."""
    kept: set[datetime] = set()
    for moment in sorted(times):
        kept = keep(kept | {moment}, moment)
    last_days = sorted({t.date() for t in times}, reverse=True)[:12]
    for day in last_days:
        assert max(t for t in times if t.date() == day) in kept


# --- due ----------------------------------------------------------------------------------


def test_nothing_changed_means_no_backup() -> None:
    assert not due(None, False, NOW)
    assert not due(NOW - timedelta(days=30), False, NOW, session_ended=True)


def test_the_first_backup_is_due_as_soon_as_there_is_data() -> None:
    assert due(None, True, NOW)


def test_every_session_end_backs_up_changes() -> None:
    assert due(NOW - timedelta(minutes=1), True, NOW, session_ended=True)


def test_during_a_session_at_most_every_30_minutes() -> None:
    assert not due(NOW - BACKUP_INTERVAL + timedelta(seconds=1), True, NOW)
    assert due(NOW - BACKUP_INTERVAL, True, NOW)


def test_a_clock_set_back_does_not_stop_backups() -> None:
    assert due(NOW + timedelta(days=3), True, NOW)
