"""The cohort report: how a class did on one assignment, for the lecturer.

Everything is computed from the graded results in the gradebook, never by reading the
students' source text:

* the score histogram, its mean and alt text over the submissions (a student on the roster who
  submitted nothing is listed, with 0, but is not averaged in);
* per question: mean, facility (mean / points) and difficulty (1 - facility) over submissions;
* the legal element students miss most. The assignments mark each element in its own test
  cell (partial credit by part), tied to the element by its metadata
  `{"trafficking_course": {"element": "means"}}` or an element key in its grade id. That cell
  ran against the student's variable as the kernel left it (whatever way the answer was
  written: a literal, `dict(...)`, a helper); an element is missed in a submission when one of
  its cells did not get full marks. Only the elements a question tests count for it.
* similar written answers (grading/reports/similarity.py), flagged for a human, never graded.

Written to reports/<assignment>.html; in a notebook, `cohort_report(...)` displays itself.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from trafficking_course.grading.course import Course
from trafficking_course.grading.cycle import question_scores


def _element_keys() -> list[str]:
    from trafficking_course.law import ELEMENTS

    keys = [k for group in ELEMENTS.values() for k in group]
    return sorted(keys, key=len, reverse=True)  # longest first: "not_national_or_resident"


def question_elements(course: Course, assignment: str) -> dict[tuple[str, str], str]:
    """(notebook, grade_id) -> legal element key, for the questions that test one."""
    keys = _element_keys()
    found = {}
    for nb_id, nb in course.read_source(assignment).items():
        for cell in nb.cells:
            md = cell.get("metadata", {})
            gid = md.get("nbgrader", {}).get("grade_id")
            if not gid or not md.get("nbgrader", {}).get("grade"):
                continue
            element = md.get("trafficking_course", {}).get("element")
            if not element:
                tokens = re.split(r"[^a-z]+", gid.lower())
                joined = "_".join(t for t in tokens if t)
                element = next((k for k in keys if re.search(rf"(^|_){k}(_|$)", joined)), None)
            if element:
                found[(nb_id, gid)] = element
    return found


@dataclass
class CohortReport:
    assignment: str
    students: pd.DataFrame       # student, score, max_score, submitted
    questions: pd.DataFrame      # question, notebook, max_score, mean, facility, difficulty
    elements: pd.DataFrame       # element, questions, missed (share of answers not full marks)
    figure_png: bytes
    similar: list = field(default_factory=list)   # similarity.Pair: flags, never grades
    path: Path | None = None

    @property
    def mean(self) -> float:
        """Mean total score over the submissions (not over every roster row)."""
        submitted = self.students[self.students["submitted"]]
        return float(submitted["score"].mean()) if len(submitted) else 0.0

    @property
    def most_missed_element(self) -> str | None:
        if self.elements.empty:
            return None
        return str(self.elements.iloc[0]["element"])

    def to_html(self) -> str:
        img = base64.b64encode(self.figure_png).decode()
        n = int(self.students["submitted"].sum())
        missed = self.most_missed_element
        missed_text = (f"<p><strong>Legal element missed most:</strong> {html.escape(missed)} "
                       f"(decided wrongly or not at all in "
                       f"{self.elements.iloc[0]['missed']:.0%} of the answers that needed "
                       f"it).</p>" if missed else
                       "<p>No question of this assignment is tied to a legal element.</p>")
        alt = (f"Histogram of total scores for {self.assignment}: {n} submissions, "
               f"mean {self.mean:.1f} of {self.students['max_score'].max():.1f} points.")
        return (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Cohort report: {html.escape(self.assignment)}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
            "</style></head><body>"
            f"<h1>Cohort report: {html.escape(self.assignment)}</h1>"
            f"<p>{len(self.students)} students on the roster, {n} submitted. Scores are read "
            "from the nbgrader gradebook; manually graded answers count once graded.</p>"
            f"<p><strong>Mean score:</strong> {self.mean:.1f} of "
            f"{self.students['max_score'].max():.1f} points over the {n} submissions.</p>"
            f"{missed_text}"
            f"<h2>Score distribution</h2><img src='data:image/png;base64,{img}' "
            f"alt='{html.escape(alt)}'>"
            "<h2>Questions</h2><p>Facility is the mean score as a share of the points "
            "available; difficulty is one minus facility.</p>"
            + self.questions.to_html(index=False, float_format=lambda v: f"{v:.2f}")
            + "<h2>Legal elements</h2>"
            + self.elements.to_html(index=False, float_format=lambda v: f"{v:.2f}")
            + self._similar_html()
            + "<h2>Students</h2>"
            + self.students.to_html(index=False, float_format=lambda v: f"{v:.1f}")
            + "</body></html>"
        )

    def _similar_html(self) -> str:
        head = ("<h2>Written answers unusually alike</h2><p>Pairs of students whose answers to "
                "a question share much of their wording in the same order, once the question's "
                "text and quoted treaty text are removed. A flag for a human to read both "
                "answers; no grade is changed.</p>")
        if not self.similar:
            return head + "<p>No pair of written answers is unusually alike.</p>"
        rows = "".join(
            f"<tr><td>{html.escape(p.question)}</td><td>{html.escape(p.a)}</td>"
            f"<td>{html.escape(p.b)}</td><td>{p.similarity:.2f}</td><td>"
            + "<br>".join(f"&ldquo;{html.escape(x)}&rdquo;" for x in p.passages[:5])
            + "</td></tr>" for p in self.similar)
        return (head + "<table><tr><th>question</th><th>student</th><th>student</th>"
                "<th>similarity</th><th>shared passages</th></tr>" + rows + "</table>")

    def _repr_html_(self) -> str:
        return self.to_html()


def _histogram(assignment: str, scores: pd.Series, max_score: float) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    bins = max(5, min(20, int(max_score) + 1))
    ax.hist(scores, bins=bins, range=(0, max(max_score, 1)), color="#0072B2",
            edgecolor="white")
    ax.set_title(f"Total scores, {assignment}")
    ax.set_xlabel("score (points)")
    ax.set_ylabel("students (count)")
    fig.text(0.01, 0.01, "Source: course gradebook (nbgrader)", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def cohort_report(course: Course | None = None, assignment: str = "", *,
                  write: bool = True) -> CohortReport:
    """Build (and by default write) the cohort report of one assignment."""
    course = course or Course.default()
    rows, questions = question_scores(course, assignment)
    df = pd.DataFrame(rows, columns=["student", "question", "notebook", "score", "max_score",
                                     "needs_manual_grade", "submitted"])
    qmeta = pd.DataFrame(questions)
    students = (df.groupby("student", as_index=False)
                .agg(score=("score", "sum"), max_score=("max_score", "sum"),
                     submitted=("submitted", "first")))
    sub = df[df["submitted"]]
    per_q = (sub.groupby(["notebook", "question"], as_index=False)
             .agg(mean=("score", "mean"), answers=("score", "size")))
    qtable = qmeta[["notebook", "question", "max_score", "index"]].merge(
        per_q, on=["notebook", "question"], how="left").sort_values(["notebook", "index"])
    qtable["mean"] = qtable["mean"].fillna(0.0)
    qtable["facility"] = [m / x if x else float("nan")
                          for m, x in zip(qtable["mean"], qtable["max_score"], strict=True)]
    qtable["difficulty"] = 1 - qtable["facility"]
    qtable = qtable.drop(columns=["index"])

    elements = question_elements(course, assignment)
    erows = []
    if elements and not sub.empty:
        tagged = sub.assign(element=pd.Series(
            [elements.get((n, q)) for n, q in zip(sub["notebook"], sub["question"], strict=True)],
            index=sub.index, dtype=object))
        tagged = tagged[tagged["element"].notna() & (tagged["max_score"] > 0)]
        for element, g in tagged.groupby("element"):
            erows.append({"element": element, "questions": g["question"].nunique(),
                          "missed": float((g["score"] < g["max_score"]).mean())})
    etable = pd.DataFrame(erows, columns=["element", "questions", "missed"])
    etable = etable.sort_values(["missed", "element"], ascending=[False, True])
    max_total = float(students["max_score"].max()) if len(students) else 0.0
    png = _histogram(assignment, students.loc[students["submitted"], "score"], max_total)
    from trafficking_course.grading.reports.similarity import similarity_report

    report = CohortReport(assignment, students, qtable.reset_index(drop=True),
                          etable.reset_index(drop=True), png,
                          similar=similarity_report(course, assignment, write=write))
    if write:
        course.reports.mkdir(parents=True, exist_ok=True)
        report.path = course.reports / f"{assignment}.html"
        report.path.write_text(report.to_html(), encoding="utf-8")
    return report
