"""IndicatorChecklist: the ILO Indicators of Forced Labour (2012) as a checklist for a case.

A thin view over trafficking_course.law.indicators: it shows which indicators are ticked and the
summary text, which always says (once) that indicators point to forced labour but do not
establish it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.law.indicators import INDICATORS, summarise
from trafficking_course.widgets._common import ActivityWidget, live_html


class IndicatorChecklist(ActivityWidget):
    def __init__(self, case_text: str | None = None):
        self.progress, self.key = None, "indicators"
        self.case_text = case_text
        self.boxes: dict[str, w.Checkbox] = {}
        rows = []
        for ind in INDICATORS:
            box = w.Checkbox(value=False, description=ind.name, indent=False,
                             tooltip=ind.description, layout=w.Layout(width="15em"))
            box.observe(self._on_change, names="value")
            self.boxes[ind.key] = box
            rows.append(w.HBox([box, w.HTML(f"<small>{html.escape(ind.description)}</small>",
                                            layout=w.Layout(flex="1 1 20em"))],
                               layout=w.Layout(flex_flow="row wrap", align_items="center")))
        self.summary_html = w.HTML(layout=w.Layout(width="auto"))
        self.summary_html.add_class("tc-feedback")
        case = [w.HTML(f"<h3>The case</h3><p>{html.escape(case_text, quote=False)}</p>")] \
            if case_text else []
        super().__init__([*case, w.HTML("<b>Tick each indicator the case shows.</b>"),
                          *rows, self.summary_html],
                         css_class="tc-indicator-checklist")
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

    def _on_change(self, _change: object = None) -> None:
        self.summary_html.value = live_html(self.summary)
