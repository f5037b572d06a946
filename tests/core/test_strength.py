"""Estimated one-rep max and volume: hand-computed values, edge cases and monotonicity."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legcoach.core.sides import Side
from legcoach.core.strength import (
    E1RM_DESCRIPTION,
    E1RM_FORMULA,
    FORMULAS,
    RELIABLE_MAX_REPS,
    OneRepMax,
    brzycki,
    epley,
    estimate_1rm,
    total_volume,
    volume_kg,
)
from tests.core.test_records import PROPERTY, SINGLE, logged

LOADS = st.integers(0, 2000).map(lambda halves: halves / 2)  # 0–1000 kg in 0.5 kg steps


@pytest.mark.parametrize(("load", "reps", "expected"), [
    (100, 1, 100),  # one rep is the max itself, not 103.3
    (100, 2, 100 * 32 / 30),
    (100, 10, 100 * 40 / 30),  # 133.33
    (150, 6, 180),
    (120, 15, 180),
    (0, 10, 0),
])
def test_epley(load: float, reps: int, expected: float) -> None:
    assert epley(load, reps) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("load", "reps", "expected"), [
    (100, 1, 100),
    (100, 10, 100 * 36 / 27),  # 133.33: agrees with Epley at 10 reps
    (90, 5, 101.25),
    (10, 36, 360),
])
def test_brzycki(load: float, reps: int, expected: float) -> None:
    assert brzycki(load, reps) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("reps", [37, 38, 100])
def test_brzycki_has_no_answer_from_37_reps(reps: int) -> None:
    assert brzycki(100, reps) is None


@pytest.mark.parametrize("formula", [epley, brzycki])
def test_zero_reps_say_nothing_about_the_max(formula: Any) -> None:
    assert formula(100, 0) is None


@pytest.mark.parametrize(("load", "reps"), [
    (-1, 5), (math.nan, 5), (math.inf, 5), (100, -1), (100, 2.5), (True, 5), (100, True),
])
def test_impossible_inputs_are_rejected(load: Any, reps: Any) -> None:
    for function in (epley, brzycki, volume_kg):
        with pytest.raises(ValueError, match="must be"):
            function(load, reps)


def test_the_default_formula_is_epley_and_explains_itself() -> None:
    assert E1RM_FORMULA == "epley"
    assert E1RM_DESCRIPTION == "Estimated 1RM (Epley): load × (1 + reps ÷ 30)"
    assert set(FORMULAS) == {"epley", "brzycki"}


def test_estimates_are_flagged_reliable_up_to_twelve_reps() -> None:
    assert RELIABLE_MAX_REPS == 12
    assert estimate_1rm(150, 6) == OneRepMax(kg=180, formula="epley", reps=6, reliable=True)
    assert estimate_1rm(100, 12).reliable
    thirteen = estimate_1rm(100, 13)
    assert thirteen is not None and not thirteen.reliable
    assert thirteen.kg == pytest.approx(100 * 43 / 30)  # still computed


def test_estimate_1rm_takes_the_formula_by_name() -> None:
    assert estimate_1rm(90, 5, "brzycki") == OneRepMax(101.25, "brzycki", 5, True)
    assert estimate_1rm(100, 0) is None
    assert estimate_1rm(100, 40, "brzycki") is None
    with pytest.raises(ValueError, match="Unknown 1RM formula 'lombardi'"):
        estimate_1rm(100, 5, "lombardi")  # type: ignore[arg-type]


def test_volume_is_load_times_reps_and_each_leg_adds_up() -> None:
    assert volume_kg(102.5, 10) == 1025
    left = logged(60, 10, exercise=SINGLE, side=Side.LEFT)
    right = logged(57.5, 10, exercise=SINGLE, side=Side.RIGHT, minute=2)
    assert total_volume([left, right]) == 600 + 575
    assert total_volume([]) == 0


def test_total_volume_is_exact() -> None:
    sets = [logged("0.1", 1, minute=i) for i in range(3)]
    assert total_volume(sets) == 0.3  # float addition would give 0.30000000000000004


@PROPERTY
@given(LOADS, LOADS, st.integers(1, 100))
def test_epley_is_monotone_in_load(a: float, b: float, reps: int) -> None:
    low, high = sorted((a, b))
    assert epley(low, reps) <= epley(high, reps)


@PROPERTY
@given(LOADS, st.integers(1, 99))
def test_epley_is_monotone_in_reps_and_never_below_the_load(load: float, reps: int) -> None:
    assert load <= epley(load, reps) <= epley(load, reps + 1)
    if load > 0:
        assert epley(load, reps) < epley(load, reps + 1)


@PROPERTY
@given(LOADS, LOADS, st.integers(1, 35))
def test_brzycki_is_monotone_in_load_and_reps(a: float, b: float, reps: int) -> None:
    low, high = sorted((a, b))
    assert brzycki(low, reps) <= brzycki(high, reps)
    assert low <= brzycki(low, reps) <= brzycki(low, reps + 1)


@PROPERTY
@given(st.lists(st.tuples(LOADS, st.integers(0, 100)), max_size=20), st.randoms())
def test_total_volume_does_not_depend_on_order(sets: list[tuple[float, int]], rng: Any) -> None:
    records = [logged(load, reps, minute=i) for i, (load, reps) in enumerate(sets)]
    shuffled = list(records)
    rng.shuffle(shuffled)
    assert total_volume(shuffled) == total_volume(records)
    assert total_volume(records) == pytest.approx(sum(load * reps for load, reps in sets))
