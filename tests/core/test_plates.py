"""Plate calculator: exact where possible, never above the target, fewest plates; not greedy."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legcoach.core.plates import PlateLoad, in_unit, plates_per_side
from legcoach.core.setlog import LoadUnit, to_kg

KG_PLATES = (25, 20, 15, 10, 5, 2.5, 1.25)
D = Decimal


def brute_force(room: Decimal, plates: list[Decimal]) -> tuple[Decimal, int]:
    """(heaviest per-side sum ≤ room, fewest plates for it) by trying every count of every
    size: slow, obviously right."""
    best = (D(0), 0)
    ranges = [range(int(room // p) + 1) for p in plates]
    for counts in itertools.product(*ranges):
        total = sum((c * p for c, p in zip(counts, plates, strict=True)), D(0))
        if total <= room and (total > best[0] or (total == best[0] and sum(counts) < best[1])):
            best = (total, sum(counts))
    return best


# --- examples -------------------------------------------------------------------------------


def test_a_standard_load() -> None:
    result = plates_per_side(152.5, 50, KG_PLATES)
    assert result.per_side == (25, 25, D("1.25"))
    assert result.achieved == D("152.5") and result.exact and result.difference == 0
    assert result.counts() == [(25, 2), (D("1.25"), 1)]
    assert result.summary() == "2 × 25 + 1.25 kg per side → 152.5 kg."


def test_greedy_would_be_wrong_here() -> None:
    """Greedy takes 15 first and ends on 15 + 4 + 4 = 23 per side; 10 + 10 + 4 makes 24."""
    result = plates_per_side(48, 0, [15, 10, 4])
    assert result.per_side == (10, 10, 4) and result.exact


def test_fewest_plates_among_exact_answers() -> None:
    """30 per side: 10 + 10 + 10 or 15 + 15; the two-plate answer wins."""
    assert plates_per_side(60, 0, [15, 10]).per_side == (15, 15)


def test_the_closest_load_below_when_the_target_cannot_be_met() -> None:
    result = plates_per_side(103, 40, KG_PLATES)  # 31.5 per side; 31.25 is the best
    assert result.per_side == (25, 5, D("1.25"))
    assert result.achieved == D("102.5") and result.difference == D("0.5")
    assert result.summary() == "25 + 5 + 1.25 kg per side → 102.5 kg, 0.5 kg under 103 kg."


def test_target_below_the_sled_is_said_clearly() -> None:
    result = plates_per_side(40, 50, KG_PLATES)
    assert result.below_sled and result.per_side == () and result.achieved == 50
    assert result.summary() == "The sled alone weighs 50 kg, more than 40 kg: no plates."


def test_the_empty_sled_exactly_and_a_target_too_small_for_any_pair() -> None:
    assert plates_per_side(50, 50, KG_PLATES).summary() == "no plates → 50 kg."
    result = plates_per_side(52, 50, KG_PLATES)
    assert result.per_side == () and result.difference == 2 and not result.below_sled


def test_pounds_with_a_pound_gym() -> None:
    result = plates_per_side(225, 0, [45, 35, 25, 10, 5, 2.5], LoadUnit.LB)
    assert result.per_side == (45, 45, 10, 10, D("2.5"))
    assert result.summary() == "2 × 45 + 2 × 10 + 2.5 lb per side → 225 lb."


def test_pound_plates_stored_in_kg_come_back_as_round_pounds() -> None:
    stored = [to_kg(size, LoadUnit.LB) for size in ("45", "25", "2.5")]
    assert in_unit(stored, LoadUnit.LB) == (45, 25, D("2.5"))
    assert in_unit([20.0, 1.25], LoadUnit.KG) == (20, D("1.25"))


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "heavy", True])
def test_nonsense_inputs_are_refused(bad) -> None:
    with pytest.raises(ValueError, match="must be"):
        plates_per_side(bad, 0, KG_PLATES)
    with pytest.raises(ValueError, match="must be"):
        plates_per_side(100, bad, KG_PLATES)


def test_zero_plates_are_refused() -> None:
    with pytest.raises(ValueError, match="above zero"):
        plates_per_side(100, 0, [20, 0])


def test_plate_sizes_too_fine_to_combine_are_refused_not_slow() -> None:
    with pytest.raises(ValueError, match="too fine"):
        plates_per_side(1000, 0, [1.001, 1.002])


def test_a_heavy_target_with_real_plates_is_instant() -> None:
    result = plates_per_side(1000, 60, KG_PLATES)
    assert result.exact and result.per_side.count(25) == 18


# --- properties -----------------------------------------------------------------------------

SIZES = st.lists(st.integers(1, 24).map(lambda q: D(q) / 4), min_size=1, max_size=4,
                 unique=True)  # 0.25 … 6 in quarters: small enough to brute force
LOADS = st.integers(0, 160).map(lambda q: D(q) / 4)


@settings(max_examples=300, deadline=None)
@given(target=LOADS, sled=LOADS, plates=SIZES)
def test_never_above_the_target_achievable_and_optimal(target, sled, plates) -> None:
    result = plates_per_side(target, sled, plates)
    assert isinstance(result, PlateLoad)
    if target < sled:
        assert result.below_sled and result.per_side == ()
        return
    assert result.achieved <= target and result.difference >= 0
    assert set(result.per_side) <= set(plates)
    assert result.achieved == sled + 2 * sum(result.per_side, D(0))
    assert list(result.per_side) == sorted(result.per_side, reverse=True)
    best_side, fewest = brute_force((target - sled) / 2, plates)
    assert sum(result.per_side, D(0)) == best_side
    assert len(result.per_side) == fewest


@settings(max_examples=100, deadline=None)
@given(plates=SIZES, pairs=st.lists(st.integers(0, 3), min_size=4, max_size=4),
       sled=LOADS)
def test_any_load_made_of_the_plates_is_met_exactly(plates, pairs, sled) -> None:
    side = sum((c * p for c, p in zip(pairs, plates, strict=False)), D(0))
    result = plates_per_side(sled + 2 * side, sled, plates)
    assert result.exact
    assert len(result.per_side) <= sum(pairs[: len(plates)])
