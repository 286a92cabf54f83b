"""Every duty of ../shared/domain/DUTIES.md has a test named after it.

A test that proves a duty is named `test_<duty>_<behaviour>` (`test_l9_unfounded_needs_two_
signatures`); one proving several may chain their ids (`test_l6_l10_…`). The only duties
allowed to go without such a test are those no issue has asked for yet.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

DUTIES = Path(__file__).resolve().parents[2] / "shared" / "domain" / "DUTIES.md"
TESTS = Path(__file__).resolve().parent

# Duties not built yet: remove an id from here when its test lands. Every duty of
# DUTIES.md has one now (issue 13 built O1 and O7).
NOT_YET_ASKED: frozenset[str] = frozenset()

_DUTY_ROW = re.compile(r"^\|\s*([A-Z]\d+)\s*\|", re.MULTILINE)
_TEST_IDS = re.compile(r"^test_((?:[a-z]\d+_)+)")


def duty_ids(text: str) -> list[str]:
    """The ids of the duty tables, in document order."""
    return _DUTY_ROW.findall(text)


def duty_ids_with_tests(root: Path) -> set[str]:
    """Duty ids named by test functions (and methods) under `root`."""
    found: set[str] = set()
    for path in root.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                match = _TEST_IDS.match(node.name)
                if match:
                    found |= {part.upper() for part in match.group(1).split("_") if part}
    return found


@pytest.fixture(scope="module")
def duties() -> list[str]:
    if not DUTIES.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{DUTIES} is missing: CI lays shared/ beside the repository")
        pytest.skip(f"{DUTIES} is not beside this checkout")
    return duty_ids(DUTIES.read_text(encoding="utf-8"))


def test_it_reads_the_duty_tables(duties):
    assert {"S1", "L1", "L12", "R1", "O7"} <= set(duties)
    assert len(duties) == len(set(duties))


def test_every_asked_for_duty_has_a_test_named_after_it(duties):
    untested = [d for d in duties if d not in duty_ids_with_tests(TESTS)]
    missing = [d for d in untested if d not in NOT_YET_ASKED]
    assert not missing, f"duties without a test_<duty>_… test: {', '.join(missing)}"


def test_the_not_yet_asked_list_holds_only_untested_duties(duties):
    tested = duty_ids_with_tests(TESTS)
    stale = sorted(NOT_YET_ASKED & tested)
    assert not stale, f"tested now, drop from NOT_YET_ASKED: {', '.join(stale)}"
    unknown = sorted(NOT_YET_ASKED - set(duties))
    assert not unknown, f"not in DUTIES.md: {', '.join(unknown)}"
