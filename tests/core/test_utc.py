"""Stored times: one fixed-width UTC text format, refused without a time zone, read back exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legcoach.core.utc import iso_utc, parse_utc

PLUS_TWO = timezone(timedelta(hours=2))
MINUS_FIVE_THIRTY = timezone(-timedelta(hours=5, minutes=30))


def test_a_utc_time_is_written_with_microseconds_and_z() -> None:
    assert iso_utc(datetime(2026, 11, 22, 9, 0, tzinfo=UTC)) == "2026-11-22T09:00:00.000000Z"
    assert iso_utc(datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)) == "2026-01-02T03:04:05.000006Z"


@pytest.mark.parametrize(("moment", "text"), [
    (datetime(2026, 6, 1, 20, 15, tzinfo=PLUS_TWO), "2026-06-01T18:15:00.000000Z"),
    (datetime(2026, 6, 1, 1, 0, tzinfo=PLUS_TWO), "2026-05-31T23:00:00.000000Z"),  # day before
    (datetime(2026, 12, 31, 20, 0, tzinfo=MINUS_FIVE_THIRTY), "2027-01-01T01:30:00.000000Z"),
])
def test_offsets_are_converted_to_utc_when_written(moment: datetime, text: str) -> None:
    assert iso_utc(moment) == text


def test_a_naive_time_is_refused_when_written() -> None:
    with pytest.raises(ValueError, match="no time zone"):
        iso_utc(datetime(2026, 11, 22, 9, 0))


@pytest.mark.parametrize("text", [
    "2026-11-22T09:00:00", "2026-11-22", "2026-11-22T09:00:00.000000",
])
def test_a_time_without_zone_is_refused_when_read(text: str) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        parse_utc(text)


@pytest.mark.parametrize("value", [None, 1_700_000_000, 12.5, b"2026-11-22T09:00:00Z", ["x"]])
def test_only_text_is_read_as_a_time(value: object) -> None:
    with pytest.raises(ValueError, match="ISO-8601"):
        parse_utc(value)


@pytest.mark.parametrize("text", ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-22T25:00Z"])
def test_text_that_is_not_a_time_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is Python's own
        parse_utc(text)


@pytest.mark.parametrize("text", [
    "0001-01-01T00:00:00+05:00",  # before year 1 once moved to UTC
    "9999-12-31T23:00:00-05:00",  # after year 9999 once moved to UTC
])
def test_a_time_out_of_range_in_utc_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="out of range"):
        parse_utc(text)


def test_offsets_are_converted_to_utc_when_read() -> None:
    moment = parse_utc("2026-06-01T20:15:00+02:00")
    assert moment == datetime(2026, 6, 1, 18, 15, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)
    assert moment.hour == 18  # the fields themselves are UTC, not just the instant
    assert parse_utc("2026-06-01T18:15:00Z") == moment


def test_a_written_time_reads_back_exactly() -> None:
    moment = datetime(2026, 3, 29, 1, 59, 59, 999_999, tzinfo=PLUS_TWO)
    back = parse_utc(iso_utc(moment))
    assert back == moment and back.tzinfo is UTC and back.microsecond == 999_999


offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
aware = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
                     timezones=offsets)


@given(aware)
def test_every_aware_time_round_trips(moment: datetime) -> None:
    text = iso_utc(moment)
    assert len(text) == len("2026-01-01T00:00:00.000000Z") and text.endswith("Z")
    assert parse_utc(text) == moment
    assert iso_utc(parse_utc(text)) == text


@given(aware, aware)
def test_written_times_sort_as_text_in_time_order(a: datetime, b: datetime) -> None:
    assert (iso_utc(a) < iso_utc(b)) == (a < b)
