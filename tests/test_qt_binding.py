"""Guard against a Qt binding that corrupts reference counts (PySide6 6.12.0 on CPython 3.11).

That release drops a reference to None on every void method call; a repainting window then
aborts with "none_dealloc" after a few minutes. pyproject.toml excludes it; this test fails if
an installed binding (now or after an upgrade) has the same defect.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter


def test_void_calls_do_not_steal_references_to_none(qapp) -> None:
    image = QImage(64, 64, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    rect = QRectF(1, 1, 20, 10)
    before = sys.getrefcount(None)
    for _ in range(500):
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(rect, 3.0, 3.0)
    painter.end()
    assert sys.getrefcount(None) - before > -100  # a healthy binding stays near zero
