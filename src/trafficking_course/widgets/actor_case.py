"""ActorCaseActivity: read the evidence, judge each person of a case on their own conduct.

For each actor (a recruiter, a driver, an employer) the student ticks the elements of Art. 3(a)
that person's own conduct shows and chooses what it amounts to; "Check" marks every actor,
element by element, and the feedback names the evidence for each element. Marking and feedback
come from trafficking_course.content.actor_cases; the answers are saved and restored.

    from trafficking_course.widgets.actor_case import ActorCaseActivity
    ActorCaseActivity.load("who-trafficked-her", progress=progress)
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.actor_cases import (
    JUDGED,
    ActorCaseRecord,
    ActorResult,
    actor_feedback,
    grade_case,
    load_actor_case,
    load_actor_case_file,
)
from trafficking_course.content.classification import ELEMENT_LABELS
from trafficking_course.content.evidence import evidence_text
from trafficking_course.law import ELEMENT_NAMES, VERDICTS
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    heading,
    live_html,
    load_record,
    result_html,
    text_to_html,
)

#: What each element asks of one person's conduct, beside its checkbox.
JUDGED_LABELS: dict[str, str] = {
    "act": f"{ELEMENT_NAMES['act']}: this person did one of the acts "
           f"({ELEMENT_LABELS['act']})",
    "means": f"{ELEMENT_NAMES['means']}: this person used one of the means to secure that act",
    "purpose": f"{ELEMENT_NAMES['purpose']}: when they did the act, this person did it for "
               "the purpose of exploitation (by them or by another)",
}


class _ActorPanel(w.VBox):
    """One actor's controls: the elements ticked, the verdict, the feedback."""

    def __init__(self, actor_id: str, name: str):
        self.actor_id = actor_id
        self.boxes = {k: w.Checkbox(value=False, description=JUDGED_LABELS[k], indent=False,
                                    layout=w.Layout(width="auto")) for k in JUDGED}
        self.verdict = w.RadioButtons(
            options=[(label, key) for key, label in VERDICTS.items()], index=None,
            description=f"What does the conduct of {name} amount to?",
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.verdict.add_class("tc-stacked")
        self.feedback = feedback_widget()
        super().__init__([heading(name[:1].upper() + name[1:], 4), *self.boxes.values(),
                          self.verdict, self.feedback],
                         layout=w.Layout(border="1px solid #888", padding="0 0.6em",
                                         margin="0 0 0.6em 0"))
        self.add_class("tc-actor")

    def answer(self) -> dict[str, Any]:
        return {"elements": [k for k, b in self.boxes.items() if b.value],
                "verdict": self.verdict.value}

    def restore(self, saved: dict[str, Any]) -> None:
        for key, box in self.boxes.items():
            box.value = key in saved.get("elements", ())
        if saved.get("verdict") in VERDICTS:
            self.verdict.value = saved["verdict"]

    def show(self, result: ActorResult) -> None:
        kind = "correct" if result.correct else "partly" if result.verdict_right else "wrong"
        head, *detail = actor_feedback(result).splitlines()
        self.feedback.value = result_html("info" if result.verdict is None else kind, head,
                                          "\n".join(detail))


class ActorCaseActivity(ActivityWidget):
    """A case of several people: the evidence, then one panel per actor, one Check."""

    def __init__(self, record: ActorCaseRecord, *, progress: ProgressStore | None = None):
        self.record = record
        saved = self.init_progress(progress, f"actor-case:{record.id}")
        self.panels = {a.id: _ActorPanel(a.id, a.name) for a in record.actors}
        self.check_button = w.Button(
            description="Check my reasoning", icon="check", button_style="primary",
            tooltip="Check each person's elements and verdict against the evidence")
        self.check_button.on_click(self._on_check)
        self.summary = feedback_widget()
        self.checked = False
        super().__init__([
            heading(record.title),
            w.HTML(f"<p>{html.escape(record.narrative, quote=False)}</p>"
                   f"<p><small><em>{html.escape(record.provenance_line, quote=False)}"
                   "</em></small></p>"),
            w.HTML("<p><b>The evidence</b></p><div class=\"tc-evidence\">"
                   f"{text_to_html(evidence_text(record.evidence))}</div>"),
            w.HTML(f"<p><b>{html.escape(record.question, quote=False)}</b></p>"),
            *self.panels.values(),
            self.check_button,
            self.summary,
        ], css_class="tc-actor-case")
        for actor_id, answer in saved.get("answers", {}).items():
            if actor_id in self.panels and isinstance(answer, dict):
                self.panels[actor_id].restore(answer)
        if saved.get("checked"):
            self._mark()

    @classmethod
    def load(cls, case_id: str, progress: ProgressStore | None = None) -> ActorCaseActivity:
        """The case data/actor_cases/<case_id>.yaml (or a path to a case file)."""
        return cls(load_record(case_id, load_actor_case, load_actor_case_file),
                   progress=progress)

    def answers(self) -> dict[str, dict[str, Any]]:
        return {actor_id: panel.answer() for actor_id, panel in self.panels.items()}

    @property
    def state(self) -> dict[str, Any]:
        result = grade_case(self.record, self.answers()) if self.checked else None
        return {
            "answers": self.answers(),
            "checked": self.checked,
            "right": {a.actor_id: a.correct for a in result.actors} if result else {},
            "score": result.score if result else 0,
            "total": len(self.record.actors),
        }

    def _mark(self) -> None:
        self.checked = True
        result = grade_case(self.record, self.answers())
        for actor in result.actors:
            self.panels[actor.actor_id].show(actor)
        answered = sum(1 for a in result.actors if a.verdict is not None)
        text = (f"Judged right, verdict and every element: {result.score} of "
                f"{len(result.actors)} people.")
        if answered < len(result.actors):
            text += f" {len(result.actors) - answered} still to judge."
        else:
            text += f" {self.record.discussion}"
        self.summary.value = live_html(text)

    def _on_check(self, _button: object = None) -> None:
        self._mark()
        self.save()
