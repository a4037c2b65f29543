"""``screener allow``: record, revoke and list allowlist decisions (parse, call, print)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from screener.allowlist import (
    add_decision,
    list_decisions,
    parse_expiry,
    revoke_decision,
)
from screener.allowlist.common import day
from screener.errors import InputError
from screener.store import Store, existing_db

out = Console()
err = Console(stderr=True)


def _row(table: Table, *cells: str) -> None:
    table.add_row(*(Text(c) for c in cells))  # reasons and names are data, not rich markup


def allow(
    db: Annotated[Path, typer.Option("--db", help="DuckDB database file")] = Path(
        "screening.duckdb"
    ),
    supplier: Annotated[
        str | None, typer.Option("--supplier", help="the supplier name the decision is about")
    ] = None,
    entity: Annotated[
        str | None, typer.Option("--entity", help="LIST:ID, e.g. fictitious-concern:FX-0002")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="why (add or revoke)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="who decides (add or revoke)")] = None,
    expires: Annotated[
        str | None, typer.Option("--expires", help="YYYY-MM-DD: in force through this date")
    ] = None,
    revoke: Annotated[int | None, typer.Option("--revoke", help="revoke decision #ID")] = None,
    show: Annotated[bool, typer.Option("--list", help="show the decisions")] = False,
    audit: Annotated[bool, typer.Option("--audit", help="with --list: the audit trail")] = False,
) -> None:
    """Record that a supplier is NOT a listed entity: later runs suppress that pair's hits
    until the decision expires, is revoked, or the entity's names change."""
    now = datetime.now(UTC)
    if show:
        if any(v is not None for v in (supplier, entity, reason, by, expires, revoke)):
            raise InputError("--list shows the decisions; give it with --db (and --audit) only")
        _show(existing_db(db), audit)
        return
    if revoke is not None:
        if any(v is not None for v in (supplier, entity, expires)):
            raise InputError("--revoke ID takes --by and --reason only")
        with Store(existing_db(db)) as store:
            d = revoke_decision(store, revoke, by=by or "", reason=reason or "", now=now)
        out.print(
            f"allowlist decision #{revoke} ('{d['supplier_name']}' is not {d['list_id']} entity"
            f" {d['entity_id']}) revoked by {d['revoked_by']}: {d['revoke_reason']}",
            markup=False,
        )
        return
    missing = [
        option
        for option, value in (
            ("--supplier", supplier),
            ("--entity", entity),
            ("--reason", reason),
            ("--by", by),
        )
        if value is None
    ]
    if missing:
        raise InputError(
            f"allow needs {', '.join(missing)} (or --revoke ID, or --list); e.g. screener allow"
            " --db screening.duckdb --supplier 'ACME' --entity ofac-sdn:11610 --reason 'why'"
            " --by me"
        )
    expiry = parse_expiry(expires)
    with Store(existing_db(db)) as store:
        d = add_decision(
            store,
            supplier=supplier or "",
            entity=entity or "",
            reason=reason or "",
            by=by or "",
            expires=expiry,
            now=now,
        )
    until = f"expires {expiry}" if expiry else "no expiry: lapses when the entity's names change"
    out.print(
        f"allowlist decision #{d['allowlist_id']}: '{d['supplier_name']}' (key"
        f" '{d['supplier_key']}') is not {d['list_id']} entity {d['entity_id']} (list version"
        f" {d['list_version']}, names #{d['names_hash']}); by {d['decided_by']} on"
        f" {day(d['decided_at'])}: {d['reason']}; {until}",
        markup=False,
    )
    if expiry and expiry < now.date():
        err.print(f"note: {expiry} is in the past: this decision suppresses nothing", markup=False)


def _show(db: Path, audit: bool) -> None:
    with Store(db, read_only=True) as store:
        decisions, trail = list_decisions(store)
    if not decisions:
        out.print(f"no allowlist decisions in {db}", markup=False)
        return
    table = Table(title="Allowlist decisions")
    for col in ("#", "supplier", "is not", "state", "decided", "reason", "expires"):
        table.add_column(col)
    for d in decisions:
        _row(
            table,
            str(d["allowlist_id"]),
            str(d["supplier_name"]),
            f"{d['list_id']} {d['entity_id']}",
            str(d["state"]),
            f"{d['decided_by']} {day(d['decided_at'])}",
            str(d["reason"]),
            day(d["expires_at"]) if d["expires_at"] else "-",
        )
    out.print(table)
    if audit:
        log = Table(title="Audit trail")
        for col in ("#", "decision", "action", "by", "when", "why", "run"):
            log.add_column(col)
        for e in trail:
            _row(
                log,
                str(e["audit_id"]),
                str(e["allowlist_id"]),
                str(e["action"]),
                str(e["acted_by"]),
                str(e["acted_at"])[:19],
                str(e["reason"]),
                str(e["run_id"] or "-"),
            )
        out.print(log)
