"""CategorySorter: put each item into a category, check, read the feedback and the discussion.

A thin view over trafficking_course.content.activities: marking and feedback text come from
check_sorting(); the items and categories from data/activities/<activity-id>.yaml.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.activities import (
    SortingActivity,
    check_sorting,
    load_activity,
    load_activity_file,
    result_text,
)
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import feedback_widget, live_html, text_to_html


class CategorySorter(w.VBox):
    def __init__(self, activity: SortingActivity, *, progress: ProgressStore | None = None):
        self.activity = activity
        self.progress = progress
        self.key = f"activity:{activity.id}"
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.feedback: dict[str, w.HTML] = {}
        self.checked = False
        self.result = None
        rows = []
        options = [(c.label, c.id) for c in activity.categories]
        for n, item in enumerate(activity.items, start=1):
            dd = w.Dropdown(options=options, index=None, description=f"Category for item {n}",
                            tooltip=item.text, style={"description_width": "initial"},
                            layout=w.Layout(width="auto"))
            self.dropdowns[item.id] = dd
            self.feedback[item.id] = feedback_widget()
            rows.append(w.VBox([w.HTML(f"<p><b>{n}.</b> {html.escape(item.text, quote=False)}"
                                       "</p>"), dd, self.feedback[item.id]],
                               layout=w.Layout(margin="0 0 0.8em 0")))
        self.check_button = w.Button(description="Check", icon="check", button_style="primary",
                                     tooltip="Check the category you chose for every item")
        self.check_button.on_click(self._on_check)
        self.summary_html = w.HTML(layout=w.Layout(width="auto"))
        self.summary_html.add_class("tc-discussion")
        super().__init__([
            w.HTML(f"<h3>{html.escape(activity.title, quote=False)}</h3>"
                   f"{text_to_html(activity.instructions)}"),
            *rows, self.check_button, self.summary_html,
        ])
        self.add_class("tc-category-sorter")
        if progress is not None:
            saved = progress.get(self.key, {}) or {}
            for item_id, answer in saved.get("answers", {}).items():
                if item_id in self.dropdowns and answer.get("category") in \
                        {c.id for c in activity.categories}:
                    self.dropdowns[item_id].value = answer["category"]
            if saved.get("checked"):
                self._mark()

    @classmethod
    def load(cls, activity_id: str, progress: ProgressStore | None = None) -> CategorySorter:
        """The activity in data/activities/<activity_id>.yaml (or a path to an activity file)."""
        activity = load_activity_file(activity_id) if str(activity_id).endswith(".yaml") \
            else load_activity(activity_id)
        return cls(activity, progress=progress)

    def choices(self) -> dict[str, str | None]:
        return {item_id: dd.value for item_id, dd in self.dropdowns.items()}

    @property
    def state(self) -> dict[str, Any]:
        marks = {r.item_id: r.correct for r in self.result.items} if self.result else {}
        return {"answers": {item_id: {"category": cat, "correct": marks.get(item_id)}
                            for item_id, cat in self.choices().items()},
                "score": self.result.score if self.result else 0,
                "total": len(self.activity.items), "checked": self.checked}

    def _mark(self) -> None:
        self.result = check_sorting(self.activity, self.choices())
        self.checked = True
        for r in self.result.items:
            self.feedback[r.item_id].value = live_html(r.feedback)
        self.summary_html.value = live_html(result_text(self.result))

    def _on_check(self, _button=None) -> None:
        self._mark()
        if self.progress is not None:
            self.progress.set(self.key, self.state)
