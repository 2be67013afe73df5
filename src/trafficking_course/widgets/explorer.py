"""ElementExplorer: toggle the facts of a case and watch the verdict and reasons update live.

A thin view over legal.assess and legal.explain_change: every change of a control rebuilds the
facts, assesses them and, when the verdict flips, shows the engine's one-line explanation.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from trafficking_course.law import (
    ACTS,
    MEANS,
    MEANS_STAGES,
    PURPOSES,
    VERDICTS,
    Assessment,
    Facts,
    assess,
    explain_change,
)
from trafficking_course.widgets._common import live_html

#: Labels of the yes/no facts, as a learner would say them.
FLAG_LABELS: dict[str, str] = {
    "consented": "The person consented (to the work or the travel)",
    "illegal_entry": "The person crossed a border illegally (without meeting entry requirements)",
    "entry_procured_by_another": "Someone else arranged (procured) that entry",
    "benefit_to_procurer": "The one who arranged it gained money or another material benefit",
    "destination_national_or_resident": "The person is a national or permanent resident of the "
                                        "State entered",
}

DEFAULT_AGE = 25


def reasons_text(assessment: Assessment) -> str:
    """The engine's explanation without its verdict line (shown above it), as a list."""
    lines = []
    for line in assessment.explain().splitlines()[1:]:
        if line.startswith("  - "):
            lines.append("- " + line[4:])
        elif line.startswith("  * "):
            lines.append("- Note: " + line[4:])
        else:
            lines.append(line)
    return "\n".join(lines)


def _checkbox(label: str, value: bool) -> w.Checkbox:
    return w.Checkbox(value=value, description=label, indent=False,
                      layout=w.Layout(width="auto"))


def _group(title: str, boxes) -> w.VBox:
    return w.VBox([w.HTML(f"<b>{title}</b>"), *boxes],
                  layout=w.Layout(margin="0 1.5em 0.5em 0"))


class ElementExplorer(w.VBox):
    """Checkboxes for every fact of the engine's vocabulary; a live verdict with reasons."""

    def __init__(self, facts: dict[str, Any] | Facts | None = None):
        f = Facts.from_dict(facts or {})
        self.act_boxes = {k: _checkbox(v.capitalize(), k in f.acts) for k, v in ACTS.items()}
        self.means_boxes = {k: _checkbox(v[0].upper() + v[1:], k in f.means)
                            for k, v in MEANS.items()}
        self.purpose_boxes = {k: _checkbox(v[0].upper() + v[1:], k in f.purposes)
                              for k, v in PURPOSES.items()}
        self.flag_boxes = {k: _checkbox(label, getattr(f, k)) for k, label in FLAG_LABELS.items()}
        self.age_known = _checkbox("The person's age is known", f.age is not None)
        self.age = w.BoundedIntText(value=DEFAULT_AGE if f.age is None else f.age, min=0, max=120,
                                    description="Age in years", disabled=f.age is None,
                                    tooltip="The person's age when it happened",
                                    style={"description_width": "initial"})
        self.means_stage = w.Dropdown(
            options=[("not stated", "")] + [(v, k) for k, v in MEANS_STAGES.items()],
            value=f.means_stage or "", description="When were the means used?",
            style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self.verdict_html = w.HTML()
        self.verdict_html.add_class("tc-verdict")
        self.reasons_html = w.HTML(layout=w.Layout(width="auto"))
        self.reasons_html.add_class("tc-feedback")
        self.change_html = w.HTML()
        self.change_html.add_class("tc-change")
        self.last_change: str | None = None
        self.assessment = assess(f)

        for control in self._controls():
            control.observe(self._on_change, names="value")
        super().__init__([
            w.HTML("<b>Tick the facts of a case; the verdict and the reasons below follow "
                   "each change.</b>"),
            w.HBox([_group("Act (Art. 3(a))", self.act_boxes.values()),
                    _group("Means (Art. 3(a))", self.means_boxes.values()),
                    _group("Purpose: exploitation (Art. 3(a))", self.purpose_boxes.values())],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([_group("The person", [self.age_known, self.age,
                                          self.flag_boxes["consented"], self.means_stage]),
                    _group("Crossing a border (Smuggling Protocol, Art. 3)",
                           [self.flag_boxes[k] for k in FLAG_LABELS if k != "consented"])],
                   layout=w.Layout(flex_flow="row wrap")),
            self.verdict_html,
            self.change_html,
            self.reasons_html,
        ])
        self.add_class("tc-element-explorer")
        self._render()

    def _controls(self):
        yield from self.act_boxes.values()
        yield from self.means_boxes.values()
        yield from self.purpose_boxes.values()
        yield from self.flag_boxes.values()
        yield from (self.age_known, self.age, self.means_stage)

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
        if self.means_stage.value:
            data["means_stage"] = self.means_stage.value
        return Facts.from_dict(data)

    @property
    def state(self) -> dict[str, Any]:
        return {"facts": self.facts().to_dict(), "verdict": self.assessment.verdict,
                "decided": self.assessment.decided, "change": self.last_change}

    # -- handlers: delegate to the model -------------------------------------------------------
    def _on_change(self, _change=None) -> None:
        self.age.disabled = not self.age_known.value
        before = self.assessment
        self.assessment = assess(self.facts())
        line = explain_change(before, self.assessment)
        if line:
            self.last_change = line
        self._render()

    def _render(self) -> None:
        a = self.assessment
        undecided = "" if a.decided else " (not decided: the age is needed)"
        self.verdict_html.value = (f"<p role='status' aria-live='polite'><strong>Verdict: "
                                   f"{VERDICTS[a.verdict]}{undecided}</strong></p>")
        self.change_html.value = live_html(f"What changed: {self.last_change}") \
            if self.last_change else ""
        self.reasons_html.value = live_html(reasons_text(a))
