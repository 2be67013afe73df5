"""Quiz files: every file in data/quizzes/ validates; bad files name file, question and field;
marking and feedback text are right."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from trafficking_course.content.quizzes import (
    check_answer,
    feedback,
    feedback_text,
    learner_seed,
    load_quiz,
    load_quiz_file,
    shuffled,
)
from trafficking_course.errors import QuizError
from trafficking_course.paths import data_dir

QUIZ_FILES = sorted((data_dir() / "quizzes").glob("*.yaml"))


def test_module_one_has_a_quiz():
    assert data_dir() / "quizzes" / "01-definitions.yaml" in QUIZ_FILES


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_every_quiz_file_validates(path):
    quiz = load_quiz_file(path)
    assert 3 <= len(quiz.questions) <= 6
    for q in quiz.questions:
        assert all(o.feedback for o in q.options), f"{path.name}: {q.id} lacks feedback"


GOOD = textwrap.dedent("""\
    id: quiz-x
    title: A test quiz
    questions:
      - id: q1
        prompt: Which one?
        kind: single
        options:
          - {text: A, correct: true, feedback: A is right.}
          - {text: B, correct: false, feedback: B is wrong.}
          - {text: D, correct: false, feedback: D is wrong too.}
      - id: q2
        prompt: Which ones?
        kind: multiple
        options:
          - {text: A, correct: true, feedback: A is in.}
          - {text: B, correct: true, feedback: B is in.}
          - {text: C, correct: false, feedback: C is out.}
        source: A source, 2000
      - id: q3
        prompt: Third one?
        kind: single
        options:
          - {text: Maybe, correct: false, feedback: No it is not.}
          - {text: Never, correct: true, feedback: Quite right.}
          - {text: Always, correct: false, feedback: Not always.}
    """)


def _write(tmp_path, text, name="quiz-x.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_good_quiz_loads(tmp_path):
    quiz = load_quiz_file(_write(tmp_path, GOOD))
    assert [q.id for q in quiz.questions] == ["q1", "q2", "q3"]
    assert quiz.question("q2").correct_indices == (0, 1)


def _mutate(edit):
    doc = yaml.safe_load(GOOD)
    edit(doc)
    return yaml.safe_dump(doc, sort_keys=False)


@pytest.mark.parametrize(("edit", "record", "field", "fragment"), [
    (lambda d: d["questions"][1].update(kind="essay"), "q2", "questions.1.kind",
     "is not one of"),
    (lambda d: d["questions"][2]["options"][0].pop("feedback"), "q3",
     "questions.2.options.0.feedback", "'feedback' is a required property"),
    (lambda d: d["questions"][0]["options"][1].update(correct=True), "q1", "options",
     "exactly one correct option, found 2"),
    (lambda d: d["questions"][0]["options"][0].update(correct=False), "q1", "options",
     "exactly one correct option, found 0"),
    (lambda d: [o.update(correct=False) for o in d["questions"][1]["options"]], "q2",
     "options", "at least one correct option"),
    (lambda d: d["questions"].pop(), "quiz-x", "questions", "is too short"),
    (lambda d: d["questions"][2].update(id="q1"), "q1", "id", "duplicate question id"),
    (lambda d: d["questions"][0].update(hint="x"), "q1", "questions.0.hint", "hint"),
    (lambda d: d.update(id="other"), "other", "id", "must equal the file name"),
    (lambda d: d["questions"][2]["options"].pop(), "q3", "options",
     "a question needs at least 3 options, found 2"),
])
def test_bad_quiz_names_file_question_and_field(tmp_path, edit, record, field, fragment):
    path = _write(tmp_path, _mutate(edit))
    with pytest.raises(QuizError) as info:
        load_quiz_file(path)
    err = info.value
    assert (err.file, err.record, err.field) == (str(path), record, field)
    assert fragment in str(err)
    assert str(path) in str(err)


def test_missing_quiz_and_bad_yaml(tmp_path):
    with pytest.raises(QuizError, match="file not found"):
        load_quiz("no-such-quiz")
    with pytest.raises(QuizError, match="not valid YAML"):
        load_quiz_file(_write(tmp_path, "id: [unclosed"))


def test_marking_single_and_multiple(tmp_path):
    quiz = load_quiz_file(_write(tmp_path, GOOD))
    q1, q2, _ = quiz.questions
    assert check_answer(q1, [0]).correct
    assert not check_answer(q1, [1]).correct
    assert check_answer(q2, [1, 0]).correct
    assert not check_answer(q2, [0]).correct           # one right answer missing
    assert not check_answer(q2, [0, 1, 2]).correct     # one wrong answer added
    with pytest.raises(QuizError, match="option 5 does not exist"):
        check_answer(q1, [5])


def test_feedback_reads_like_a_tutor(tmp_path):
    quiz = load_quiz_file(_write(tmp_path, GOOD))
    q2 = quiz.question("q2")
    fb = feedback(check_answer(q2, [0, 2]))
    assert (fb.kind, fb.headline) == ("partly", "Not quite: 2 options apply; you found 1, and "
                                                "ticked 1 that does not.")
    lines = fb.detail.splitlines()
    assert lines[0] == "- You ticked \u201cA\u201d, rightly. A is in."
    assert lines[1] == "- You missed \u201cB\u201d, which also applies. B is in."
    assert lines[2] == "- \u201cC\u201d does not apply. C is out."
    assert lines[-1] == "Source: A source, 2000"
    assert "You did not choose this" not in fb.text and "Right:" not in fb.text
    assert feedback_text(check_answer(q2, [0, 1])).startswith("Correct: you found all 2")
    assert feedback_text(check_answer(q2, [])).startswith("No answer yet")
    q1 = quiz.question("q1")
    wrong = feedback(check_answer(q1, [1]))
    assert (wrong.kind, wrong.headline) == ("wrong", "Not quite.")
    assert wrong.detail.splitlines()[:2] == ["You chose \u201cB\u201d. B is wrong.",
                                             "The answer is \u201cA\u201d. A is right."]
    right = feedback(check_answer(q1, [0]))
    assert right.headline == "Correct." and right.detail.startswith("A is right.")
    assert "Why not the others:" in right.detail


def test_seeded_order_is_reproducible_and_a_permutation(tmp_path):
    quiz = load_quiz_file(_write(tmp_path, GOOD))
    one, again, two = shuffled(quiz, 1), shuffled(quiz, 1), shuffled(quiz, 2)
    assert one == again
    for q, s1 in zip(quiz.questions, one.questions, strict=True):
        assert sorted(o.text for o in s1.options) == sorted(o.text for o in q.options)
    assert [q.options for q in one.questions] != [q.options for q in two.questions]


def test_learner_seed_is_drawn_once_and_kept(tmp_path):
    from trafficking_course.progress import ProgressStore
    store = ProgressStore(tmp_path / "p.progress.json")
    seed = learner_seed(store)
    assert learner_seed(ProgressStore(store.path)) == seed


# -- the quiz files themselves: no pattern a reader of the source or the book could learn -------
@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_correct_options_do_not_sit_in_the_same_yaml_position(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    # where each question's (first) correct option sits: one position for all of them would
    # let "always pick that one" pass the quiz in the source and the book
    first = {next(i for i, o in enumerate(q["options"]) if o["correct"]) + 1
             for q in doc["questions"]}
    assert len(first) > 1, (f"{path.name}: a correct option is option {first.pop()} of every "
                            "question in the YAML")


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_the_correct_option_is_not_usually_the_longest(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    singles = [q for q in doc["questions"] if q["kind"] == "single"]
    longest = [q["id"] for q in singles
               if max(q["options"], key=lambda o: len(o["text"].strip()))["correct"]]
    assert len(longest) <= len(singles) / 2, (
        f"{path.name}: the correct option is the longest in {len(longest)} of "
        f"{len(singles)} single-answer questions ({', '.join(longest)})")


@pytest.mark.parametrize("path", QUIZ_FILES, ids=lambda p: p.name)
def test_seeds_one_and_two_give_different_orders(path):
    quiz = load_quiz_file(path)
    one, two = shuffled(quiz, 1), shuffled(quiz, 2)
    assert any(a.options != b.options for a, b in zip(one.questions, two.questions,
                                                       strict=True)), path.name
