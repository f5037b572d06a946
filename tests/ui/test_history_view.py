"""A lifter browses the history: search, pick a workout, read its sets, delete, undo, edit."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QDateEdit, QPushButton, QVBoxLayout, QWidget

from legcoach.core.demo import iter_demo_history
from legcoach.core.history import group_sessions
from legcoach.core.setlog import LoadUnit, SetRecord, replace_fields
from legcoach.core.setstore import InMemorySetStore
from legcoach.core.workspace import Workspace
from legcoach.ui.history_view import EMPTY_TEXT, HistoryView
from legcoach.ui.theme import TOUCH_MIN

RECENT = 12  # Leg days in the last six weeks: the 4 weeks preset shows 8 of them


class Recorder:
    """Stands in for the confirmation dialog: answers as told and remembers the questions."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.questions: list[str] = []

    def __call__(self, question: str) -> bool:
        self.questions.append(question)
        return self.answer


class QuerySpy(InMemorySetStore):
    """The in-memory store, noting every query's bounds: the screen must read ranges."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[datetime | None, datetime | None]] = []

    def query(self, exercise_id: str | None = None, start: datetime | None = None,
              end: datetime | None = None) -> list[SetRecord]:
        self.calls.append((start, end))
        return super().query(exercise_id, start, end)


@pytest.fixture
def set_store() -> QuerySpy:
    return QuerySpy()


def free_set(wall, days_ago: float, load: str = "70", reps: int = 10) -> SetRecord:
    """A leg-press set logged without a workout."""
    moment = wall() - timedelta(days=days_ago)
    return SetRecord(exercise_id="leg-press", performed_at=moment, unit=LoadUnit.KG,
                     entered_load=load, reps=reps, created_at=moment, updated_at=moment)


@pytest.fixture
def history_log(set_store: QuerySpy, wall) -> list[SetRecord]:
    """Recent Leg days, two from half a year ago, one from two years ago, one free set."""
    records = list(itertools.chain(
        iter_demo_history(wall() - timedelta(days=730), 1, seed=3),
        iter_demo_history(wall() - timedelta(days=180), 2, seed=4),
        iter_demo_history(wall(), RECENT),
    ))
    records.append(free_set(wall, days_ago=1))
    for record in records:
        set_store.add(record)
    set_store.calls.clear()
    return records


@pytest.fixture
def confirm() -> Recorder:
    return Recorder()


def make_view(qtbot, qapp, workspace: Workspace, confirm: Recorder, **kwargs: Any
              ) -> HistoryView:
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    view = HistoryView(workspace, confirm=confirm, tz=UTC, **kwargs)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # keyboard focus needs the active window
    qtbot.waitUntil(view.isActiveWindow)
    return view


@pytest.fixture
def view(qtbot, qapp, workspace, history_log, confirm) -> HistoryView:
    return make_view(qtbot, qapp, workspace, confirm)


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def tap_row(qtbot, rows, row: int) -> None:
    rows.scrollToItem(rows.item(row))
    centre = rows.visualItemRect(rows.item(row)).center()
    qtbot.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def key(qtbot, widget: QWidget, which: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, which, modifier)


def titles(view: HistoryView) -> list[str]:
    return view.session_list.titles()


def set_titles(view: HistoryView) -> list[str]:
    return view.set_list.titles()


# --- reading and searching -------------------------------------------------------------------


def test_it_opens_on_the_last_three_months_newest_first(view: HistoryView, wall) -> None:
    assert view.presets.value() == "3 months"
    assert len(view.rows) == RECENT + 1  # the Leg days and the day of the free set
    assert titles(view)[0] == "Sat 21 Nov 2026 · Logged sets"
    assert all(title.endswith(("Workout", "Workout  ★")) for title in titles(view)[1:])
    starts = [row.started_at for row in view.rows]
    assert starts == sorted(starts, reverse=True)
    assert view.count_label.text() == f"{RECENT + 1} workouts · {RECENT * 14 + 1} sets"
    assert view.session_list.currentRow() == 0 and view.empty_label.isHidden()
    assert view.from_edit.date() == QDate(2026, 8, 22)
    assert view.to_edit.date() == QDate(2026, 11, 22)


def test_a_row_says_when_how_long_how_much_and_what(view: HistoryView) -> None:
    row = view.rows[1]
    detail = view.session_list.details()[1]
    start = row.started_at.strftime("%H:%M")
    assert detail.startswith(f"{start} · {row.duration_text} · 14 sets · ")
    assert detail.endswith("45° Leg Press, Leg Press, Single-Leg Press, Machine Hip Thrust")
    assert f"{row.volume_kg:,.0f} kg" in detail


def test_presets_and_date_pickers_choose_the_range(qtbot, view: HistoryView) -> None:
    click(qtbot, view.presets.buttons["All"])
    assert len(view.rows) == RECENT + 4 and view.from_edit.specialValueText() == "Any date"
    assert view.from_edit.text() == "Any date"
    click(qtbot, view.presets.buttons["1 year"])
    assert len(view.rows) == RECENT + 3
    click(qtbot, view.presets.buttons["4 weeks"])
    four_weeks = [row for row in view.rows if row.started_at.date() >= date(2026, 10, 25)]
    assert view.rows == four_weeks and 0 < len(four_weeks) < RECENT + 1
    # A custom range: the first week of November, picked on the two date fields.
    view.from_edit.setDate(QDate(2026, 11, 1))
    view.to_edit.setDate(QDate(2026, 11, 7))
    assert view.presets.value() is None
    days = {row.started_at.date() for row in view.rows}
    assert days and all(date(2026, 11, 1) <= day <= date(2026, 11, 7) for day in days)


def test_search_by_exercise(qtbot, view: HistoryView, workspace, wall) -> None:
    combo = view.exercise_combo
    assert combo.currentText() == "All exercises"
    combo.setFocus()
    combo.setCurrentIndex(combo.findText("Single-Leg Press"))
    assert len(view.rows) == RECENT  # not the day of the free leg-press set
    assert all("single-leg-press" in row.exercise_ids for row in view.rows)
    view.set_exercise(None)
    assert len(view.rows) == RECENT + 1


def test_it_reads_only_the_chosen_range(view: HistoryView, set_store: QuerySpy,
                                        workspace) -> None:
    """The sets before the range are read once, for the records; later reads are the range."""
    start = datetime(2026, 8, 22, tzinfo=UTC)
    assert set_store.calls == [(None, start), (start, None)]
    set_store.calls.clear()
    view.refresh()
    view.set_exercise("leg-press")
    assert set_store.calls == [(start, None)]
    year = datetime(2025, 11, 22, tzinfo=UTC)
    set_store.calls.clear()
    view.set_preset("1 year")
    view.set_preset("3 months")  # back again: what came before it is still known
    assert set_store.calls == [(None, year), (year, None), (start, None)]
    set_store.calls.clear()
    view.set_preset("All")
    assert set_store.calls == [(None, None)]


def test_stars_count_everything_before_the_range(qtbot, view: HistoryView,
                                                 history_log, workspace) -> None:
    """A set is a record only if it beat the whole past, not just what the range shows."""
    everything = group_sessions(history_log, workspace.exercise_names())
    expected = {row.key: [e.set_id for e in row.records] for row in everything}
    for preset in ("4 weeks", "3 months", "All"):
        click(qtbot, view.presets.buttons[preset])
        assert {row.key: [e.set_id for e in row.records] for row in view.rows} == {
            row.key: expected[row.key] for row in view.rows}
    assert any(row.records for row in view.rows)
    starred = [title for title, row in zip(titles(view), view.rows, strict=True) if row.records]
    assert starred and all(title.endswith("★") for title in starred)


def test_changes_before_the_range_move_the_stars(qtbot, view: HistoryView, workspace,
                                                 wall) -> None:
    click(qtbot, view.presets.buttons["4 weeks"])
    start = view.rows[-1].started_at
    older = workspace.sets.store.query(end=start)
    assert any(e.exercise_id == "leg-press-45" for row in view.rows for e in row.records)

    # Edited elsewhere (say on the Log screen): a 500 kg set before the range beats them all.
    press = next(r for r in reversed(older) if r.exercise_id == "leg-press-45")
    workspace.update(replace_fields(press, entered_load="500", now=wall()))
    view.invalidate_records()
    view.refresh()
    assert all(e.exercise_id != "leg-press-45" for row in view.rows for e in row.records)

    # Deleted elsewhere: the number of sets changes, so no call is needed.
    workspace.delete(press.id)
    view.refresh()
    expected = group_sessions(workspace.sets.store.query(), workspace.exercise_names())
    stars = {row.key: row.records for row in expected}
    assert any(e.exercise_id == "leg-press-45" for row in view.rows for e in row.records)
    assert all(row.records == stars[row.key] for row in view.rows)


# --- one workout -----------------------------------------------------------------------------


def test_picking_a_workout_shows_its_sets(qtbot, view: HistoryView) -> None:
    tap_row(qtbot, view.session_list, 2)
    row = view.rows[2]
    assert view.selected_session() is row
    assert view.title_label.text().startswith(row.started_at.strftime("%A %d %B %Y"))
    assert view.exercises_label.text() == (
        "45° Leg Press · Leg Press · Single-Leg Press · Machine Hip Thrust")
    assert len(set_titles(view)) == 14
    assert set_titles(view)[0].startswith(f"45° Leg Press · {row.sets[0].describe()}")
    assert "(left leg)" in " ".join(set_titles(view))
    starred = [t for t in set_titles(view) if t.endswith("★")]
    assert len(starred) == len(row.record_set_ids)
    if row.records:
        assert view.records_label.isVisible()
        assert row.records[0].text in view.set_list.details()


def test_keys_move_open_delete_and_go_back(qtbot, view: HistoryView, confirm: Recorder,
                                           workspace) -> None:
    view.session_list.setFocus()
    key(qtbot, view.session_list, Qt.Key.Key_Down)
    assert view.session_list.currentRow() == 1
    assert view.selected_session() is view.rows[1]
    key(qtbot, view.session_list, Qt.Key.Key_Return)
    assert view.set_list.hasFocus() and view.set_list.currentRow() == 0
    key(qtbot, view.set_list, Qt.Key.Key_Down)
    doomed = view.selected_set()
    assert doomed is view.rows[1].sets[1]
    key(qtbot, view.set_list, Qt.Key.Key_Delete)
    assert confirm.questions == [f"Delete {doomed.describe()}? (Ctrl+Z undoes)"]
    assert workspace.sets.store.get(doomed.id) is None
    assert view.set_list.hasFocus() and view.set_list.currentRow() == 1  # the next set
    assert len(view.rows[1].sets) == 13
    key(qtbot, view.set_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert workspace.sets.store.get(doomed.id) == doomed
    assert len(view.rows[1].sets) == 14
    key(qtbot, view.set_list, Qt.Key.Key_Left)
    assert view.session_list.hasFocus()
    key(qtbot, view.session_list, Qt.Key.Key_Right)
    assert view.set_list.hasFocus()


def test_delete_asks_first_and_undo_brings_the_set_back(qtbot, view: HistoryView,
                                                        confirm: Recorder, workspace) -> None:
    messages: list[str] = []
    view.notify.connect(messages.append)
    assert not view.undo_button.isEnabled()
    tap_row(qtbot, view.session_list, 1)
    tap_row(qtbot, view.set_list, 3)
    record = view.selected_set()
    assert record is not None
    confirm.answer = False
    click(qtbot, view.delete_button)
    assert workspace.sets.store.get(record.id) == record and len(confirm.questions) == 1

    confirm.answer = True
    click(qtbot, view.delete_button)
    assert workspace.sets.store.get(record.id) is None
    assert record.id not in {r.id for r in view.rows[1].sets}
    assert len(set_titles(view)) == 13
    assert messages[-1] == f"Deleted {record.describe()}. Ctrl+Z brings it back."

    click(qtbot, view.undo_button)
    assert workspace.sets.store.get(record.id) == record
    assert record.id in {r.id for r in view.rows[1].sets}
    assert messages[-1] == f"Undid: deleted set {record.describe()}"
    assert not view.undo_button.isEnabled()


def test_deleting_a_workouts_last_set_removes_the_row(qtbot, view: HistoryView,
                                                      workspace) -> None:
    assert titles(view)[0] == "Sat 21 Nov 2026 · Logged sets"
    second = view.rows[1].key
    click(qtbot, view.delete_button)  # the free set: the only one of its day
    assert len(view.rows) == RECENT and view.rows[0].key == second
    assert view.selected_session() is view.rows[0]
    click(qtbot, view.undo_button)
    assert titles(view)[0] == "Sat 21 Nov 2026 · Logged sets"


def test_edit_asks_the_main_window_for_the_form(qtbot, view: HistoryView, workspace,
                                                wall) -> None:
    tap_row(qtbot, view.session_list, 1)
    tap_row(qtbot, view.set_list, 2)
    wanted = view.rows[1].sets[2]
    with qtbot.waitSignal(view.edit_requested) as signal:
        click(qtbot, view.edit_button)
    assert signal.args == [wanted]
    with qtbot.waitSignal(view.edit_requested) as signal:
        key(qtbot, view.set_list, Qt.Key.Key_Return)
    assert signal.args == [wanted]

    # What the main window then does: save the edit, come back, refresh.
    workspace.update(replace_fields(wanted, entered_load="300", now=wall()))
    view.refresh()
    assert view.selected_session() is view.rows[1]
    assert any(t.startswith("45° Leg Press · 300 kg ×") and t.endswith("★")
               for t in set_titles(view))
    assert "New heaviest 45° leg press: 300 kg" in " ".join(view.set_list.details())


def test_routine_names_come_from_the_caller(qtbot, qapp, workspace, history_log,
                                            confirm) -> None:
    names = {r.session_id: "Leg day" for r in history_log if r.session_id}
    view = make_view(qtbot, qapp, workspace, confirm, routine_names=lambda: names)
    assert all(" · Leg day" in title for title in titles(view)[1:])


# --- empty, sizes, names -------------------------------------------------------------------


def test_an_empty_log_says_what_to_do(qtbot, qapp, workspace, confirm) -> None:
    view = make_view(qtbot, qapp, workspace, confirm)
    assert view.empty_label.isVisible() and view.empty_label.text() == EMPTY_TEXT
    assert not view.content.isVisible() and view.rows == []
    assert not view.edit_button.isEnabled() and not view.delete_button.isEnabled()
    view.focus_sessions()  # nothing to list: the widest range is one key press away
    assert view.presets.buttons["All"].hasFocus()
    key(qtbot, view.presets.buttons["All"], Qt.Key.Key_Space)
    assert view.presets.value() == "All" and view.empty_label.isVisible()


def test_a_range_without_workouts_is_empty_until_widened(qtbot, view: HistoryView) -> None:
    view.set_dates(date(2020, 1, 1), date(2020, 12, 31))
    assert view.empty_label.isVisible() and not view.session_list.isVisible()
    assert view.count_label.text() == ""
    click(qtbot, view.presets.buttons["All"])
    assert view.session_list.isVisible() and len(view.rows) == RECENT + 4


def test_every_control_is_finger_sized_and_named(view: HistoryView) -> None:
    controls = [w for kind in (QPushButton, QComboBox, QDateEdit)
                for w in view.findChildren(kind) if w.isVisible()]
    assert len(controls) >= 10
    for widget in controls:
        assert widget.height() >= TOUCH_MIN, widget.accessibleName()
        assert widget.accessibleName(), widget
    for rows in (view.session_list, view.set_list):
        assert rows.accessibleName()
        assert rows.visualItemRect(rows.item(0)).height() >= TOUCH_MIN
    for text in (view.title_label, view.facts_label, view.exercises_label):
        assert text.accessibleDescription() and text.text()
    view.focus_sessions()
    assert view.session_list.hasFocus()


def test_ctrl_z_here_wins_over_a_window_wide_undo(qtbot, qapp, workspace, history_log,
                                                  confirm) -> None:
    """In the main window Ctrl+Z is also a window shortcut; here it must refresh this list."""
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)
    host = QWidget()
    qtbot.addWidget(host)
    fired: list[bool] = []
    QShortcut(QKeySequence.StandardKey.Undo, host, activated=lambda: fired.append(True))
    view = HistoryView(workspace, confirm=confirm, tz=UTC)
    QVBoxLayout(host).addWidget(view)
    host.resize(1280, 800)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    record = view.selected_set()
    assert record is not None
    view.set_list.setFocus()
    key(qtbot, view.set_list, Qt.Key.Key_Delete)
    key(qtbot, view.set_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert fired == [] and workspace.sets.store.get(record.id) == record
    assert titles(view)[0] == "Sat 21 Nov 2026 · Logged sets"
