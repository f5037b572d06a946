"""Every control on every screen has a name a screen reader can say (and a test can find):
its own text, or an accessible name where it shows a symbol ("−", "+", "✕") or a field."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QWidget

from tests.ui.test_layouts import CONTROLS, SCREENS, build_window, widget_names

SYMBOLS_ONLY = set("−+✕×▶■❚«»◀▲▼⏭ ")


def unnamed(window: QWidget) -> list[str]:
    names = widget_names(window)
    missing = []
    for control in window.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or not control.isVisible():
            continue
        if isinstance(control.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the editor inside a date field or combo box: the field has the name
        name = control.accessibleName().strip()
        if not name and isinstance(control, QAbstractButton):
            text = control.text().replace("&", "").strip()
            name = "" if set(text) <= SYMBOLS_ONLY else text
        if not name:
            where = names.get(id(control), type(control).__name__)
            shown = getattr(control, "text", str)()
            missing.append(f"{where} ({type(control).__name__} {shown!r})")
    return missing


@pytest.mark.parametrize("screen", SCREENS)
def test_every_visible_control_has_a_name(qapp, library, screen: str) -> None:
    window = build_window(qapp, library, screen, (1280, 800))
    try:
        assert unnamed(window) == []
    finally:
        window.close()
        window.deleteLater()
