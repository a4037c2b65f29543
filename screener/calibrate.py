"""Calibrate match thresholds on labelled name pairs (``screener calibrate``).

A pairs file is CSV with ``name1`` (the declared, entry-side name), ``name2`` (the listed name)
and ``is_match`` (true/false, yes/no, 1/0); other columns are ignored, except that ``--schema``
keeps the rows whose ``schema`` column is one of the given values. Every pair is scored with
``score_pair``, the scorer the pipeline uses; precision, recall and F1 are reported at the
review threshold and at every whole threshold from 50 to 100.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screener.errors import InputError
from screener.match.pair import score_pair

REQUIRED = ("name1", "name2", "is_match")
TRUE = frozenset({"true", "t", "yes", "y", "1"})
FALSE = frozenset({"false", "f", "no", "n", "0"})


@dataclass(frozen=True)
class Metrics:
    """Precision, recall and F1 of ``score >= threshold`` against the labels."""

    threshold: float
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class Pair:
    name1: str
    name2: str
    is_match: bool
    score: float
    explanation: str


def read_pairs(path: Path, schemas: Sequence[str] = ()) -> list[tuple[str, str, bool]]:
    """The labelled pairs of ``path``; InputError naming the file, row and field if bad."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the pairs file ({exc})") from None
    reader = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; a pairs file needs "
            f"{', '.join(REQUIRED)} (found: {', '.join(columns) or 'no header'})"
        )
    if schemas and "schema" not in columns:
        raise InputError(f"{path}: --schema given but the file has no 'schema' column")
    pairs: list[tuple[str, str, bool]] = []
    for row_number, row in enumerate(reader, start=2):
        if schemas and (row.get("schema") or "") not in schemas:
            continue
        label = (row.get("is_match") or "").strip().casefold()
        if label not in TRUE | FALSE:
            raise InputError(
                f"{path}: row {row_number}, field is_match: {row.get('is_match')!r} is not "
                "true/false (or yes/no, 1/0)"
            )
        pairs.append((row.get("name1") or "", row.get("name2") or "", label in TRUE))
    if not pairs:
        raise InputError(f"{path}: no labelled pairs to calibrate on")
    return pairs


def metrics(pairs: Sequence[Pair], threshold: float) -> Metrics:
    """Metrics of the scored pairs at ``threshold`` (0 when undefined)."""
    tp = sum(p.score >= threshold and p.is_match for p in pairs)
    fp = sum(p.score >= threshold and not p.is_match for p in pairs)
    fn = sum(p.score < threshold and p.is_match for p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(threshold, precision, recall, f1, tp, fp, fn)


@dataclass(frozen=True)
class Calibration:
    """Scored pairs, the metrics at the review threshold and across thresholds."""

    pairs: list[Pair]
    review_threshold: float
    at_review: Metrics
    sweep: list[Metrics]

    @property
    def best(self) -> Metrics:
        """The threshold with the highest F1 (the lowest such threshold on ties)."""
        return max(self.sweep, key=lambda m: (m.f1, -m.threshold))

    def as_json(self) -> dict[str, object]:
        """``{"review_threshold", "at_review": {precision, recall, f1}, "best", "pairs"}``."""
        at = self.at_review
        return {
            "review_threshold": self.review_threshold,
            "at_review": {
                "precision": round(at.precision, 4),
                "recall": round(at.recall, 4),
                "f1": round(at.f1, 4),
            },
            "best": {"threshold": self.best.threshold, "f1": round(self.best.f1, 4)},
            "pairs": len(self.pairs),
        }


def calibrate(path: Path, review_threshold: float, schemas: Sequence[str] = ()) -> Calibration:
    """Score every labelled pair of ``path`` and measure the thresholds."""
    scored: list[Pair] = []
    for name1, name2, label in read_pairs(path, schemas):
        result = score_pair(name1, name2)
        scored.append(Pair(name1, name2, label, result.score, result.explanation))
    sweep = [metrics(scored, float(t)) for t in range(50, 101)]
    return Calibration(scored, review_threshold, metrics(scored, review_threshold), sweep)


def write_scores(calibration: Calibration, out: Path) -> None:
    """Every pair with its score, prediction at the review threshold and explanation (CSV)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name1", "name2", "is_match", "score", "predicted", "explanation"])
        for p in calibration.pairs:
            predicted = p.score >= calibration.review_threshold
            writer.writerow([p.name1, p.name2, p.is_match, p.score, predicted, p.explanation])
    tmp.replace(out)
