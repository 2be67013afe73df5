"""The leak scan: no solution text, hidden test or mark scheme may reach release/ or feedback/.

The secrets come from the assignment's source notebooks: nbgrader's solution regions
(### BEGIN SOLUTION ... ### END SOLUTION, or a whole solution cell without markers), hidden-test
regions and mark-scheme regions, with the markers the course's nbgrader_config.py sets
(markers.py). Each secret is cut into lines; lines too short to be telling
(under MIN_CHARS characters) and lines that also occur in the public part of the source (a
function signature, an import, a dict entry a visible test also uses) are dropped. A leak is
a remaining line found in the text of a released notebook (sources and outputs) or of a
feedback page; long prose lines are also checked sentence by sentence. In feedback a line
the student typed themselves (it is in their submitted notebook) is not a leak: a correct
answer may equal the model answer.

A page may also carry a secret encoded: an answer cell that printed what it found in base64 or
hex. Every base64 or hex run of a page is decoded and scanned as well, and the assert
messages of the hidden tests are secrets of their own (a message is what a failed hidden test
would show). cycle.feedback removes a page that fails the scan and lists its student.
"""

from __future__ import annotations

import base64
import binascii
import html.parser
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from trafficking_course.errors import GradingError
from trafficking_course.grading.course import Course
from trafficking_course.grading.markers import Markers, course_markers

MIN_CHARS = 12


@dataclass(frozen=True)
class Secret:
    kind: str          # "solution" | "hidden test" | "mark scheme"
    notebook: str
    cell: str          # the cell's grade_id (or index)
    line: str          # normalised text


@dataclass(frozen=True)
class Leak:
    file: str
    secret: Secret

    def __str__(self) -> str:
        s = self.secret
        return (f"{self.file}: {s.kind} of {s.notebook} cell {s.cell!r} appears: "
                f"{s.line[:80]!r}")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _split_regions(cell, markers: Markers) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, line) secret lines and the public lines of one source cell."""
    from nbgrader import utils

    regions = markers.regions()
    lines = cell.source.splitlines()
    has_marker = any(b in cell.source for b, _ in regions.values())
    if utils.is_solution(cell) and not has_marker:
        # nbgrader replaces a whole solution cell without markers by its stub
        return [("solution", line) for line in lines], []
    secret, public, current = [], [], None
    for line in lines:
        begin = next((k for k, (b, _) in regions.items() if b in line), None)
        end = next((k for k, (_, e) in regions.items() if e in line), None)
        if begin:
            current = begin
        elif end:
            current = None
        elif current:
            secret.append((current, line))
        else:
            public.append(line)
    return secret, public


SENTENCE_CHARS = 30


def _pieces(line: str) -> list[str]:
    """A line and, when it is a long prose line, each of its sentences long enough to tell."""
    pieces = [line]
    if len(line) > 2 * SENTENCE_CHARS:
        pieces += [p for p in re.split(r"(?<=[.;:!?])\s+", line)
                   if len(p) >= SENTENCE_CHARS and p != line]
    return pieces


def _telling(line: str) -> bool:
    return len(line) >= MIN_CHARS and bool(re.search(r"[A-Za-z0-9]", line))


_MESSAGE = re.compile(r"""^\s*assert\b.*,\s*(?:[rfbu]{0,2})(["'])(?P<msg>.+?)\1\s*\)?\s*$""")


def _messages(secret: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The assert messages (string literals) of a cell's hidden-test lines."""
    found = []
    for kind, line in secret:
        m = _MESSAGE.match(line) if kind == "hidden test" else None
        if m:
            found.append(("hidden test", m.group("msg")))
    return found


def secrets_of(course: Course, assignment: str) -> list[Secret]:
    """Every telling secret line of the assignment's source notebooks."""
    found: list[Secret] = []
    public: list[str] = []
    markers = course_markers(course)
    for nb_id, nb in course.read_source(assignment).items():
        for i, cell in enumerate(nb.cells):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", str(i))
            secret, pub = _split_regions(cell, markers)
            secret += _messages(secret)
            public.extend(normalise(p) for p in pub)
            public.append(normalise(" ".join(pub)))  # a phrase across the cell's lines
            found.extend(Secret(kind, nb_id, gid, piece) for kind, line in secret
                         for piece in _pieces(normalise(line)))
    public_text = "\n".join(public)
    unique = {(s.kind, s.line): s for s in found
              if _telling(s.line) and s.line not in public_text}
    return list(unique.values())


def notebook_text(path: Path) -> str:
    """Sources and textual outputs of a notebook, normalised; GradingError if unreadable."""
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:
        raise GradingError(f"not a readable notebook: {exc}", file=path) from None
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            parts.extend(str(v) for v in out.get("data", {}).values())
            parts.extend(out.get("traceback", []))
            parts.append(str(out.get("evalue", "")))
    return normalise("\n".join(parts))


class _TextOf(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _TextOf()
    parser.feed(Path(path).read_text(encoding="utf-8", errors="replace"))
    return normalise("".join(parser.parts))


def file_text(path: Path) -> str:
    if path.suffix == ".ipynb":
        return notebook_text(path)
    if path.suffix in (".html", ".htm"):
        return html_text(path)
    return normalise(path.read_text(encoding="utf-8", errors="replace"))


_TEXT_SUFFIXES = {".ipynb", ".html", ".htm", ".py", ".md", ".txt", ".csv", ".json"}


_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){12,}")
MAX_RUN = 1_000_000


def decoded_runs(text: str) -> str:
    """The text hidden in the base64 and hex runs of `text` (those that decode to text),
    normalised; "" if none."""
    found = []
    for pattern, decode in ((_HEX, bytes.fromhex),
                            (_BASE64, lambda r: base64.b64decode(r, validate=True))):
        for m in pattern.finditer(text):
            run = m.group(0)
            if len(run) > MAX_RUN:
                continue
            try:
                raw = decode(run)
            except (ValueError, binascii.Error):
                continue
            decoded = raw.decode("utf-8", errors="ignore")
            if decoded and sum(c.isprintable() or c.isspace() for c in decoded) \
                    >= 0.9 * len(decoded):
                found.append(decoded)
    return normalise("\n".join(found))


def _scan_files(files, secrets, allowed_of=lambda f: "") -> list[Leak]:
    leaks: list[Leak] = []
    for f in files:
        text = file_text(f)
        hidden = decoded_runs(text)
        if hidden:
            text += "\n" + hidden
        allowed = allowed_of(f)
        leaks.extend(Leak(str(f), s) for s in secrets if s.line in text and s.line not in allowed)
    return leaks


def scan_release(course: Course, assignment: str) -> list[Leak]:
    """Leaks in release/<assignment>/."""
    base = course.step_dir("release") / assignment
    files = [p for p in sorted(base.rglob("*")) if p.is_file() and p.suffix in _TEXT_SUFFIXES]
    return _scan_files(files, secrets_of(course, assignment))


def scan_feedback(course: Course, assignment: str) -> list[Leak]:
    """Leaks in feedback/*/<assignment>/ not explained by the student's own submission."""
    base = course.step_dir("feedback")
    files = sorted(base.glob(f"*/{assignment}/**/*.html")) if base.is_dir() else []

    def submitted_text(f: Path) -> str:
        student = f.relative_to(base).parts[0]
        folder = course.step_dir("submitted") / student / assignment
        texts = []
        for nb in sorted(folder.glob("*.ipynb")):
            try:
                texts.append(notebook_text(nb))
            except GradingError:
                continue
        return "\n".join(texts)

    return _scan_files(files, secrets_of(course, assignment), submitted_text)


def scan(course: Course, assignment: str, where=("release", "feedback")) -> list[Leak]:
    leaks = []
    if "release" in where:
        leaks += scan_release(course, assignment)
    if "feedback" in where:
        leaks += scan_feedback(course, assignment)
    return leaks


def check(course: Course, assignment: str, where=("release", "feedback")) -> None:
    """Scan, and raise GradingError listing every leak found (the first 20, and how many)."""
    leaks = scan(course, assignment, where)
    if leaks:
        listing = "\n  ".join(str(leak) for leak in leaks[:20])
        more = f"\n  ... and {len(leaks) - 20} more" if len(leaks) > 20 else ""
        raise GradingError(
            f"leak scan failed: {len(leaks)} secret line(s) found:\n  {listing}{more}",
            file=course.root, record=assignment,
        )
