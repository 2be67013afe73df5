"""Unit tests of the course-depth counters (trafficking_course.coursecheck)."""

from __future__ import annotations

import nbformat

from trafficking_course.dev.coursecheck import (
    E4J_LINK,
    count_words,
    internal_references,
    module_prose_words,
    prose_words,
    reading_entries,
    reading_item_problems,
    reading_items,
    reading_list,
    reading_problems,
    sections,
    student_facing_files,
)

MODULE = """\
# Module 9: A title that is not prose

Four words of prose.

## A section

Five plain words go here. See [the report](https://example.org/a/b) and
https://example.org/x or `code_name` in a line (Art. 3(a)).

```python
not = "counted at all"
# not a heading either
```

> A verbatim quotation is left out.

| who | what |
|---|---|
| police | investigate |

## References

- Author, A. (2020). *A Book*. Place: Publisher.

### Reports

- Another listed work with many words in it.

## Core reading

1. Gallagher, A. T. (2010). *The International Law of Human Trafficking*. Why: the law.
   A continuation line of the same item.
2. Second item.

## Further reading

- One.
- Two.
  - a nested point, not an item
- Three.

## After the lists

Counted again here.
"""


def test_count_words_counts_tokens_with_a_letter_or_digit():
    assert count_words("Art. 3(a) - the 46% rule; (and) --") == 6
    assert count_words("") == 0


def test_prose_words_leaves_out_headings_code_urls_quotes_and_listings():
    # "Four words of prose." 4; the section's two lines: "Five plain words go here." 5,
    # "See the report and" 4, "or in a line (Art. 3(a))." 6; table: "who what" 2 and
    # "police investigate" 2; "Counted again here." 3.
    assert prose_words(MODULE) == 4 + 5 + 4 + 6 + 2 + 2 + 3


def test_a_heading_inside_code_does_not_start_a_section():
    titles = [s.title for s in sections(MODULE)]
    assert "not a heading either" not in titles
    assert titles[:3] == ["", "Module 9: A title that is not prose", "A section"]
    listing = {s.title: s.listing for s in sections(MODULE)}
    assert listing["Reports"] is True and listing["After the lists"] is False


def test_reading_items_counts_top_level_items_only():
    assert reading_items(MODULE, "Core reading") == 2
    assert reading_items(MODULE, "further reading") == 3
    assert reading_items(MODULE, "Advanced reading") is None


def test_reading_list_joins_continuation_lines():
    core = reading_list(MODULE, "Core reading")
    assert core == ["1. Gallagher, A. T. (2010). *The International Law of Human Trafficking*. "
                    "Why: the law. A continuation line of the same item.", "2. Second item."]
    assert reading_list(MODULE, "Further reading")[1] == "- Two. - a nested point, not an item"
    assert reading_list(MODULE, "Advanced reading") is None


def test_e4j_link_matches_both_unodc_hosts():
    assert E4J_LINK.search("<https://www.unodc.org/e4j/en/tip-and-som/module-13/index.html>")
    assert E4J_LINK.search("https://sherloc.unodc.org/cld/en/education/tertiary/tip-and-som/x")
    assert not E4J_LINK.search("https://www.unodc.org/documents/glotip.pdf")


def test_module_prose_words_reads_only_markdown_cells(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Module 1\n\nOne two three."),
                nbformat.v4.new_code_cell("print('many words that are code, not prose')")]
    path = tmp_path / "01-x.ipynb"
    nbformat.write(nb, str(path))
    assert module_prose_words(path) == 3


def test_internal_references_find_the_brief_and_internal_files():
    text = ("Figures from the Course domain brief section 3; see domain-brief-2.md and "
            "/work/shared/reference. The brief marks it unverified. A brief note is fine; "
            "so is DESIGN in capitals without .md.")
    hits = internal_references(text)
    assert "domain brief" in hits and "domain-brief" in hits
    assert "The brief marks" in hits
    assert any("/work/shared" in h for h in hits)
    assert internal_references("A brief note; in brief, the briefing room.") == []


def test_student_facing_files_skip_instructor_notes_and_hidden_folders(tmp_path):
    for rel in ["course/01-x.ipynb", "course/instructor/01-x.md", "data/a.csv",
                "data/.ipynb_checkpoints/a.csv", "exercises/source/a/a.ipynb",
                "exercises/release/a/a.ipynb", "notebooks/n.ipynb", "course/image.png"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    found = {p.relative_to(tmp_path).as_posix() for p in student_facing_files(tmp_path)}
    assert found == {"course/01-x.ipynb", "data/a.csv", "exercises/source/a/a.ipynb",
                     "notebooks/n.ipynb"}


READINGS = """\
## Core reading

- Gallagher, A. T. (2010). *The International Law of Human Trafficking*. Cambridge:
  Cambridge University Press.
  *Why:* the standard legal account.
- UNODC, Education for Justice (E4J) (2019). Module 6, <https://sherloc.unodc.org/x>.
  *Why:* the matching module.

## Further reading

- Carrera, S., Guild, E. et al. *Fit for purpose?* Study for the European Parliament.
  *Why:* the year is missing.
- Skilbrei, M.-L. and Tveit, M. (2008). Defining Trafficking. *Why:* said inside the line.
- Plambech, S. (2014). Between 'Victims' and 'Criminals'. *Social Politics* 21(3).
"""


def test_reading_entries_keep_each_items_lines():
    core = reading_entries(READINGS, "Core reading")
    assert core[0] == ("- Gallagher, A. T. (2010). *The International Law of Human Trafficking*. "
                       "Cambridge:", "Cambridge University Press.",
                       "*Why:* the standard legal account.")
    assert len(core) == 2 and reading_entries(READINGS, "Advanced reading") is None


def test_a_complete_item_has_no_problems():
    for item in reading_entries(READINGS, "Core reading"):
        assert reading_item_problems(item) == []


def test_an_item_without_a_year_or_a_reason_line_is_reported():
    further = reading_entries(READINGS, "Further reading")
    assert reading_item_problems(further[0]) == ["no year in parentheses before the reason"]
    assert reading_item_problems(further[1]) == ['no line starting "*Why:*"']
    assert reading_item_problems(further[2]) == ['no line starting "*Why:*"']


def test_a_year_after_the_reason_does_not_count():
    item = ("- Aas, K. F. *Globalization & Crime*. London: SAGE.",
            "*Why:* the second edition (2013) is longer.")
    assert reading_item_problems(item) == ["no year in parentheses before the reason"]


def test_a_reason_inside_the_details_line_does_not_count():
    item = ("- Baarda, C. S. (2016). Human trafficking. *Why:* oaths as contract",
            "enforcement.")
    assert reading_item_problems(item) == ['no line starting "*Why:*"']


def test_reading_problems_name_the_list_the_item_and_its_opening():
    problems = reading_problems(READINGS)
    assert len(problems) == 3
    assert problems[0].startswith("Further reading item 1 ('- Carrera, S., Guild, E.")
    assert problems[0].endswith("no year in parentheses before the reason")
    assert problems[2].startswith("Further reading item 3 (\"- Plambech, S. (2014)")
