"""ActorCaseActivity: read the evidence, find the facts, judge each person on their own conduct.

Step 1 (if the case lists findings): for each proposition of fact the student chooses whether
the evidence establishes it and ticks the evidence that supports that answer; "Check the facts"
marks each finding and gives the evidence that bears on it and the reason. Step 2: for each
actor (a recruiter, a driver, an employer) the student ticks the elements of Art. 3(a) that
person's own conduct shows and chooses what it amounts to; "Check" marks every actor,
element by element, and the feedback names the evidence for each element. Marking and feedback
come from trafficking_course.content.actor_cases (and content.findings); step 2's feedback
notes a finding the student judged wrongly that an element rests on. The answers of both steps
are saved and restored.

    from trafficking_course.widgets.actor_case import ActorCaseActivity
    ActorCaseActivity.load("who-trafficked-her", progress=progress)
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from trafficking_course.content.actor_cases import (
    JUDGED,
    ActorCaseRecord,
    ActorResult,
    actor_feedback,
    finding_notes,
    grade_case,
    grade_case_findings,
    load_actor_case,
    load_actor_case_file,
)
from trafficking_course.content.classification import ELEMENT_LABELS
from trafficking_course.content.evidence import Evidence, evidence_text
from trafficking_course.content.findings import (
    CHOICES,
    Finding,
    FindingResult,
    finding_feedback,
)
from trafficking_course.law import ELEMENT_NAMES, VERDICTS
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    heading,
    live_html,
    load_record,
    result_html,
    score_text,
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


class _FindingPanel(w.VBox):
    """One finding of fact: the proposition, established or not, the evidence cited, feedback."""

    def __init__(self, number: int, finding: Finding, evidence: tuple[Evidence, ...]):
        self.finding_id = finding.id
        self.choice = w.RadioButtons(
            options=[(label, value) for value, label in CHOICES.items()], index=None,
            description=f"Fact {number}: does the evidence establish it?",
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.choice.add_class("tc-stacked")
        # one checkbox per item, labelled by the item; the tooltip names the fact it is for
        self.boxes = {e.id: w.Checkbox(value=False, description=e.label, indent=False,
                                       tooltip=f"Evidence for your answer on fact {number}",
                                       layout=w.Layout(width="19em"))
                      for e in evidence}
        self.feedback = feedback_widget()
        super().__init__([
            w.HTML(f"<p><b>Fact {number}.</b> "
                   f"{html.escape(finding.proposition, quote=False)}</p>"),
            self.choice,
            w.HTML("<small>Tick the evidence that supports your answer (none, if nothing "
                   "does):</small>"),
            w.Box(list(self.boxes.values()), layout=w.Layout(flex_flow="row wrap")),
            self.feedback,
        ], layout=w.Layout(border="1px solid #888", padding="0 0.6em", margin="0 0 0.6em 0"))
        self.add_class("tc-finding")

    def answer(self) -> dict[str, Any]:
        return {"established": self.choice.value,
                "evidence": [i for i, b in self.boxes.items() if b.value]}

    def restore(self, saved: dict[str, Any]) -> None:
        for evidence_id, box in self.boxes.items():
            box.value = evidence_id in saved.get("evidence", ())
        if isinstance(saved.get("established"), bool):
            self.choice.value = saved["established"]

    def show(self, result: FindingResult, name: Callable[[str], str]) -> None:
        head, *detail = finding_feedback(result, name).splitlines()
        self.feedback.value = result_html(result.kind, head, "\n".join(detail))


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

    def show(self, result: ActorResult, notes: tuple[str, ...] = ()) -> None:
        kind = "correct" if result.correct else "partly" if result.verdict_right else "wrong"
        head, *detail = actor_feedback(result, notes).splitlines()
        self.feedback.value = result_html("info" if result.verdict is None else kind, head,
                                          "\n".join(detail))


class ActorCaseActivity(ActivityWidget):
    """A case of several people: the evidence; step 1, the facts (if the case lists findings);
    step 2, one panel per actor and one Check."""

    def __init__(self, record: ActorCaseRecord, *, progress: ProgressStore | None = None):
        self.record = record
        saved = self.init_progress(progress, f"actor-case:{record.id}")
        self.finding_panels = {f.id: _FindingPanel(n, f, record.evidence)
                               for n, f in enumerate(record.findings, start=1)}
        self.panels = {a.id: _ActorPanel(a.id, a.name) for a in record.actors}
        self.check_button = w.Button(
            description="Check my reasoning", icon="check", button_style="primary",
            tooltip="Check each person's elements and verdict against the evidence")
        self.check_button.on_click(self._on_check)
        self.facts_button = w.Button(
            description="Check the facts", icon="check", button_style="primary",
            tooltip="Check which facts you found established and the evidence you cited")
        self.facts_button.on_click(self._on_check_facts)
        self.summary = feedback_widget()
        self.facts_summary = feedback_widget()
        self.checked = self.facts_checked = False
        super().__init__([
            heading(record.title),
            w.HTML(f"<p>{html.escape(record.narrative, quote=False)}</p>"
                   f"<p><small><em>{html.escape(record.provenance_line, quote=False)}"
                   "</em></small></p>"),
            w.HTML("<p><b>The evidence</b></p><div class=\"tc-evidence\">"
                   f"{text_to_html(evidence_text(record.evidence))}</div>"),
            *self._step_one(),
            *self._step_two_heading(),
            w.HTML(f"<p><b>{html.escape(record.question, quote=False)}</b></p>"),
            *self.panels.values(),
            self.check_button,
            self.summary,
        ], css_class="tc-actor-case")
        self._restore(saved)

    def _step_one(self) -> list[w.Widget]:
        if not self.finding_panels:
            return []
        return [heading("Step 1: which facts does the evidence establish?", 4),
                w.HTML("<p>Before applying the law, decide each fact a court would have to "
                       "find: does the evidence establish it? Tick the evidence that supports "
                       "your answer. You may go on to step 2 at any time.</p>"),
                *self.finding_panels.values(), self.facts_button, self.facts_summary]

    def _step_two_heading(self) -> list[w.Widget]:
        if not self.finding_panels:
            return []
        return [heading("Step 2: what does each person's conduct amount to?", 4)]

    def _restore(self, saved: dict[str, Any]) -> None:
        for actor_id, answer in saved.get("answers", {}).items():
            if actor_id in self.panels and isinstance(answer, dict):
                self.panels[actor_id].restore(answer)
        facts = saved.get("facts", {})
        facts = facts if isinstance(facts, dict) else {}
        for finding_id, answer in facts.get("answers", {}).items():
            if finding_id in self.finding_panels and isinstance(answer, dict):
                self.finding_panels[finding_id].restore(answer)
        if facts.get("checked") and self.finding_panels:
            self._mark_facts()
        if saved.get("checked"):
            self._mark()

    @classmethod
    def load(cls, case_id: str, progress: ProgressStore | None = None) -> ActorCaseActivity:
        """The case data/actor_cases/<case_id>.yaml (or a path to a case file)."""
        return cls(load_record(case_id, load_actor_case, load_actor_case_file),
                   progress=progress)

    def answers(self) -> dict[str, dict[str, Any]]:
        return {actor_id: panel.answer() for actor_id, panel in self.panels.items()}

    def findings(self) -> dict[str, dict[str, Any]]:
        """The student's findings: finding id -> {"established": ..., "evidence": [...]}."""
        return {finding_id: panel.answer() for finding_id, panel in self.finding_panels.items()}

    @property
    def state(self) -> dict[str, Any]:
        result = grade_case(self.record, self.answers()) if self.checked else None
        facts = grade_case_findings(self.record, self.findings()) \
            if self.facts_checked else None
        return {
            "answers": self.answers(),
            "checked": self.checked,
            "right": {a.actor_id: a.correct for a in result.actors} if result else {},
            "score": result.score if result else 0,
            "total": len(self.record.actors),
            "facts": {
                "answers": self.findings(),
                "checked": self.facts_checked,
                "right": {f.finding.id: f.correct for f in facts.findings} if facts else {},
                "score": facts.score if facts else 0,
                "total": len(self.record.findings),
            },
        }

    def _mark_facts(self) -> None:
        self.facts_checked = True
        result = grade_case_findings(self.record, self.findings())
        for finding in result.findings:
            self.finding_panels[finding.finding.id].show(finding, self.record.name)
        total = len(result.findings)
        kind = "correct" if result.score == total else "partly" if result.score else "wrong"
        text = (score_text(result.score, result.answered, total, "fact") + " A fact counts "
                "as right when your answer and the evidence you cited are both right.")
        self.facts_summary.value = result_html(
            "info" if result.answered < total else kind, text)

    def _mark(self) -> None:
        self.checked = True
        result = grade_case(self.record, self.answers())
        findings = self.findings()
        for actor in result.actors:
            self.panels[actor.actor_id].show(
                actor, finding_notes(self.record, actor.actor_id, findings))
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

    def _on_check_facts(self, _button: object = None) -> None:
        self._mark_facts()
        self.save()
