"""ScenarioClassifier: read a scenario, tick the elements present, pick a verdict, get feedback.

A thin view: marking and feedback text come from trafficking_course.content.classification; the
scenarios from trafficking_course.content.scenarios. The state (answers, score) is plain Python.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from trafficking_course.content.classification import (
    ELEMENT_LABELS,
    ClassificationResult,
    ElementFeedback,
    detail_text,
    grade,
    headline,
)
from trafficking_course.content.scenarios import Scenario, ScenarioBank, load_scenarios
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ELEMENT_NAMES, ELEMENTS, VERDICTS
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    live_html,
    result_html,
    score_text,
)


def select_scenarios(scenarios: Iterable[Scenario] | ScenarioBank | None = None, *,
                     topic: str | None = None, difficulty: str | None = None,
                     tags: Iterable[str] = (), ids: list[str] | None = None,
                     n: int | None = None, seed: int | None = None) -> list[Scenario]:
    """The scenarios of a round: filtered, shuffled by seed (bank order without a seed), first n."""
    if scenarios is None:
        bank = load_scenarios()
    elif isinstance(scenarios, ScenarioBank):
        bank = scenarios
    else:
        bank = ScenarioBank(list(scenarios))
    filters: dict[str, Any] = {"topic": topic, "difficulty": difficulty, "tags": tuple(tags),
                               "ids": ids}
    if seed is None:
        chosen = bank.filter(**filters)
        chosen = chosen if n is None else chosen[:n]
    else:
        chosen = bank.sample(n, seed=seed, **filters)
    if not chosen:
        shown = ", ".join(f"{k}={v!r}" for k, v in filters.items() if v)
        raise ScenarioError(f"no scenario matches {shown or 'the filters'}", field="topic")
    return chosen


def default_key(**filters: Any) -> str:
    """The progress key of a round: every filter that chose its scenarios, ids included, so
    two rounds in one notebook keep their own answers."""
    parts = []
    for name, value in filters.items():
        if isinstance(value, list | tuple):
            value = ",".join(value)
        if value not in (None, ""):
            parts.append(f"{name}={value}")
    return "classifier:" + ":".join(parts)


def _evidence_html(s: Scenario) -> str:
    """The scenario's evidence, item by item, and its question, if it has them."""
    out = ""
    if s.evidence:
        items = "".join(f"<li><b>{html.escape(e.citation, quote=False)}</b>: "
                        f"{html.escape(e.text, quote=False)}</li>" for e in s.evidence)
        # folded, so that the case, the checkboxes and Check fit a laptop screen as before;
        # the feedback names these items, element by element
        out += (f"<details class=\"tc-evidence\"><summary><b>The evidence, item by item</b> "
                f"({len(s.evidence)} items: the feedback cites them)</summary><ul>{items}</ul>"
                "</details>")
    if s.question:
        out += f"<p><b>{html.escape(s.question, quote=False)}</b></p>"
    return out


def _mark_html(e: ElementFeedback | None) -> str:
    if e is None:
        return ""
    kind = "right" if e.agrees else "wrong"
    icon = "✔" if e.agrees else "✘"
    return (f'<span class="tc-mark tc-mark-{kind}"><span aria-hidden="true">{icon}</span> '
            f"{html.escape(e.mark, quote=False)}</span>")


class ScenarioClassifier(ActivityWidget):
    """A classification round over scenarios of the bank (see select_scenarios for filters)."""

    def __init__(self, scenarios=None, *, topic=None, difficulty=None, tags=(), ids=None,
                 n=None, seed=None, progress: ProgressStore | None = None,
                 key: str | None = None):
        self.scenarios = select_scenarios(scenarios, topic=topic, difficulty=difficulty,
                                          tags=tags, ids=ids, n=n, seed=seed)
        saved = self.init_progress(progress, key or default_key(
            topic=topic, difficulty=difficulty, tags=tags, ids=ids, n=n, seed=seed))
        round_ids = {s.id for s in self.scenarios}
        self.answers: dict[str, dict[str, Any]] = {
            sid: dict(a) for sid, a in saved.get("answers", {}).items() if sid in round_ids}
        self.index = 0
        self.scenario_html = w.HTML(layout=w.Layout(width="auto"))
        self.element_boxes: dict[str, w.Checkbox] = {}
        self.element_marks: dict[str, w.HTML] = {}
        groups = [self._element_group(offence, title) for offence, title in (
            ("trafficking", "Trafficking Protocol, Art. 3(a)"),
            ("smuggling", "Smuggling Protocol, Art. 3(a)"))]
        self.verdict = w.RadioButtons(
            options=[(label, key) for key, label in VERDICTS.items()], index=None,
            description="Verdict:", tooltip="Which offence do the facts show?",
            orientation="horizontal", layout=w.Layout(width="auto"))
        self._make_buttons()
        # the result line sits beside the buttons, so it is in view where Check was pressed;
        # the detail follows below
        self.result_line = w.HTML(layout=w.Layout(margin="0 0 0 1em"))
        self.result_line.add_class("tc-result-line")
        self.feedback = feedback_widget()
        self.score_html = w.HTML()
        self.score_html.add_class("tc-score")
        super().__init__([
            self.scenario_html,
            self.score_html,
            w.HTML("<b>Tick each element the facts show, then choose a verdict.</b>"),
            w.HBox(groups, layout=w.Layout(flex_flow="row wrap")),
            self.verdict,
            w.HBox([self.previous_button, self.check_button, self.next_button,
                    self.result_line], layout=w.Layout(flex_flow="row wrap",
                                                       align_items="center")),
            self.feedback,
        ], css_class="tc-scenario-classifier")
        unanswered = [i for i, s in enumerate(self.scenarios) if s.id not in self.answers]
        self.show(unanswered[0] if unanswered else 0)

    def _element_group(self, offence: str, title: str) -> w.VBox:
        rows: list[w.Widget] = [w.HTML(f"<b>Elements of {html.escape(title)}</b>")]
        for key in ELEMENTS[offence]:
            box = w.Checkbox(value=False, description=ELEMENT_NAMES[key], indent=False,
                             tooltip=ELEMENT_LABELS[key], layout=w.Layout(width="auto"))
            self.element_boxes[key] = box
            self.element_marks[key] = w.HTML()
            # the mark goes on the checkbox's own line; what the element covers, below it
            line = w.HBox([box, self.element_marks[key]],
                          layout=w.Layout(flex_flow="row wrap", align_items="center"))
            line.add_class("tc-element-line")
            rows.append(w.VBox([line, w.HTML(
                f"<small>{html.escape(ELEMENT_LABELS[key])}</small>",
                layout=w.Layout(margin="-0.4em 0 0.2em 1.6em"))]))
        return w.VBox(rows, layout=w.Layout(width="32em", margin="0 1.5em 0.5em 0"))

    def _make_buttons(self) -> None:
        self.check_button = w.Button(description="Check answer", button_style="primary",
                                     tooltip="Check the elements you ticked and your verdict",
                                     icon="check")
        self.previous_button = w.Button(description="Previous scenario",
                                        tooltip="Go back to the previous scenario of this round",
                                        icon="arrow-left")
        self.next_button = w.Button(description="Next scenario",
                                    tooltip="Go on to the next scenario of this round",
                                    icon="arrow-right")
        self.check_button.on_click(self._on_check)
        self.previous_button.on_click(self._on_previous)
        self.next_button.on_click(self._on_next)

    # -- model ---------------------------------------------------------------------------------
    @property
    def current(self) -> Scenario:
        return self.scenarios[self.index]

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers.values() if a["correct"])

    @property
    def state(self) -> dict[str, Any]:
        return {
            "answers": {sid: {"elements": list(a["elements"]), "verdict": a["verdict"],
                              "correct": a["correct"]} for sid, a in self.answers.items()},
            "score": self.score,
            "answered": len(self.answers),
            "total": len(self.scenarios),
        }

    def ticked(self) -> list[str]:
        return [k for k, box in self.element_boxes.items() if box.value]

    # -- view ----------------------------------------------------------------------------------
    def show(self, index: int) -> None:
        """Show scenario number index (0-based) with its saved answer, if any."""
        self.index = index % len(self.scenarios)
        s = self.current
        self.scenario_html.value = (
            f"<h3>Scenario {self.index + 1} of {len(self.scenarios)}: "
            f"{html.escape(s.title, quote=False)}</h3>"
            f"<p>{html.escape(s.narrative, quote=False)}</p>"
            f"{_evidence_html(s)}"
            f"<p><small><em>{html.escape(s.provenance_line, quote=False)}</em></small></p>")
        saved = self.answers.get(s.id)
        for key, box in self.element_boxes.items():
            box.value = bool(saved and key in saved["elements"])
        self.verdict.value = saved["verdict"] if saved else None
        self._show_result(grade(s, saved["elements"], saved["verdict"]) if saved else None)
        self._show_score()

    def _show_result(self, result: ClassificationResult | None) -> None:
        by_key = {e.key: e for e in result.elements} if result and result.verdict else {}
        for key, mark in self.element_marks.items():
            mark.value = _mark_html(by_key.get(key))
        self.feedback.value = ""
        if result is None:
            self.result_line.value = ""
        elif result.verdict is None:
            self.result_line.value = result_html("info", headline(result))
        else:
            kind = "correct" if result.correct else "wrong"
            self.result_line.value = result_html(kind, headline(result))
            self.feedback.value = live_html(detail_text(result))

    def _show_score(self) -> None:
        text = score_text(self.score, len(self.answers), len(self.scenarios), "scenario")
        self.score_html.value = f"<p><small>{text}</small></p>"

    # -- handlers: delegate to the model -------------------------------------------------------
    def _on_check(self, _button=None) -> None:
        result = grade(self.current, self.ticked(), self.verdict.value)
        self._show_result(result)
        if result.verdict is None:
            return
        self.answers[self.current.id] = {"elements": list(result.elements_ticked),
                                         "verdict": result.verdict, "correct": result.correct}
        self._show_score()
        self.save()

    def _on_next(self, _button=None) -> None:
        self.show(self.index + 1)

    def _on_previous(self, _button=None) -> None:
        self.show(self.index - 1)
