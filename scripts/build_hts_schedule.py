"""Derive rulesets/cmsa-2026/hts_schedule.csv from the USITC HTS 2026 Revision 4 CSV.

Usage::

    python scripts/build_hts_schedule.py [--source PATH] [--out PATH]

One output row per 10-digit statistical reporting number of chapters 01-98 (chapter 99 has no
10-digit lines: its 8-digit headings are additional-duty provisions, never the entry line's own
classification). Rates sit on 8-digit lines in the HTS; a 10-digit line takes general, special
and column 2 from the nearest line at or above it (by indent) that prints a General rate. Rate
text is kept exactly as the HTS prints it. A 10-digit line whose own description is just
"Other..." gets the nearest non-generic ancestor description as a prefix ("Of metal: Other").
The output is deterministic: same input, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/reference/tariff/hts_2026_revision_4.csv")
DEFAULT_OUT = ROOT / "rulesets" / "cmsa-2026" / "hts_schedule.csv"
GENERIC = re.compile(r"^others?\b", re.IGNORECASE)

HEADER = """\
# HTS 2026 statistical lines (10 digits) with their rates. Read by: screener.ruleset_models.HtsRow
# Source: USITC Harmonized Tariff Schedule of the United States 2026, Revision 4 (full CSV export,
#   hts_2026_revision_4.csv). Derived by scripts/build_hts_schedule.py; do not edit by hand.
# Rows: every 10-digit line of chapters 01-98; chapter 99 has no 10-digit lines and is left out.
# general/special/column2: exactly as the HTS prints them, inherited from the nearest ancestor
#   line (usually the 8-digit subheading) that prints a General rate.
# unit: units of quantity, '; '-joined. description: the line's own text; a generic 'Other' is
#   prefixed with its nearest specific ancestor.
"""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _unit(raw: str) -> str:
    if not raw:
        return ""
    try:
        units = json.loads(raw)
    except json.JSONDecodeError:
        return _clean(raw)
    return "; ".join(_clean(u) for u in units if _clean(u))


def read_lines(source: Path) -> list[dict[str, str]]:
    """Every numbered line of chapters 01-98 with inherited rates and a readable description."""
    lines: list[dict[str, str]] = []
    # stack of (indent, description, general, special, column2) for the current ancestry
    stack: list[tuple[int, str, str, str, str]] = []
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for rec in reader:
            number, indent_text, desc, unit, general, special, column2 = rec[:7]
            if number.startswith("99"):
                break
            try:
                indent = int(indent_text)
            except ValueError:
                indent = 0
            desc, general, special, column2 = map(_clean, (desc, general, special, column2))
            if re.fullmatch(r"\d{4}", number):
                stack = []
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, desc, general, special, column2))
            if not number:
                continue
            rated = next((s for s in reversed(stack) if s[2]), None)
            description = desc
            if GENERIC.match(desc):
                anchor = next((s[1] for s in reversed(stack[:-1]) if not GENERIC.match(s[1])), "")
                if anchor:
                    description = f"{anchor.rstrip(':').rstrip()}: {desc}"
            lines.append(
                {
                    "hts10": number.replace(".", ""),
                    "description": description,
                    "unit": _unit(unit),
                    "general": rated[2] if rated else "",
                    "special": rated[3] if rated else "",
                    "column2": rated[4] if rated else "",
                }
            )
    return lines


def build_rows(source: Path) -> list[dict[str, str]]:
    """The 10-digit rows of the schedule, in HTS order."""
    return [line for line in read_lines(source) if len(line["hts10"]) == 10]


def write(rows: list[dict[str, str]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = build_rows(args.source)
    seen = {r["hts10"] for r in rows}
    if len(seen) != len(rows):
        raise SystemExit("duplicate 10-digit numbers in the source")
    write(rows, args.out)
    missing = sum(1 for r in rows if not r["general"])
    print(f"wrote {len(rows)} lines to {args.out} ({missing} without a General rate)")


if __name__ == "__main__":
    main()
