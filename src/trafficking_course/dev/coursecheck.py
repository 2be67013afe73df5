"""Maintainers' checks of the course's depth and citations (issue 14).

Three questions a lecturer asks of a module, answered from the notebook file:

- How much prose does it hold? :func:`prose_words` counts the words of the markdown cells,
  leaving out headings, code (fenced and inline), URLs, HTML tags, verbatim quotations
  (markdown blockquotes, which the course keeps for treaty text) and the sections that only
  list works (References, Sources, Core reading, Further reading).
- Does it end with readings? :func:`reading_list` gives the top-level list items under a
  heading such as "Core reading", :func:`reading_problems` says which items lack a year in
  parentheses or a line starting "*Why:*", and :data:`E4J_LINK` finds the link to UNODC's
  Education for Justice modules.
- Does a student-facing file cite a document students cannot see? :func:`internal_references`
  finds "the domain brief" and the names of the authors' internal files.

The functions are pure (text in, numbers or lists out); tests/test_course_depth.py applies
them to the course.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat

#: Headings of sections that list works rather than teach: their words are not prose.
LIST_SECTIONS = ("references", "sources", "core reading", "further reading")

#: Phrases and file names that point at the course authors' internal material.
INTERNAL_PATTERNS = (
    r"domain[\s_-]+brief",
    r"course'?s? brief",
    r"\bthe brief (?:marks|says|gives|records|notes|lists)\b",
    r"\bBRIEFING\.md\b",
    r"\bDESIGN\.md\b",
    r"shared/(?:reference|seed)",
    r"/work/(?:shared|wt|main)\b",
)

#: Folders (relative to the repository root) whose files students read.
STUDENT_FOLDERS = ("course", "notebooks", "data", "exercises/source")
#: Folders inside those that are for lecturers only.
LECTURER_FOLDERS = ("course/instructor",)  # before the notes moved to instructor/
TEXT_SUFFIXES = (".ipynb", ".md", ".yaml", ".yml", ".csv", ".json", ".txt", ".py")

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_LIST_ITEM = re.compile(r"^\s{0,1}(?:[-*+]|\d{1,3}[.)])\s+\S")
_WORD = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Section:
    """A run of markdown lines under one heading (title "" before the first heading)."""

    title: str
    level: int
    lines: tuple[str, ...]
    listing: bool  # inside a section that only lists works


def notebook_markdown(path: str | Path) -> str:
    """The markdown cells of a notebook, joined by blank lines."""
    nb = nbformat.read(str(path), as_version=4)
    return "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _is_listing(title: str) -> bool:
    low = title.strip().lower()
    return any(low.startswith(name) for name in LIST_SECTIONS)


def _without_fences(lines: Iterable[str]) -> Iterator[str]:
    inside = False
    for line in lines:
        if _FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            yield line


def sections(markdown: str) -> list[Section]:
    """Split markdown into sections at its headings; fenced code never holds a heading.

    A subsection of a listing section (e.g. "### Reports" under "## References") is a listing
    too, until a heading of the same or a higher level starts a new section.
    """
    found: list[Section] = []
    title, level, listing_level = "", 0, 0
    current: list[str] = []
    for line in _without_fences(markdown.splitlines()):
        match = _HEADING.match(line)
        if not match:
            current.append(line)
            continue
        found.append(Section(title, level, tuple(current), listing_level > 0))
        title, level, current = match.group(2), len(match.group(1)), []
        if listing_level and level <= listing_level:
            listing_level = 0
        if not listing_level and _is_listing(title):
            listing_level = level
    found.append(Section(title, level, tuple(current), listing_level > 0))
    return found


def _strip_markup(line: str) -> str:
    line = re.sub(r"`[^`]*`", " ", line)                      # inline code
    line = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", line)          # images
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)       # links: keep the text
    line = re.sub(r"<https?://[^>]*>", " ", line)
    line = re.sub(r"https?://\S+|www\.\S+", " ", line)          # bare URLs
    line = re.sub(r"<[^>]+>", " ", line)                       # HTML tags
    return line


def count_words(text: str) -> int:
    """Words in plain text: whitespace-separated tokens with at least one letter or digit."""
    return sum(1 for token in text.split() if _WORD.search(token))


def prose_words(markdown: str) -> int:
    """The prose words of a module's markdown (see the module docstring for what is left out)."""
    total = 0
    for section in sections(markdown):
        if section.listing:
            continue
        for line in section.lines:
            if line.lstrip().startswith(">"):
                continue  # verbatim quotation, not the course's own prose
            if re.fullmatch(r"\s*\|?[\s:|-]*\|[\s:|-]*", line):
                continue  # table rule
            total += count_words(_strip_markup(line))
    return total


def module_prose_words(path: str | Path) -> int:
    return prose_words(notebook_markdown(path))


def reading_entries(markdown: str, heading: str) -> list[tuple[str, ...]] | None:
    """The top-level list items in the section titled `heading`, each as its stripped lines
    (the item's first line, then its continuation lines); None when there is no such section.

    The title matches case-insensitively at its start, so "Core reading" also finds
    "Core reading (read these first)". A nested list belongs to the item above it.
    """
    wanted = heading.strip().lower()
    for section in sections(markdown):
        if not section.title.strip().lower().startswith(wanted):
            continue
        items: list[list[str]] = []
        for line in section.lines:
            if _LIST_ITEM.match(line):
                items.append([line.strip()])
            elif items and line.strip():
                items[-1].append(line.strip())
        return [tuple(item) for item in items]
    return None


def reading_list(markdown: str, heading: str) -> list[str] | None:
    """The items of :func:`reading_entries`, each with its lines joined by single spaces."""
    found = reading_entries(markdown, heading)
    return None if found is None else [" ".join(item) for item in found]


#: A line that gives a reading's reason: "*Why:* ..." (the course's one label).
WHY_LINE = re.compile(r"^\*Why:\*\s+\S")
#: A year of publication in parentheses, as in "Gallagher, A. T. (2010)." or "(2016a)".
YEAR_IN_PARENTHESES = re.compile(r"\((?:1[5-9]|20)\d\d[a-z]?\)")


def reading_item_problems(lines: tuple[str, ...]) -> list[str]:
    """What a reading item lacks: a year in parentheses before its reason, and a reason on a
    line of its own that starts with the label "*Why:*". Empty for a complete item."""
    problems: list[str] = []
    why_at = next((i for i, line in enumerate(lines) if i and WHY_LINE.match(line)), None)
    details = " ".join(lines[:why_at]) if why_at is not None else " ".join(lines)
    if not YEAR_IN_PARENTHESES.search(details):
        problems.append("no year in parentheses before the reason")
    if why_at is None:
        problems.append('no line starting "*Why:*"')
    return problems


def reading_problems(markdown: str, headings: Iterable[str] = ("Core reading",
                                                                  "Further reading"),
                     ) -> list[str]:
    """One message per incomplete item in the reading lists under `headings`, naming the
    list, the item's number and its opening words (see :func:`reading_item_problems`)."""
    messages: list[str] = []
    for heading in headings:
        for number, item in enumerate(reading_entries(markdown, heading) or [], start=1):
            for problem in reading_item_problems(item):
                messages.append(f"{heading} item {number} ({item[0][:50]!r}): {problem}")
    return messages


def reading_items(markdown: str, heading: str) -> int | None:
    """How many items the reading list under `heading` has (None when there is none)."""
    found = reading_list(markdown, heading)
    return None if found is None else len(found)


#: A link to UNODC's Education for Justice university modules.
E4J_LINK = re.compile(r"https?://(?:www\.unodc\.org/e4j/|sherloc\.unodc\.org/cld/\S*"
                      r"education/tertiary)")


def internal_references(text: str) -> list[str]:
    """Every phrase in `text` that cites the authors' internal material, as written."""
    hits: list[str] = []
    for pattern in INTERNAL_PATTERNS:
        hits += [m.group(0) for m in re.finditer(pattern, text, flags=re.IGNORECASE)]
    return hits


def student_facing_files(root: str | Path) -> list[Path]:
    """The text files students read: course/ (not its instructor notes), notebooks/, data/,
    exercises/source/."""
    root = Path(root)
    lecturer = [root / folder for folder in LECTURER_FOLDERS]
    files: list[Path] = []
    for folder in STUDENT_FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
                continue
            if any(part.startswith(".") for part in path.relative_to(root).parts):
                continue
            if any(path.is_relative_to(folder_) for folder_ in lecturer):
                continue
            files.append(path)
    return files


_NUMBERED = re.compile(r"^\s{0,4}(\d{1,9})[.)](\s|$)")
_ITEM = re.compile(r"^\s*([-*+]|\d{1,9}[.)])\s")


def accidental_lists(markdown: str) -> list[str]:
    """Lines that a line break turned into an ordered-list item ("CETS No.\\n197) ...").

    JupyterLab's markdown renderer starts a numbered list at any line that begins with a number
    and "." or ")", even in the middle of a paragraph or a bullet, while the book's renderer
    does not; a sentence wrapped just before a number reads as "197." there, indented or not. A
    numbered line is taken as meant when it starts a block (after a blank line, a heading or a
    table), starts a nested list at 1 under an item or a colon, or follows the item numbered one
    less in the same block. Returns each other one with the line before it.
    """
    found = []
    previous, last_number = "", None
    for line in _without_fences(markdown.splitlines()):
        number = _NUMBERED.match(line)
        if not line.strip() or line.startswith(("#", "|")):
            last_number = None
        elif number:
            n = int(number.group(1))
            meant = (not previous.strip() or previous.startswith(("#", "|"))
                     or n == 1 and (_ITEM.match(previous) or previous.rstrip().endswith(":"))
                     or last_number is not None and n == last_number + 1)
            if not meant:
                found.append(f"{previous.strip()[-30:]!r} / {line.strip()[:30]!r}")
            last_number = n
        previous = line
    return found
