"""Per-row rules of ingest (DESIGN §3): raw text columns -> typed entry columns + reject reasons.

``check_rows`` takes one String column per entry field (null where the source lacks it), adds
the typed value of each field and an error sentence where it fails. A row with any error is a
reject; its reason lists every problem, its field is the first failing one in schema order.

Policy: a required field must be present and readable; an optional field may be absent, but when
present it must be readable (a country that is not a country, a port that is not a UN/LOCODE, a
quantity that is not a number): silently nulling it would switch off the rule that needs it.
Free text (names, addresses, ids) is only trimmed; ``manufacturer_id`` and ``spi`` are also
upper-cased. ``entry_number`` is stored as given minus surrounding whitespace.

Hostile values: any field holding a NUL byte or more than ``MAX_FIELD_BYTES`` is rejected (a
binary file, a shifted column, a pasted document); dates outside ``DATE_RANGE`` and amounts
past ``MAX_VALUE_USD`` / ``MAX_QUANTITY`` are rejected as typos rather than screened.

Speed: each typed value is computed once into a ``_t_`` column and the error sentences read
those columns; fields whose values repeat across a night (countries, dates, HTS codes, routes)
are normalized on their distinct values only and joined back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from screener import schema
from screener.normalize import (
    entry_check_digit_ok,
    normalize_country,
    normalize_hts,
    normalize_locode,
    parse_amount,
    parse_date,
)

_TRUE = ("true", "yes", "y", "1", "t")
_FALSE = ("false", "no", "n", "0", "f")
_AMOUNT_FORM = "is not a number (write 1234.50 or 1,234.50)"
_LOCODE_FORM = "is not a UN/LOCODE (5 characters like CNSHA)"
_COUNTRY_FORM = "is not a known country (use ISO alpha-2 like CN, alpha-3 like CHN, or a name)"
NOT_IN_SCHEDULE = "is not in the HTS 2026 schedule the ruleset ships"
MAX_FIELD_BYTES = 1_000  # longest field screened; real names and addresses are far shorter
DATE_RANGE = (dt.date(1990, 1, 1), dt.date(2099, 12, 31))
MAX_VALUE_USD = 1e11  # per entry line
MAX_QUANTITY = 1e12
_SHOWN_CHARS = 80  # of a value quoted in a reason

Problem = tuple[Callable[[pl.Expr], pl.Expr], str]  # (condition on the typed value, sentence)


@dataclass(frozen=True)
class Rule:
    """How one field is typed and checked."""

    typed: Callable[[pl.Expr], pl.Expr]  # raw String column -> typed value (null: unreadable)
    unreadable: str | None = None  # sentence when present but unreadable; None: not checked
    problems: tuple[Problem, ...] = ()
    distinct: bool = False  # normalize on distinct values and join back


def _text(expr: pl.Expr) -> pl.Expr:
    s = expr.str.strip_chars()
    return pl.when(s != "").then(s)


def _amount(expr: pl.Expr) -> pl.Expr:
    value = parse_amount(expr)
    return pl.when(value.is_finite()).then(value)


def line_number_value(expr: pl.Expr) -> pl.Expr:
    """'3', '+3', '3.0' -> 3; null when not a whole number."""
    text = _text(expr)
    return pl.when(text.str.contains(r"^\+?[0-9]{1,18}(?:\.0*)?$")).then(
        text.str.replace(r"\.0*$", "").cast(pl.Int64, strict=False)
    )


def _transit_ports(expr: pl.Expr) -> pl.Expr:
    """'CNSHA;SG SIN' -> ['CNSHA', 'SGSIN']; an unreadable port stays as a null element."""
    parts = (
        _text(expr)
        .str.replace_all(",", ";", literal=True)
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    ports = parts.list.eval(normalize_locode(pl.element()))
    return pl.when(ports.list.len() > 0).then(ports)


def _port_of_entry(expr: pl.Expr) -> pl.Expr:
    code = _text(expr).str.to_uppercase().str.replace_all(r"\s", "")
    return pl.coalesce(pl.when(code.str.contains(r"^[0-9]{4}$")).then(code), normalize_locode(code))


def _related_party(expr: pl.Expr) -> pl.Expr:
    return (
        _text(expr)
        .str.to_lowercase()
        .replace_strict(
            [*_TRUE, *_FALSE],
            [True] * len(_TRUE) + [False] * len(_FALSE),
            default=None,
            return_dtype=pl.Boolean,
        )
    )


def _upper_text(expr: pl.Expr) -> pl.Expr:
    return _text(expr).str.to_uppercase()


_NEGATIVE: Problem = (lambda v: v < 0, "is negative")
_RULES: dict[str, Rule] = {
    "line_number": Rule(
        line_number_value,
        "is not a whole number of 1 or more",
        ((lambda v: v < 1, "is not a whole number of 1 or more"),),
    ),
    "entry_date": Rule(
        parse_date,
        "is not a date (use YYYY-MM-DD or M/D/YYYY)",
        (
            (
                lambda v: ~v.is_between(*DATE_RANGE),
                f"is outside {DATE_RANGE[0]} to {DATE_RANGE[1]} (a typo in the year?)",
            ),
        ),
        distinct=True,
    ),
    "hts_code": Rule(
        normalize_hts, "is not 10 digits (write 8505.11.0070 or 8505110070)", distinct=True
    ),
    "entered_value_usd": Rule(
        _amount,
        _AMOUNT_FORM,
        (
            _NEGATIVE,
            (lambda v: v > MAX_VALUE_USD, f"is more than {MAX_VALUE_USD:,.0f} for one line"),
        ),
    ),
    "quantity": Rule(
        _amount,
        _AMOUNT_FORM,
        (_NEGATIVE, (lambda v: v > MAX_QUANTITY, f"is more than {MAX_QUANTITY:,.0f}")),
    ),
    "cn_ree_content_pct": Rule(
        lambda e: _amount(_text(e).str.strip_suffix("%")),
        "is not a percentage (write 12.5 or 12.5%)",
        (_NEGATIVE, (lambda v: v > 100, "is more than 100")),
    ),
    "port_of_lading": Rule(lambda e: normalize_locode(_text(e)), _LOCODE_FORM, distinct=True),
    "transit_ports": Rule(
        _transit_ports,
        "holds a port that is not a UN/LOCODE (write CNSHA;SGSIN)",
        (
            (
                lambda v: v.list.eval(pl.element().is_null()).list.any(),
                "holds a port that is not a UN/LOCODE (write CNSHA;SGSIN)",
            ),
        ),
        distinct=True,
    ),
    "port_of_entry": Rule(
        _port_of_entry,
        "is not a CBP port code (4 digits like 2704) or a UN/LOCODE (like USLAX)",
        distinct=True,
    ),
    "related_party": Rule(_related_party, "is not true/false (use true/false, yes/no, y/n or 1/0)"),
    "manufacturer_id": Rule(_upper_text),
    "spi": Rule(_upper_text),
    **{c: Rule(normalize_country, _COUNTRY_FORM, distinct=True) for c in schema.COUNTRY_COLUMNS},
}


def _rule(c: str, valid_hts: pl.Series | None) -> Rule:
    rule = _RULES.get(c, Rule(_text, "is missing" if c in schema.REQUIRED else None))
    if c == "hts_code" and valid_hts is not None:
        unknown: Problem = (lambda v: ~v.is_in(valid_hts.implode()), NOT_IN_SCHEDULE)
        rule = Rule(rule.typed, rule.unreadable, (unknown,), rule.distinct)
    return rule


def _says(c: str, what: str) -> pl.Expr:
    """ "<c> '<raw value, cut to _SHOWN_CHARS>' <what>" """
    raw = pl.col(c)
    shown = pl.when(raw.str.len_chars() > _SHOWN_CHARS).then(
        pl.concat_str(raw.str.slice(0, _SHOWN_CHARS), pl.lit("..."))
    )
    return pl.concat_str([pl.lit(f"{c} '"), shown.otherwise(raw), pl.lit(f"' {what}")])


def _error(c: str, rule: Rule) -> pl.Expr:
    """NUL byte, too long, missing (required fields), then unreadable, then each problem: the
    first that applies."""
    raw, typed = pl.col(c), pl.col(f"_t_{c}")
    chain = (
        pl.when(raw.str.contains("\x00", literal=True))
        .then(pl.lit(f"{c} holds a NUL byte (is the file binary or damaged?)"))
        .when(raw.str.len_bytes() > MAX_FIELD_BYTES)
        .then(
            pl.concat_str(
                pl.lit(f"{c} is "),
                raw.str.len_chars().cast(pl.String),
                pl.lit(
                    f" characters long; at most {MAX_FIELD_BYTES:,} bytes are screened "
                    "(a shifted column or pasted text?)"
                ),
            )
        )
    )
    if rule.unreadable is None and c not in schema.REQUIRED:
        return chain.otherwise(None)
    missing = pl.lit(f"{c} is missing" if c in schema.REQUIRED else None, dtype=pl.String)
    chain = chain.when(_text(raw).is_null()).then(missing)
    chain = chain.when(typed.is_null()).then(_says(c, rule.unreadable or "is missing"))
    for cond, what in rule.problems:
        chain = chain.when(cond(typed)).then(_says(c, what))
    return chain.otherwise(None)


def _typed_via_distinct(df: pl.DataFrame, c: str, rule: Rule) -> pl.DataFrame:
    distinct = df.select(pl.col(c).unique().drop_nulls())
    mapped = distinct.with_columns(rule.typed(pl.col(c)).alias(f"_t_{c}"))
    dtype = mapped.schema[f"_t_{c}"]
    if not distinct.height:  # column absent or empty
        return df.with_columns(pl.lit(None, dtype=dtype).alias(f"_t_{c}"))
    if isinstance(dtype, pl.List):
        return df.join(mapped, on=c, how="left", maintain_order="left")
    lookup = pl.col(c).replace_strict(
        mapped[c], mapped[f"_t_{c}"], default=None, return_dtype=dtype
    )
    return df.with_columns(lookup.alias(f"_t_{c}"))


def check_rows(df: pl.DataFrame, *, valid_hts: pl.Series | None = None) -> pl.DataFrame:
    """Add typed ``schema.ENTRY`` columns (prefixed ``_t_``), ``entry_check_digit_ok`` and, per
    row, ``_field`` / ``_value`` / ``_reason`` (all null when the row is accepted).

    ``df`` holds every ``schema.ENTRY`` column as String, null where the source lacks it.
    """
    rules = {c: _rule(c, valid_hts) for c in schema.ENTRY}
    for c, rule in rules.items():
        if rule.distinct:
            df = _typed_via_distinct(df, c, rule)
    df = df.with_columns(
        *[r.typed(pl.col(c)).alias(f"_t_{c}") for c, r in rules.items() if not r.distinct],
        entry_check_digit_ok(_text(pl.col("entry_number"))).alias("entry_check_digit_ok"),
    )
    errors = {c: _error(c, r) for c, r in rules.items()}
    df = df.with_columns(*[e.alias(f"_e_{c}") for c, e in errors.items()])
    reason = pl.concat_str([pl.col(f"_e_{c}") for c in errors], separator="; ", ignore_nulls=True)
    failed = [(c, pl.col(f"_e_{c}").is_not_null()) for c in errors]
    return df.with_columns(
        pl.when(reason != "").then(reason).alias("_reason"),
        pl.coalesce([pl.when(f).then(pl.lit(c)) for c, f in failed]).alias("_field"),
        pl.coalesce([pl.when(f).then(pl.col(c)) for c, f in failed]).alias("_value"),
    ).drop([f"_e_{c}" for c in errors])
