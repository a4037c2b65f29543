"""Rerun every query of docs/sql-cookbook.md through `screener sql` and rewrite its output block.

Each ```sql block of the cookbook is followed by a ```text block holding what the query printed on
the demo database; this script fills those blocks, so the doc shows real output and stays true.
tests/test_cookbook.py runs the same queries with the same functions and fails when a block is
stale.

    python scripts/cookbook_outputs.py                 # a fresh `screener demo` in a temp folder
    python scripts/cookbook_outputs.py --db FILE       # an existing demo database
    python scripts/cookbook_outputs.py --check         # exit 1 when the doc is stale
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COOKBOOK = ROOT / "docs" / "sql-cookbook.md"
SCREENER = Path(sys.executable).parent / "screener"
WIDTH = "120"  # the table width the outputs are printed at (rich reads COLUMNS)
# A query block, blank lines, then its output block (possibly empty).
BLOCK = re.compile(r"```sql\n(?P<sql>.*?)```\n(?P<gap>\s*)```text\n(?P<out>.*?)```", re.DOTALL)


def cookbook_blocks(text: str) -> list[tuple[str, str]]:
    """(query, output as written) of every query block of the cookbook, in order."""
    return [(m.group("sql").strip(), m.group("out").rstrip("\n")) for m in BLOCK.finditer(text)]


def run_cookbook(db: Path, queries: list[str]) -> subprocess.CompletedProcess[str]:
    """``screener sql --db DB`` with every query on standard input, as a user pipes a script
    (one process: the CLI's start-up is most of a query's time), at the cookbook's width."""
    env = {**os.environ, "COLUMNS": WIDTH, "LINES": "50", "NO_COLOR": "1"}
    return subprocess.run(
        [str(SCREENER), "sql", "--db", str(db)],
        input="\n;\n".join(queries),  # a query's last line may be a -- comment
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def split_tables(stdout: str) -> list[str]:
    """The tables printed one after another, each from its top border (no line of a table but
    the first starts with the top-left corner)."""
    tables: list[list[str]] = []
    for line in stdout.rstrip("\n").splitlines():
        if line.startswith("\u250f") or not tables:
            tables.append([])
        tables[-1].append(line)
    return ["\n".join(lines) for lines in tables]


def query_outputs(db: Path, queries: list[str]) -> list[str]:
    """What each query prints; RuntimeError when the run fails or the tables do not add up."""
    proc = run_cookbook(db, queries)
    if proc.returncode != 0:
        raise RuntimeError(f"cookbook queries failed: {proc.stderr.strip()}")
    tables = split_tables(proc.stdout)
    if len(tables) != len(queries):
        raise RuntimeError(f"{len(queries)} queries printed {len(tables)} tables:\n{proc.stdout}")
    return tables


def rewrite(text: str, outputs: list[str]) -> str:
    """The cookbook with each output block replaced by the new output, in order."""
    found = iter(outputs)

    def fill(match: re.Match[str]) -> str:
        return f"```sql\n{match.group('sql')}```\n{match.group('gap')}```text\n{next(found)}\n```"

    return BLOCK.sub(fill, text)


def demo_db(folder: Path) -> Path:
    """Run `screener demo` in ``folder``; its database."""
    proc = subprocess.run(
        [str(SCREENER), "demo"], cwd=folder, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"screener demo failed: {proc.stderr.strip()}")
    return folder / "screening.duckdb"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a demo database (default: run screener demo)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the doc is stale")
    args = parser.parse_args()
    text = COOKBOOK.read_text(encoding="utf-8")
    queries = [query for query, _ in cookbook_blocks(text)]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or demo_db(Path(tmp))
        new = rewrite(text, query_outputs(db, queries))
    if args.check:
        print("stale" if new != text else "up to date")
        return int(new != text)
    COOKBOOK.write_text(new, encoding="utf-8")
    print(f"{COOKBOOK}: {len(queries)} outputs written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
