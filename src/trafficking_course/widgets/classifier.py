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
    ELEMENT_NAMES,
    feedback_text,
    grade,
    score_line,
)
from trafficking_course.content.scenarios import Scenario, ScenarioBank, load_scenarios
from trafficking_course.errors import ScenarioError
from trafficking_course.law import ELEMENTS, VERDICTS
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import feedback_widget, live_html


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
    filters = {"topic": topic, "difficulty": difficulty, "tags": tuple(tags), "ids": ids}
    if seed is None:
        chosen = bank.filter(**filters)
        chosen = chosen if n is None else chosen[:n]
    else:
        chosen = bank.sample(n, seed=seed, **filters)
    if not chosen:
        shown = ", ".join(f"{k}={v!r}" for k, v in filters.items() if v)
        raise ScenarioError(f"no scenario matches {shown or 'the filters'}", field="topic")
    return chosen


class ScenarioClassifier(w.VBox):
    """A classification round over scenarios of the bank (see select_scenarios for filters)."""

    def __init__(self, scenarios=None, *, topic=None, difficulty=None, tags=(), ids=None,
                 n=None, seed=None, progress: ProgressStore | None = None,
                 key: str | None = None):
        self.scenarios = select_scenarios(scenarios, topic=topic, difficulty=difficulty,
                                          tags=tags, ids=ids, n=n, seed=seed)
        self.progress = progress
        self.key = key or "classifier:" + ":".join(
            f"{k}={v}" for k, v in (("topic", topic), ("difficulty", difficulty),
                                    ("tags", ",".join(tags)), ("n", n), ("seed", seed))
            if v not in (None, ""))
        self.answers: dict[str, dict[str, Any]] = {}
        if progress is not None:
            saved = progress.get(self.key, {}) or {}
            round_ids = {s.id for s in self.scenarios}
            self.answers = {sid: dict(a) for sid, a in saved.get("answers", {}).items()
                            if sid in round_ids}
        self.index = 0

        self.scenario_html = w.HTML(layout=w.Layout(width="auto"))
        self.element_boxes: dict[str, w.Checkbox] = {}
        groups = []
        for offence, title in (("trafficking", "Trafficking Protocol, Art. 3(a)"),
                               ("smuggling", "Smuggling Protocol, Art. 3(a)")):
            rows = [w.HTML(f"<b>Elements of {html.escape(title)}</b>")]
            for key in ELEMENTS[offence]:
                box = w.Checkbox(value=False, description=ELEMENT_NAMES[key], indent=False,
                                 tooltip=ELEMENT_LABELS[key], layout=w.Layout(width="auto"))
                self.element_boxes[key] = box
                rows.append(w.HBox([box, w.HTML(f"<small>{html.escape(ELEMENT_LABELS[key])}"
                                                "</small>")]))
            groups.append(w.VBox(rows))
        self.verdict = w.RadioButtons(
            options=[(label, key) for key, label in VERDICTS.items()], index=None,
            description="Verdict", tooltip="Which offence do the facts show?",
            layout=w.Layout(width="auto"))
        self.check_button = w.Button(description="Check answer", button_style="primary",
                                     tooltip="Check the elements you ticked and your verdict",
                                     icon="check")
        self.next_button = w.Button(description="Next scenario",
                                    tooltip="Go on to the next scenario of this round",
                                    icon="arrow-right")
        self.feedback = feedback_widget()
        self.score_html = w.HTML()
        self.score_html.add_class("tc-score")
        self.check_button.on_click(self._on_check)
        self.next_button.on_click(self._on_next)
        super().__init__([
            self.scenario_html,
            w.HTML("<b>Tick each element the facts show, then choose a verdict.</b>"),
            *groups,
            self.verdict,
            w.HBox([self.check_button, self.next_button]),
            self.feedback,
            self.score_html,
        ])
        self.add_class("tc-scenario-classifier")
        unanswered = [i for i, s in enumerate(self.scenarios) if s.id not in self.answers]
        self.show(unanswered[0] if unanswered else 0)

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
            f"<p><small><em>{html.escape(s.provenance_line, quote=False)}</em></small></p>")
        saved = self.answers.get(s.id)
        for key, box in self.element_boxes.items():
            box.value = bool(saved and key in saved["elements"])
        self.verdict.value = saved["verdict"] if saved else None
        self.feedback.value = live_html(feedback_text(grade(s, saved["elements"],
                                                            saved["verdict"]))) if saved else ""
        self._show_score()

    def _show_score(self) -> None:
        self.score_html.value = (f"<p>{score_line(self.score, len(self.answers))} "
                                 f"({len(self.answers)} of {len(self.scenarios)} scenarios "
                                 "answered)</p>")

    # -- handlers: delegate to the model -------------------------------------------------------
    def _on_check(self, _button=None) -> None:
        result = grade(self.current, self.ticked(), self.verdict.value)
        self.feedback.value = live_html(feedback_text(result))
        if result.verdict is None:
            return
        self.answers[self.current.id] = {"elements": list(result.elements_ticked),
                                         "verdict": result.verdict, "correct": result.correct}
        self._show_score()
        if self.progress is not None:
            self.progress.set(self.key, self.state)

    def _on_next(self, _button=None) -> None:
        self.show(self.index + 1)
