"""The desktop entry and the icon: well-formed, consistent with the app, and regenerated exactly.

desktop-file-validate is not installed everywhere, so a small parser checks what it would: the
group, the key syntax, no duplicates, the types of the values, registered categories with the
main category each additional one needs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest

ROOT = Path(__file__).resolve().parent.parent
DESKTOP = ROOT / "assets" / "legcoach.desktop"
ICON = ROOT / "assets" / "icon.svg"
MAKE_ICON = ROOT / "assets" / "make_icon.py"
SVG = "{http://www.w3.org/2000/svg}"

KEY = re.compile(r"[A-Za-z0-9-]+(\[[A-Za-z_@.]+\])?")
REQUIRED = ("Type", "Name", "GenericName", "Comment", "Exec", "Icon", "Categories", "Keywords",
            "StartupWMClass")
BOOLEANS = {"Terminal", "StartupNotify", "NoDisplay", "Hidden", "DBusActivatable"}
LISTS = {"Categories", "Keywords", "MimeType", "OnlyShowIn", "NotShowIn", "Actions"}
MAIN_CATEGORIES = {"AudioVideo", "Audio", "Video", "Development", "Education", "Game",
                   "Graphics", "Network", "Office", "Science", "Settings", "System", "Utility"}
NEEDS_MAIN = {"Sports": "Education", "Clock": "Utility", "Calculator": "Utility"}
"""Additional categories legcoach might use → the main category the menu spec pairs them with
(desktop-file-validate fails an entry without it)."""


class DesktopEntryError(ValueError):
    pass


def parse_desktop_entry(text: str) -> dict[str, dict[str, str]]:
    """Groups of key → value, as the Desktop Entry Specification reads them."""
    groups: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("["):
            if not line.endswith("]") or line[1:-1] in groups:
                raise DesktopEntryError(f"line {number}: bad or repeated group {line!r}")
            current = groups[line[1:-1]] = {}
            continue
        if current is None:
            raise DesktopEntryError(f"line {number}: a key before the first group")
        key, sep, value = line.partition("=")
        key, value = key.rstrip(), value.lstrip()
        if not sep or not KEY.fullmatch(key):
            raise DesktopEntryError(f"line {number}: not a key=value line: {line!r}")
        if key in current:
            raise DesktopEntryError(f"line {number}: {key} appears twice")
        if any(ord(ch) < 32 for ch in value):
            raise DesktopEntryError(f"line {number}: control character in {key}")
        current[key] = value
    return groups


@pytest.fixture(scope="module")
def entry() -> dict[str, str]:
    groups = parse_desktop_entry(DESKTOP.read_text(encoding="utf-8"))
    assert next(iter(groups)) == "Desktop Entry", "the first group must be [Desktop Entry]"
    return groups["Desktop Entry"]


def test_the_parser_rejects_what_the_validator_rejects() -> None:
    for bad in ("Name=x\n", "[Desktop Entry]\nName=a\nName=b\n", "[Desktop Entry]\nno equals\n",
                "[Desktop Entry]\nBad Key=1\n", "[Desktop Entry]\n[Desktop Entry]\n"):
        with pytest.raises(DesktopEntryError):
            parse_desktop_entry(bad)
    assert parse_desktop_entry("# c\n[Desktop Entry]\nName[de]=x\n") == {
        "Desktop Entry": {"Name[de]": "x"}}


def test_desktop_entry_has_the_required_keys(entry) -> None:
    missing = [key for key in REQUIRED if not entry.get(key)]
    assert not missing, f"missing or empty: {missing}"
    assert entry["Type"] == "Application"
    assert entry["GenericName"] == "Gym coach"


def test_desktop_entry_values_have_their_types(entry) -> None:
    for key in BOOLEANS & entry.keys():
        assert entry[key] in ("true", "false"), key
    for key in LISTS & entry.keys():
        assert entry[key].endswith(";"), f"{key} is a list: it ends with ';'"
    assert "/" not in entry["Icon"] and "." not in entry["Icon"], "an icon name, not a file"


def test_categories_are_registered_and_complete(entry) -> None:
    categories = entry["Categories"].rstrip(";").split(";")
    assert MAIN_CATEGORIES & set(categories), "at least one main category"
    for category in categories:
        assert category in MAIN_CATEGORIES or category in NEEDS_MAIN, category
        if category in NEEDS_MAIN:
            assert NEEDS_MAIN[category] in categories, f"{category} needs {NEEDS_MAIN[category]}"
    assert "Sports" in categories


def test_the_entry_launches_and_matches_the_running_app(entry) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"]
    assert entry["Exec"].split()[0] in scripts, "Exec runs the installed console script"
    app_source = (ROOT / "legcoach" / "app.py").read_text(encoding="utf-8")
    desktop_name = re.search(r'setDesktopFileName\("([^"]+)"\)', app_source)
    application_name = re.search(r'setApplicationName\("([^"]+)"\)', app_source)
    assert desktop_name is not None and application_name is not None
    # Wayland matches the window to this file by its name; X11 by WM_CLASS (the app's name).
    assert DESKTOP.stem == desktop_name.group(1) == entry["Icon"]
    assert entry["StartupWMClass"] == application_name.group(1)


def test_the_icon_is_an_svg_with_a_square_view_box() -> None:
    root = ElementTree.parse(ICON).getroot()
    assert root.tag == f"{SVG}svg"
    x, y, width, height = (float(part) for part in root.get("viewBox", "").split())
    assert (x, y) == (0, 0) and width == height > 0
    assert root.find(f"{SVG}title") is not None


def test_make_icon_reproduces_the_committed_svg(tmp_path: Path) -> None:
    out = tmp_path / "icon.svg"
    subprocess.run([sys.executable, "-B", str(MAKE_ICON), "--out", str(out)], check=True,
                   capture_output=True, timeout=60)
    assert out.read_bytes() == ICON.read_bytes(), "rerun assets/make_icon.py and commit"


def test_qt_draws_the_icon_in_the_accent_colour(qapp) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICON))
    assert renderer.isValid()
    image = QImage(32, 32, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    accent = QColor("#ffb020")
    pixels = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
    amber = sum(1 for pixel in pixels if abs(pixel.red() - accent.red()) < 16
                and abs(pixel.green() - accent.green()) < 16
                and abs(pixel.blue() - accent.blue()) < 16)
    assert amber > 32 * 32 * 0.1, "the mark is still there at 32 px"
