"""A second window on a folder another legcoach writes: it shows everything, saves nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt

from legcoach.app import open_workspace
from legcoach.instance_lock import DataFolderLock
from legcoach.paths import DataPaths


def test_read_only_window_explains_itself_and_never_writes(qtbot, qapp, library, clock, sound,
                                                          wall, tmp_path) -> None:
    from legcoach.ui.main_window import MainWindow

    data = DataPaths(tmp_path)
    data.ensure()
    writer = open_workspace(library, data, now=wall)  # the first window logs a set
    writer.log([_a_set(wall)])
    writer.sets.store.close()
    lock = DataFolderLock(tmp_path)
    assert lock.acquire()  # ... and is still open
    (tmp_path / "sets" / ".2026-11.json.abc.tmp").write_text("in flight")
    before = sorted(p.name for p in tmp_path.rglob("*"))

    window = MainWindow(open_workspace(library, data, now=wall, read_only=True), clock, sound)
    qtbot.addWidget(window)
    window.show()
    assert any("Read-only" in b.text.text() for b in window.banners)
    window.show_history()
    assert len(window.history_view.rows) == 1  # the other window's set is visible
    window.open_entry("leg-press-45")
    window.entry_form.load.set_text("100")
    qtbot.mouseClick(window.entry_form.save_button, Qt.MouseButton.LeftButton)
    assert "read-only" in window.status_label.text()
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # not a byte written
    window.workspace.sets.store.close()
    lock.release()


def _a_set(wall):
    from legcoach.core.setlog import LoadUnit, SetRecord

    return SetRecord(exercise_id="leg-press-45", performed_at=wall(), unit=LoadUnit.KG,
                     entered_load="120", reps=10, created_at=wall(), updated_at=wall())
