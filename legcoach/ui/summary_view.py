"""The end of a workout: how long, how much, what improved, compared with last time."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from legcoach.core.summary import SessionSummary
from legcoach.ui.theme import ACCENT
from legcoach.ui.widgets import button, label


def summary_html(summary: SessionSummary) -> str:
    rows = "".join(
        f"<tr><td><b>{escape(e.name)}</b></td><td align='right'>{e.sets}</td>"
        f"<td align='right'>{e.reps}</td><td align='right'>{e.volume_kg:,.0f} kg</td>"
        f"<td>{escape(e.best_set)}</td><td>{escape(e.change_text)}</td></tr>"
        for e in summary.exercises
    )
    table = (
        "<table width='100%' cellspacing='0' cellpadding='8'>"
        "<tr><th align='left'>Exercise</th><th align='right'>Sets</th>"
        "<th align='right'>Reps</th><th align='right'>Volume</th><th align='left'>Best set</th>"
        f"<th align='left'>Compared with last time</th></tr>{rows}</table>"
    ) if summary.exercises else "<p>No sets were logged in this workout.</p>"
    records = ""
    if summary.records:
        items = "".join(f"<li>{escape(text)}</li>" for text in summary.records)
        records = f"<h3 style='color:{ACCENT}'>Records</h3><ul>{items}</ul>"
    return (f"<p style='font-size:26px'><b>{summary.duration_text}</b> · "
            f"<b>{summary.total_volume_kg:,.0f} kg</b> total volume</p>{table}{records}")


class SummaryView(QWidget):
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Workout summary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 16)
        self.title_label = label("", "h1")
        layout.addWidget(self.title_label)
        self.body = QTextBrowser()
        self.body.setAccessibleName("Summary details")
        layout.addWidget(self.body, 1)
        self.done_button = button("Done  ✓", role="primary", accessible="Close the summary",
                                  min_height=80)
        self.done_button.clicked.connect(self.done)
        layout.addWidget(self.done_button)
        self.summary: SessionSummary | None = None

    def show_summary(self, summary: SessionSummary) -> None:
        self.summary = summary
        self.title_label.setText(f"Workout done: {summary.title}")
        self.body.setHtml(summary_html(summary))
        self.done_button.setFocus()
