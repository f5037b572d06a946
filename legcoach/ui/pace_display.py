"""The big painted display of the set screen: phase word, phase bar, metronome, reps, side.

Painted in one widget so that every frame is one cheap paint and every size is computed from
the widget's own height, which keeps it readable from 3 m on anything from 1024×600 up.
Colour is never the only signal: every phase also has its own word and its own shape
(▼ lower, ▲ push, ■ hold, ⇄ switch, ✓ done).

Colours are read from the current look (`themes.current()`) at every paint and nothing is
cached: a change of look restyles the app, which repaints this widget in the new colours.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from legcoach.core.set_text import DisplayText
from legcoach.core.setplan import PhaseKind
from legcoach.core.setrun import SetState
from legcoach.core.sides import Side
from legcoach.ui import themes
from legcoach.ui.theme import FONT_FAMILY, fitted_font


@dataclass(frozen=True)
class PhaseStyle:
    role: str  # a `themes.PhaseColours` field: the colour differs per look, the role does not
    shape: str  # "down", "up", "square", "switch", "check", "ring"

    def colour(self, palette: themes.Palette) -> str:
        """This phase's colour in `palette`'s look."""
        return str(getattr(themes.phase_colours(palette), self.role))


# Blue and orange stay distinct for the common colour-vision deficiencies; shapes back them up.
PHASE_STYLES = {
    PhaseKind.ECCENTRIC: PhaseStyle("lower", "down"),
    PhaseKind.CONCENTRIC: PhaseStyle("push", "up"),
    PhaseKind.BOTTOM: PhaseStyle("hold", "square"),
    PhaseKind.TOP: PhaseStyle("hold", "square"),
    PhaseKind.COUNTDOWN: PhaseStyle("countdown", "ring"),
    PhaseKind.SWITCH: PhaseStyle("switch", "switch"),
    PhaseKind.DONE: PhaseStyle("done", "check"),
}
IDLE_STYLE = PhaseStyle("countdown", "ring")
MIN_WIDTH, MIN_HEIGHT = 300, 220  # fits a portrait 600 px tablet and a 1024×600 laptop
GAP = 0.04  # of the width: between two texts that share a line, so they never touch
EDGE_WIDTH = 2  # px: as the borders of the style sheet's buttons and fields
OUTLINED = 2.5  # looks whose borders stand out this much from the background outline tracks


@functools.cache
def _outlines(border: str, background: str) -> bool:
    return themes.contrast_ratio(border, background) >= OUTLINED


def edge_pen(p: themes.Palette) -> QPen | Qt.PenStyle:
    """The outline of tracks and boxes in look `p`. Their fills sit barely apart from the page
    (1.1–1.4:1), so in the looks that give every control a visible border (light, high
    contrast) they get one too, and the lifter sees where an emptying bar ends; dark keeps its
    borderless tracks."""
    if not _outlines(p.border, p.background):
        return Qt.PenStyle.NoPen
    return QPen(QColor(p.border), EDGE_WIDTH)


class PaceDisplay(QWidget):
    """Stateless painter: `show_state()` hands it a snapshot, `update()` repaints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MIN_WIDTH, MIN_HEIGHT)
        self.setAccessibleName("Set pacing display")
        self.state: SetState | None = None
        self.text = DisplayText("READY", "", "", "", "", "", "", "")
        self.marker = 1.0
        self.kind: PhaseKind | None = None

    def show_state(self, state: SetState | None, text: DisplayText, marker: float) -> None:
        self.state = state
        self.kind = state.kind if state is not None and state.started else None
        self.text = text
        self.marker = marker
        self.setAccessibleDescription(f"{text.headline}. {text.reps} {text.side}. {text.detail}")
        self.update()

    @property
    def style(self) -> PhaseStyle:
        return PHASE_STYLES.get(self.kind, IDLE_STYLE) if self.kind else IDLE_STYLE

    # --- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        p = themes.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = float(self.width()), float(self.height())
        painter.fillRect(self.rect(), QColor(p.background))
        colour = QColor(self.style.colour(p))
        margin = h * 0.03
        track_w = max(56.0, w * 0.07)
        main = QRectF(margin, margin, w - track_w - 3 * margin, h - 2 * margin)
        self._paint_top_row(painter, main, h, p)
        self._paint_headline(painter, main, h, colour, p)
        self._paint_bottom(painter, main, h, p)
        self._paint_metronome(painter, QRectF(w - track_w - margin, margin, track_w,
                                               h - 2 * margin), colour, p)
        painter.end()

    def _font(self, pixels: float, bold: bool = False) -> QFont:
        font = QFont(FONT_FAMILY)
        font.setPixelSize(max(10, round(pixels)))
        font.setBold(bold)
        return font

    def _fit(self, text: str, pixels: float, width: float, bold: bool = True) -> QFont:
        return fitted_font(text, pixels, width, bold=bold)

    def _paint_top_row(self, painter: QPainter, area: QRectF, h: float,
                       p: themes.Palette) -> None:
        """The side pill on the left, the reps on the right; on a narrow (portrait) display
        each is fitted to its share of the width, so the two never overlap."""
        row = QRectF(area.left(), area.top(), area.width(), h * 0.16)
        gap = area.width() * GAP
        reps_width = 0.0
        if self.text.reps:
            reps_room = area.width() * (0.5 if self.text.side else 1.0) - gap / 2
            reps_font = self._fit(self.text.reps, h * 0.13, reps_room)
            reps_width = QFontMetricsF(reps_font).horizontalAdvance(self.text.reps)
            painter.setFont(reps_font)
            painter.setPen(QColor(p.text))
            painter.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.text.reps)
        if self.text.side:
            pad = h * 0.06
            room = area.width() - reps_width - gap - pad
            side_font = self._fit(self.text.side, h * 0.07, room)
            metrics = QFontMetricsF(side_font)
            pill = QRectF(row.left(), row.top(), metrics.horizontalAdvance(self.text.side) + pad,
                          h * 0.11)
            is_one_leg = self.state is not None and self.state.side is not Side.BOTH
            painter.setPen(Qt.PenStyle.NoPen)
            # one leg: the switch colour, its text in the background colour (the same ratio)
            switch = themes.phase_colours(p).switch
            painter.setBrush(QColor(switch if is_one_leg else p.surface_high))
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.setFont(side_font)
            painter.setPen(QColor(p.background if is_one_leg else p.text))
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self.text.side)

    def _paint_headline(self, painter: QPainter, area: QRectF, h: float, colour: QColor,
                        p: themes.Palette) -> None:
        top = area.top() + h * 0.19
        icon = h * 0.16
        self._paint_shape(painter, QRectF(area.left(), top + h * 0.02, icon, icon), colour)
        text_left = area.left() + icon + h * 0.04
        text_rect = QRectF(text_left, top, area.right() - text_left, h * 0.22)
        painter.setFont(self._fit(self.text.headline, h * 0.19, text_rect.width()))
        painter.setPen(colour)
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.text.headline)
        # the phase bar: fills through the phase, with the seconds left at its end
        bar = QRectF(area.left(), top + h * 0.25, area.width(), h * 0.06)
        painter.setPen(edge_pen(p))
        painter.setBrush(QColor(p.surface_high))
        painter.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2)
        painter.setPen(Qt.PenStyle.NoPen)
        progress = self.state.progress if self.state is not None and self.kind else 0.0
        if progress > 0:
            filled = QRectF(bar.left(), bar.top(), max(bar.height(), bar.width() * progress),
                            bar.height())
            painter.setBrush(colour)
            painter.drawRoundedRect(filled, bar.height() / 2, bar.height() / 2)
        detail_rect = QRectF(area.left(), bar.bottom() + h * 0.015, area.width(), h * 0.09)
        gap = detail_rect.width() * GAP
        seconds_font = self._fit(self.text.seconds, h * 0.065, detail_rect.width() * 0.3)
        seconds_width = QFontMetricsF(seconds_font).horizontalAdvance(self.text.seconds)
        painter.setPen(QColor(p.text))
        room = min(detail_rect.width() * 0.8, detail_rect.width() - seconds_width - gap)
        painter.setFont(self._fit(self.text.detail, h * 0.065, room, bold=False))
        painter.drawText(detail_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.text.detail)
        if self.text.seconds:
            painter.setFont(seconds_font)
            painter.drawText(detail_rect,
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             self.text.seconds)

    def _paint_bottom(self, painter: QPainter, area: QRectF, h: float,
                      p: themes.Palette) -> None:
        coaching = QRectF(area.left(), area.top() + h * 0.62, area.width(), h * 0.14)
        painter.setBrush(QColor(p.surface))
        painter.setPen(edge_pen(p))
        if self.text.coaching:
            painter.drawRoundedRect(coaching, h * 0.02, h * 0.02)
            inner = coaching.adjusted(h * 0.03, 0, -h * 0.03, 0)
            painter.setFont(self._fit(self.text.coaching, h * 0.075, inner.width()))
            painter.setPen(QColor(p.text))
            painter.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.text.coaching)
        last = QRectF(area.left(), coaching.bottom() + h * 0.02, area.width(),
                      area.bottom() - coaching.bottom() - h * 0.02)
        # The tension time on the right keeps its size; the next cue takes what is left.
        gap = last.width() * GAP
        tension_font = self._fit(self.text.tension, h * 0.06, last.width() * 0.45)
        tension_width = (QFontMetricsF(tension_font).horizontalAdvance(self.text.tension)
                         if self.text.tension else 0.0)
        painter.setPen(QColor(p.text_dim))
        painter.setFont(self._fit(self.text.next_cue, h * 0.06,
                                  min(last.width() * 0.62, last.width() - tension_width - gap),
                                  bold=False))
        painter.drawText(last, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.text.next_cue)
        painter.setFont(tension_font)
        painter.setPen(QColor(p.text))
        painter.drawText(last, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         self.text.tension)

    def _paint_metronome(self, painter: QPainter, track: QRectF, colour: QColor,
                         p: themes.Palette) -> None:
        rail = QRectF(track.center().x() - track.width() * 0.12, track.top(),
                      track.width() * 0.24, track.height())
        painter.setPen(edge_pen(p))
        painter.setBrush(QColor(p.surface_high))
        painter.drawRoundedRect(rail, rail.width() / 2, rail.width() / 2)
        radius = track.width() * 0.45
        y = track.bottom() - radius - (track.height() - 2 * radius) * self.marker
        painter.setBrush(colour)
        painter.setPen(QPen(QColor(p.background), 3))
        painter.drawEllipse(QPointF(track.center().x(), y), radius, radius)

    def _paint_shape(self, painter: QPainter, box: QRectF, colour: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        shape = self.style.shape
        path = QPainterPath()
        if shape == "down":
            path.moveTo(box.topLeft())
            path.lineTo(box.topRight())
            path.lineTo(QPointF(box.center().x(), box.bottom()))
        elif shape == "up":
            path.moveTo(box.bottomLeft())
            path.lineTo(box.bottomRight())
            path.lineTo(QPointF(box.center().x(), box.top()))
        elif shape == "square":
            inset = box.width() * 0.12
            path.addRoundedRect(box.adjusted(inset, inset, -inset, -inset), 6, 6)
        elif shape == "check":
            pen = QPen(colour, box.width() * 0.16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                       Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline([
                QPointF(box.left() + box.width() * 0.12, box.center().y()),
                QPointF(box.left() + box.width() * 0.42, box.bottom() - box.height() * 0.15),
                QPointF(box.right() - box.width() * 0.08, box.top() + box.height() * 0.15),
            ])
            return
        elif shape == "switch":
            pen = QPen(colour, box.width() * 0.12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            third = box.height() / 3
            for y, direction in ((box.top() + third, 1), (box.bottom() - third, -1)):
                start = box.left() if direction == 1 else box.right()
                end = box.right() if direction == 1 else box.left()
                painter.drawLine(QPointF(start, y), QPointF(end, y))
                painter.drawLine(QPointF(end, y), QPointF(end - direction * third, y - third / 1.5))
            return
        else:  # ring: waiting or counting down
            pen = QPen(colour, box.width() * 0.12)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            inset = box.width() * 0.12
            painter.drawEllipse(box.adjusted(inset, inset, -inset, -inset))
            return
        path.closeSubpath()
        painter.drawPath(path)
