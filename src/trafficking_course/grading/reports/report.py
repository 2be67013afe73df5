"""The cohort report: how a class did on one assignment, for the lecturer.

Everything is computed from the graded results in the gradebook, never by reading the
students' source text:

* the score histogram, its mean and alt text over the submissions (a student on the roster who
  submitted nothing is listed, with 0, but is not averaged in);
* per question: mean, facility (mean / points) and difficulty (1 - facility) over submissions;
  a written answer not yet marked by hand (reports/pending.py) is left out of them and
  counted as "still to mark";
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


_HEADING = re.compile(r"^(#{2,6})\s+(?P<text>.+?)\s*#*\s*$")
_POINTS = re.compile(r"\s*\((?:\d+(?:\.\d+)?\s+points?|[^)]*\bpoints?\b)[^)]*\)\s*", re.I)


def heading_title(text: str) -> str:
    """ "Question 1 (4 points): the fruit farm" -> "Question 1: the fruit farm" (the points are
    in the table's own column); markdown emphasis dropped."""
    text = _POINTS.sub("", text.replace("*", "").replace("`", "")).strip()
    return re.sub(r"\s+:", ":", text)


def question_titles(course: Course, assignment: str) -> dict[tuple[str, str], str]:
    """(notebook, grade_id) -> the question's title as the assignment gives it: the cell's
    metadata `{"trafficking_course": {"title": ...}}`, else the nearest heading above it
    (level 2 or deeper, points left out), else the grade id."""
    titles = {}
    for nb_id, nb in course.read_source(assignment).items():
        current = ""
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                for line in cell.source.splitlines():
                    m = _HEADING.match(line)
                    if m:
                        current = heading_title(m["text"])
            md = cell.get("metadata", {})
            gid = md.get("nbgrader", {}).get("grade_id")
            if gid and md.get("nbgrader", {}).get("grade"):
                titles[(nb_id, gid)] = md.get("trafficking_course", {}).get("title") or \
                    current or gid
    return titles


def _names(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c" """
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def with_elements(titles: dict[tuple[str, str], str],
                  elements: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Each title followed by the legal elements its question's cells test, in the order
    they come: "Question 1: the fruit farm (act, means, purpose)"."""
    tested: dict[str, list[str]] = {}
    for key, title in titles.items():
        element = elements.get(key)
        if element and element not in tested.setdefault(title, []):
            tested[title].append(element.replace("_", " "))
    return {key: f"{title} ({', '.join(tested[title])})" if tested.get(title) else title
            for key, title in titles.items()}


@dataclass
class CohortReport:
    assignment: str
    students: pd.DataFrame       # student, score, max_score, submitted, pending
    questions: pd.DataFrame      # question, notebook, max_score, mean, answers, pending,
    #                              facility, difficulty (over the answers marked)
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
    def pending(self) -> int:
        """Written answers of this assignment not yet marked by hand (reports/pending.py)."""
        return int(self.students["pending"].sum()) if "pending" in self.students else 0

    @property
    def most_missed_elements(self) -> list[str]:
        """Every element tied for the highest share missed (alphabetical)."""
        if self.elements.empty:
            return []
        top = self.elements["missed"].max()
        tied = self.elements[(self.elements["missed"] - top).abs() < 1e-9]
        return sorted(str(e) for e in tied["element"])

    @property
    def most_missed_element(self) -> str | None:
        """The first of `most_missed_elements` (alphabetical), or None."""
        tied = self.most_missed_elements
        return tied[0] if tied else None

    def missed_most_text(self) -> str:
        """ "act, means and purpose (tied at 0.67)" or "means (0.50)"; "" when none."""
        tied = self.most_missed_elements
        if not tied:
            return ""
        share = float(self.elements["missed"].max())
        names = _names([t.replace("_", " ") for t in tied])
        return f"{names} ({'tied at ' if len(tied) > 1 else ''}{share:.2f})"

    def _pending_html(self) -> str:
        if not self.pending:
            return "<p>Every written answer is marked.</p>"
        who = int((self.students["pending"] > 0).sum())
        return (f"<p><strong>Still to mark by hand: {self.pending} written answer(s) of {who} "
                "student(s).</strong> Their totals below are partial, and those answers are "
                "left out of each question's facility and difficulty until marked (column "
                "&ldquo;still to mark&rdquo;).</p>")

    def to_html(self) -> str:
        img = base64.b64encode(self.figure_png).decode()
        n = int(self.students["submitted"].sum())
        missed = self.missed_most_text()
        missed_text = (f"<p><strong>Legal element missed most:</strong> {html.escape(missed)}, "
                       "the share of the answers that needed it where it was decided wrongly "
                       "or not at all.</p>" if missed else
                       "<p>No question of this assignment is tied to a legal element.</p>")
        alt = (f"Histogram of total scores for {self.assignment}: {n} submissions, "
               f"mean {self.mean:.1f} of {self.students['max_score'].max():.1f} points.")
        shown = [c for c in ("title", "part", "max_score", "mean", "answers", "pending",
                             "facility", "difficulty", "question") if c in self.questions]
        questions = self.questions[shown].rename(columns={
            "title": "question", "max_score": "points", "mean": "mean score",
            "answers": "answers marked", "pending": "still to mark",
            "question": "cell (formgrader)"})
        elements = self.elements.assign(
            element=self.elements["element"].str.replace("_", " ")).rename(columns={
                "questions": "questions testing it", "missed": "share missed",
                "titles": "in"})
        students = self.students.assign(
            submitted=self.students["submitted"].map({True: "yes", False: "no"})).rename(
            columns={"max_score": "points", "pending": "answers still to mark"})
        return (
            f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>Cohort report: {html.escape(self.assignment)}</title>"
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}"
            "</style></head><body>"
            f"<h1>Cohort report: {html.escape(self.assignment)}</h1>"
            f"<p>{len(self.students)} students on the roster, {n} submitted. Scores are read "
            "from the nbgrader gradebook; a written answer counts once marked by hand.</p>"
            f"{self._pending_html()}"
            f"<p><strong>Mean score:</strong> {self.mean:.1f} of "
            f"{self.students['max_score'].max():.1f} points over the {n} submissions.</p>"
            f"{missed_text}"
            f"<h2>Score distribution</h2><img src='data:image/png;base64,{img}' "
            f"alt='{html.escape(alt)}'>"
            "<h2>Questions</h2><p>Facility is the mean score as a share of the points "
            "available, over the answers marked; difficulty is one minus facility.</p>"
            + questions.to_html(index=False, float_format=lambda v: f"{v:.2f}", na_rep="-")
            + "<h2>Legal elements</h2><p>Most missed first.</p>"
            + elements.to_html(index=False, float_format=lambda v: f"{v:.2f}")
            + self._similar_html()
            + "<h2>Students</h2>"
            + students.to_html(index=False, float_format=lambda v: f"{v:.1f}")
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
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students
    fig.text(0.01, 0.01, "Source: course gradebook (nbgrader)", fontsize=7)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()


def _element_table(sub: pd.DataFrame, elements: dict, titles: dict) -> pd.DataFrame:
    """Per legal element: how many questions test it, their titles, and the share of (marked)
    answers that missed it, sorted by what most students missed."""
    erows = []
    if elements and not sub.empty:
        tagged = sub.assign(element=pd.Series(
            [elements.get((n, q)) for n, q in zip(sub["notebook"], sub["question"], strict=True)],
            index=sub.index, dtype=object))
        tagged = tagged[tagged["element"].notna() & (tagged["max_score"] > 0)]
        for element, g in tagged.groupby("element"):
            named = dict.fromkeys(titles.get(k, k[1]).split(" (")[0] for k in
                                  zip(g["notebook"], g["question"], strict=True))
            erows.append({"element": element, "questions": g["question"].nunique(),
                          "titles": _names(list(named)),
                          "missed": float((g["score"] < g["max_score"]).mean())})
    etable = pd.DataFrame(erows, columns=["element", "questions", "titles", "missed"])
    return etable.sort_values(["missed", "element"], ascending=[False, True])


def cohort_report(course: Course | None = None, assignment: str = "", *,
                  write: bool = True) -> CohortReport:
    """Build (and by default write) the cohort report of one assignment."""
    course = course or Course.default()
    rows, questions = question_scores(course, assignment)
    df = pd.DataFrame(rows, columns=["student", "question", "notebook", "score", "max_score",
                                     "needs_manual_grade", "pending", "submitted"])
    df["pending"] = df["pending"].astype(bool)
    qmeta = pd.DataFrame(questions)
    written = {(q["notebook"], q["question"]) for q in questions if not q["auto"]}
    students = (df.groupby("student", as_index=False)
                .agg(score=("score", "sum"), max_score=("max_score", "sum"),
                     submitted=("submitted", "first"), pending=("pending", "sum")))
    # a written answer not yet marked by hand is no score: left out of the question figures
    sub = df[df["submitted"] & ~df["pending"]]
    per_q = (sub.groupby(["notebook", "question"], as_index=False)
             .agg(mean=("score", "mean"), answers=("score", "size")))
    waiting = (df[df["pending"]].groupby(["notebook", "question"]).size()
               .rename("pending").reset_index())
    per_q = per_q.merge(waiting, on=["notebook", "question"], how="outer")
    qtable = qmeta[["notebook", "question", "max_score", "index"]].merge(
        per_q, on=["notebook", "question"], how="left").sort_values(["notebook", "index"])
    qtable["answers"] = qtable["answers"].fillna(0).astype(int)
    qtable["pending"] = qtable["pending"].fillna(0).astype(int)
    qtable["facility"] = [m / x if x and n else float("nan") for m, x, n in
                          zip(qtable["mean"], qtable["max_score"], qtable["answers"],
                              strict=True)]
    qtable["difficulty"] = 1 - qtable["facility"]
    qtable = qtable.drop(columns=["index"])
    elements = question_elements(course, assignment)
    titles = with_elements(question_titles(course, assignment), elements)
    keys = list(zip(qtable["notebook"], qtable["question"], strict=True))
    qtable["title"] = [titles.get(k, k[1]) for k in keys]
    qtable["part"] = [elements[k].replace("_", " ") if k in elements else
                      "written answer" if k in written else "other checks" for k in keys]

    etable = _element_table(sub, elements, titles)
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
