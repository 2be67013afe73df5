"""Shared pieces of the widgets: feedback HTML, the result line, the keyboard script, and the
one base that saves a widget's state to the learner's progress store and restores it."""

from __future__ import annotations

import html
from collections.abc import Callable
from importlib import resources
from typing import Any, TypeVar

import ipywidgets as w

from trafficking_course.progress import ProgressStore

AUTO = {"width": "auto"}

#: The keyboard script (see keyboard.js): keys stay in the widget, radio options are one group.
KEYBOARD_JS = resources.files(__package__).joinpath("keyboard.js").read_text(encoding="utf-8")
#: The widgets' layout for a laptop screen (labels that wrap, the result line's look).
WIDGETS_CSS = resources.files(__package__).joinpath("widgets.css").read_text(encoding="utf-8")

#: The result line's icon and words: the result is never told by colour alone.
RESULT_MARKS = {"correct": ("✔", "Correct"), "partly": ("◐", "Partly right"),
                "wrong": ("✘", "Not quite"), "info": ("ℹ", "")}

T = TypeVar("T")


def text_to_html(text: str) -> str:
    """Plain text (one statement per line, "- " for list items) as simple, escaped HTML.

    The first words of the text stay the first words of the HTML, so "Correct" or "Not quite"
    is what a screen reader announces first.
    """
    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{html.escape(line[2:], quote=False)}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        out.append(f"<p>{html.escape(line, quote=False)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)


def live_html(text: str) -> str:
    """text_to_html wrapped in a polite live region, so screen readers announce updates."""
    return f'<div role="status" aria-live="polite">{text_to_html(text)}</div>' if text else ""


def result_html(kind: str, headline: str, detail: str = "") -> str:
    """Feedback that leads with its result: icon and words first, in bold, then the detail.

    kind is "correct", "partly", "wrong" or "info" (a class for colour, which only repeats
    what the icon and the words already say).
    """
    icon, _ = RESULT_MARKS[kind]
    head = (f'<p class="tc-result tc-result-{kind}"><span aria-hidden="true">{icon}</span> '
            f"<strong>{html.escape(headline, quote=False)}</strong></p>")
    return (f'<div role="status" aria-live="polite">{head}'
            f'<div class="tc-detail">{text_to_html(detail)}</div></div>')


def feedback_widget() -> w.HTML:
    """An HTML widget for feedback, marked with the CSS class the browser tests look for."""
    box = w.HTML(value="", layout=w.Layout(width="auto"))
    box.add_class("tc-feedback")
    return box


def heading(text: str, level: int = 3) -> w.HTML:
    return w.HTML(f"<h{level}>{html.escape(text, quote=False)}</h{level}>")


def page_support() -> w.Output:
    """An invisible output with the widgets' style sheet and keyboard script (run once per
    page: the script guards itself). No output of its own is visible."""
    out = w.Output(layout=w.Layout(height="0px", overflow="hidden", margin="0"))
    out.outputs = (
        {"output_type": "display_data", "metadata": {},
         "data": {"text/html": f"<style>{WIDGETS_CSS}</style>"}},
        {"output_type": "display_data", "metadata": {},
         "data": {"application/javascript": KEYBOARD_JS}},
    )
    return out


#: Shown under every activity. A reopened notebook shows the activity as it was saved (the
#: page keeps the widgets' state), but its buttons answer only once its cell has run again.
RESTART_HINT = ("If the buttons do not respond (for example after you reopen the notebook), "
                "run this cell again: your answers are kept.")


def restart_hint() -> w.HTML:
    hint = w.HTML(f"<small>{html.escape(RESTART_HINT, quote=False)}</small>",
                  layout=w.Layout(width="auto"))
    hint.add_class("tc-restart-hint")
    return hint


def load_record(ident: str, by_id: Callable[[str], T], by_file: Callable[[str], T]) -> T:
    """A record by id (data/<kind>/<id>.yaml) or by the path of its YAML file."""
    return by_file(ident) if str(ident).endswith(".yaml") else by_id(ident)


class ActivityWidget(w.VBox):
    """The base of every activity: a VBox marked .tc-widget (the keyboard script's scope),
    with the learner's progress saved under one key and restored on the next visit.

    A subclass sets self.progress and self.key (call init_progress), defines `.state`, and
    calls save() after each answer; restore(saved) gets the saved value (a dict, maybe empty).
    """

    progress: ProgressStore | None
    key: str

    def init_progress(self, progress: ProgressStore | None, key: str) -> dict[str, Any]:
        """Remember the store and key; return what was saved there (an empty dict if nothing)."""
        self.progress = progress
        self.key = key
        saved = progress.get(key, {}) if progress is not None else {}
        return saved if isinstance(saved, dict) else {}

    def __init__(self, children: list[w.Widget], *, css_class: str, **kwargs: Any):
        """The children, the restart hint, then the page support; the classes .tc-widget and
        css_class."""
        super().__init__([*children, restart_hint(), page_support()], **kwargs)
        self.add_class("tc-widget")
        self.add_class(css_class)

    @property
    def state(self) -> dict[str, Any]:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def save(self) -> None:
        """Write `.state` to the progress store under the widget's key (if there is a store)."""
        if self.progress is not None:
            self.progress.set(self.key, self.state)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def score_text(right: int, answered: int, total: int, noun: str) -> str:
    """A score that reads naturally before, during and after a round."""
    if answered == 0:
        return f"{_count(total, noun)} to answer; none answered yet."
    if answered < total:
        return (f"So far {right} of {answered} answered right; {answered} of "
                f"{_count(total, noun)} answered, {total - answered} to go.")
    return f"Score: {right} of {total} right; all {_count(total, noun)} answered."
