"""progress: answers survive a restart; writes are atomic; a corrupt file is moved aside."""

from __future__ import annotations

import json
import os

import pytest

from trafficking_course.errors import ProgressError
from trafficking_course.progress import ProgressStore, ProgressWarning


def test_answers_are_restored_by_a_new_store(tmp_path):
    store = ProgressStore.for_notebook("01-definitions", tmp_path)
    store.set("quiz:01", {"q1": "b", "score": 1})
    again = ProgressStore.for_notebook("01-definitions", tmp_path)
    assert again.get("quiz:01") == {"q1": "b", "score": 1}
    assert (tmp_path / "01-definitions.progress.json").is_file()
    assert again.keys() == ["quiz:01"]


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path / "p.progress.json")
    store.set("a", 1)
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((os.path.basename(src), os.path.basename(dst)))
        # the old content is still whole while the new file is being written
        assert json.loads((tmp_path / "p.progress.json").read_text())["answers"] == {"a": 1}
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    store.set("b", 2)
    assert calls and calls[0][1] == "p.progress.json" and calls[0][0].endswith(".tmp")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.progress.json"]


def test_failed_write_keeps_old_file_and_removes_temp(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path / "p.progress.json")
    store.set("a", 1)

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        store.set("a", 2)
    monkeypatch.undo()
    assert ProgressStore(tmp_path / "p.progress.json").get("a") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.progress.json"]


@pytest.mark.parametrize("content", ["{not json", '{"format": "other", "answers": {}}', "[1, 2]",
                                     b"\xff\xfe\x00"])
def test_corrupt_file_is_moved_aside_with_a_warning(tmp_path, content):
    path = tmp_path / "m.progress.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.warns(ProgressWarning, match="moved to m.progress.json.corrupt-"):
        store = ProgressStore(path)
    assert store.keys() == []
    aside = [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1
    assert aside[0].read_bytes() == (content if isinstance(content, bytes) else content.encode())
    store.set("x", True)  # and the learner can carry on
    assert ProgressStore(path).get("x") is True


def test_non_json_value_is_refused_with_the_key(tmp_path):
    store = ProgressStore(tmp_path / "p.progress.json")
    with pytest.raises(ProgressError, match="record 'bad'"):
        store.set("bad", object())
    assert not (tmp_path / "p.progress.json").exists()


def test_delete_forgets_an_answer_even_one_saved_as_none(tmp_path):
    path = tmp_path / "m.progress.json"
    store = ProgressStore(path)
    store.set("q1", None)
    store.set("q2", "b")
    store.delete("q1")
    store.delete("not-there")
    again = ProgressStore(path)
    assert again.keys() == ["q2"] and again.get("q2") == "b"
