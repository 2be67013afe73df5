"""The self-checks measure understanding: application questions, sources, real choices."""

from __future__ import annotations

import pytest

from trafficking_course.content.quizzes import load_quiz

from .conftest import ROOT

QUIZZES = sorted(p.stem for p in (ROOT / "data" / "quizzes").glob("*.yaml"))
#: An application question sets out a short new case, marked as made for teaching.
APPLICATION_MARK = "constructed for teaching"
#: The modules that teach the law itself (the definitions, forced labour and vulnerability, who
#: defines, smuggling, and the case of Nigerian women in Norway).
LAW_MODULES = ("01", "02", "03", "04", "09")


def test_every_module_has_a_quiz():
    modules = sorted(p.stem for p in (ROOT / "course").glob("0[1-9]-*.ipynb"))
    assert modules == QUIZZES


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_each_quiz_has_at_least_two_application_questions(quiz_id):
    quiz = load_quiz(quiz_id)
    cases = [q.id for q in quiz.questions if APPLICATION_MARK in q.prompt.lower()]
    assert len(cases) >= 2, f"{quiz_id}: application questions {cases}"


@pytest.mark.parametrize("quiz_id", [q for q in QUIZZES if q[:2] in LAW_MODULES])
def test_in_the_law_modules_at_least_half_the_questions_apply_the_law_to_a_case(quiz_id):
    questions = load_quiz(quiz_id).questions
    cases = [q.id for q in questions if APPLICATION_MARK in q.prompt.lower()]
    assert 2 * len(cases) >= len(questions), f"{quiz_id}: only {cases} of {len(questions)}"


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_every_question_cites_a_source_and_offers_a_real_choice(quiz_id):
    """A source, distinct options, and a distractor whose feedback says why it is wrong."""
    for q in load_quiz(quiz_id).questions:
        assert q.source and len(q.source) > 10, f"{quiz_id} {q.id}: no source"
        # (at least three options: the loader refuses fewer) no two options say the same thing
        texts = [" ".join(o.text.lower().split()) for o in q.options]
        assert len(set(texts)) == len(texts), f"{quiz_id} {q.id}: an option is repeated"
        wrong = [o for o in q.options if not o.correct]
        assert wrong, f"{quiz_id} {q.id}: no distractor"
        assert all(len(o.feedback.split()) >= 8 for o in wrong), \
            f"{quiz_id} {q.id}: a distractor's feedback does not say why it is wrong"
