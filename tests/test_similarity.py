"""Similarity of written answers (grading/similarity.py): a planted near-copy and a paraphrase
are found, with their shared passages; two honest answers drawn from the same sources (both
quoting Art. 3 of the Trafficking Protocol) are not; nothing touches a grade. No kernels.
"""

from __future__ import annotations

import copy
import shutil

import nbformat
import pytest

from trafficking_course.__main__ import main
from trafficking_course.grading.course import Course
from trafficking_course.grading.reports import similarity

from .conftest import ROOT

ORIGINAL = """\
Mira's agreement does not matter because Art. 3(b) sets consent aside wherever one of the means
in 3(a) has been used. She agreed to a job that did not exist on the terms promised (deception),
and she was kept at work by a debt, a confiscated passport and the threat of arrest (other forms
of coercion, abuse of a position of vulnerability). Consent obtained by deception, or kept by
coercion, is not the free choice the law protects.

Tomi's willingness does not matter for a different reason: he is 16, a child under Art. 3(d),
and under Art. 3(c) the act and the purpose of exploitation are enough for a child. No means has
to be shown at all, so there is nothing for his consent to cancel.

For an adult, consent matters only when none of the means was used. Then the means element is
missing and the case is not trafficking in persons under the Protocol, however poor the working
conditions; labour law or other criminal law may still apply."""

NEAR_COPY = """\
Mira's agreement is not important because Art. 3(b) sets consent aside wherever one of the means
in 3(a) has been used. She agreed to a job that did not exist on the terms she was promised
(deception), and she was kept working by a debt, a confiscated passport and the threat of arrest
(other forms of coercion, abuse of a position of vulnerability). Consent obtained by deception,
or kept by coercion, is not the free choice that the law protects.

Tomi's willingness does not matter for another reason: he is 16, a child under Art. 3(d), and
under Art. 3(c) the act and the purpose of exploitation are enough for a child. No means has to
be shown at all, so there is nothing for his consent to cancel.

For an adult, consent matters only when none of the means was used. Then the means element is
missing and the case is not trafficking under the Protocol, however bad the working conditions;
labour law or other criminal law may still apply."""

PARAPHRASE = """\
Mira's agreement is beside the point since Article 3(b) puts consent aside whenever one of the
means listed in 3(a) was used. She accepted a job that did not exist on the promised terms
(deception), and she was held at work through a debt, a passport taken from her and the threat
of being arrested (other coercion, abuse of a position of vulnerability). Agreement won through
deception, or kept through coercion, is not the free decision the law protects.

Tomi's readiness is irrelevant for another reason: at 16 he is a child under Article 3(d), and
under 3(c) the act together with the purpose of exploitation suffices for a child. No means
needs to be proved, so his consent has nothing to cancel.

For adults, consent counts only where no means at all was used. In that case the means element
is absent and the facts are not trafficking in persons under the Protocol, however harsh the
work; labour law or other criminal offences might still be relevant."""

HONEST_1 = """\
The Protocol answers both cases in its own words. Article 3(b) says: "The consent of a victim of
trafficking in persons to the intended exploitation set forth in subparagraph (a) of this article
shall be irrelevant where any of the means set forth in subparagraph (a) have been used". Mira was
lied to about pay and conditions, and later the manager held her passport and threatened to call
the police, so deception and coercion were both present and what she signed carries no weight.
Tomi is sixteen. Article 3(d) makes anyone under eighteen a child and Article 3(c) removes the
means requirement for children, so his family's acquaintance only had to recruit and house him
for unpaid domestic servitude. Whether he went happily is beside the point. An adult who freely
takes a hard, badly paid job abroad, with no lie, threat or abuse involved, is in a different
position: without a means the definition is not met, even though employment law may be broken."""

HONEST_2 = """\
I would start with the child. Tomi is 16, so under Article 3(d) he counts as a child, and
Article 3(c) says that recruiting or harbouring a child for exploitation is trafficking "even if
this does not involve any of the means set forth in subparagraph (a) of this article". His
willingness therefore plays no role at all. Mira is an adult, so the means matter for her, and
they are there: the advertisement misled her about wages, and at the farm she was controlled
through a fake debt, the loss of her passport and fear of arrest. Because those means were used,
Article 3(b) makes her signature on the contract legally irrelevant; she never agreed to forced
labour. Consent would matter for an adult only if nobody had deceived, threatened or exploited a
vulnerability: a worker who accepts poor conditions knowingly is then not trafficked, though
other rules can protect her."""

ANSWERS = {"s-original": ORIGINAL, "s-near-copy": NEAR_COPY, "s-paraphrase": PARAPHRASE,
           "s-honest-1": HONEST_1, "s-honest-2": HONEST_2}


def _question_texts() -> list[str]:
    from trafficking_course.law.treaties import PARAGRAPHS

    nb = nbformat.read(str(ROOT / "exercises/source/definitions/definitions.ipynb"), 4)
    task = next(c.source for c in nb.cells if c.id == "q6_task").split("=== BEGIN")[0]
    return [task, *map(str, PARAGRAPHS.values())]


def test_copies_are_flagged_and_honest_answers_from_the_same_sources_are_not():
    pairs = similarity.similar_pairs(ANSWERS, _question_texts(), question="q6_answer")
    found = {frozenset((p.a, p.b)) for p in pairs}
    assert found == {frozenset(x) for x in (("s-original", "s-near-copy"),
                                            ("s-original", "s-paraphrase"),
                                            ("s-near-copy", "s-paraphrase"))}
    best = pairs[0]
    assert {best.a, best.b} == {"s-original", "s-near-copy"} and best.similarity > 0.9
    assert any("sets consent aside wherever one of the means in 3a has been used" in x
               for x in best.passages)
    para = next(p for p in pairs if {p.a, p.b} == {"s-original", "s-paraphrase"})
    assert 0.4 <= para.similarity < best.similarity
    assert any("abuse of a position of vulnerability" in x for x in para.passages)


def test_quoted_treaty_text_and_the_question_do_not_make_answers_alike():
    from trafficking_course.law.treaties import PARAGRAPHS

    quote = str(PARAGRAPHS["Trafficking Protocol, Art. 3(a)"])
    a = f"My own view comes first. {quote} That is all the Protocol says on it."
    b = f"{quote} Students reading this should notice how long the list of acts is."
    assert similarity.similar_pairs({"x": a, "y": b}, [quote], threshold=0.0) == []
    pairs = similarity.similar_pairs({"x": a, "y": b}, [], threshold=0.0)
    assert pairs and pairs[0].similarity > 0.8  # without removing the quotation: alike


def test_words_normalise_markdown_case_and_article_references():
    assert similarity.words("**Art. 3(b)** sets *Consent* aside.") == \
        ["art", "3b", "sets", "consent", "aside"]


@pytest.fixture
def graded_course(tmp_path) -> Course:
    """A course root with the definitions assignment and five graded notebooks (no kernel)."""
    root = tmp_path / "course"
    src = ROOT / "exercises/source/definitions"
    shutil.copytree(src, root / "source/definitions")
    shutil.copy(ROOT / "exercises/nbgrader_config.py", root)
    nb = nbformat.read(str(src / "definitions.ipynb"), 4)
    for student, text in ANSWERS.items():
        mine = copy.deepcopy(nb)
        for cell in mine.cells:
            if cell.id == "q6_answer":
                cell.source = text
        out = root / "autograded" / student / "definitions"
        out.mkdir(parents=True)
        nbformat.write(mine, str(out / "definitions.ipynb"))
    return Course(root)


def test_similarity_report_and_command_over_graded_notebooks(graded_course, capsys):
    pairs = similarity.similarity_report(graded_course, "definitions")
    q6 = {frozenset((p.a, p.b)) for p in pairs if p.question == "q6_answer"}
    assert q6 == {frozenset(x) for x in (("s-original", "s-near-copy"),
                                         ("s-original", "s-paraphrase"),
                                         ("s-near-copy", "s-paraphrase"))}
    q7 = [p for p in pairs if p.question == "q7_answer"]  # all five handed in the same text
    assert len(q7) == 10 and all(p.similarity == 1.0 for p in q7)
    csv_text = (graded_course.reports / "definitions-similarity.csv").read_text()
    assert csv_text.startswith("question,student_a,student_b,similarity,shared_passages")
    code = main(["grading", "similarity", "definitions", "--root", str(graded_course.root)])
    assert code == 0
    out = capsys.readouterr().out
    assert "q6_answer: s-near-copy and s-original: 0.95" in out
    assert "no grade is changed" in out
