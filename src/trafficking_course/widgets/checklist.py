"""IndicatorChecklist: the ILO Indicators of Forced Labour (2012) as a checklist for a case.

A thin view over trafficking_course.law.indicators: it shows which indicators are ticked and the
summary text, which always says that indicators point to forced labour but do not establish it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.law.indicators import CAVEAT, INDICATORS, SOURCE, summarise
from trafficking_course.widgets._common import live_html


class IndicatorChecklist(w.VBox):
    def __init__(self, case_text: str | None = None):
        self.case_text = case_text
        self.boxes: dict[str, w.Checkbox] = {}
        rows = []
        for ind in INDICATORS:
            box = w.Checkbox(value=False, description=ind.name, indent=False,
                             tooltip=ind.description, layout=w.Layout(width="auto"))
            box.observe(self._on_change, names="value")
            self.boxes[ind.key] = box
            rows.append(w.HBox([box, w.HTML(f"<small>{html.escape(ind.description)}</small>")]))
        self.summary_html = w.HTML(layout=w.Layout(width="auto"))
        self.summary_html.add_class("tc-feedback")
        case = [w.HTML(f"<h3>The case</h3><p>{html.escape(case_text, quote=False)}</p>")] \
            if case_text else []
        super().__init__([
            *case,
            w.HTML(f"<b>Tick each indicator the case shows.</b> <small>{html.escape(CAVEAT)} "
                   f"Source: {html.escape(SOURCE)}.</small>"),
            *rows,
            self.summary_html,
        ])
        self.add_class("tc-indicator-checklist")
        self._on_change()

    def present(self) -> list[str]:
        return [k for k, b in self.boxes.items() if b.value]

    @property
    def summary(self) -> str:
        return summarise(self.present()).text

    @property
    def state(self) -> dict[str, Any]:
        return {"present": self.present(), "count": len(self.present()),
                "summary": self.summary}

    def _on_change(self, _change=None) -> None:
        self.summary_html.value = live_html(self.summary)
