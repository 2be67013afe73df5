"""Quiz: a module's self-check, all questions at once, each with its own Check button.

A thin view over trafficking_course.content.quizzes: marking and feedback text come from
check_answer() and feedback_text(); the questions from data/quizzes/<module-id>.yaml.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from trafficking_course.content.quizzes import (
    Question,
    QuizDefinition,
    check_answer,
    feedback_text,
    load_quiz,
    load_quiz_file,
)
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import feedback_widget, live_html


class QuestionView(w.VBox):
    """One question: prompt, options (radio buttons or checkboxes), Check, feedback."""

    def __init__(self, question: Question, number: int, on_check):
        self.question = question
        prompt = w.HTML(f"<p><b>Question {number}.</b> "
                        f"{html.escape(question.prompt, quote=False)}</p>")
        if question.kind == "single":
            self.radio = w.RadioButtons(
                options=[(o.text, i) for i, o in enumerate(question.options)], index=None,
                description=f"Answer {number}", layout=w.Layout(width="auto"),
                style={"description_width": "initial"})
            self.boxes: list[w.Checkbox] = []
            choices: list[w.Widget] = [self.radio]
        else:
            self.radio = None
            self.boxes = [w.Checkbox(value=False, description=o.text, indent=False,
                                     layout=w.Layout(width="auto"))
                          for o in question.options]
            choices = [w.HTML("<small>Choose all that apply.</small>"), *self.boxes]
        self.check_button = w.Button(description="Check",
                                     tooltip=f"Check your answer to question {number}",
                                     icon="check")
        self.check_button.on_click(lambda _b: on_check(self))
        self.feedback = feedback_widget()
        super().__init__([prompt, *choices, self.check_button, self.feedback],
                         layout=w.Layout(margin="0 0 1em 0"))

    def selected(self) -> list[int]:
        if self.radio is not None:
            return [] if self.radio.value is None else [self.radio.value]
        return [i for i, b in enumerate(self.boxes) if b.value]

    def select(self, indices) -> None:
        if self.radio is not None:
            self.radio.value = indices[0] if indices else None
        else:
            for i, b in enumerate(self.boxes):
                b.value = i in indices


class Quiz(w.VBox):
    """A self-check quiz; `.state` holds the answers and the score."""

    def __init__(self, quiz: QuizDefinition, *, progress: ProgressStore | None = None):
        self.quiz = quiz
        self.progress = progress
        self.key = f"quiz:{quiz.id}"
        self.answers: dict[str, dict[str, Any]] = {}
        self.views = {q.id: QuestionView(q, i + 1, self._on_check)
                      for i, q in enumerate(quiz.questions)}
        self.score_html = w.HTML()
        self.score_html.add_class("tc-score")
        super().__init__([w.HTML(f"<h3>{html.escape(quiz.title, quote=False)}</h3>"),
                          *self.views.values(), self.score_html])
        self.add_class("tc-quiz")
        if progress is not None:
            saved = progress.get(self.key, {}) or {}
            for qid, answer in saved.get("answers", {}).items():
                if qid in self.views:
                    view = self.views[qid]
                    view.select(answer.get("selected", []))
                    self._mark(view)
        self._show_score()

    @classmethod
    def load(cls, quiz_id: str, progress: ProgressStore | None = None) -> Quiz:
        """The quiz in data/quizzes/<quiz_id>.yaml (or a path to a quiz file)."""
        quiz = load_quiz_file(quiz_id) if str(quiz_id).endswith(".yaml") else load_quiz(quiz_id)
        return cls(quiz, progress=progress)

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers.values() if a["correct"])

    @property
    def state(self) -> dict[str, Any]:
        return {"answers": {qid: {"selected": list(a["selected"]), "correct": a["correct"]}
                            for qid, a in self.answers.items()},
                "score": self.score, "answered": len(self.answers),
                "total": len(self.quiz.questions)}

    def _mark(self, view: QuestionView) -> bool:
        result = check_answer(view.question, view.selected())
        view.feedback.value = live_html(feedback_text(result))
        if not result.selected:
            return False
        self.answers[view.question.id] = {"selected": list(result.selected),
                                          "correct": result.correct}
        return True

    def _on_check(self, view: QuestionView) -> None:
        if self._mark(view):
            self._show_score()
            if self.progress is not None:
                self.progress.set(self.key, self.state)

    def _show_score(self) -> None:
        self.score_html.value = (f"<p>Score: {self.score} of {len(self.quiz.questions)} "
                                 f"({len(self.answers)} answered)</p>")
