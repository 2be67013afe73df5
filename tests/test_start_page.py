"""The start page (course/00-start-here.ipynb) is accurate to the modules it introduces: every
module is linked, the module map, the glossary and the contested questions point to modules
that really teach what the page says they teach, and the content note tells a student what to
do when the material is distressing."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat
import pytest

from .conftest import ROOT

COURSE = ROOT / "course"
START = COURSE / "00-start-here.ipynb"
MODULES = sorted(COURSE.glob("0[1-9]-*.ipynb"))

#: The sections a student meets, in the order the page must give them.
SECTIONS = [
    "# Start here",
    "## What you will be able to do",
    "## Content note",
    "## Who it is for and how to use it",
    "## Module map",
    "## How the course treats contested questions",
    "## How readings work",
    "## How the activities work",
    "## Glossary",
    "## Check your set-up",
    "## Sources used throughout",
]

#: Cells that existed before the page was rewritten; links from elsewhere rely on their ids.
KEPT_CELL_IDS = ["011bd9f7", "67a40970", "25f0b32d", "bd4a53df", "e0f1516b", "14b1bf35",
                 "72db8252"]

LINK = re.compile(r"\]\(([^)\s]+)\)")
MODULE_LINK = re.compile(r"\[[^\]]+\]\((0[1-9]-[^)#\s]+\.ipynb)\)")


def _markdown(path: Path) -> list[str]:
    nb = nbformat.read(str(path), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


@cache
def module_text(name: str) -> str:
    """A module's markdown, lower-cased, with line breaks and runs of spaces made single."""
    return re.sub(r"\s+", " ", "\n".join(_markdown(COURSE / name))).lower()


def section(heading: str) -> str:
    """The markdown of the start page's cell that opens with `heading`."""
    cells = [s for s in _markdown(START) if s.startswith(heading)]
    assert len(cells) == 1, f"start page: expected one cell opening with {heading!r}"
    return cells[0]


def table_rows(markdown: str) -> list[list[str]]:
    """The body rows of the first markdown table in `markdown`, as lists of cell texts."""
    lines = [ln for ln in markdown.splitlines() if ln.startswith("|")]
    return [[cell.strip() for cell in ln.strip("|").split("|")] for ln in lines[2:]]


def citations(text: str) -> list[tuple[str, str]]:
    """Author-year citations such as "Gallagher 2010" or "Cho, Dreher and Neumayer 2013"."""
    found = re.findall(r"([A-Z][A-Za-zøöå'-]+)(?:,? [A-Z][A-Za-zøöå'-]+| and| et al\.|,)* "
                       r"\(?((?:19|20)\d\d)\b", text)
    not_authors = {"Arts", "Art", "Directive", "January"}
    return [(name, year) for name, year in found if name not in not_authors]


def test_the_page_gives_its_sections_in_order():
    text = "\n".join(_markdown(START))
    positions = []
    for heading in SECTIONS:
        match = re.search(rf"^{re.escape(heading)}", text, re.MULTILINE)
        assert match, f"start page: no section {heading!r}"
        positions.append(match.start())
    assert positions == sorted(positions), "start page: sections out of order"


def test_the_cells_that_were_there_keep_their_ids():
    ids = [c.id for c in nbformat.read(str(START), as_version=4).cells]
    assert [i for i in ids if i in KEPT_CELL_IDS] == KEPT_CELL_IDS
    code = [c for c in nbformat.read(str(START), as_version=4).cells if c.cell_type == "code"]
    assert len(code) == 1 and "trafficking_course.__version__" in code[0].source


def test_every_link_on_the_page_resolves():
    for markdown in _markdown(START):
        for target in LINK.findall(markdown):
            if target.startswith(("http://", "https://", "<http")):
                continue
            path = target.split("#")[0]
            assert (COURSE / path).resolve().is_file(), f"start page: broken link {target}"


def test_the_module_map_has_one_row_per_module_in_order():
    rows = table_rows(section("## Module map"))
    assert [r[0] for r in rows] == [str(n) for n in range(1, 10)]
    linked = [MODULE_LINK.search(r[1]).group(1) for r in rows]
    assert linked == [p.name for p in MODULES]
    for row in rows:
        assert row[2].endswith("?"), f"module map row {row[0]}: no question"
        assert row[3], f"module map row {row[0]}: no legal texts or readings"


@pytest.mark.parametrize("row", table_rows(section("## Module map")),
                         ids=lambda r: f"module-{r[0]}")
def test_the_module_map_cites_only_what_the_module_uses(row):
    module = MODULE_LINK.search(row[1]).group(1)
    text = module_text(module)
    readings = row[3]
    cited = citations(readings)
    assert cited or "Penal Code" in readings, f"module {row[0]}: no reading named in the map"
    for name, year in cited:
        assert name.lower() in text and year in text, \
            f"module map row {row[0]}: {name} {year} is not cited in {module}"
    # instruments named by number: directives, UN documents, statute sections
    for ident in re.findall(r"\d{4}/\d+(?:/EU|/EC)?|A/55/383/Add\.1", readings):
        assert ident.lower() in text, f"module map row {row[0]}: {ident} not in {module}"
    for numbers in re.findall(r"\bss?\. ([\d\- ,and]+\d)", readings):
        for number in re.findall(r"\d+(?:-\d+)?", numbers):
            assert re.search(rf"\b{re.escape(number)}\b", text), \
                f"module map row {row[0]}: section {number} not in {module}"


def glossary() -> list[tuple[list[str], str, list[str]]]:
    """(terms, source, modules) for each row of the glossary table."""
    entries = []
    for cells in table_rows(section("## Glossary")):
        terms = re.findall(r"\*\*([^*]+)\*\*", cells[0])
        entries.append((terms, cells[2], MODULE_LINK.findall(cells[3])))
    return entries


def test_the_glossary_has_ten_to_fifteen_entries_each_with_a_source_and_a_module():
    entries = glossary()
    assert 10 <= len(entries) <= 15, f"{len(entries)} glossary entries"
    for terms, source, modules in entries:
        assert terms, "a glossary row names no term in bold"
        assert modules, f"glossary {terms}: no module named"
        assert re.search(r"\bArts?\. \d|\bs\. \d|\b(?:19|20)\d\d\b", source), \
            f"glossary {terms}: source {source!r} names no article, section or year"


def test_the_glossary_covers_the_terms_a_new_student_meets_first():
    terms = {t for entry in glossary() for t in entry[0]}
    first = {"act", "means", "purpose", "consent", "child", "smuggling of migrants",
             "illegal entry", "financial or other material benefit", "forced to start",
             "forced to stay on", "non-punishment", "reflection period", "detected victims",
             "prevalence"}
    assert first <= terms, f"glossary lacks {sorted(first - terms)}"


@pytest.mark.parametrize("entry", glossary(), ids=lambda e: e[0][0].replace(" ", "-"))
def test_each_glossary_term_is_taught_in_the_module_it_names(entry):
    terms, source, modules = entry
    for module in modules:
        text = module_text(module)
        for term in terms:
            assert re.search(rf"\b{re.escape(term.lower())}\b", text), \
                f"glossary: {term!r} does not occur in {module}"
        for article in re.findall(r"Art\. \d+(?:\([a-z0-9]\))?", source):
            assert article.split("(")[0].lower() in text, \
                f"glossary: {term!r} cites {article}, which {module} does not mention"


def contested_items() -> list[tuple[str, str, list[str]]]:
    """(module, text, headings) for each contested question the page lists."""
    items = []
    for item in re.split(r"\n- ", section("## How the course treats contested questions"))[1:]:
        flat = re.sub(r"\s+", " ", item)
        module = MODULE_LINK.search(flat)
        assert module, f"contested question without a module link: {flat[:60]}"
        named = re.search(r"\.ipynb\), sections? ((?:\*[^*]+\*(?:,? and |, )?)+)\)", flat)
        assert named, f"contested question names no section: {flat[:60]}"
        headings = re.findall(r"\*([^*]+)\*", named.group(1))
        items.append((module.group(1), flat, headings))
    return items


def test_the_contested_questions_are_those_of_modules_6_8_and_9():
    modules = {module for module, _, _ in contested_items()}
    assert modules == {"06-gender.ipynb", "08-policy.ipynb", "09-case-nigeria-norway.ipynb"}
    text = section("## How the course treats contested questions").lower()
    for topic in ["prostitution", "sex work", "buying sex", "anti-trafficking measures",
                  "human-rights-based approach", "oath"]:
        assert topic in text, f"contested questions: {topic!r} missing"
    assert "takes no side" in text


@pytest.mark.parametrize("item", contested_items(), ids=lambda i: i[0][:2] + "-" + i[2][0][:20])
def test_each_contested_question_points_to_a_module_section_that_teaches_it(item):
    module, text, headings = item
    nb_headings = [ln.lstrip("#").strip() for md in _markdown(COURSE / module)
                   for ln in md.splitlines() if re.match(r"^#{2,4} ", ln)]
    assert headings, f"{module}: no section named"
    for heading in headings:
        assert heading in nb_headings, f"{module} has no section {heading!r}"
    cited = citations(text)
    assert len(cited) >= 1, f"{module}: the contested question cites no evidence"
    body = module_text(module)
    for name, year in cited:
        assert name.lower() in body and year in body, \
            f"contested question cites {name} {year}, which {module} does not"


def test_the_content_note_says_what_to_do_if_the_material_is_distressing():
    note = re.sub(r"\s+", " ", section("## Content note"))
    assert "alternative task" in note
    assert "skip" in note and "stop at any point" in note
    assert "people who have been trafficked" in note
    assert "ROSA" in note and "24-hour" in note
    case = nbformat.read(str(ROOT / "exercises" / "source" / "case" / "case.ipynb"), as_version=4)
    assert "alternative task" in re.sub(r"\s+", " ", case.cells[0].source), \
        "the case assignment no longer offers the alternative task the start page promises"
    title = case.cells[0].source.splitlines()[0].split(": ", 1)[1]
    assert title in note, f"the content note does not name the case assignment {title!r}"


def test_lecturers_are_pointed_to_the_readme_and_the_instructor_notes():
    text = re.sub(r"\s+", " ", section("## Who it is for and how to use it"))
    assert '"Teach a class"' in text and "README" in text
    assert "## Teach a class" in (ROOT / "README.md").read_text()
    assert "`instructor/`" in text and (ROOT / "instructor").is_dir()
    assert not (COURSE / "instructor").exists()
    for way in ["JupyterLite", "Binder", "book"]:
        assert way in text, f"self-learners: {way} not mentioned"


def test_the_readings_section_links_the_unodc_modules_and_says_they_are_not_copied():
    text = re.sub(r"\s+", " ", section("## How readings work"))
    assert "Core reading" in text and "Further reading" in text
    assert "sherloc.unodc.org/cld/en/education/tertiary" in text
    assert "never copies" in text


def test_the_activities_section_says_where_answers_are_saved():
    text = re.sub(r"\s+", " ", section("## How the activities work"))
    assert "mouse or keyboard" in text.lower()
    assert "01-definitions.progress.json" in text and "restored" in text


def test_no_code_name_reaches_the_student_outside_code():
    for markdown in _markdown(START):
        prose = re.sub(r"`[^`]*`|<[^>]*>|\([^)\s]*\)", "", markdown)
        assert not re.findall(r"\b[a-z]+_[a-z_]+\b", prose), "snake_case code name in prose"
