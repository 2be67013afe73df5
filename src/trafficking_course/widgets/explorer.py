"""ElementExplorer: toggle the facts of a case and watch the verdict and reasons update live.

A thin view over legal.assess and legal.explain_change: every change of a control rebuilds the
facts, assesses them and, when the verdict flips, shows the engine's one-line explanation.
Laid out for a laptop screen: the verdict and "what changed" sit above the controls, which
are in columns that wrap, so that a toggle and its effect are in view together.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import Any

import ipywidgets as w

from trafficking_course.law import (
    ACTS,
    ELEMENT_NAMES,
    MEANS,
    MEANS_STAGES,
    PURPOSES,
    VERDICTS,
    Assessment,
    Facts,
    assess,
    explain_change,
)
from trafficking_course.law.vocabulary import (
    CONSENT_SCOPES,
    DECIDES_UNDER,
    OTHER_FACTS,
    offence_state,
)
from trafficking_course.widgets._common import ActivityWidget, live_html, result_html

#: Labels of the yes/no facts, as a learner would say them.
FLAG_LABELS: dict[str, str] = {
    "consented": "The person consented (to the work or the travel)",
    "illegal_entry": "The person crossed a border illegally (without meeting entry requirements)",
    "entry_procured_by_another": "Someone else arranged (procured) that entry",
    "benefit_to_procurer": "The one who arranged it gained money or another material benefit",
    "destination_national_or_resident": "The person is a national or permanent resident of the "
                                        "State entered",
}

#: How the reasons mark an element (the engine's Element.state, in the explorer's words).
MARKS = {"met": "met", "missing": "not met", "not needed": "not needed",
         "not at issue": "not at issue", "unknown": "unknown"}

#: The links of Art. 3(a), ticked unless the facts say otherwise (unticked: the link is missing).
LINK_LABELS: dict[str, str] = {
    "means_used_for_act": "The means were used to secure the act (\u201cby means of\u201d)",
    "purpose_at_time_of_act": "The purpose was held when the act was done (\u201cfor the "
                              "purpose of\u201d)",
}

DEFAULT_AGE = 25
COLUMN = w.Layout(width="15em", margin="0 1em 0.4em 0")


def reasons_text(assessment: Assessment) -> str:
    """The reasons, offence by offence and element by element, each citing its article."""
    lines = []
    for result in (assessment.trafficking, assessment.smuggling):
        title = "Trafficking in persons" if result.offence == "trafficking" else \
            "Smuggling of migrants"
        state = offence_state(result.established, result.decided)
        lines.append(f"{title}: {state}")
        for e in result.elements:
            mark = MARKS[e.state]
            lines.append(f"- {ELEMENT_NAMES[e.key]} ({mark}): {e.reason} [{e.article}]")
        lines.extend(f"- Note: {n.text} [{n.article}]" for n in result.notes)
    lines.append(DECIDES_UNDER)
    return "\n".join(lines)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _checkbox(label: str, value: bool) -> w.Checkbox:
    return w.Checkbox(value=value, description=label, indent=False,
                      layout=w.Layout(width="auto"))


def _group(title: str, controls: Iterable[w.Widget]) -> w.VBox:
    return w.VBox([w.HTML(f"<b>{html.escape(title)}</b>"), *controls], layout=COLUMN)


class ElementExplorer(ActivityWidget):
    """Checkboxes for every fact of the engine's vocabulary; a live verdict with reasons."""

    def __init__(self, facts: dict[str, Any] | Facts | None = None):
        f = Facts.from_dict(facts or {})
        self.progress, self.key = None, "explorer"
        self.act_boxes = {k: _checkbox(_capital(v), k in f.acts) for k, v in ACTS.items()}
        self.means_boxes = {k: _checkbox(_capital(v), k in f.means) for k, v in MEANS.items()}
        self.purpose_boxes = {k: _checkbox(_capital(v), k in f.purposes)
                              for k, v in PURPOSES.items()}
        self.flag_boxes = {k: _checkbox(label, getattr(f, k)) for k, label in FLAG_LABELS.items()}
        self.age_known = _checkbox("The person's age is known", f.age is not None)
        self.age = w.BoundedIntText(value=DEFAULT_AGE if f.age is None else f.age, min=0, max=120,
                                    description="Age in years", disabled=f.age is None,
                                    tooltip="The person's age when it happened",
                                    style={"description_width": "initial"},
                                    layout=w.Layout(width="13em"))
        # radio buttons, not a menu: a menu shows one line of its value and cut "forced to
        # start and forced to stay on" in a column this narrow (issue 24); their labels wrap
        self.means_stage = w.RadioButtons(
            options=[("not stated", "")] + [(v, k) for k, v in MEANS_STAGES.items()],
            value=f.means_stage or "", description="When were the means used?",
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.means_stage.add_class("tc-stacked")  # its label above the options (widgets.css)
        self.link_boxes = {k: _checkbox(label, getattr(f, k) is not False)
                           for k, label in LINK_LABELS.items()}
        self.consented_to = w.Dropdown(
            options=[("not stated", "")] + [(v, k) for k, v in CONSENT_SCOPES.items()],
            value=f.consented_to or "", description="What did the person agree to?",
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.consented_to.add_class("tc-stacked")
        self.other_boxes = {k: _checkbox(_capital(v), getattr(f, k)) for k, v in
                            OTHER_FACTS.items()}
        self.verdict_html = w.HTML()
        self.verdict_html.add_class("tc-verdict")
        self.change_html = w.HTML()
        self.change_html.add_class("tc-change")
        self.reasons_html = w.HTML(layout=w.Layout(width="auto"))
        self.reasons_html.add_class("tc-feedback")
        # kept in view while the controls scroll under it (sticky, see widgets.css)
        self.verdict_panel = w.VBox([self.verdict_html, self.change_html], layout=w.Layout(
            min_height="4.5em", border="1px solid #888", padding="0 0.6em",
            margin="0 0 0.6em 0"))
        self.verdict_panel.add_class("tc-verdict-panel")
        self.last_change: str | None = None
        self.assessment = assess(f)
        for control in self._controls():
            control.observe(self._on_change, names="value")
        super().__init__([
            w.HTML("<b>Tick the facts of a case: the verdict just below and the reasons under "
                   "the controls follow each change.</b>"),
            self.verdict_panel,
            w.HBox(self._columns(), layout=w.Layout(flex_flow="row wrap")),
            self.reasons_html,
        ], css_class="tc-element-explorer")
        self._render()

    def _columns(self) -> list[w.VBox]:
        """Four columns that wrap: a laptop screen shows them side by side under the verdict."""
        crossing = [self.flag_boxes[k] for k in FLAG_LABELS if k != "consented"]
        act_and_person = [w.HTML("<b>Act (Art. 3(a))</b>"), *self.act_boxes.values(),
                          w.HTML("<b>The person</b>"), self.age_known, self.age,
                          self.flag_boxes["consented"], self.consented_to,
                          *self.other_boxes.values()]
        return [
            w.VBox(act_and_person, layout=COLUMN),
            _group("Means (Art. 3(a))", [*self.means_boxes.values(), self.means_stage,
                                         self.link_boxes["means_used_for_act"]]),
            _group("Purpose: exploitation (Art. 3(a))", [
                *self.purpose_boxes.values(), self.link_boxes["purpose_at_time_of_act"]]),
            _group("Crossing a border (Smuggling Protocol, Art. 3)", crossing),
        ]

    def _controls(self) -> Iterator[w.ValueWidget]:
        yield from self.act_boxes.values()
        yield from self.means_boxes.values()
        yield from self.purpose_boxes.values()
        yield from self.flag_boxes.values()
        yield from self.other_boxes.values()
        yield from self.link_boxes.values()
        yield from (self.age_known, self.age, self.means_stage, self.consented_to)

    # -- model ---------------------------------------------------------------------------------
    def facts(self) -> Facts:
        """The facts the controls show, in the engine's vocabulary."""
        data: dict[str, Any] = {
            "acts": [k for k, b in self.act_boxes.items() if b.value],
            "means": [k for k, b in self.means_boxes.items() if b.value],
            "purposes": [k for k, b in self.purpose_boxes.items() if b.value],
            "age": self.age.value if self.age_known.value else None,
        }
        data.update({k: b.value for k, b in self.flag_boxes.items()})
        data.update({k: b.value for k, b in self.other_boxes.items()})
        if self.means_stage.value and data["means"]:
            data["means_stage"] = self.means_stage.value
        if self.consented_to.value and data["consented"]:
            data["consented_to"] = self.consented_to.value
        for key, needs in (("means_used_for_act", "means"), ("purpose_at_time_of_act", "purposes")):
            if data[needs] and not self.link_boxes[key].value:
                data[key] = False   # ticked: the link is presumed, as in any facts that omit it
        return Facts.from_dict(data)

    @property
    def state(self) -> dict[str, Any]:
        return {"facts": self.facts().to_dict(), "verdict": self.assessment.verdict,
                "decided": self.assessment.decided, "change": self.last_change}

    # -- handlers: delegate to the model -------------------------------------------------------
    def _on_change(self, _change: object = None) -> None:
        self.age.disabled = not self.age_known.value
        before = self.assessment
        self.assessment = assess(self.facts())
        line = explain_change(before, self.assessment)
        if line:
            self.last_change = line
        self._render()

    def _render(self) -> None:
        a = self.assessment
        self.means_stage.layout.display = None if a.facts.means else "none"
        for key, needs in (("means_used_for_act", "means"), ("purpose_at_time_of_act", "purposes")):
            self.link_boxes[key].layout.display = None if getattr(a.facts, needs) else "none"
        self.consented_to.layout.display = None if a.facts.consented else "none"
        undecided = "" if a.decided else " (not decided: the age is needed)"
        self.verdict_html.value = result_html("info", f"Verdict: {VERDICTS[a.verdict]}{undecided}")
        self.change_html.value = live_html(f"What changed: {self.last_change}") \
            if self.last_change else "<p><small>Change a fact to see what changes.</small></p>"
        self.reasons_html.value = live_html(reasons_text(a))
