"""Guided mode's walk: counters per section, a clear end, no moving past either edge."""

from __future__ import annotations

import pytest

from legcoach.core.guide import GuidedWalk, guide_pages
from legcoach.core.library import load_library
from legcoach.paths import builtin_exercises_dir


@pytest.fixture(scope="module")
def press45():
    return load_library(builtin_exercises_dir())["leg-press-45"]


def test_pages_count_within_each_section(press45) -> None:
    pages = guide_pages(press45)
    setup, execution = len(press45.setup), len(press45.execution)
    assert len(pages) == setup + execution + 1
    assert [p.position for p in pages[:setup]] == [f"Setup {i}/{setup}" for i in
                                                   range(1, setup + 1)]
    assert pages[setup].position == f"Execution 1/{execution}"
    assert pages[-1].position == "Ready"
    assert pages[-1].title == "Ready: start your set"
    assert pages[-1].is_end
    assert press45.movement.lead_in_cue in pages[-1].text


def test_walk_stops_at_both_edges(press45) -> None:
    walk = GuidedWalk(press45)
    seen = []
    walk.subscribe(seen.append)
    assert walk.at_start and not walk.back()
    while walk.next():
        pass
    assert walk.at_end
    assert walk.progress == 1.0
    assert len(seen) == len(walk.pages) - 1
    assert not walk.next()
    assert walk.back()
    assert walk.current.section == "Execution"
    walk.restart()
    assert walk.index == 0 and walk.progress == 0.0
