"""Tempo notation: parsing what lifters type, canonical formatting, helpful errors."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.tempo import (
    EXPLOSIVE_SECONDS,
    PHASES,
    Tempo,
    TempoError,
    parse_tempo,
)

FAST = settings(max_examples=400, deadline=None)


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("3-1-2-0", Tempo(3.0, 1.0, 2.0, 0.0), "3-1-2-0"),
        ("2.5-0-1.5-0", Tempo(2.5, 0.0, 1.5, 0.0), "2.5-0-1.5-0"),
        ("2.5-0-X-0", Tempo(2.5, 0.0, None, 0.0), "2.5-0-X-0"),
        ("x-0-x-0", Tempo(None, 0.0, None, 0.0), "X-0-X-0"),
        ("  3 - 1 - 2 - 0  ", Tempo(3.0, 1.0, 2.0, 0.0), "3-1-2-0"),
        ("3.0-1.00-2-0.", Tempo(3.0, 1.0, 2.0, 0.0), "3-1-2-0"),
        ("03-1-2-0", Tempo(3.0, 1.0, 2.0, 0.0), "3-1-2-0"),
        (".5-0.25-20-20", Tempo(0.5, 0.25, 20.0, 20.0), "0.5-0.25-20-20"),
        ("\t4-2-1-1\n", Tempo(4.0, 2.0, 1.0, 1.0), "4-2-1-1"),
    ],
)
def test_parse_valid_tempos(text: str, expected: Tempo, canonical: str) -> None:
    tempo = parse_tempo(text)
    assert tempo == expected
    assert tempo.format() == canonical
    assert str(tempo) == canonical


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3-1-2", "A tempo has four parts (lower-pause-push-pause), e.g. 3-1-2-0; this one has 3."),
        ("3-1-2-0-1", "this one has 5."),
        ("3", "this one has 1."),
        ("-1", "can't be negative ('-1' in '-1')"),
        ("3--1-2-0", "can't be negative ('-1' in '3--1-2-0')"),
        ("3-1-2-", "Part 4 of '3-1-2-' is empty"),
        ("3---1-2", "Part 2 of '3---1-2' is empty"),
        ("3--y-2-0", "empty part or a stray dash"),
        ("25-0-2-0", "Each phase is at most 20 s; the lowering phase is 25 s."),
        ("3-0-20.5-0", "Each phase is at most 20 s; the pushing phase is 20.5 s."),
        ("3-0-2-99999999999999999999999", "the top pause is 99999999999999999999999 s."),
        ("fast", "'fast' isn't a tempo."),
        ("", "Enter a tempo"),
        ("   ", "Enter a tempo"),
        ("3/1/2/0", "plain dashes '-' only"),
        ("3:1:2:0", "this one uses ':'"),
        ("3–1–2–0", "this one uses '–'"),
        ("3-X-2-0", "X (explosive) only fits the lowering or pushing phase; the bottom pause"),
        ("3-1-2-x", "the top pause needs a number"),
        ("0-1-2-0", "The lowering phase can't be 0 s"),
        ("3-1-0-0", "The pushing phase can't be 0 s"),
        ("2.555-0-1-0", "at most two decimals per phase; the lowering phase is 2.555 s."),
        ("3-1.2.3-2-0", "'1.2.3' isn't a number of seconds (the bottom pause)"),
        ("3-1-2-1e1", "'1e1' isn't a number of seconds (the top pause)"),
        ("3-inf-2-0", "'inf' isn't a number of seconds"),
        ("３-1-2-0", "'３' isn't a number of seconds"),
    ],
)
def test_parse_errors_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(TempoError) as caught:
        parse_tempo(text)
    assert message in str(caught.value)


def test_tempo_error_is_a_value_error() -> None:
    assert issubclass(TempoError, ValueError)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TempoError, match="text like 3-1-2-0"):
        parse_tempo(3120)  # type: ignore[arg-type]


def test_seconds_and_rep_seconds_schedule_x_as_explosive() -> None:
    tempo = parse_tempo("2.5-0-X-1")
    assert tempo.seconds("eccentric") == 2.5
    assert tempo.seconds("bottom") == 0.0
    assert tempo.seconds("concentric") == EXPLOSIVE_SECONDS == 1.0
    assert tempo.seconds("top") == 1.0
    assert tempo.rep_seconds == 4.5
    assert tempo.is_explosive("concentric")
    assert not tempo.is_explosive("eccentric")
    assert tempo.value("concentric") is None
    with pytest.raises(KeyError):
        tempo.seconds("sideways")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((3, None, 2, 0), "only fits the lowering or pushing phase; the bottom pause"),
        ((3, 1, 2, None), "only fits the lowering or pushing phase; the top pause"),
        ((-1, 1, 2, 0), "can't be negative"),
        ((3, 1, 21, 0), "at most 20 s"),
        ((3, 1, 2.005, 0), "at most two decimals"),
        ((math.nan, 1, 2, 0), "finite"),
        ((3, True, 2, 0), "must be a number"),
        ((3, "1", 2, 0), "must be a number"),
        ((0, 1, 2, 0), "can't be 0 s"),
    ],
)
def test_tempo_constructor_validates(values: tuple[object, ...], message: str) -> None:
    with pytest.raises(TempoError, match=message):
        Tempo(*values)  # type: ignore[arg-type]


def test_tempo_constructor_normalises_to_floats_on_the_hundredth_grid() -> None:
    tempo = Tempo(3, 0, 0.1 + 0.2, 1)
    assert tempo == Tempo(3.0, 0.0, 0.3, 1.0)
    assert isinstance(tempo.eccentric, float)
    assert tempo.format() == "3-0-0.3-1"


def test_tempo_is_frozen_and_hashable() -> None:
    tempo = parse_tempo("3-1-2-0")
    with pytest.raises(AttributeError):
        tempo.eccentric = 4.0  # type: ignore[misc]
    assert len({tempo, parse_tempo("3.00-1-2-0")}) == 1


# -- properties ------------------------------------------------------------------------------

pause_cents = st.integers(min_value=0, max_value=2000)
move_cents = st.one_of(st.none(), st.integers(min_value=1, max_value=2000))


@st.composite
def tempos(draw: st.DrawFn) -> Tempo:
    """Any valid tempo, built on the 0.01 s grid the type promises."""

    def seconds(cents: int | None) -> float | None:
        return None if cents is None else cents / 100

    ecc, bot, con, top = draw(move_cents), draw(pause_cents), draw(move_cents), draw(pause_cents)
    return Tempo(seconds(ecc), bot / 100, seconds(con), top / 100)


@FAST
@given(tempos())
def test_format_parse_round_trip(tempo: Tempo) -> None:
    text = tempo.format()
    assert parse_tempo(text) == tempo
    assert parse_tempo(text).format() == text
    for part in text.split("-"):
        assert part == "X" or not (part.endswith("0") and "." in part)
        assert not part.endswith(".")


@st.composite
def sloppy_texts(draw: st.DrawFn, tempo: Tempo) -> str:
    """The same tempo typed carelessly: spaces, lower-case x, padding zeros."""
    parts = []
    for phase in PHASES:
        value = tempo.value(phase)
        if value is None:
            part = draw(st.sampled_from(["x", "X"]))
        else:
            part = f"{value:.{draw(st.integers(2, 4))}f}"
            if draw(st.booleans()):
                part = "0" + part
        pad = st.text(" \t", max_size=2)
        parts.append(draw(pad) + part + draw(pad))
    return "-".join(parts)


@FAST
@given(st.data(), tempos())
def test_sloppy_input_parses_to_the_canonical_form(data: st.DataObject, tempo: Tempo) -> None:
    text = data.draw(sloppy_texts(tempo))
    parsed = parse_tempo(text)
    assert parsed == tempo
    assert parsed.format() == tempo.format()
    assert parse_tempo(parsed.format()).format() == parsed.format()  # canonical is a fixed point


def _only_tempo_errors(text: str) -> None:
    """Parse or fail with a TempoError that says something; anything else escapes and fails."""
    try:
        tempo = parse_tempo(text)
    except TempoError as error:
        message = str(error)
    else:
        assert parse_tempo(tempo.format()) == tempo
        return
    assert message.endswith(".")


@FAST
@given(st.text())
def test_junk_only_ever_raises_tempo_error(text: str) -> None:
    _only_tempo_errors(text)


@FAST
@given(st.text(alphabet="0123456789.-xX /:–eE+ \t", max_size=20))
def test_near_miss_junk_only_ever_raises_tempo_error(text: str) -> None:
    _only_tempo_errors(text)
