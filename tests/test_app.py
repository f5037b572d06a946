"""The entry point: version, data folder, screenshots, and a broken user file that is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from legcoach import __version__
from legcoach.app import run
from legcoach.cli import VIEWS, parse_args


def test_version_flag(capsys) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse_args(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"legcoach {__version__}"


def test_data_dir_comes_from_flag_then_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LEGCOACH_DATA_DIR", str(tmp_path / "env"))
    assert parse_args([]).data_dir == tmp_path / "env"
    assert parse_args(["--data-dir", str(tmp_path / "flag")]).data_dir == tmp_path / "flag"
    monkeypatch.delenv("LEGCOACH_DATA_DIR")
    assert "legcoach" in str(parse_args([]).data_dir)


def test_bad_size_is_refused_with_a_message(capsys) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--size", "huge"])
    assert "size must look like 1280x800" in capsys.readouterr().err


@pytest.mark.parametrize("view", VIEWS)
def test_screenshot_of_each_view(qapp, tmp_path, view) -> None:
    target = tmp_path / f"{view}.png"
    code = run(parse_args(["--data-dir", str(tmp_path / "data"), "--screenshot", str(target),
                           "--view", view, "--exercise", "leg-press-45", "--size", "1024x600"]))
    assert code == 0
    image = QImage(str(target))
    if view == "second-instance":  # a message box keeps its own size
        assert 0 < image.width() <= 1024 and 0 < image.height() <= 600
    else:
        assert (image.width(), image.height()) == (1024, 600)
    # screenshots run on a demo history in memory: the data folder gets no log, no session
    assert not (tmp_path / "data" / "sets").exists()
    assert not (tmp_path / "data" / "active_session.json").exists()


def test_screenshot_through_the_real_command(tmp_path) -> None:
    """The README's way: a separate process, offscreen, exit code 0, a PNG on disk."""
    target = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parent.parent / "main.py"),
         "--data-dir", str(tmp_path / "data"), "--screenshot", str(target)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert QImage(str(target)).width() == 1280


def test_unknown_exercise_for_screenshot_is_explained(qapp, tmp_path) -> None:
    with pytest.raises(SystemExit, match="no exercise with id 'squat'"):
        run(parse_args(["--data-dir", str(tmp_path), "--screenshot", str(tmp_path / "x.png"),
                        "--view", "detail", "--exercise", "squat"]))


def test_broken_user_exercise_file_shows_a_banner_and_the_app_starts(qtbot, tmp_path) -> None:
    from legcoach.app import build_sound, build_window, load_exercises, open_workspace
    from legcoach.paths import DataPaths

    data = DataPaths(tmp_path)
    data.ensure()
    (data.exercises / "my-press.toml").write_text("schema = 1\nid = [", encoding="utf-8")
    window = build_window(open_workspace(load_exercises(data), data),
                          sound=build_sound(enabled=False))
    qtbot.addWidget(window)
    window.show()
    assert window.banner is not None and window.banner.isVisible()
    assert "my-press.toml: is not valid TOML" in window.banner.text.text()
    assert len(window.library_view.cards) == 4
    window.banner.findChild(type(window.back_button)).click()
    assert not window.banner.isVisible()


def _start_on(tmp_path: Path):
    """The window as `legcoach` opens it on the data folder, start-up repair included."""
    from legcoach.app import load_exercises, open_data_window
    from legcoach.paths import DataPaths
    from legcoach.storage.backups import BackupManager

    data = DataPaths(tmp_path)
    data.ensure()
    return data, lambda: open_data_window(load_exercises(data), data, BackupManager(tmp_path))


def test_a_damaged_data_file_is_moved_aside_and_the_app_starts_and_says_so(qtbot,
                                                                           tmp_path) -> None:
    _data, start = _start_on(tmp_path)
    (tmp_path / "routines.json").write_bytes(b'{"v": 1, "routines": [')  # cut off mid-write
    window = start()
    qtbot.addWidget(window)
    window.show()
    moved = list((tmp_path / "damaged").iterdir())
    assert [p.name.split(".json")[0] for p in moved] == ["routines"]
    assert moved[0].read_bytes() == b'{"v": 1, "routines": ['  # kept, never deleted
    banner = window.banners[-1]
    assert banner.isVisible()
    text = banner.text.text()
    assert text.startswith("legcoach found damaged data at start-up")
    assert "routines.json" in text and str(moved[0]) in text
    assert not window.workspace.read_only
    window.show_train()  # the built-in routine is there to train with
    assert window.workspace.routines.builtin is not None
    window.workspace.sets.store.close()


def test_a_file_from_a_newer_legcoach_opens_the_data_read_only(qtbot, tmp_path) -> None:
    _data, start = _start_on(tmp_path)
    newer = b'{"v": 2, "from": "the future"}'
    (tmp_path / "machine_settings.json").write_bytes(newer)
    window = start()
    qtbot.addWidget(window)
    window.show()
    assert window.workspace.read_only
    heads = [banner.text.text().splitlines()[0] for banner in window.banners]
    assert heads[0] == "Read-only: nothing you change in this window is saved."
    assert "newer legcoach" in window.banners[-1].text.text() or "data version 2" in \
        window.banners[-1].text.text()
    window.close()
    assert (tmp_path / "machine_settings.json").read_bytes() == newer  # never overwritten
    window.workspace.sets.store.close()


def test_the_command_line_offers_exactly_the_apps_looks() -> None:
    from legcoach.cli import LOOKS
    from legcoach.ui.themes import THEMES

    assert set(LOOKS) == set(THEMES)
    assert parse_args(["--look", "light"]).look == "light"
