"""docs/sql-cookbook.md tells the truth: every query in it runs through `screener sql` on the demo
database, and prints exactly the output written under it (scripts/cookbook_outputs.py rewrites the
outputs; a stale doc fails here)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cookbook_outputs", ROOT / "scripts" / "cookbook_outputs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cookbook = _script()
TEXT = cookbook.COOKBOOK.read_text(encoding="utf-8")
BLOCKS: list[tuple[str, str]] = cookbook.cookbook_blocks(TEXT)


def test_the_cookbook_has_ten_explained_queries_using_the_session_functions() -> None:
    sections = re.split(r"\n## ", TEXT)[1:]
    assert len(BLOCKS) >= 10 and len(sections) == len(BLOCKS)
    for section in sections:
        assert "\nWhy: " in section, f"section without a one-line why: {section[:60]}"
        assert section.count("```sql") == 1 and section.count("```text") == 1, section[:60]
    queries = "\n".join(query for query, _ in BLOCKS)
    for function in ("fuzzy_score(", "screen_name(", "explain_line("):
        assert function in queries
    assert all(output.strip() for _, output in BLOCKS), "an output block is empty"


@pytest.fixture(scope="module")
def outputs(shared_demo_db: Path) -> list[str]:
    """Every cookbook query run through the real CLI (one process, the queries on stdin)."""
    return list(cookbook.query_outputs(shared_demo_db, [query for query, _ in BLOCKS]))


@pytest.mark.parametrize(
    ("number", "block"),
    list(enumerate(BLOCKS)),
    ids=[f"q{i + 1}" for i in range(len(BLOCKS))],
)
def test_the_written_output_is_what_the_query_prints(
    outputs: list[str], number: int, block: tuple[str, str]
) -> None:
    query, written = block
    assert outputs[number] == written, (
        f"docs/sql-cookbook.md query {number + 1} is stale; rerun"
        f" `python scripts/cookbook_outputs.py` and review the diff.\n{query}"
    )


def test_a_stale_output_is_noticed() -> None:
    """The rewrite puts the new outputs back in their blocks and leaves the rest alone."""
    stale = cookbook.rewrite(TEXT, ["old"] * len(BLOCKS))
    assert [out for _, out in cookbook.cookbook_blocks(stale)] == ["old"] * len(BLOCKS)
    fresh = cookbook.rewrite(stale, [out for _, out in BLOCKS])
    assert fresh == TEXT
