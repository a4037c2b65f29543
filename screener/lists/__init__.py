"""Entity lists (DESIGN §4): loaders into one table, one row per name (``schema.ENTITY_NAMES``).

A list is named by a spec ``<format>:<path>``:

- ``ofac-sdn:DIR``: OFAC SDN legacy CSV, a directory holding sdn.csv (+ alt.csv, add.csv);
- ``csl:FILE``: trade.gov Consolidated Screening List, CSV or JSON (list id ``csl``);
- ``dpl:FILE``: BIS Denied Persons List, tab separated (``bis-dpl``);
- ``un:FILE``: UN Security Council consolidated list XML (``un-sc``);
- ``csv:FILE``: the simple custom list CSV (UFLPA Entity List, in-house lists);
- ``ftm:FILE``: FollowTheMoney JSON lines, as OpenSanctions exports them (ownership links).

Formats and decisions per loader: ``lists/README.md``.

The bundled lists live in ``lists/`` (``$SCREENER_LISTS``, ``./lists``, or the source checkout's).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from screener import schema
from screener.errors import ListError
from screener.lists.csl import load_csl
from screener.lists.custom_csv import load_custom_csv
from screener.lists.dpl import load_dpl
from screener.lists.ftm import load_ftm
from screener.lists.ofac_sdn import load_ofac_sdn
from screener.lists.un_xml import load_un_xml
from screener.paths import data_dir

__all__ = [
    "bundled_list_specs",
    "describe_lists",
    "detect_format",
    "lists_root",
    "load_list",
    "load_lists",
]

LOADERS: dict[str, Callable[[Path], pl.DataFrame]] = {
    "ofac-sdn": load_ofac_sdn,
    "csl": load_csl,
    "dpl": load_dpl,
    "un": load_un_xml,
    "csv": load_custom_csv,
    "ftm": load_ftm,
}


def lists_root() -> Path:
    """Where the bundled lists live: $SCREENER_LISTS, ./lists, or the source checkout's."""
    return data_dir("lists", "SCREENER_LISTS")


def detect_format(path: Path) -> str | None:
    """The list format of a file by its name and first line, or None if it is no list."""
    name = path.name.casefold()
    if path.is_dir():
        return "ofac-sdn" if (path / "sdn.csv").is_file() else None
    if name.endswith(".xml"):
        return "un"
    if name.endswith((".ftm.json", ".jsonl", ".ftm.jsonl")):
        return "ftm"
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            head = f.readline(4096).casefold()
    except OSError:
        return None
    if name.endswith(".json"):
        return "csl"
    if name.endswith(".txt") and '"name"' in head and "\t" in head:
        return "dpl"
    if name.endswith(".csv"):
        return "csl" if "alt_names" in head and "source" in head else "csv"
    return None


def bundled_list_specs() -> list[str]:
    """Specs of the lists under ``lists_root()``, formats told by ``detect_format``: SDN
    directories first, then files by name (README and SOURCE notes are not lists)."""
    root = lists_root()
    if not root.is_dir():
        return []
    dirs = sorted(d for d in root.iterdir() if d.is_dir())
    files = sorted(f for f in root.iterdir() if f.is_file() and not f.name.endswith(".md"))
    specs = []
    for path in [*dirs, *files]:
        kind = detect_format(path)
        if kind:
            specs.append(f"{kind}:{path}")
    return specs


def load_list(spec: str) -> pl.DataFrame:
    """One list from its spec; exactly ``schema.ENTITY_NAMES``; ListError when it cannot load."""
    kind, sep, where = spec.partition(":")
    if not sep or kind not in LOADERS or not where:
        raise ListError(
            f"list spec '{spec}' is not <format>:<path>; formats: {', '.join(LOADERS)} "
            "(e.g. ofac-sdn:lists/ofac-sdn-2019-01, csl:consolidated.csv, dpl:dpl.txt, "
            "un:consolidated.xml, csv:my_list.csv, ftm:entities.ftm.json)"
        )
    path = Path(where).expanduser()
    if not path.exists():
        raise ListError(f"list spec '{spec}': {path} does not exist")
    return LOADERS[kind](path)


def load_lists(specs: Sequence[str] | None = None) -> pl.DataFrame:
    """Several lists concatenated; ``None`` means the bundled lists. One list_id per spec."""
    chosen = bundled_list_specs() if specs is None else list(specs)
    frames: list[pl.DataFrame] = []
    owner: dict[str, str] = {}
    for spec in chosen:
        frame = load_list(spec)
        for list_id in frame.get_column("list_id").unique().to_list():
            if list_id in owner:
                raise ListError(
                    f"list_id '{list_id}' comes from both '{owner[list_id]}' and '{spec}'; "
                    "give one of them another id (custom CSV: a '# list_id: NAME' comment)"
                )
            owner[list_id] = spec
        frames.append(frame)
    if not frames:
        return schema.empty(schema.ENTITY_NAMES)
    return pl.concat(frames, how="vertical")


def describe_lists(names: pl.DataFrame) -> pl.DataFrame:
    """One row per list: list_id, list_version, entities, names."""
    return (
        names.group_by("list_id", "list_version", maintain_order=True)
        .agg(
            entities=pl.col("entity_id").n_unique().cast(pl.Int64),
            names=pl.len().cast(pl.Int64),
        )
        .sort("list_id")
    )
