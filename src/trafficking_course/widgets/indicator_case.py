"""IndicatorCaseChecklist: the ILO indicator checklist for a case with an answer key.

Wraps IndicatorChecklist (the ticks and the running summary, which carries the caveat) and
adds a "Compare with the key" button whose feedback comes from
trafficking_course.content.indicator_cases.compare(). The ticks and the comparison are saved
in the learner's progress file and restored on the next visit.

    from trafficking_course.widgets.indicator_case import IndicatorCaseChecklist
    IndicatorCaseChecklist.load("07-live-in-carer", progress=progress)
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.indicator_cases import (
    CaseComparison,
    IndicatorCase,
    compare,
    load_case,
    load_case_file,
)
from trafficking_course.law.indicators import CAVEAT
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    load_record,
    result_html,
)
from trafficking_course.widgets.checklist import IndicatorChecklist


class IndicatorCaseChecklist(ActivityWidget):
    def __init__(self, case: IndicatorCase, *, progress: ProgressStore | None = None):
        self.case = case
        saved = self.init_progress(progress, f"indicators:{case.id}")
        self.result: CaseComparison | None = None
        self.checklist = IndicatorChecklist(case_text=f"{case.text} ({case.provenance_line}.)")
        self.compare_button = w.Button(
            description="Compare with the key", icon="check", button_style="primary",
            tooltip="Compare the indicators you ticked with the ones the case shows",
            layout=w.Layout(width="auto", align_self="flex-start"))
        self.compare_button.on_click(self._on_compare)
        self.feedback = feedback_widget()
        super().__init__([w.HTML(f"<h3>{html.escape(case.title, quote=False)}</h3>"),
                          self.checklist, self.compare_button, self.feedback],
                         css_class="tc-indicator-case")
        for key in saved.get("present", []):
            if key in self.checklist.boxes:
                self.checklist.boxes[key].value = True
        if saved.get("checked"):
            self._mark()

    @classmethod
    def load(cls, case_id: str, progress: ProgressStore | None = None
             ) -> IndicatorCaseChecklist:
        """The case data/indicator_cases/<case_id>.yaml (or a path to a case file)."""
        return cls(load_record(case_id, load_case, load_case_file), progress=progress)

    @property
    def state(self) -> dict[str, Any]:
        r = self.result
        return {"present": self.checklist.present(), "checked": r is not None,
                "matched": list(r.matched) if r else [], "missed": list(r.missed) if r else [],
                "extra": list(r.extra) if r else [], "score": r.score if r else 0,
                "total": len(self.case.found)}

    def _mark(self) -> None:
        self.result = r = compare(self.case, self.checklist.present())
        head, *rest = r.text.splitlines()
        # the caveat is in the running summary just above: said once
        detail = "\n".join(line for line in rest if not line.startswith(CAVEAT))
        kind = "correct" if not r.missed and not r.extra else "partly" if r.matched else "wrong"
        self.feedback.value = result_html(kind, head, detail)

    def _on_compare(self, _button: object = None) -> None:
        self._mark()
        self.save()
