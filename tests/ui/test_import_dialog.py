"""The import dialog (choose → unit → preview → import) and the export functions."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from legcoach.core.exporters import import_json_backup
from legcoach.core.importers import ImportPreview, ImportResult, apply_import, parse_import
from legcoach.core.readonly import ReadOnlyError
from legcoach.core.setlog import LoadUnit
from legcoach.core.setstore import InMemorySetStore

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
STRONG_LBS = FIXTURES / "strong_header_lbs.csv"


class Applier:
    """The lead's `apply` callback, over an in-memory store; counts its calls."""

    def __init__(self, error: Exception | None = None) -> None:
        self.store = InMemorySetStore()
        self.calls: list[ImportPreview] = []
        self.error = error

    def __call__(self, preview: ImportPreview) -> ImportResult:
        self.calls.append(preview)
        if self.error is not None:
            raise self.error
        return apply_import(preview, self.store)


@pytest.fixture
def make_dialog(qtbot, qapp, library):
    from legcoach.ui.import_dialog import ImportDialog
    from legcoach.ui.theme import apply_theme

    apply_theme(qapp)

    def make(path: Path | None = None, applier: Applier | None = None, **options):
        dialog = ImportDialog(library, applier or Applier(), tz=UTC, **options)
        qtbot.addWidget(dialog)
        dialog.show()
        if path is not None:
            dialog.open_path(path)
            settle(qtbot, dialog)
        return dialog

    return make


def settle(qtbot, dialog) -> None:
    """Wait for the background parse to land."""
    qtbot.waitUntil(lambda: not dialog.parsing and dialog.page() != "busy", timeout=10_000)


def combo_texts(dialog) -> dict[str, str]:
    return {name: row.combo.currentText() for name, row in dialog._rows.items()
            if row.combo is not None}


def test_preview_shows_format_counts_dates_mapping_and_warnings(make_dialog) -> None:
    dialog = make_dialog(STRONG_LBS)
    assert dialog.page() == "preview"
    assert dialog.file_label.text() == "strong_header_lbs.csv"
    assert dialog.facts_label.text() == (
        "Strong (unit in the header) · weights in lb\n"
        "3 workouts · 22 sets to import · 9 Jan 2025 – 16 Jan 2025")
    assert combo_texts(dialog) == {
        "Leg Press": "Leg Press", "Incline Leg Press": "45° Leg Press",
        "Leg Extension (Machine)": "Don't import", "Hip Thrust (Machine)": "Machine Hip Thrust",
        "Single Leg Press": "Single-Leg Press"}
    counts = {name: row.count.text() for name, row in dialog._rows.items()}
    assert counts["Leg Press"] == "12 sets" and counts["Leg Extension (Machine)"] == "4 sets"
    assert dialog.warnings_title.text() == "1 warning"
    assert dialog.warnings_label.text() == "Line 29: no reps: row skipped."
    assert "4 sets of exercises set to “Don't import” will be left out." in (
        dialog.left_out_label.text())
    assert dialog.import_button.text() == "Import 22 sets" and dialog.import_button.isEnabled()


def test_every_combo_offers_the_library_custom_and_dont_import(make_dialog, library) -> None:
    combo = make_dialog(STRONG_LBS)._rows["Leg Press"].combo
    items = [combo.itemText(i) for i in range(combo.count()) if combo.itemText(i)]
    assert items == [*sorted((e.name for e in library), key=str.casefold),
                     "Keep as custom exercise", "Don't import"]


def test_import_applies_through_the_callback_and_reports(make_dialog, qtbot) -> None:
    applier = Applier()
    dialog = make_dialog(STRONG_LBS, applier)
    with qtbot.waitSignal(dialog.imported) as signal:
        dialog.import_button.click()
    assert dialog.page() == "done"
    assert dialog.done_label.text() == "Added 22 sets (0 were already in the log)."
    assert len(applier.store.query()) == 22
    result, mapping = signal.args
    assert result == ImportResult(added=22, skipped_existing=0) == dialog.result
    assert mapping == {"Leg Press": "leg-press", "Incline Leg Press": "leg-press-45",
                       "Leg Extension (Machine)": None,
                       "Hip Thrust (Machine)": "hip-thrust-machine",
                       "Single Leg Press": "single-leg-press"}


def test_importing_the_same_file_again_adds_nothing(make_dialog) -> None:
    applier = Applier()
    make_dialog(STRONG_LBS, applier).import_now()
    again = make_dialog(STRONG_LBS, applier)
    again.import_now()
    assert again.done_label.text() == "Added 0 sets (22 were already in the log)."


def test_a_mapping_change_parses_again_and_counts_exactly(make_dialog, qtbot) -> None:
    applier = Applier()
    dialog = make_dialog(STRONG_LBS, applier)
    dialog.choose("Leg Extension (Machine)", None, custom=True)
    settle(qtbot, dialog)
    assert dialog.import_button.text() == "Import 26 sets"
    dialog.choose("Leg Press", None)
    settle(qtbot, dialog)
    assert dialog.import_button.text() == "Import 14 sets"
    dialog.choose("Incline Leg Press", "leg-press")
    settle(qtbot, dialog)
    dialog.import_now()
    exercises = {record.exercise_id for record in applier.store.query()}
    assert exercises == {"custom:leg-extension-machine", "leg-press", "hip-thrust-machine",
                         "single-leg-press"}
    assert dialog.chosen_mapping() == {
        "Leg Press": None, "Incline Leg Press": "leg-press",
        "Leg Extension (Machine)": "custom:leg-extension-machine",
        "Hip Thrust (Machine)": "hip-thrust-machine", "Single Leg Press": "single-leg-press"}


def test_the_import_button_waits_for_the_preview_to_match_the_choices(make_dialog) -> None:
    applier = Applier()
    dialog = make_dialog(STRONG_LBS, applier)
    dialog.choose("Leg Press", None)
    assert dialog.parsing and not dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "Updating…"
    dialog.import_now()  # a click that got through anyway does nothing
    assert applier.calls == []


def test_a_remembered_mapping_is_used(make_dialog) -> None:
    dialog = make_dialog(STRONG_LBS, remembered={"leg extension (machine)": "leg-press",
                                                 "Leg Press": None})
    assert combo_texts(dialog)["Leg Extension (Machine)"] == "Leg Press"
    assert combo_texts(dialog)["Leg Press"] == "Don't import"
    assert dialog.import_button.text() == "Import 14 sets"


def test_a_remembered_custom_exercise_shows_as_custom(make_dialog) -> None:
    dialog = make_dialog(STRONG_LBS,
                         remembered={"Leg Extension (Machine)": "custom:leg-extension-machine"})
    assert combo_texts(dialog)["Leg Extension (Machine)"] == "Keep as custom exercise"
    assert dialog.import_button.text() == "Import 26 sets"


def test_a_remembered_id_not_in_the_library_falls_back_to_dont_import(make_dialog,
                                                                      qtbot) -> None:
    dialog = make_dialog(STRONG_LBS, remembered={"Leg Extension (Machine)": "gone-exercise"})
    settle(qtbot, dialog)
    assert combo_texts(dialog)["Leg Extension (Machine)"] == "Don't import"
    assert dialog.import_button.text() == "Import 22 sets"


def test_a_file_without_a_unit_asks_for_one(make_dialog, qtbot) -> None:
    dialog = make_dialog(FIXTURES / "strong_ios.csv")
    assert dialog.page() == "unit"
    assert not dialog.unit_button.isEnabled()
    dialog.unit_choice.buttons[LoadUnit.KG].click()
    dialog.unit_button.click()
    settle(qtbot, dialog)
    assert dialog.page() == "preview"
    assert dialog.facts_label.text().startswith("Strong (iOS, no unit) · weights in kg\n")


@pytest.mark.parametrize(("content", "line", "reason"), [
    ('"Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";'
     '"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"\n'
     '"1";"2024-11-28 17:36:08";"Leg";"60";"Leg Press";"1";"100";"10";"";"0";"0";"";""\n'
     '"1";"yesterday";"Leg";"60";"Leg Press";"2";"100";"10";"";"0";"0";"";""\n',
     "Line 3", "The date 'yesterday' is not a date and time like 2024-11-28 17:36:08."),
    ("", "Line 1", "The file is empty."),
    ("name,weight\nLeg Press,100\n", "Line 1",
     "This is not a Strong, Hevy or legcoach CSV export"),
])
def test_a_malformed_file_shows_its_line_and_imports_nothing(make_dialog, tmp_path, content,
                                                             line, reason) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(content, encoding="utf-8")
    applier = Applier()
    dialog = make_dialog(path, applier)
    assert dialog.page() == "error"
    assert dialog.error_title.text() == "Can't import broken.csv"
    assert dialog.error_line.text() == line
    assert dialog.error_reason.text().startswith(reason)
    assert applier.calls == []


def test_an_unreadable_path_is_an_error_not_a_crash(make_dialog, tmp_path) -> None:
    dialog = make_dialog(tmp_path / "missing.csv")
    assert dialog.page() == "error"
    assert dialog.error_title.text() == "Can't read missing.csv"
    assert dialog.error_line.isHidden()


def test_a_legcoach_export_needs_no_mapping(make_dialog) -> None:
    dialog = make_dialog(FIXTURES / "legcoach_export.csv")
    assert dialog.page() == "preview"
    assert combo_texts(dialog) == {}
    assert dialog.facts_label.text().startswith("legcoach CSV export\n2 workouts · 8 sets")
    names = [widget.text() for widget in dialog.findChildren(QLabel)
             if widget.property("role") == "name" and widget.isVisible()]
    assert names == ["Leg Press", "45° Leg Press", "Single-Leg Press", "Machine Hip Thrust"]
    assert dialog.chosen_mapping() == {}


def test_hevy_warnings_carry_their_lines(make_dialog) -> None:
    dialog = make_dialog(FIXTURES / "hevy_kg.csv")
    assert dialog.warnings_label.text().splitlines() == [
        "Line 15: no reps: row skipped.",
        "Line 19: no weight: row skipped (an empty weight is taken as missing)."]
    counts = {name: row.count.text() for name, row in dialog._rows.items()}
    assert counts["Plank"] == "no sets with a weight and reps"
    assert dialog._rows["Plank"].combo is None


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), ReadOnlyError()])
def test_a_failing_apply_keeps_the_preview_and_says_why(make_dialog, error) -> None:
    applier = Applier(error)
    dialog = make_dialog(STRONG_LBS, applier)
    dialog.import_now()
    assert dialog.page() == "preview" and dialog.result is None
    assert dialog.apply_error.isVisible()
    assert dialog.apply_error.text().startswith(f"Could not import: {error.strerror}.")


def test_choose_file_uses_the_file_dialog(make_dialog, monkeypatch, qtbot) -> None:
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(STRONG_LBS), "")))
    dialog = make_dialog()
    assert dialog.page() == "start"
    dialog.choose_file()
    settle(qtbot, dialog)
    assert dialog.page() == "preview"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: ("", "")))
    dialog.choose_file()  # cancelled: nothing changes
    assert dialog.page() == "preview"


def test_closing_mid_parse_is_harmless(make_dialog, qtbot) -> None:
    dialog = make_dialog()
    dialog.open_path(FIXTURES / "strong_header_kg.csv")
    dialog.close()
    dialog.deleteLater()
    qtbot.wait(200)  # the late result, if any, finds no dialog and goes nowhere


def test_escape_cancels(make_dialog, qtbot) -> None:
    from PySide6.QtCore import Qt

    dialog = make_dialog(STRONG_LBS)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result is None and not dialog.isVisible()


def test_enter_does_not_import(make_dialog, qtbot) -> None:
    from PySide6.QtCore import Qt

    applier = Applier()
    dialog = make_dialog(STRONG_LBS, applier)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert applier.calls == []


# --- export -----------------------------------------------------------------------------------


@pytest.fixture
def filled_workspace(workspace):
    preview = parse_import(STRONG_LBS.read_bytes(), tz=UTC)
    apply_import(preview, workspace.sets.store)
    return workspace


def test_export_csv_reads_back_exactly(filled_workspace, tmp_path) -> None:
    from legcoach.ui.import_dialog import CSV_EXPORT, export_log

    written: dict[Path, bytes] = {}
    message = export_log(None, CSV_EXPORT, filled_workspace, written.__setitem__,
                         path=tmp_path / "log.csv")
    assert message == f"Wrote 22 sets to {tmp_path / 'log.csv'}."
    data = written[tmp_path / "log.csv"]
    assert data.startswith(b"\xef\xbb\xbf")  # a spreadsheet opens it as UTF-8
    back = parse_import(data)
    assert back.layout == "legcoach CSV export"
    assert sorted(back.sets, key=lambda r: r.id) == sorted(filled_workspace.sets.store.query(),
                                                           key=lambda r: r.id)


def test_export_json_backup_carries_the_chosen_documents(filled_workspace, tmp_path) -> None:
    from legcoach.ui.import_dialog import JSON_BACKUP, export_log

    filled_workspace.documents.save("preferences", {"v": 1, "volume": 0.5})
    written: dict[Path, bytes] = {}
    export_log(None, JSON_BACKUP, filled_workspace, written.__setitem__,
               documents=("preferences", "import_mapping"), path=tmp_path / "b.json")
    records, documents = import_json_backup(written[tmp_path / "b.json"])
    assert len(records) == 22
    assert documents == {"preferences": {"v": 1, "volume": 0.5}}  # no mapping saved yet
    assert json.loads(written[tmp_path / "b.json"])["format"] == "legcoach-backup"


def test_export_write_failure_is_a_message(filled_workspace, tmp_path) -> None:
    from legcoach.ui.import_dialog import CSV_EXPORT, export_log

    def refuse(path: Path, data: bytes) -> None:
        raise OSError(13, "Permission denied")

    message = export_log(None, CSV_EXPORT, filled_workspace, refuse, path=tmp_path / "x.csv")
    assert message == "Could not write x.csv (Permission denied); nothing was changed."


def test_export_asks_where_and_adds_the_suffix(filled_workspace, monkeypatch, tmp_path) -> None:
    from PySide6.QtWidgets import QFileDialog

    from legcoach.ui.import_dialog import CSV_EXPORT, export_log

    asked: list[str] = []

    def save_dialog(parent, title, proposal, file_filter):
        asked.append(proposal)
        return str(tmp_path / "my-log"), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    written: dict[Path, bytes] = {}
    export_log(None, CSV_EXPORT, filled_workspace, written.__setitem__)
    assert list(written) == [tmp_path / "my-log.csv"]
    assert Path(asked[0]).name == "legcoach-2026-11-22.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert export_log(None, CSV_EXPORT, filled_workspace, written.__setitem__) is None
