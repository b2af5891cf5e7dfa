"""The two test commands: CI runs the README's full one (on pytest-xdist workers), and the fast
loop's ``slow`` marker is set at collection from a test's fixtures, parameters and code, then
checked by what the test really starts (tests/support/slow.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# A test folder of its own, using the project's hooks and fixtures as tests/conftest.py does.
CONFTEST = """
from tests.conftest import *  # noqa: F403
from tests.conftest import (
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_runtest_makereport,
    pytest_runtest_setup,
    pytest_runtest_teardown,
)
"""

TESTS = """
import socket
import subprocess

import pytest


def test_pure():
    assert sum([1, 2]) == 3


def test_with_the_fake_bot_api(telegram):
    assert telegram.port


def test_with_a_feed_through_a_fixture(bot_env):
    assert bot_env


def run_the_bot():
    return subprocess.run(["true"], check=True)


def test_through_a_helper():
    run_the_bot()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_on_each_backend(backend):
    assert backend


@pytest.mark.slow
def test_said_so_itself():
    pass


def test_binding_a_socket_unmarked():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
"""

QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:xdist")


def make_folder(pytester: pytest.Pytester) -> None:
    """The sample tests, with the project's hooks and fixtures and its asyncio setting."""
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_sample=TESTS)


def slow_ones(pytester: pytest.Pytester) -> set[str]:
    """The names of the tests the folder's ``-m slow`` selects."""
    result = pytester.runpytest("-m", "slow", "--collect-only", "-q", *QUIET)
    return {line.split("::")[1] for line in result.outlines if "::" in line}


def test_tests_that_start_something_are_marked_without_an_edit(pytester: pytest.Pytester) -> None:
    """Fixtures (direct or through others), the postgresql parameter, helpers that start a
    process, and the explicit mark make a test slow; a pure test stays in the fast loop."""
    make_folder(pytester)
    assert slow_ones(pytester) == {
        "test_with_the_fake_bot_api",
        "test_with_a_feed_through_a_fixture",
        "test_through_a_helper",
        "test_on_each_backend[postgresql]",
        "test_said_so_itself",
    }


@pytest.mark.slow  # its inner run binds a socket
def test_the_fast_loop_fails_a_test_that_starts_a_server_unmarked(
    pytester: pytest.Pytester,
) -> None:
    """In `pytest -m "not slow"`, a test that binds a socket but is not marked fails at
    tear-down, saying what it started and how to mark it; the pure tests pass."""
    make_folder(pytester)
    result = pytester.runpytest("-m", "not slow", *QUIET)
    result.assert_outcomes(passed=3, errors=1, deselected=5)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_binding_a_socket_unmarked*", "*socket.bind*not marked slow*"]
    )


def test_ci_runs_the_readmes_test_command_and_the_readme_names_the_fast_loop() -> None:
    """.ci/run ends with the README quick start's test line, which runs the whole suite on
    pytest-xdist workers; the README also names `pytest -m "not slow"`."""
    readme = (REPO / "README.md").read_text()
    test_line = next(line for line in readme.splitlines() if re.search(r"-m pytest\b", line))
    ci_lines = (REPO / ".ci" / "run").read_text().strip().splitlines()
    assert ci_lines[-1] == test_line
    assert re.search(r"pytest -n \d+", test_line)
    assert '-m pytest -m "not slow"' in readme
