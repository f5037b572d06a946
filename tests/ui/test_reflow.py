"""Rows that wrap instead of squeezing: the row splits, FlowRow, Segmented and the header.

The layout sweep (test_layouts.py) checks whole screens; these pin the rules the screens rely
on, so a change to them shows up here with a clear name.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from legcoach.ui.widgets import FlowRow, Segmented, balanced_rows, button, greedy_rows


@pytest.fixture(autouse=True)
def themed(qapp):
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.parametrize(("widths", "room", "rows"), [
    ((100, 100, 100), 320, (3,)),  # everything fits: one row
    ((100, 100, 100, 100), 320, (2, 2)),  # even rows, not 3 + 1
    ((120, 80, 130, 106, 124, 119), 568, (3, 3)),  # the header's sections on a 600 px tablet
    ((400, 60, 300), 450, (1, 2)),  # the widest alone, the other two together
    ((600, 50), 500, (1, 1)),  # too wide even alone: every item on its own row
    ((), 500, ()),
])
def test_balanced_rows(widths, room, rows) -> None:
    assert balanced_rows(widths, room, 10) == rows


def test_greedy_rows_fill_the_first_rows() -> None:
    assert greedy_rows((198, 199, 178), 552, 14) == (2, 1)  # Start alone, full width, below
    assert greedy_rows((100, 100, 100), 500, 10) == (3,)


def test_a_flow_row_wraps_and_never_cuts_a_button(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    row = FlowRow(spacing=10, parent=host)
    buttons = [button(text) for text in ("Backups and restore…", "Import workouts…",
                                         "Export CSV…", "Export JSON backup…")]
    for widget in buttons:
        row.add(widget)
    host.show()
    needed = sum(b.sizeHint().width() for b in buttons) + 30
    for width, rows in ((needed, 1), (needed - 1, 2), (buttons[0].sizeHint().width() + 1, 4)):
        row.resize(width, 400)
        settle()
        tops = {b.y() for b in buttons}
        assert len(tops) == rows, width
        for widget in buttons:
            assert widget.width() >= widget.sizeHint().width(), (width, widget.text())
            assert widget.geometry().right() < row.width()


def test_segmented_wraps_into_equal_columns(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    rpe = Segmented([(v, v) for v in ("6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10")],
                    name="RPE", parent=host)
    host.show()
    widest = max(b.sizeHint().width() for b in rpe.buttons.values())
    assert rpe.columns_for(10_000) == 9
    assert rpe.columns_for(5 * widest + 4 * 6) == 5  # two rows, 5 + 4
    assert rpe.minimumSizeHint().width() == widest  # it may go as narrow as one button
    rpe.resize(5 * widest + 24, 200)
    settle()
    assert len({b.y() for b in rpe.buttons.values()}) == 2
    assert all(b.width() >= b.sizeHint().width() for b in rpe.buttons.values())


@pytest.mark.parametrize(("width", "one_row"), [(1920, True), (1280, True), (1024, True),
                                                 (800, False), (600, False)])
def test_the_header_puts_the_sections_below_a_title_that_does_not_fit(qtbot, width,
                                                                      one_row) -> None:
    from legcoach.ui.header import AppHeader

    header = AppHeader()
    qtbot.addWidget(header)
    header.resize(width, 200)
    header.show()
    header.show_place("Free training · 45° Leg Press", "workout", workout_active=True)
    settle()
    assert header.one_row is one_row
    assert header.title_label.text() == "Free training · 45° Leg Press"  # never shortened
    assert header.title_label.font().pixelSize() >= 20
    title = header.title_label
    assert title.heightForWidth(title.width()) <= title.height() + 1
    for key, widget in header.nav.items():
        assert widget.accessibleName().startswith("Go to "), key
        assert widget.height() >= 56 and widget.width() >= widget.sizeHint().width(), key
        assert widget.geometry().right() < header.width()


def test_a_flow_row_follows_a_widget_shown_or_hidden(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    row = FlowRow(spacing=10, parent=host)
    first, badge, last = (button(text) for text in ("Start this routine", "Built in", "More"))
    for widget in (first, badge, last):
        row.add(widget)
    host.show()
    row.resize(first.sizeHint().width() + last.sizeHint().width() + 10, 300)
    settle()
    assert len({w.y() for w in (first, badge, last)}) == 2  # all three do not fit one row
    badge.hide()
    assert row.sizeHint().height() > 0  # asked before the row rearranged: no error
    settle()
    assert first.y() == last.y()  # without the badge, one row
    badge.show()
    settle()
    assert badge.isVisible() and len({w.y() for w in (first, badge, last)}) == 2
