"""Self-check quizzes: data/quizzes/<module-id>.yaml, validated against quiz_schema.json.

A quiz has 3 to 6 questions; a question of kind `single` has exactly one correct option, one of
kind `multiple` at least one. A bad file raises QuizError naming the file, the question id and
the field. check_answer() and feedback_text() are pure: the Quiz widget only displays them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trafficking_course.content.records import RecordKind, validate
from trafficking_course.errors import QuizError

SCHEMA = "quiz"


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


def parse_quiz(doc: Any, *, file: str | Path) -> QuizDefinition:
    """Validate a quiz document (from YAML) and build it; QuizError on any problem."""
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
    return QuestionResult(question.id, chosen, correct, options, question.source)


def feedback_text(result: QuestionResult) -> str:
    """The feedback for one checked question: a verdict line, then one line per option."""
    if not result.selected:
        return "No answer yet: choose an option, then press Check."
    if result.correct:
        lines = ["Correct."]
    else:
        right = sum(1 for o in result.options if o.correct)
        lines = ["Not quite." + (f" {right} options are correct." if right > 1 else "")]
    for o in result.options:
        if o.chosen:
            mark = "You chose this; it is right." if o.correct else \
                "You chose this; it is not right."
        else:
            mark = "You did not choose this, but it is right." if o.correct else \
                "Not chosen; rightly so."
        lines.append(f"{o.text}: {mark} {o.feedback}")
    if result.source:
        lines.append(f"Source: {result.source}")
    return "\n".join(lines)


def score(results: Iterable[QuestionResult]) -> int:
    return sum(1 for r in results if r.correct)
