"""PerspectiveViewer: one case, seen in turn through each actor's eyes (module 3, Who defines?).

    from trafficking_course.widgets.perspectives import PerspectiveViewer
    viewer = PerspectiveViewer.load("salon-job-abroad", progress=store)
    viewer                          # last line of a cell: shows the case and the buttons
    viewer.select("police")         # what a click on "Police" does
    viewer.state                    # {"case": ..., "selected": ..., "viewed": [...], ...}

The view only delegates: the case and its legal assessment come from perspectives.py and
legal.py. Headless use (tests, papermill) works without a front end.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.perspectives import PerspectiveCase, load_perspective_case
from trafficking_course.law import ELEMENT_NAMES
from trafficking_course.widgets._common import ActivityWidget

_MARK = {True: "present in the facts as written", False: "not shown in the facts as written",
         None: "not needed"}

#: The heading over the Protocol elements: they are the course's reading of the facts against
#: the Protocol, not the actor's own test or decision (a court applies national law; the
#: person her own words).
ELEMENTS_HEADING = ("Which of the Protocol's elements this actor's questions come closest to "
                    "(the course's reading of the facts, not this actor's own test or decision)")

#: Shown instead of the elements when an actor does not weigh the Protocol's elements at all.
NO_ELEMENTS = ("None: this actor does not apply the Protocol's elements, or any legal "
               "definition, to the facts.")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def case_html(case: PerspectiveCase) -> str:
    """The case itself: title, narrative, provenance."""
    return (f"<h3>{_esc(case.title)}</h3><p>{_esc(case.narrative)}</p>"
            f"<p><em>{_esc(case.provenance_line)}.</em></p>")


def perspective_html(case: PerspectiveCase, perspective_id: str) -> str:
    """What one actor needs, its threshold, its likely decision, and the elements it weighs."""
    p = case.perspective(perspective_id)
    needs = "".join(f"<li>{_esc(n)}</li>" for n in p.needs)
    elements = "".join(
        f"<li><strong>{_esc(ELEMENT_NAMES[e.key])}</strong> ({_MARK[e.met]}): "
        f"{_esc(e.reason)} <em>[{_esc(e.article)}]</em></li>"
        for e in case.focus_elements(perspective_id)
    ) or f"<li>{_esc(NO_ELEMENTS)}</li>"
    return (
        f"<h3>{_esc(p.label)}</h3>"
        f"<p><strong>What this actor needs before calling it trafficking</strong></p>"
        f"<ul>{needs}</ul>"
        f"<p><strong>Threshold:</strong> {_esc(p.threshold)}</p>"
        f"<p><strong>Likely decision on these facts:</strong> {_esc(p.decision)}</p>"
        f"<p><strong>{_esc(ELEMENTS_HEADING)}</strong></p><ul>{elements}</ul>"
        f"<p><strong>Why this differs from the others:</strong> {_esc(p.why_different)}</p>"
    )


class PerspectiveViewer(ActivityWidget):
    """Pick a perspective with toggle buttons; read what that actor needs and would decide;
    write a note of your own for each perspective (saved to progress if a store is given)."""

    def __init__(self, case: PerspectiveCase, *, progress: Any = None):
        self.case = case
        saved = self.init_progress(progress, f"perspectives:{case.id}")
        self.viewed: list[str] = [v for v in saved.get("viewed", []) if v in case.ids]
        self.notes: dict[str, str] = {k: v for k, v in saved.get("notes", {}).items()
                                      if k in case.ids and isinstance(v, str)}
        first: str = saved["selected"] if saved.get("selected") in case.ids else case.ids[0]

        self.header = w.HTML(case_html(case))
        self.buttons = w.ToggleButtons(
            options=[(p.label, p.id) for p in case.perspectives], value=first,
            description="Perspective:", tooltips=[f"See the case as the {p.label.lower()} does"
                                                  for p in case.perspectives],
            style={"description_width": "initial"},
        )
        self.detail = w.HTML()
        self.note = w.Textarea(
            description="Your note:", placeholder="What would you need, in this role?",
            layout=w.Layout(width="100%", height="5em"),
            style={"description_width": "initial"},
        )
        self.progress_line = w.HTML()
        self.buttons.observe(self._on_pick, names="value")
        self.note.observe(self._on_note, names="value")
        super().__init__([self.header, self.buttons, self.detail, self.note, self.progress_line],
                         css_class="tc-perspective-viewer")
        self._show(first, save=False)  # nothing is written until the learner acts

    @classmethod
    def load(cls, case_id: str, *, progress: Any = None) -> PerspectiveViewer:
        """The viewer for data/perspectives/<case_id>.yaml."""
        return cls(load_perspective_case(case_id), progress=progress)

    # -- what the handlers delegate to -------------------------------------------------------
    def select(self, perspective_id: str) -> None:
        """Show one perspective (what a click on its button does)."""
        self.case.perspective(perspective_id)  # raises ScenarioError naming the valid ids
        self.buttons.value = perspective_id

    def _on_pick(self, change) -> None:
        self._show(change["new"])

    def _on_note(self, change) -> None:
        text = change["new"]
        if text.strip():
            self.notes[self.buttons.value] = text
        else:
            self.notes.pop(self.buttons.value, None)
        self.save()

    def _show(self, perspective_id: str, *, save: bool = True) -> None:
        if perspective_id not in self.viewed:
            self.viewed.append(perspective_id)
        self.detail.value = perspective_html(self.case, perspective_id)
        self.note.unobserve(self._on_note, names="value")
        self.note.value = self.notes.get(perspective_id, "")
        self.note.observe(self._on_note, names="value")
        n, total = len(self.viewed), len(self.case.perspectives)
        self.progress_line.value = (
            f"<p>Perspectives seen: {n} of {total}.</p>" if n < total else
            f"<p>You have seen all {total} perspectives. {_esc(self.case.discussion)}</p>")
        if save:
            self.save()

    @property
    def state(self) -> dict[str, Any]:
        return {
            "case": self.case.id,
            "selected": self.buttons.value,
            "viewed": list(self.viewed),
            "all_viewed": len(self.viewed) == len(self.case.perspectives),
            "notes": dict(self.notes),
            "legal_verdict": self.case.assessment.verdict,
        }
