"""Quiz: a module's self-check, all questions at once, each with its own Check button.

A thin view over trafficking_course.content.quizzes: marking and feedback come from
check_answer() and feedback(); the questions from data/quizzes/<module-id>.yaml. The options of
each question are shown in an order drawn from a seed: Quiz.load(module, seed=N) gives a
reproducible order; without a seed, the learner's own seed kept in their progress store
(random at first use). Answers are saved by option text, not by position, so they survive any
order.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from trafficking_course.content.quizzes import (
    Question,
    QuizDefinition,
    check_answer,
    feedback,
    learner_seed,
    load_quiz,
    load_quiz_file,
    shuffled,
)
from trafficking_course.progress import ProgressStore
from trafficking_course.widgets._common import (
    ActivityWidget,
    feedback_widget,
    load_record,
    result_html,
    score_text,
)


class QuestionView(w.VBox):
    """One question: prompt, options (radio buttons or checkboxes), Check, feedback."""

    def __init__(self, question: Question, number: int,
                 on_check: Callable[[QuestionView], None]):
        self.question = question
        prompt = w.HTML(f"<p><b>Question {number}.</b> "
                        f"{html.escape(question.prompt, quote=False)}</p>")
        self.radio: w.RadioButtons | None = None
        self.boxes: list[w.Checkbox] = []
        choices: list[w.Widget]
        if question.kind == "single":
            # no description: the prompt above names the group, each option is its own label
            self.radio = w.RadioButtons(
                options=[(o.text, i) for i, o in enumerate(question.options)], index=None,
                layout=w.Layout(width="auto"))
            choices = [self.radio]
        else:
            self.boxes = [w.Checkbox(value=False, description=o.text, indent=False,
                                     layout=w.Layout(width="auto"))
                          for o in question.options]
            hint = [] if "all that apply" in question.prompt.lower() else \
                [w.HTML("<small>Choose all that apply.</small>")]
            choices = [*hint, *self.boxes]
        self.check_button = w.Button(description="Check",
                                     tooltip=f"Check your answer to question {number}",
                                     icon="check", layout=w.Layout(width="auto",
                                                                   align_self="flex-start"))
        self.check_button.on_click(lambda _b: on_check(self))
        self.feedback = feedback_widget()
        super().__init__([prompt, *choices, self.check_button, self.feedback],
                         layout=w.Layout(margin="0 0 1em 0"))
        self.add_class("tc-question")

    def selected(self) -> list[int]:
        """The display positions of the chosen options."""
        if self.radio is not None:
            return [] if self.radio.value is None else [self.radio.value]
        return [i for i, b in enumerate(self.boxes) if b.value]

    def select(self, indices: list[int]) -> None:
        if self.radio is not None:
            self.radio.value = indices[0] if indices else None
        else:
            for i, b in enumerate(self.boxes):
                b.value = i in indices

    def select_texts(self, texts: list[str]) -> None:
        """Choose the options with these texts (how answers are saved)."""
        self.select([i for i, o in enumerate(self.question.options) if o.text in texts])

    def chosen_texts(self) -> list[str]:
        return [self.question.options[i].text for i in self.selected()]


class Quiz(ActivityWidget):
    """A self-check quiz; `.state` holds the options as shown, the answers and the score."""

    def __init__(self, quiz: QuizDefinition, *, progress: ProgressStore | None = None,
                 seed: int | None = None):
        self.quiz = quiz
        saved = self.init_progress(progress, f"quiz:{quiz.id}")
        self.seed = learner_seed(progress) if seed is None else seed
        self.shown = shuffled(quiz, self.seed)
        self.answers: dict[str, dict[str, Any]] = {}
        self.views = {q.id: QuestionView(q, i + 1, self._on_check)
                      for i, q in enumerate(self.shown.questions)}
        self.score_html = w.HTML()
        self.score_html.add_class("tc-score")
        super().__init__([w.HTML(f"<h3>{html.escape(quiz.title, quote=False)}</h3>"),
                          *self.views.values(), self.score_html],
                         css_class="tc-quiz")
        self._restore(saved)
        self._show_score()

    @classmethod
    def load(cls, quiz_id: str, progress: ProgressStore | None = None, *,
             seed: int | None = None) -> Quiz:
        """The quiz in data/quizzes/<quiz_id>.yaml (or a path to a quiz file)."""
        return cls(load_record(quiz_id, load_quiz, load_quiz_file), progress=progress,
                   seed=seed)

    def _restore(self, saved: dict[str, Any]) -> None:
        for qid, answer in saved.get("answers", {}).items():
            if qid not in self.views or not isinstance(answer, dict):
                continue
            texts = [self._text(qid, x) for x in answer.get("selected", [])]
            self.views[qid].select_texts([t for t in texts if t])
            self._mark(self.views[qid])

    def _text(self, qid: str, saved: Any) -> str | None:
        """A saved option: its text; a number from before the shuffle: its YAML position."""
        if isinstance(saved, str):
            return saved
        options = self.quiz.question(qid).options
        return options[saved].text if isinstance(saved, int) and 0 <= saved < len(options) \
            else None

    @property
    def score(self) -> int:
        return sum(1 for a in self.answers.values() if a["correct"])

    @property
    def state(self) -> dict[str, Any]:
        return {"questions": {qid: [{"option": o.text, "chosen": i in v.selected()}
                                    for i, o in enumerate(v.question.options)]
                              for qid, v in self.views.items()},
                "answers": {qid: {"selected": list(a["selected"]), "correct": a["correct"]}
                            for qid, a in self.answers.items()},
                "score": self.score, "answered": len(self.answers),
                "total": len(self.quiz.questions)}

    def _mark(self, view: QuestionView) -> bool:
        result = check_answer(view.question, view.selected())
        fb = feedback(result)
        view.feedback.value = result_html(fb.kind, fb.headline, fb.detail)
        if not result.selected:
            return False
        self.answers[view.question.id] = {"selected": view.chosen_texts(),
                                          "correct": result.correct}
        return True

    def _on_check(self, view: QuestionView) -> None:
        if self._mark(view):
            self._show_score()
            self.save()

    def _show_score(self) -> None:
        text = score_text(self.score, len(self.answers), len(self.quiz.questions), "question")
        self.score_html.value = f"<p>{text}</p>"
