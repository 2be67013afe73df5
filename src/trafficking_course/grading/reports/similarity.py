"""Written answers that are unusually alike: pairs for a human to look at, never a grade.

For each manually graded answer of an assignment (a markdown answer cell with points), every
pair of students is compared:

1. **Normalise** each answer: lower case, markdown and punctuation removed, numbers and
   article references kept as words. Then cut out every run of `QUOTE_WORDS` or more words
   that also occurs in the question's own text (the task cell as released) or in a treaty text
   the course quotes (law/treaties.py): two students who quote Art. 3(b) or repeat the
   question are not alike for that.
2. **Compare the content words** (common function words dropped) in their order, with
   rapidfuzz's Indel similarity (a normalised longest common subsequence): a copy keeps nearly
   all of them in order, a paraphrase that swaps words and clauses keeps many, two honest
   answers drawn from the same sources share terms but not their order.
3. **Flag** a pair when the similarity is at least `threshold` (`THRESHOLD`, 0.4: in the
   tests a near-copy scores 0.95, a paraphrase 0.6, honest answers from the same sources 0.1
   to 0.15), and list the passages the two share (runs of `PASSAGE_WORDS` or more words,
   in the first student's normalised wording).

Written to reports/<assignment>-similarity.csv; `make similarity ASSIGNMENT=x` prints it and
the cohort report shows it. Nothing here reads or writes a grade.
"""

from __future__ import annotations

import csv
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import course_markers

THRESHOLD = 0.4
QUOTE_WORDS = 6
PASSAGE_WORDS = 4
MIN_WORDS = 20

#: Function words that carry no content (kept short: content words decide likeness).
STOPWORDS = frozenset(" ".join((
    "a an the and or but if then than so as of to in on at by for with from into onto over ",
    "under is are was were be been being am do does did has have had not no nor this that ",
    "these those it its it's he she him her his hers they them their there here we us our ",
    "you your i me my who whom whose which what when where why how all any each every some ",
    "such only also very can could may might must shall should will would just more most ",
    "other another same own both ",
)).split())


@dataclass
class Pair:
    question: str
    a: str
    b: str
    similarity: float
    passages: list[str] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Lower-case words of a text without markdown or punctuation ("3(b)" stays "3b")."""
    text = re.sub(r"[*_`>#\[\]]", " ", text.lower())
    text = re.sub(r"(\d)\(([a-z])\)", r"\1\2", text)
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def _ngrams(seq: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(seq[i:i + n]) for i in range(len(seq) - n + 1)}


def strip_quoted(answer: list[str], references: list[str]) -> list[str]:
    """`answer` without any run of QUOTE_WORDS words that occurs in one of `references`."""
    quoted: set[tuple[str, ...]] = set()
    for ref in references:
        quoted |= _ngrams(words(ref), QUOTE_WORDS)
    drop = [False] * len(answer)
    for i in range(len(answer) - QUOTE_WORDS + 1):
        if tuple(answer[i:i + QUOTE_WORDS]) in quoted:
            drop[i:i + QUOTE_WORDS] = [True] * QUOTE_WORDS
    return [w for w, d in zip(answer, drop, strict=True) if not d]


def content(seq: list[str]) -> list[str]:
    return [w for w in seq if w not in STOPWORDS]


def compare(a: list[str], b: list[str]) -> tuple[float, list[str]]:
    """(similarity of the content words in order, shared passages) of two normalised texts."""
    from rapidfuzz.distance import Indel

    ca, cb = content(a), content(b)
    if not ca or not cb:
        return 0.0, []
    score = float(Indel.normalized_similarity(ca, cb))
    passages = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal" and op.src_end - op.src_start >= PASSAGE_WORDS:
            passages.append(" ".join(a[op.src_start:op.src_end]))
    return score, passages


def similar_pairs(answers: dict[str, str], references: list[str], question: str = "",
                  threshold: float = THRESHOLD) -> list[Pair]:
    """Pairs of students whose answers (student -> text) are unusually alike."""
    cleaned = {s: strip_quoted(words(t), references) for s, t in answers.items()}
    cleaned = {s: w for s, w in cleaned.items() if len(content(w)) >= MIN_WORDS}
    pairs = []
    for a, b in itertools.combinations(sorted(cleaned), 2):
        score, passages = compare(cleaned[a], cleaned[b])
        if score >= threshold:
            pairs.append(Pair(question, a, b, round(score, 3), passages))
    return sorted(pairs, key=lambda p: (-p.similarity, p.question, p.a, p.b))


# -- an assignment's written answers ---------------------------------------------------------
def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def written_questions(course: Course, assignment: str) -> dict[tuple[str, str], list[str]]:
    """(notebook, grade id) of each written answer -> the texts to cut out of answers to it:
    the task cell above it as students see it (no mark scheme), and the treaty texts."""
    from trafficking_course.law.treaties import PARAGRAPHS

    treaty = [str(t) for t in PARAGRAPHS.values()]
    scheme_begins = course_markers(course).mark_scheme[0]
    found = {}
    release = course.step_dir("release") / assignment
    for nb_id, source in course.read_source(assignment).items():
        path = release / f"{nb_id}.ipynb"
        nb = nbformat.read(str(path), as_version=4) if path.is_file() else source
        before = ""
        for cell in nb.cells:
            m = _nbg(cell)
            if cell.cell_type == "markdown" and m.get("grade") and m.get("solution"):
                found[(nb_id, m["grade_id"])] = [before.split(scheme_begins)[0],
                                                 *treaty]
            before = cell.source if m.get("task") or m.get("locked") else before
    return found


def answers_of(course: Course, assignment: str, nb_id: str, grade_id: str) -> dict[str, str]:
    """student -> the text of one written answer, from each graded (autograded) notebook."""
    base = course.step_dir("autograded")
    out = {}
    for path in sorted(base.glob(f"*/{assignment}/{nb_id}.ipynb")):
        try:
            nb = nbformat.read(str(path), as_version=4)
        except Exception:
            continue
        for cell in nb.cells:
            if _nbg(cell).get("grade_id") == grade_id:
                out[path.relative_to(base).parts[0]] = cell.source
                break
    return out


def similarity_report(course: Course, assignment: str, *, threshold: float = THRESHOLD,
                      write: bool = True) -> list[Pair]:
    """Every flagged pair of every written answer; also reports/<assignment>-similarity.csv."""
    course.check_assignment(assignment)
    pairs: list[Pair] = []
    for (nb_id, gid), refs in written_questions(course, assignment).items():
        answers = answers_of(course, assignment, nb_id, gid)
        pairs += similar_pairs(answers, refs, question=gid, threshold=threshold)
    if write:
        write_csv(course.reports / f"{assignment}-similarity.csv", pairs)
    return pairs


def write_csv(out: Path, pairs: list[Pair]) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["question", "student_a", "student_b", "similarity", "shared_passages"])
        for p in pairs:
            w.writerow([p.question, p.a, p.b, f"{p.similarity:.3f}", " | ".join(p.passages)])
    return out


def summary(assignment: str, pairs: list[Pair]) -> str:
    lines = [f"similarity {assignment}: {len(pairs)} pair(s) of written answers unusually alike "
             f"(flags for a human to read; no grade is changed)"]
    for p in pairs:
        lines.append(f"  {p.question}: {p.a} and {p.b}: {p.similarity:.2f}")
        lines += [f"      shared: \"{s}\"" for s in p.passages[:5]]
    return "\n".join(lines)
