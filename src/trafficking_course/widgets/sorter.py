"""CategorySorter: put each item into a category, check, read the feedback and the discussion.

A thin view over trafficking_course.content.activities: marking and feedback text come from
check_sorting(); the items and categories from data/activities/<activity-id>.yaml. Each item
is one row: its text is the label of its own category menu, and its feedback appears under it.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.activities import (
    SortingActivity,
    SortingResult,
    check_sorting,
    load_activity,
    load_activity_file,
)
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    load_record,
    result_html,
    score_text,
    text_to_html,
)


class CategorySorter(ActivityWidget):
    def __init__(self, activity: SortingActivity, *, progress: ProgressStore | None = None):
        self.activity = activity
        saved = self.init_progress(progress, f"activity:{activity.id}")
        self.dropdowns: dict[str, w.Dropdown] = {}
        self.feedback: dict[str, w.HTML] = {}
        self.checked = False
        self.result: SortingResult | None = None
        options = [(c.label, c.id) for c in activity.categories]
        rows = []
        for n, item in enumerate(activity.items, start=1):
            # the item's own text labels its menu: readable, and what a screen reader says
            dd = w.Dropdown(options=options, index=None, description=f"{n}. {item.text}",
                            tooltip=item.text, layout=w.Layout(width="100%"),
                            style={"description_width": "calc(100% - 15em)"})
            dd.add_class("tc-sort-choice")
            self.dropdowns[item.id] = dd
            self.feedback[item.id] = feedback_widget()
            rows.append(w.VBox([dd, self.feedback[item.id]],
                               layout=w.Layout(margin="0 0 0.3em 0")))
        self.check_button = w.Button(description="Check", icon="check", button_style="primary",
                                     tooltip="Check the category you chose for every item",
                                     layout=w.Layout(width="auto", align_self="flex-start"))
        self.check_button.on_click(self._on_check)
        self.summary_html = w.HTML(layout=w.Layout(width="auto"))
        self.summary_html.add_class("tc-discussion")
        categories = ", ".join(c.label for c in activity.categories)
        super().__init__([
            w.HTML(f"<h3>{html.escape(activity.title, quote=False)}</h3>"
                   f"{text_to_html(activity.instructions)}"
                   f"<p><small>Categories: {html.escape(categories)}.</small></p>"),
            *rows, self.check_button, self.summary_html,
        ], css_class="tc-category-sorter")
        known = {c.id for c in activity.categories}
        for item_id, answer in saved.get("answers", {}).items():
            if item_id in self.dropdowns and answer.get("category") in known:
                self.dropdowns[item_id].value = answer["category"]
        if saved.get("checked"):
            self._mark()

    @classmethod
    def load(cls, activity_id: str, progress: ProgressStore | None = None) -> CategorySorter:
        """The activity in data/activities/<activity_id>.yaml (or a path to an activity file)."""
        return cls(load_record(activity_id, load_activity, load_activity_file),
                   progress=progress)

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
        self.result = r = check_sorting(self.activity, self.choices())
        self.checked = True
        for item in r.items:
            head, _, rest = item.feedback.partition(". ")
            kind = "correct" if item.correct else "info" if item.chosen is None else "wrong"
            self.feedback[item.item_id].value = result_html(kind, head + ".", rest)
        kind = "correct" if r.score == r.total else "partly" if r.score else "wrong"
        answered = sum(1 for item in r.items if item.chosen is not None)
        # the discussion explains the answers: it comes once every item is sorted
        after = (f"Discussion: {r.discussion}" if answered == r.total else
                 f"Sort the other {r.total - answered} item(s) and check again to see the "
                 "discussion.")
        self.summary_html.value = result_html(
            kind, score_text(r.score, answered, r.total, "item"), after)

    def _on_check(self, _button: object = None) -> None:
        self._mark()
        self.save()
