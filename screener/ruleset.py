"""Rulesets: pydantic models and the loader for ``rulesets/<name>/`` (DESIGN §7, §8).

A ruleset is data: ``ruleset.yaml`` (thresholds, weights, options) plus CSV tables, each opening
with ``#`` comment lines that say what reads it and where its facts come from. A ruleset may
``extends:`` another; its yaml keys then override the base's at the top level and any table file
it holds replaces the base's. ``load_ruleset`` validates everything and raises one
``RulesetError`` listing every problem; ``check_ruleset`` returns the same list without raising.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml
from pydantic import ValidationError

from screener.errors import RulesetError, ScreenerError
from screener.paths import data_dir
from screener.ruleset_checks import Rows, check_consistency, check_origin_tables
from screener.ruleset_models import (
    _ROW_MODELS,
    CapacityRow,
    CountryRow,
    CoverageRow,
    HtsRow,
    MatchThreshold,
    MineralRow,
    RuleConfig,
    RulesetFile,
    XinjiangPlaceRow,
    _Strict,
)

DEFAULT_RULESET = "cmsa-2026"
TABLES = (
    "coverage.csv",
    "hts_schedule.csv",
    "countries.csv",
    "minerals.csv",
    "capacity.csv",
    "xinjiang_places.csv",
)


@dataclass(frozen=True)
class Ruleset:
    """A loaded, validated ruleset. Tables are polars frames with the row models' columns."""

    config: RulesetFile
    path: Path
    content_hash: str
    coverage: pl.DataFrame
    hts: pl.DataFrame
    countries: pl.DataFrame
    minerals: pl.DataFrame
    capacity: pl.DataFrame  # country x mineral x stage -> yes/no (IMPLAUSIBLE_ORIGIN)
    xinjiang_places: pl.DataFrame  # place names in Xinjiang (XINJIANG_NEXUS)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def version(self) -> str:
        return self.config.version

    def _codes(self, roles: set[str], on: date | None) -> frozenset[str]:
        rows = self.countries.filter(pl.col("role").is_in(sorted(roles)))
        if on is not None:
            rows = rows.filter(
                (pl.col("since") <= on) & (pl.col("until").is_null() | (pl.col("until") > on))
            )
        return frozenset(rows["code"].to_list())

    def concern_countries(self, on: date | None = None) -> frozenset[str]:
        """Countries of concern (with HK and MO when the option is on), in force on ``on``."""
        roles = (
            {"concern", "concern_optional"} if self.config.options.hk_mo_as_concern else {"concern"}
        )
        return self._codes(roles, on)

    def alliance_members(self, on: date | None = None) -> frozenset[str]:
        return self._codes({"alliance"}, on)

    def column2_countries(self, on: date | None = None) -> frozenset[str]:
        return self._codes({"column2"}, on)

    def country_periods(self, role: str) -> pl.DataFrame:
        """code, since, until of one role (concern includes concern_optional when switched on)."""
        roles = [role]
        if role == "concern" and self.config.options.hk_mo_as_concern:
            roles.append("concern_optional")
        return self.countries.filter(pl.col("role").is_in(roles)).select("code", "since", "until")

    def thresholds(self, list_id: str) -> MatchThreshold:
        return self.config.matching.lists.get(list_id, self.config.matching.default)

    def rule(self, code: str) -> RuleConfig:
        try:
            return self.config.rules[code]
        except KeyError:
            raise RulesetError([f"rule {code} has no entry under rules:"], str(self.path)) from None

    def provenance(self) -> dict[str, str]:
        return {
            "ruleset_name": self.name,
            "ruleset_version": self.version,
            "ruleset_hash": self.content_hash,
        }


# --- locating ---------------------------------------------------------------------------------


def rulesets_root() -> Path:
    """Where named rulesets live: $SCREENER_RULESETS, ./rulesets, or the source checkout's."""
    return data_dir("rulesets", "SCREENER_RULESETS")


def resolve_ruleset(name_or_path: str | Path | None) -> Path:
    """A ruleset directory from a name under rulesets/ or a path (to the dir or its yaml)."""
    spec = str(name_or_path or DEFAULT_RULESET)
    candidate = Path(spec)
    if candidate.is_file() and candidate.name == "ruleset.yaml":
        return candidate.parent
    if candidate.is_dir() and (candidate / "ruleset.yaml").is_file():
        return candidate
    named = rulesets_root() / spec
    if (named / "ruleset.yaml").is_file():
        return named
    known = sorted(p.name for p in rulesets_root().glob("*/ruleset.yaml") for p in [p.parent])
    raise RulesetError(
        [f"no ruleset '{spec}': not a directory with ruleset.yaml, nor a name in {known}"]
    )


# --- reading ----------------------------------------------------------------------------------


def _read_yaml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path}: cannot read: {exc}")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path}: expected a mapping at the top level")
        return {}
    return data


def _layers(directory: Path, problems: list[str]) -> list[tuple[Path, dict[str, Any]]]:
    """The ruleset and its bases, base first."""
    layers: list[tuple[Path, dict[str, Any]]] = []
    seen: set[Path] = set()
    current: Path | None = directory.resolve()
    while current is not None:
        if current in seen:
            problems.append(f"{current}: 'extends' forms a cycle")
            break
        seen.add(current)
        yaml_path = current / "ruleset.yaml"
        if _outside(yaml_path, current, problems):
            break
        data = _read_yaml(yaml_path, problems)
        layers.append((current, data))
        base = data.get("extends")
        current = _base_dir(current, str(base), problems) if base else None
    return list(reversed(layers))


def _base_dir(current: Path, base: str, problems: list[str]) -> Path | None:
    """The folder ``extends: base`` names: a path relative to the ruleset or to the folder
    beside it, or a ruleset name under rulesets/. It must stay inside the ruleset's parent
    folder or the rulesets root (symlinks resolved); an absolute path is refused."""
    where = current / "ruleset.yaml"
    root = rulesets_root().resolve()
    fix = f"name a ruleset beside it in {current.parent} or under {root}"
    if Path(base).is_absolute():
        problems.append(f"{where}: extends '{base}' is an absolute path; {fix}")
        return None
    candidates = [current / base, current.parent / base]
    if Path(base).name == base:
        candidates.append(root / base)
    escaped: Path | None = None
    for candidate in (c.resolve() for c in candidates):
        if not (candidate.is_relative_to(current.parent) or candidate.is_relative_to(root)):
            escaped = escaped or candidate
        elif (candidate / "ruleset.yaml").is_file():
            return candidate
    if escaped is not None:
        problems.append(f"{where}: extends '{base}' leads outside the rulesets ({escaped}); {fix}")
    else:
        problems.append(f"{where}: extends '{base}', which was not found")
    return None


def _outside(path: Path, folder: Path, problems: list[str]) -> bool:
    """True (and a problem) when ``path`` is a link that leads out of the ruleset ``folder``."""
    real = path.resolve()
    if real.is_relative_to(folder.resolve()):
        return False
    problems.append(
        f"{path}: a link to {real}, outside the ruleset folder {folder}; "
        "copy the file into the folder"
    )
    return True


def _label(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _read_table(path: Path, model: type[_Strict], problems: list[str]) -> Rows | None:
    """Validate every row; collect problems as 'dir/file, row N (line L), field: message'.

    Row N counts data rows (1 = first row after the header); line L is the line in the file,
    comments included. Returns None when the header is wrong (no row can be trusted).
    """
    rows: Rows = []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    line_of = [i for i, ln in enumerate(lines, start=1) if not ln.startswith("#")]
    body = [ln for ln in lines if not ln.startswith("#")]
    label = _label(path)
    if not text.startswith("#"):
        problems.append(f"{label}: must open with '#' comment lines (what reads it, its sources)")
    reader = csv.DictReader(io.StringIO("\n".join(body)))
    expected = list(model.model_fields)
    header = list(reader.fieldnames or [])
    if set(header) != set(expected):
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        problems.append(
            f"{label}, header: missing columns {missing}, unexpected columns {extra} "
            f"(expected {expected})"
        )
        return None
    for number, raw in enumerate(reader, start=1):
        line = line_of[reader.line_num - 1] if 0 < reader.line_num <= len(line_of) else 0
        where_row = f"{label}, row {number} (line {line})"
        if None in raw or any(v is None for v in raw.values()):
            problems.append(f"{where_row}: wrong number of fields (expected {len(expected)})")
            continue
        clean = {k: (None if v == "" and _optional(model, k) else v) for k, v in raw.items()}
        try:
            rows.append((where_row, model.model_validate(clean).model_dump()))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "row"
                value = clean.get(str(err["loc"][0])) if err["loc"] else None
                shown = f" (value {value!r})" if value is not None else ""
                problems.append(f"{where_row}, {where}: {err['msg']}{shown}")
    return rows


def _optional(model: type[_Strict], name: str) -> bool:
    info = model.model_fields.get(name)
    return info is not None and not info.is_required() and info.default is None


_DTYPES: dict[str, pl.DataType] = {
    "s301_pct": pl.Float64(),
    "policy_override_pct": pl.Float64(),
    "usgs_2022": pl.Boolean(),
    "usgs_2025": pl.Boolean(),
    "since": pl.Date(),
    "until": pl.Date(),
    "world_share_pct": pl.Float64(),
    "ambiguous": pl.Boolean(),
}


def _frame(rows: Rows, model: type[_Strict]) -> pl.DataFrame:
    """A frame with the model's columns; numeric, boolean and date columns keep their type
    even when every value is empty (an all-empty column would otherwise be Null-typed)."""
    schema = {k: _DTYPES.get(k, pl.String()) for k in model.model_fields}
    if not rows:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame([r for _, r in rows], schema=schema)


def _hash(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _load(spec: str | Path | None) -> tuple[Ruleset | None, list[str]]:
    problems: list[str] = []
    try:
        directory = resolve_ruleset(spec)
    except RulesetError as exc:
        return None, exc.problems
    layers = _layers(directory, problems)
    merged: dict[str, Any] = {}
    tables: dict[str, Path] = {}
    for layer_dir, data in layers:
        merged.update(data)
        for name in TABLES:
            table = layer_dir / name
            if table.is_file() and not _outside(table, layer_dir, problems):
                tables[name] = table
    merged["extends"] = layers[-1][1].get("extends") if layers else None
    config: RulesetFile | None = None
    try:
        config = RulesetFile.model_validate(merged)
    except ValidationError as exc:
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"ruleset.yaml, {where}: {err['msg']}")
    rows: dict[str, Rows | None] = {}
    for name in TABLES:
        if name not in tables:
            problems.append(f"{directory}: table {name} is missing (here and in any base)")
            rows[name] = None
            continue
        rows[name] = _read_table(tables[name], _ROW_MODELS[name], problems)
    check_consistency(rows, problems)
    if config is not None:
        check_origin_tables(rows, config, problems)
    if problems or config is None:
        return None, problems
    tables_ok = {name: table or [] for name, table in rows.items()}
    files = [directory / "ruleset.yaml", *(p for _, p in sorted(tables.items()))]
    files += [d / "ruleset.yaml" for d, _ in layers[:-1]]
    ruleset = Ruleset(
        config=config,
        path=directory,
        content_hash=_hash(files),
        coverage=_frame(tables_ok["coverage.csv"], CoverageRow),
        hts=_frame(tables_ok["hts_schedule.csv"], HtsRow),
        countries=_frame(tables_ok["countries.csv"], CountryRow),
        minerals=_frame(tables_ok["minerals.csv"], MineralRow),
        capacity=_frame(tables_ok["capacity.csv"], CapacityRow),
        xinjiang_places=_frame(tables_ok["xinjiang_places.csv"], XinjiangPlaceRow),
    )
    return ruleset, []


def load_ruleset(spec: str | Path | None = None) -> Ruleset:
    """Load and validate a ruleset by name (under rulesets/) or path; raise on any problem."""
    ruleset, problems = _load(spec)
    if ruleset is None:
        raise RulesetError(problems, str(spec or DEFAULT_RULESET))
    return ruleset


def check_ruleset(spec: str | Path) -> list[str]:
    """Every problem of a ruleset, as readable lines; empty when it is valid."""
    return _load(spec)[1]


@lru_cache(maxsize=8)
def find_run_ruleset(spec: str) -> Ruleset | None:
    """The ruleset a stored run names (its name or recorded ``--ruleset``) as found here now, or
    None when it cannot be loaded; cached. Callers compare its ``content_hash`` with the run's
    recorded hash and say when they differ (explain, the report)."""
    try:
        return load_ruleset(spec)
    except ScreenerError:
        return None
