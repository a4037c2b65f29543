"""What verifying a line found: ``released`` (nothing wrong) or ``confirmed`` (evasion confirmed).

``record_outcome`` appends one row to ``outcomes`` (``screener.store_sql.OUTCOMES``) in one
transaction; rows are never updated, a later decision on the same line is a new row and the latest
one counts (``LATEST_SQL``). A confirmed outcome feeds the history: PRIOR_CONFIRMED_EVASION fires
on later lines of the same manufacturer ID, supplier or importer, and the line is left out of the
baselines other history rules compute (``screener.history_evasion``).

Which lines can be decided: the entry line must be in the database (its latest run is recorded).
``released`` needs a line that was held or flagged: there is nothing to release otherwise.
``confirmed`` is accepted on any screened line: an audit can find evasion the rules missed, and
that is exactly what the history should learn from.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, get_args

import polars as pl

from screener import store_sql as sql
from screener.errors import InputError

if TYPE_CHECKING:
    from screener.store import Store

Outcome = Literal["released", "confirmed"]
OUTCOME_VALUES: tuple[str, ...] = get_args(Outcome)

# The outcome that counts per entry line: the latest decision (ties: the higher outcome_id).
LATEST_SQL = (
    "SELECT * FROM outcomes QUALIFY row_number() OVER (PARTITION BY entry_number, line_number"
    " ORDER BY decided_at DESC, outcome_id DESC) = 1"
)


def _text(option: str, value: str | None) -> str:
    if value is None or not value.strip():
        raise InputError(f"{option} is empty; an outcome records who decided and why")
    return value.strip()


def check_outcome(outcome: str) -> Outcome:
    """The outcome, or InputError naming the two accepted."""
    value = outcome.strip().lower()
    if value == "released":
        return "released"
    if value == "confirmed":
        return "confirmed"
    raise InputError(
        f"--outcome '{outcome}' is not an outcome; use released (verification found nothing)"
        " or confirmed (evasion confirmed)"
    )


def _line(store: Store, entry_number: str, line_number: int) -> dict[str, object]:
    """The entry line in the latest run holding it; InputError when it is not stored."""
    found = store.dicts(
        "SELECT e.run_id, e.entry_number, e.line_number, e.entry_date, e.duty_class,"
        " e.origin_risk, len(list_filter(e.origin_flags, lambda f: f.weight > 0)) AS flags,"
        " len(e.match_hits) AS hits"
        " FROM entries AS e JOIN runs AS r USING (run_id)"
        " WHERE e.entry_number = ? AND e.line_number = ?"
        " ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1",
        [entry_number, line_number],
    )
    if found:
        return found[0]
    lines = store.dicts(
        "SELECT DISTINCT line_number FROM entries WHERE entry_number = ? ORDER BY line_number",
        [entry_number],
    )
    if lines:
        have = ", ".join(str(r["line_number"]) for r in lines)
        raise InputError(
            f"entry {entry_number} has no line {line_number} in {store.path} (its lines: {have})"
        )
    raise InputError(
        f"entry {entry_number} is not in {store.path}; check the number"
        f" (screener explain --db {store.path} ENTRY_NUMBER shows a stored entry)"
    )


def record_outcome(
    store: Store,
    entry_number: str,
    line_number: int,
    *,
    outcome: str,
    by: str | None,
    reason: str | None,
    now: datetime | None = None,
) -> dict[str, object]:
    """Record what verification of one entry line found; returns the row written (with its
    ``outcome_id``) plus the line's ``duty_class`` and ``origin_risk``."""
    decided = check_outcome(outcome)
    who, why = _text("--by", by), _text("--reason", reason)
    entry = entry_number.strip().upper()
    line = _line(store, entry, line_number)
    held = line["duty_class"] == "HOLD_VERIFY"
    if decided == "released" and not (held or line["flags"] or line["hits"]):
        raise InputError(
            f"entry {entry} line {line_number} was neither held nor flagged in run"
            f" {line['run_id']}: there is nothing to release (confirmed is accepted on any line)"
        )
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    row: dict[str, object] = dict.fromkeys(sql.OUTCOMES) | {
        "run_id": line["run_id"],
        "entry_number": entry,
        "line_number": line_number,
        "outcome": decided,
        "decided_by": who,
        "decided_at": when,
        "reason": why,
    }
    with store.transaction():
        store.append("outcomes", pl.DataFrame([row], schema=sql.OUTCOMES))
        row["outcome_id"] = store.dicts(
            "SELECT max(outcome_id) AS n FROM outcomes WHERE entry_number = ? AND line_number = ?",
            [entry, line_number],
        )[0]["n"]
    return row | {"duty_class": line["duty_class"], "origin_risk": line["origin_risk"]}


def line_outcomes(
    store: Store, entry_number: str, line_number: int | None = None
) -> list[dict[str, object]]:
    """Every outcome recorded on the entry (or one line), latest first, each with ``latest``
    (whether it is the one that counts). [] for a database without the table."""
    if not store.has_table("outcomes"):
        return []
    where = "entry_number = ?" + (" AND line_number = ?" if line_number is not None else "")
    params: list[object] = [entry_number] + ([line_number] if line_number is not None else [])
    return store.dicts(
        "SELECT *, row_number() OVER (PARTITION BY entry_number, line_number"
        " ORDER BY decided_at DESC, outcome_id DESC) = 1 AS latest"
        f" FROM outcomes WHERE {where}"
        " ORDER BY line_number, decided_at DESC, outcome_id DESC",
        params,
    )


__all__ = [
    "LATEST_SQL",
    "OUTCOME_VALUES",
    "Outcome",
    "check_outcome",
    "line_outcomes",
    "record_outcome",
]
