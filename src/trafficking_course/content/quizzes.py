"""Self-check quizzes: data/quizzes/<module-id>.yaml, validated against content/schemas/quiz.json.

A quiz has 3 to 6 questions, each with at least three options; a question of kind `single` has
exactly one correct option, one of kind `multiple` at least one. A bad file raises QuizError
naming the file, the question id and the field. check_answer() and feedback() are pure: the
Quiz widget only displays them.

Options are shown in an order drawn from a seed (shuffled(quiz, seed)): the same seed gives the
same order, so a learner's order can be kept by keeping the seed (learner_seed()).
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from trafficking_course.content.records import RecordKind, validate
from trafficking_course.errors import QuizError

SCHEMA = "quiz"
MIN_OPTIONS = 3
#: The progress-store key of a learner's own seed for the order of quiz options.
LEARNER_SEED_KEY = "learner:quiz-order-seed"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    kind: str  # "single" | "multiple"
    options: tuple[Option, ...]
    source: str | None = None

    @property
    def correct_indices(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class QuizDefinition:
    id: str
    title: str
    questions: tuple[Question, ...]
    file: str = ""

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise QuizError(f"no question with id {question_id!r}", file=self.file,
                        record=question_id)


@dataclass(frozen=True)
class OptionResult:
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    selected: tuple[int, ...]
    correct: bool
    options: tuple[OptionResult, ...]
    source: str | None = None
    question_kind: str = "single"


def _check_option_counts(doc: Any, file: str | Path) -> None:
    """A question with fewer than three options: one clear error (before the schema's)."""
    questions = doc.get("questions") if isinstance(doc, dict) else None
    for raw in questions if isinstance(questions, list) else []:
        options = raw.get("options") if isinstance(raw, dict) else None
        if isinstance(options, list) and len(options) < MIN_OPTIONS:
            raise QuizError(f"a question needs at least {MIN_OPTIONS} options, found "
                            f"{len(options)}", file=file, record=str(raw.get("id")),
                            field="options")


def parse_quiz(doc: Any, *, file: str | Path) -> QuizDefinition:
    """Validate a quiz document (from YAML) and build it; QuizError on any problem."""
    _check_option_counts(doc, file)
    validate(doc, SCHEMA, QuizError, file=file)
    seen: set[str] = set()
    questions = []
    for raw in doc["questions"]:
        qid = raw["id"]
        if qid in seen:
            raise QuizError("duplicate question id", file=file, record=qid, field="id")
        seen.add(qid)
        n_correct = sum(1 for o in raw["options"] if o["correct"])
        if raw["kind"] == "single" and n_correct != 1:
            raise QuizError(f"a question of kind 'single' needs exactly one correct option, "
                            f"found {n_correct}", file=file, record=qid, field="options")
        if raw["kind"] == "multiple" and n_correct < 1:
            raise QuizError("a question of kind 'multiple' needs at least one correct option",
                            file=file, record=qid, field="options")
        options = tuple(Option(o["text"].strip(), o["correct"], o["feedback"].strip())
                        for o in raw["options"])
        questions.append(Question(qid, raw["prompt"].strip(), raw["kind"], options,
                                  raw.get("source")))
    return QuizDefinition(doc["id"], doc["title"], tuple(questions), str(file))


#: Quizzes: data/quizzes/<quiz id>.yaml.
QUIZZES: RecordKind[QuizDefinition] = RecordKind("quizzes", QuizError, parse_quiz)
load_quiz_file = QUIZZES.load_file
load_quiz = QUIZZES.load
quiz_dir = QUIZZES.folder_path


def check_answer(question: Question, selected: Iterable[int]) -> QuestionResult:
    """Mark an answer (indices of the chosen options): correct when exactly the right ones."""
    chosen = tuple(sorted(set(selected)))
    for i in chosen:
        if not 0 <= i < len(question.options):
            raise QuizError(f"option {i} does not exist (the question has "
                            f"{len(question.options)})", record=question.id, field="options")
    correct = chosen == question.correct_indices
    options = tuple(OptionResult(o.text, i in chosen, o.correct, o.feedback)
                    for i, o in enumerate(question.options))
    return QuestionResult(question.id, chosen, correct, options, question.source, question.kind)


@dataclass(frozen=True)
class Feedback:
    """What a tutor says after Check: a result (kind and headline), then the detail lines."""

    kind: str       # "correct" | "partly" | "wrong" | "info"
    headline: str
    detail: str = ""

    @property
    def text(self) -> str:
        return f"{self.headline}\n{self.detail}".rstrip("\n")


def _quoted(o: OptionResult) -> str:
    return f"\u201c{o.text}\u201d"


def _single_feedback(result: QuestionResult) -> Feedback:
    chosen = next(o for o in result.options if o.chosen)
    right = next(o for o in result.options if o.correct)
    others = [o for o in result.options if o is not chosen and o is not right]
    if result.correct:
        lines = [chosen.feedback]
        kind, headline = "correct", "Correct."
    else:
        lines = [f"You chose {_quoted(chosen)}. {chosen.feedback}",
                 f"The answer is {_quoted(right)}. {right.feedback}"]
        kind, headline = "wrong", "Not quite."
    if others:
        lines.append("Why not the others:" if result.correct else "The other options:")
        lines.extend(f"- {_quoted(o)}: {o.feedback}" for o in others)
    return Feedback(kind, headline, "\n".join(lines))


def _option_line(o: OptionResult) -> str:
    if o.chosen and o.correct:
        return f"- You ticked {_quoted(o)}, rightly. {o.feedback}"
    if o.chosen:
        return f"- {_quoted(o)} does not apply. {o.feedback}"
    if o.correct:
        return f"- You missed {_quoted(o)}, which also applies. {o.feedback}"
    return f"- You rightly left out {_quoted(o)}. {o.feedback}"


def _multiple_feedback(result: QuestionResult) -> Feedback:
    n_right = sum(1 for o in result.options if o.correct)
    found = sum(1 for o in result.options if o.correct and o.chosen)
    wrong = sum(1 for o in result.options if o.chosen and not o.correct)
    if result.correct:
        kind = "correct"
        headline = f"Correct: you found all {n_right} options that apply." if n_right > 1 \
            else "Correct: only that option applies."
    else:
        kind = "partly" if found else "wrong"
        applies = f"{n_right} options apply" if n_right > 1 else "one option applies"
        extra = f", and ticked {wrong} that {'does' if wrong == 1 else 'do'} not" if wrong \
            else ""
        headline = f"Not quite: {applies}; you found {found}{extra}."
    return Feedback(kind, headline, "\n".join(_option_line(o) for o in result.options))


def feedback(result: QuestionResult) -> Feedback:
    """The tutor's feedback for one checked question, options in the order they were shown."""
    if not result.selected:
        return Feedback("info", "No answer yet: choose an option, then press Check.")
    single = result.question_kind == "single" and len(result.selected) == 1
    fb = _single_feedback(result) if single else _multiple_feedback(result)
    if result.source:
        fb = replace(fb, detail=f"{fb.detail}\nSource: {result.source}")
    return fb


def feedback_text(result: QuestionResult) -> str:
    """feedback() as plain text: the headline, then one line per statement."""
    return feedback(result).text


def option_order(quiz_id: str, question: Question, seed: int) -> tuple[int, ...]:
    """The display order of a question's options (indices into the YAML order) for a seed."""
    order = list(range(len(question.options)))
    random.Random(f"{seed}:{quiz_id}:{question.id}").shuffle(order)
    return tuple(order)


def shuffled(quiz: QuizDefinition, seed: int) -> QuizDefinition:
    """The quiz with each question's options in the order drawn from seed."""
    questions = tuple(
        replace(q, options=tuple(q.options[i] for i in option_order(quiz.id, q, seed)))
        for q in quiz.questions)
    return replace(quiz, questions=questions)


def learner_seed(progress: object | None) -> int:
    """A learner's own seed: drawn at random on first use and kept in their progress store
    (get/set), so that reopening shows the same order and two learners see different ones."""
    get = getattr(progress, "get", None)
    saved = get(LEARNER_SEED_KEY) if get is not None else None
    if isinstance(saved, int):
        return saved
    seed = secrets.randbelow(2**31)
    if progress is not None:
        progress.set(LEARNER_SEED_KEY, seed)  # type: ignore[attr-defined]
    return seed


def score(results: Iterable[QuestionResult]) -> int:
    return sum(1 for r in results if r.correct)
