"""The region tables kept on disk (bot/core/regions/stored.py): read equal, never stale or fatal."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from bot.core.regions import stored
from bot.core.regions.foreign import CLASSIFIED, _extra_phrases
from bot.core.regions.tables import Tables, _build_tables, tables

BUILDS: list[str] = []


@pytest.fixture(autouse=True)
def _writes_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever `python -B` or PYTHONDONTWRITEBYTECODE said where the tests run."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _counted(name: str) -> Tables:
    BUILDS.append(name)
    return tables()  # what building gives (built once per process: these tests cost no rebuild)


def test_tables_read_back_from_disk_equal_the_built_ones(tmp_path: Path) -> None:
    """A later process reads exactly the tables an earlier one built, in every language."""
    built = stored.load_or_build("en", Tables, _build_tables, tmp_path)
    read = stored.load_or_build("en", Tables, lambda: pytest.fail("built twice"), tmp_path)
    assert read == built == tables()
    assert read is not built
    for language in CLASSIFIED:
        extra = _extra_phrases(language, built)
        stored.load_or_build(language, dict, lambda e=extra: e, tmp_path)  # type: ignore[misc]
        again = stored.load_or_build(language, dict, lambda: pytest.fail("built twice"), tmp_path)
        assert again == extra


def test_a_corrupt_file_is_rebuilt_and_replaced(tmp_path: Path) -> None:
    """A truncated or foreign file means building the tables, and the next read is whole."""
    stored.load_or_build("en", Tables, tables, tmp_path)
    path = stored.path_for("en", tmp_path)
    path.write_bytes(path.read_bytes()[:1000])
    BUILDS.clear()
    assert stored.load_or_build("en", Tables, lambda: _counted("en"), tmp_path) == tables()
    assert BUILDS == ["en"]
    assert stored.load_or_build("en", Tables, lambda: pytest.fail("built"), tmp_path) == tables()


def test_a_file_holding_something_else_is_not_used(tmp_path: Path) -> None:
    """A file that unpickles to another type is ignored: the tables are built."""
    stored.load_or_build("en", dict, dict, tmp_path)  # a dict under the English tables' name
    BUILDS.clear()
    assert stored.load_or_build("en", Tables, lambda: _counted("en"), tmp_path) == tables()
    assert BUILDS == ["en"]


def test_a_read_only_folder_still_gives_the_tables(tmp_path: Path) -> None:
    """A read-only install builds the tables in every process and writes nothing (as root,
    whom no file mode stops, the folder is one of /proc's, where nobody can make files)."""
    folder = Path(f"/proc/{os.getpid()}") if os.geteuid() == 0 else tmp_path
    before = sorted(p.name for p in folder.iterdir())
    tmp_path.chmod(0o555)
    try:
        assert stored.load_or_build("en", Tables, tables, folder) == tables()
        assert sorted(p.name for p in folder.iterdir()) == before
    finally:
        tmp_path.chmod(0o755)


def test_an_unusable_folder_still_gives_the_tables(tmp_path: Path) -> None:
    """Where the folder cannot even be made (a file is in its place), the tables are built."""
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    assert stored.load_or_build("en", Tables, tables, blocked) == tables()
    assert blocked.read_text() == "not a folder"


def test_files_of_earlier_inputs_are_removed_when_new_ones_are_written(tmp_path: Path) -> None:
    """An older digest's file is never read again, so writing the current one removes it."""
    old = tmp_path / f"{stored.PREFIX}0000000000000000-en{stored.SUFFIX}"
    old.write_bytes(b"old")
    stored.load_or_build("en", Tables, tables, tmp_path)
    assert not old.exists()
    assert stored.path_for("en", tmp_path).exists()


def test_changing_a_data_file_changes_the_files_name(tmp_path: Path) -> None:
    """The file's name hashes the package's code and data: an edited place list is a new name."""
    same, edited = tmp_path / "same", tmp_path / "edited"
    for copy in (same, edited):
        shutil.copytree(stored.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    places = edited / "data" / "places.txt"
    places.write_text(places.read_text(encoding="utf-8") + "\n# one more line\n", "utf-8")
    assert stored.inputs_digest(same) == stored.inputs_digest()
    assert stored.inputs_digest(edited) != stored.inputs_digest()


def test_no_file_is_written_where_bytecode_caches_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -B` / PYTHONDONTWRITEBYTECODE (the Docker image) write no tables either."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert stored.load_or_build("en", Tables, tables, tmp_path) == tables()
    assert list(tmp_path.iterdir()) == []
