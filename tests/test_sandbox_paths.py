"""What the sandboxed kernel may read: the package folders on sys.path, never the course."""

from __future__ import annotations

import sys

from trafficking_course.grading import sandbox


def test_site_folders_a_pth_file_adds_are_readable_but_the_working_folder_is_not(
        tmp_path, monkeypatch):
    site = tmp_path / "other-env" / "lib" / "python3.11" / "site-packages"
    site.mkdir(parents=True)
    course = tmp_path / "exercises"
    course.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site), str(course), ""])
    readable = sandbox._read_only_paths()
    assert site in readable
    assert [p for p in readable if course.is_relative_to(p) and p.is_relative_to(tmp_path)] == []
