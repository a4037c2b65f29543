"""Build rulesets/cmsa-2026/coverage.csv from the research draft, verified against the facts.

Usage::

    python scripts/build_coverage.py [--reference DIR] [--out PATH] [--report]

Reads ``critical_minerals_hts_draft.csv`` (265 draft rows), the USITC HTS 2026 Revision 4 CSV and
the Federal Register notice 89 FR 76581 (XML) from ``--reference`` and:

1. maps the draft's mineral labels to the USGS 2025 names and its stages to the ruleset
   vocabulary (chem -> compound, semi -> wrought, int -> intermediate, deriv -> derivative);
2. applies ``CORRECTIONS`` (row-level fixes, each with its reason) and ``ADDITIONS``;
3. collapses ``NNNN.NN.NN.00`` to the 8-digit subheading when that is its only statistical line,
   and merges rows that land on the same prefix (one row per prefix, minerals '; '-joined);
4. verifies every row: the prefix exists in HTS 2026 r4, every 10-digit line under it prints the
   same General rate (written to ``mfn_general``), rows enumerated in U.S. note 31 (Annex C of the
   notice) carry that note's heading and rate on 2026-01-01 and no other row claims a 9903.91
   heading the notice does not support, and every Chapter 99 heading used exists in the HTS with
   the ad valorem rate the row states.

Any failed check stops the build with the list of problems. ``--report`` prints the corrections
table (markdown) that rulesets/README.md carries. Deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_hts_schedule import read_lines

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path("/work/shared/reference/tariff")
OUT = ROOT / "rulesets" / "cmsa-2026" / "coverage.csv"
DRAFT = "critical_minerals_hts_draft.csv"
HTS = "hts_2026_revision_4.csv"
FR = "fr_2024-21217_section301_four_year_review_modification.xml"
FIELDS = [
    "hts_prefix", "mineral", "stage", "group", "description", "mfn_general", "s301_pct",
    "s301_ch99", "s301_basis", "policy_override_pct", "confidence", "source", "note",
]  # fmt: skip

REE = [
    "cerium", "dysprosium", "erbium", "europium", "gadolinium", "holmium", "lanthanum",
    "lutetium", "neodymium", "praseodymium", "samarium", "scandium", "terbium", "thulium",
    "ytterbium", "yttrium",
]  # fmt: skip
PGM = ["iridium", "palladium", "platinum", "rhodium", "ruthenium"]
STAGES = {"chem": "compound", "semi": "wrought", "int": "intermediate", "deriv": "derivative"}
DEC_2024 = {
    "9903.91.05": "note 31(f): polysilicon and wafers (USTR notice of Dec 2024)",
    "9903.91.11": "note 31(j): tungsten products (USTR notice of Dec 2024)",
}
LIST_HEADINGS = {"list_1": "9903.88.01", "list_3": "9903.88.03", "list_4A": "9903.88.15"}


@dataclass
class Addition:
    """A line the draft lacks."""

    prefix: str
    minerals: list[str]
    stage: str
    s301_pct: float
    ch99: str
    basis: str
    why: str


@dataclass
class Fix:
    """One correction to a draft row: which row, what changes, and why."""

    hts: str  # the draft's hts as printed
    mineral: str  # draft mineral label it applies to ('*' for every row with that hts)
    kind: str  # short class of the correction, for the report
    why: str
    set: dict[str, object] = field(default_factory=dict)  # fields to overwrite; drop=True drops


# --- corrections to the draft, as data (scripts/coverage_corrections.csv) ----------------------
CORRECTIONS_CSV = Path(__file__).resolve().parent / "coverage_corrections.csv"


def read_corrections(path: Path = CORRECTIONS_CSV) -> tuple[list[Fix], list[Addition]]:
    """The fixes to draft rows and the added lines, from the corrections CSV."""
    fixes: list[Fix] = []
    additions: list[Addition] = []
    with path.open(encoding="utf-8", newline="") as handle:
        body = [line for line in handle if not line.startswith("#")]
    for rec in csv.DictReader(body):
        minerals = [m.strip() for m in rec["mineral"].split(";") if m.strip()]
        if rec["action"] == "add":
            additions.append(
                Addition(
                    rec["prefix"],
                    minerals,
                    rec["stage"],
                    float(rec["s301_pct"]),
                    rec["s301_ch99"],
                    rec["s301_basis"],
                    rec["why"],
                )
            )
            continue
        changes: dict[str, object] = {}
        if rec["drop"] == "true":
            changes["drop"] = True
        if rec["resolved"] == "true":
            changes["resolved"] = True
        for key in ("prefix", "stage"):
            if rec[key]:
                changes[key] = rec[key]
        if minerals:
            changes["mineral"] = minerals
        fixes.append(Fix(rec["draft_hts"], rec["draft_mineral"], rec["kind"], rec["why"], changes))
    return fixes, additions


# --- reading the facts ------------------------------------------------------------------------


def _text(node: ET.Element) -> str:
    return " ".join("".join(node.itertext()).split())


@dataclass
class Note31:
    """U.S. note 31 as 89 FR 76581 Annex C writes it, and Annex A's categories."""

    on_2026: dict[str, tuple[str, str]]  # 8- or 10-digit -> (heading, subdivision) on 2026-01-01
    category: dict[str, str]  # 8- or 10-digit -> Annex A category
    proposed: set[str]  # subheadings the notice only proposes (separate notice)


def read_note31(path: Path) -> Note31:
    root = ET.parse(path).getroot()
    subdivision = ""
    members: dict[str, list[tuple[int, str]]] = {}
    deleted_b: set[int] = set()
    proposed: set[str] = set()
    for node in root.iter():
        if node.tag not in {"P", "FP"}:
            continue
        text = _text(node)
        start = re.match(r"^“?\((\w)\) Heading (9903\.91\.\d\d) applies", text)
        if start:
            subdivision = start.group(1)
            members.setdefault(subdivision, [])
            continue
        if node.tag == "P":
            subdivision = ""
            if "subdivision (b) of note 31" in text and "deleting subparagraph numbers" in text:
                deleted_b = {int(n) for n in re.findall(r"\d+", text.split("numbers")[1])[:4]}
            if "propose increasing tariff rates for" in text:
                proposed |= set(re.findall(r"\b\d{4}\.\d\d\.\d\d\b", text))
            continue
        item = re.match(r"^\((\d+)\) (.*)$", text)
        if subdivision and item:
            for code in re.findall(r"\b\d{4}\.\d\d\.\d{2}(?:\d\d)?\b", item.group(2)):
                members[subdivision].append((int(item.group(1)), code.replace(".", "")))
    heading = {"b": "9903.91.01", "g": "9903.91.06"}
    on_2026: dict[str, tuple[str, str]] = {}
    for sub in ("b", "g"):
        for number, code in members.get(sub, []):
            if sub == "b" and number in deleted_b:
                continue
            on_2026[code] = (heading[sub], sub)
    category: dict[str, str] = {}
    table = next(root.iter("GPOTABLE"))
    current = ""
    for row in table.iter("ROW"):
        cells = [_text(c) for c in row.findall("ENT")]
        if len(cells) == 1:
            current = cells[0]
        elif cells and cells[0]:
            category[cells[0].replace(".", "")] = current
    return Note31(on_2026, category, {p.replace(".", "") for p in proposed})


def read_ch99(path: Path) -> dict[str, float]:
    """Chapter 99 heading -> ad valorem rate added ('+ 25%'), from the HTS itself."""
    rates: dict[str, float] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for rec in csv.reader(handle):
            if rec and rec[0].startswith("9903."):
                found = re.search(r"(?:\+|plus) (\d+(?:\.\d+)?)%", rec[4])
                if found:
                    rates[rec[0]] = float(found.group(1))
    return rates


# --- building ---------------------------------------------------------------------------------


def _mineral_names(label: str) -> list[str]:
    if label.startswith("rare earths"):
        return list(REE)
    if label.startswith("PGM"):
        return list(PGM)
    if label == "DERIVATIVE":
        return []
    return [label.replace(" (2025)", "").strip()]


def _fix_for(draft: dict[str, str], fixes: list[Fix]) -> Fix | None:
    for fix in fixes:
        if fix.hts == draft["hts"] and fix.mineral in {"*", draft["mineral"]}:
            return fix
    return None


def build(reference: Path) -> tuple[list[dict[str, object]], list[dict[str, str]], list[str]]:
    """Coverage rows, the applied corrections (for the report), and every problem found."""
    lines = {line["hts10"]: line for line in read_lines(reference / HTS)}
    tenths = sorted(code for code in lines if len(code) == 10)
    note31 = read_note31(reference / FR)
    ch99 = read_ch99(reference / HTS)
    fixes, additions = read_corrections()
    problems: list[str] = []
    applied: list[dict[str, str]] = []
    merged: dict[str, dict[str, object]] = {}
    with (reference / DRAFT).open(encoding="utf-8", newline="") as handle:
        drafts = list(csv.DictReader(handle))

    def under(prefix: str) -> list[str]:
        return [code for code in tenths if code.startswith(prefix)]

    def add(row: dict[str, object], origin: str) -> None:
        prefix = str(row["hts_prefix"])
        if prefix in merged:
            have = merged[prefix]
            for key in ("stage", "group", "s301_pct", "s301_ch99", "s301_basis"):
                if have[key] != row[key]:
                    problems.append(f"{prefix}: rows disagree on {key} ({have[key]} vs {row[key]})")
            have["minerals"] = sorted({*have["minerals"], *row["minerals"]})  # type: ignore[misc]
            have["origins"].append(origin)  # type: ignore[attr-defined]
            for note in row["notes"]:  # type: ignore[attr-defined]
                if note not in have["notes"]:  # type: ignore[operator]
                    have["notes"].append(note)  # type: ignore[attr-defined]
            return
        row["origins"] = [origin]
        merged[prefix] = row

    for number, draft in enumerate(drafts, start=2):  # file line number of the draft row
        fix = _fix_for(draft, fixes)
        digits = draft["hts"].replace(".", "")
        if digits.endswith("00") and len(digits) == 10 and under(digits[:8]) == [digits]:
            digits = digits[:8]
        ch = "" if draft["ch99"] == "none" else draft["ch99"]
        row: dict[str, object] = {
            "hts_prefix": digits,
            "minerals": _mineral_names(draft["mineral"]),
            "stage": STAGES.get(draft["stage"], draft["stage"]),
            "group": "derivative" if draft["mineral"] == "DERIVATIVE" else "critical_mineral",
            "s301_pct": float(draft["s301_pct_2026_01_01"]),
            "s301_ch99": ch,
            "s301_basis": draft["basis"],
            "draft_confidence": draft["confidence"],
            "draft_mfn": draft["mfn_general"],
            "notes": [draft["note"]] if draft["note"] else [],
            "resolved": False,
        }
        if fix is not None:
            applied.append(
                {
                    "row": str(number),
                    "hts": draft["hts"],
                    "mineral": draft["mineral"],
                    "kind": fix.kind,
                    "why": fix.why,
                }
            )
            if fix.set.get("drop"):
                continue
            for key, value in fix.set.items():
                target = {"prefix": "hts_prefix", "mineral": "minerals"}.get(key, key)
                row[target] = list(value) if isinstance(value, list) else value
            row["notes"].append(f"corrected: {fix.why}")  # type: ignore[attr-defined]
        add(row, f"draft row {number}")

    used = {id(f) for f in fixes if any(_fix_for(d, fixes) is f for d in drafts)}
    for fix in fixes:
        if id(fix) not in used:
            problems.append(f"correction for {fix.hts} ({fix.mineral}) matches no draft row")
    for extra in additions:
        prefix, minerals, stage = extra.prefix, extra.minerals, extra.stage
        pct, heading, basis, why = extra.s301_pct, extra.ch99, extra.basis, extra.why
        add(
            {
                "hts_prefix": prefix,
                "minerals": minerals,
                "stage": stage,
                "group": "critical_mineral",
                "s301_pct": pct,
                "s301_ch99": heading,
                "s301_basis": basis,
                "draft_confidence": "",
                "notes": [f"added: {why}"],
                "resolved": False,
            },
            "added",
        )
        applied.append({"row": "-", "hts": prefix, "mineral": "; ".join(minerals),
                         "kind": "added", "why": why})  # fmt: skip

    rows = [_verify(row, lines, under, note31, ch99, problems) for _, row in sorted(merged.items())]
    return rows, applied, problems


def _verify(
    row: dict[str, object],
    lines: dict[str, dict[str, str]],
    under: object,
    note31: Note31,
    ch99: dict[str, float],
    problems: list[str],
) -> dict[str, object]:
    prefix = str(row["hts_prefix"])
    codes: list[str] = under(prefix)  # type: ignore[operator]
    checks: list[str] = []
    if not codes:
        problems.append(f"{prefix}: no 10-digit line of HTS 2026 r4 starts with it")
        general = ""
    else:
        generals = {lines[c]["general"] for c in codes}
        if len(generals) != 1:
            problems.append(f"{prefix}: lines under it print different General rates {generals}")
        general = sorted(generals)[0]
        if row.get("draft_mfn") not in (None, general):
            problems.append(f"{prefix}: draft MFN {row['draft_mfn']!r} but HTS prints {general!r}")
    checks.append("HTS 2026 r4 line and General rate")
    description = lines[prefix]["description"] if prefix in lines else ""
    if not description and codes:
        description = lines[codes[0]]["description"]
    # section 301 on 2026-01-01: note 31 (Annex C) first, then the older lists
    listed = note31.on_2026.get(prefix) or note31.on_2026.get(prefix[:8])
    pct, heading = float(row["s301_pct"]), str(row["s301_ch99"])  # type: ignore[arg-type]
    basis = str(row["s301_basis"])
    if listed:
        want_heading, sub = listed
        category = note31.category.get(prefix[:8]) or " / ".join(
            sorted({c for k, c in note31.category.items() if k.startswith(prefix[:8])})
        )
        if heading != want_heading or pct != ch99.get(want_heading):
            problems.append(f"{prefix}: note 31({sub}) gives {want_heading}, row has {heading}")
        basis = f"note 31({sub}): {category}" if category else f"note 31({sub})"
        checks.append(f"89 FR 76581 Annex C note 31({sub}) -> {want_heading} +{pct:g}%")
    elif heading.startswith("9903.91"):
        if heading not in {"9903.91.05", "9903.91.11"} or prefix[:8] not in note31.proposed:
            problems.append(f"{prefix}: claims {heading} but 89 FR 76581 does not support it")
        else:
            basis = DEC_2024[heading]
            checks.append(
                f"89 FR 76581 proposes {prefix[:4]}.{prefix[4:6]}.{prefix[6:8]}; {heading} "
                f"(+{ch99.get(heading, 0):g}%, from 2025-01-01) exists in HTS 2026 r4 ch.99; "
                "its note 31 listing (Dec-2024 notice) is not in local sources"
            )
    elif heading:
        if LIST_HEADINGS.get(basis) != heading or ch99.get(heading) != pct:
            problems.append(f"{prefix}: {basis} {heading} {pct} inconsistent with HTS ch.99")
        checks.append(
            f"{heading} (+{pct:g}%) in HTS ch.99; not in 89 FR 76581; "
            f"{basis} membership per draft (list annexes not in local sources)"
        )
    else:
        if pct != 0:
            problems.append(f"{prefix}: s301 {pct} without a Chapter 99 heading")
        checks.append("not in 89 FR 76581 note 31; no section 301 per draft")
    if row["resolved"]:
        checks.append("renumbering conflict resolved to list_3")
    draft_conf = str(row["draft_confidence"])
    verified = "verified: " + "; ".join(checks)
    confidence = f"{verified} | draft: {draft_conf}" if draft_conf else f"added, {verified}"
    origins = ", ".join(row["origins"])  # type: ignore[arg-type]
    source = f"{origins}; USITC HTS 2026 Revision 4"
    if listed or heading.startswith("9903.91"):
        source += "; 89 FR 76581 (2024-09-18) Annex A/C"
    minerals = list(row["minerals"])  # type: ignore[call-overload]
    return {
        "hts_prefix": prefix,
        "mineral": "; ".join(sorted(minerals)),
        "stage": row["stage"],
        "group": row["group"],
        "description": description,
        "mfn_general": general,
        "s301_pct": f"{pct:g}",
        "s301_ch99": heading,
        "s301_basis": basis,
        "policy_override_pct": "",
        "confidence": confidence,
        "source": source,
        "note": " / ".join(row["notes"]),  # type: ignore[arg-type]
    }


HEADER = """\
# Coverage: HTS prefixes of critical minerals and select derivative products (longest prefix
#   wins). Read by: screener.ruleset_models.CoverageRow (loaded by screener.ruleset.load_ruleset).
# Sources: USITC HTS 2026 Revision 4 (lines, General rates); 89 FR 76581 (2024-09-18) Annex A/C
#   (U.S. note 31, headings 9903.91.01/.06, rates in force on 2026-01-01); USGS critical minerals
#   list 2025 (90 FR 50494); research draft critical_minerals_hts_draft.csv (list 1/3/4A claims).
# Built by scripts/build_coverage.py from the draft plus its corrections table; do not edit by hand.
# s301_pct/s301_ch99: section 301 on goods of China on 2026-01-01; note 31 rates replace older
#   list rates. policy_override_pct: empty = use s301_pct.
# Excluded on purpose: 8507.90.40 (parts of lead-acid storage batteries; 25% under note 31(b)
#   since 2024-09-27) is not a lithium-ion battery part; see rulesets/README.md.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", action="store_true", help="print the corrections table")
    args = parser.parse_args()
    rows, applied, problems = build(args.reference)
    if problems:
        raise SystemExit("coverage not written:\n" + "\n".join(f"  - {p}" for p in problems))
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        handle.write(HEADER)
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}; {len(applied)} corrections/additions applied")
    if args.report:
        print("\n| draft row | HTS | draft mineral | what was wrong | fix |")
        print("|---|---|---|---|---|")
        for fix in applied:
            print(f"| {fix['row']} | {fix['hts']} | {fix['mineral']} | {fix['kind']} "
                  f"| {fix['why']} |")  # fmt: skip


if __name__ == "__main__":
    main()
