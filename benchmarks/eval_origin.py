"""Evaluation: do the origin rules catch the generator's planted evasion, and spare clean trade?

Scenario: ``screener generate`` writes M months of N entry lines each (critical minerals, invented
firms; evasion schemes planted on ~4% of the lines dated on or after the 2026-01-01 duty event,
listed in truth.csv). Each month file is screened as one night (``screener.runner.run_screen``,
default ruleset, bundled lists) into ONE DuckDB file, oldest first, so later nights have the
history the history rules read. Then, over the lines dated on or after the event only:

* per rule: recall on the planted lines whose truth lists the rule (the rule fired on the line),
  and how often it fires on clean lines;
* per scheme and overall: recall (an expected rule fired, or the line was held: HOLD_VERIFY);
* any origin flag (weight > 0; the info flags ENTRY_CHECK_DIGIT and ADCVD_DECLARED do not
  count) on clean lines, holds on clean lines, and HOLD precision (held planted / all held).

Goals printed beside the numbers: recall >= 0.90; origin flags on < 2% of clean lines; holds on
< 2% of clean lines. Rule codes are read from the ``flags`` table, so the harness works with
whatever rules the ruleset has; expected rules the ruleset lacks are marked.

``--timing`` instead times the history rules at scale: 12 months x 1,000,000 lines of history
(Parquet), screened night by night, then one night of 1,000,000 lines whose origin stage
(history columns + ``flag_origin``, each collected) must take under 60 s.

    python benchmarks/eval_origin.py [--json] [--months 9] [--lines-per-month 20000] [--seed 7]
    python benchmarks/eval_origin.py --timing [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from screener.generate import Scenario, generate_scenario  # noqa: E402
from screener.pipeline import Screener  # noqa: E402
from screener.runner import run_screen  # noqa: E402

EVENT = date(2026, 1, 1)
GOALS = {"recall": 0.90, "clean_flag_rate": 0.02, "clean_hold_rate": 0.02}


def default_start(months: int, event: date = EVENT) -> str:
    """First month so that about a third of the months (at least one) are on or after the event."""
    post = max(1, months // 3)
    k = event.year * 12 + event.month - 1 - (months - post)
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def _screen_nights(
    files: list[Path], db: Path, screener: Screener, say: Callable[[str], None]
) -> list[dict[str, Any]]:
    nights = []
    for path in files:
        t0 = time.perf_counter()
        outcome = run_screen([str(path)], db=db, screener=screener)
        seconds = time.perf_counter() - t0
        nights.append(
            {
                "file": path.name,
                "accepted": outcome.accepted,
                "rejected": outcome.rejected,
                "seconds": round(seconds, 2),
                "timings": outcome.timings,
            }
        )
        say(f"  {path.name}: {outcome.accepted:,} lines, {seconds:.1f} s")
    return nights


def _lines(db: Path, truth: pl.DataFrame, event: date) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(one row per line after the event: planted?, scheme, expected, held, fired rules;
    the fired (line, rule, weight) pairs)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        lines = con.sql(
            "SELECT entry_number, line_number, country_of_origin, duty_class FROM entries "
            "WHERE entry_date >= ?",
            params=[event],
        ).pl()
        flags = con.sql(
            "SELECT f.entry_number, f.line_number, f.rule, max(f.weight) AS weight "
            "FROM flags f JOIN entries e USING (run_id, entry_number, line_number) "
            "WHERE e.entry_date >= ? GROUP BY ALL",
            params=[event],
        ).pl()
    finally:
        con.close()
    key = ["entry_number", "line_number"]
    truth = truth.with_columns(pl.col("line_number").cast(pl.Int64))
    lines = lines.join(truth.select(*key, "scheme", "expected_rules"), on=key, how="left")
    expected = pl.col("expected_rules").str.split("; ")
    fired = flags.group_by(key).agg(
        pl.col("rule").alias("fired"),
        pl.col("rule").filter(pl.col("weight") > 0).alias("fired_weighted"),
    )
    lines = lines.join(fired, on=key, how="left").with_columns(
        planted=pl.col("scheme").is_not_null(),
        held=pl.col("duty_class") == "HOLD_VERIFY",
        expected=expected.fill_null([]),
        fired=pl.col("fired").fill_null([]),
        flagged=pl.col("fired_weighted").list.len().fill_null(0) > 0,
    )
    lines = lines.with_columns(
        caught=(pl.col("expected").list.set_intersection("fired").list.len() > 0) | pl.col("held")
    )
    return lines, flags


def _rate(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _metrics(
    lines: pl.DataFrame, flags: pl.DataFrame, in_ruleset: set[str], concern: frozenset[str]
) -> dict[str, Any]:
    planted = lines.filter("planted")
    clean = lines.filter(~pl.col("planted"))
    elsewhere = clean.filter(~pl.col("country_of_origin").is_in(list(concern)))
    rules: dict[str, Any] = {}
    expected_rules = sorted(set(planted["expected"].explode().drop_nulls().to_list()))
    fired_rules = sorted(set(flags["rule"].to_list()))
    clean_keys = clean.select("entry_number", "line_number")
    clean_fired = dict(
        flags.join(clean_keys, on=["entry_number", "line_number"])
        .group_by("rule")
        .len()
        .iter_rows()
    )
    for rule in sorted(set(expected_rules) | set(fired_rules)):
        target = planted.filter(pl.col("expected").list.contains(rule))
        caught = target.filter(pl.col("fired").list.contains(rule)).height
        rules[rule] = {
            "in_ruleset": rule in in_ruleset,
            "planted_lines": target.height,
            "caught": caught,
            "recall": _rate(caught, target.height),
            "clean_fired": int(clean_fired.get(rule, 0)),
            "clean_rate": _rate(int(clean_fired.get(rule, 0)), clean.height),
        }
    schemes = {
        scheme: {"lines": n, "caught": c, "recall": _rate(c, n)}
        for scheme, n, c in planted.group_by("scheme")
        .agg(pl.len(), pl.col("caught").sum())
        .sort("scheme")
        .iter_rows()
    }
    held = lines.filter("held")
    held_planted = held.filter("planted").height
    overall = {
        "recall": _rate(planted.filter("caught").height, planted.height),
        "clean_flag_rate": _rate(clean.filter("flagged").height, clean.height),
        # the same among clean lines declared from a country that is not of concern
        "clean_flag_rate_non_concern": _rate(elsewhere.filter("flagged").height, elsewhere.height),
        "clean_hold_rate": _rate(clean.filter("held").height, clean.height),
        "held": held.height,
        "held_planted": held_planted,
        "hold_precision": _rate(held_planted, held.height),
    }
    return {
        "lines_after_event": lines.height,
        "planted_lines": planted.height,
        "clean_lines": clean.height,
        "rules": rules,
        "schemes": schemes,
        "overall": overall,
    }


def _goals(overall: dict[str, Any]) -> dict[str, Any]:
    recall, flag, hold = (overall[k] for k in ("recall", "clean_flag_rate", "clean_hold_rate"))
    return {
        "recall": {"goal": ">= 0.90", "met": recall is not None and recall >= GOALS["recall"]},
        "clean_flag_rate": {"goal": "< 0.02", "met": flag is not None and flag < 0.02},
        "clean_hold_rate": {"goal": "< 0.02", "met": hold is not None and hold < 0.02},
    }


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _print(report: dict[str, Any]) -> None:
    s, m = report["scenario"], report["metrics"]
    print(
        f"scenario: {s['months']} months x {s['lines_per_month']:,} lines from {s['start']}, "
        f"seed {s['seed']}, event {s['event']}; {report['lines']:,} lines screened "
        f"({report['rejected']} rejected) in {len(report['nights'])} nights"
    )
    print(
        f"after the event: {m['lines_after_event']:,} lines, {m['planted_lines']:,} planted, "
        f"{m['clean_lines']:,} clean"
    )
    print(
        f"\n{'rule':<24}{'ruleset':>8}{'planted':>9}{'caught':>8}{'recall':>8}{'clean':>8}{'clean%':>8}"
    )
    for rule, r in m["rules"].items():
        print(
            f"{rule:<24}{'yes' if r['in_ruleset'] else 'NO':>8}{r['planted_lines']:>9}"
            f"{r['caught']:>8}{_pct(r['recall']):>8}{r['clean_fired']:>8}{_pct(r['clean_rate']):>8}"
        )
    print(
        f"\n{'scheme':<24}{'lines':>9}{'caught':>8}{'recall':>8}  (an expected rule fired, or held)"
    )
    for scheme, r in m["schemes"].items():
        print(f"{scheme:<24}{r['lines']:>9}{r['caught']:>8}{_pct(r['recall']):>8}")
    o, g = m["overall"], report["goals"]

    def met(key: str) -> str:
        return "met" if g[key]["met"] else "NOT met"

    recall = _pct(o["recall"])
    print(f"\noverall recall on planted lines      {recall:>7}   goal >= 90%: {met('recall')}")
    print(
        f"any origin flag on clean lines       {_pct(o['clean_flag_rate']):>7}   goal < 2%: "
        f"{met('clean_flag_rate')}"
    )
    print(
        f"  of clean lines not declared from a country of concern "
        f"{_pct(o['clean_flag_rate_non_concern'])}"
    )
    print(
        f"holds on clean lines                 {_pct(o['clean_hold_rate']):>7}   goal < 2%: "
        f"{met('clean_hold_rate')}"
    )
    print(
        f"HOLD precision (planted / held)      {_pct(o['hold_precision']):>7}   "
        f"({o['held_planted']:,} of {o['held']:,} held lines)"
    )
    missing = [r for r, v in m["rules"].items() if not v["in_ruleset"]]
    if missing:
        print(f"expected rules not in the ruleset: {', '.join(missing)}")
    t = report["timings"]
    print(f"time: generate {t['generate']} s, load {t['load']} s, screen {t['screen']} s")


def evaluate(args: argparse.Namespace, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    start = args.start or default_start(args.months)
    scenario = Scenario(
        months=args.months,
        lines_per_month=args.lines_per_month,
        seed=args.seed,
        start=start,
        planted_share=args.planted_share,
        event=EVENT,
    )
    t0 = time.perf_counter()
    result = generate_scenario(scenario, work / "scenario")
    t1 = time.perf_counter()
    screener = Screener.load()
    t2 = time.perf_counter()
    say(f"screening {len(result.files)} nights into {work / 'eval.duckdb'}")
    nights = _screen_nights(result.files, work / "eval.duckdb", screener, say)
    t3 = time.perf_counter()
    truth = pl.read_csv(result.truth, schema_overrides={"line_number": pl.Int64})
    lines, flags = _lines(work / "eval.duckdb", truth, EVENT)
    rules = screener.ruleset
    metrics = _metrics(lines, flags, set(rules.config.rules), rules.concern_countries(EVENT))
    return {
        "scenario": {
            "months": scenario.months,
            "lines_per_month": scenario.lines_per_month,
            "seed": scenario.seed,
            "start": start,
            "event": EVENT.isoformat(),
            "planted_share": scenario.planted_share,
        },
        "lines": sum(n["accepted"] + n["rejected"] for n in nights),
        "rejected": sum(n["rejected"] for n in nights),
        "nights": nights,
        "metrics": metrics,
        "goals": _goals(metrics["overall"]),
        "timings": {
            "generate": round(t1 - t0, 2),
            "load": round(t2 - t1, 2),
            "screen": round(t3 - t2, 2),
            "evaluate": round(time.perf_counter() - t3, 2),
        },
    }


@contextmanager
def _timed_origin(clock: dict[str, float]) -> Iterator[None]:
    """Time the pipeline's origin stage: each step it names is collected and timed on its own."""
    import screener.pipeline as pipeline

    saved = {}
    for name in ("add_history_columns", "flag_origin"):
        fn = getattr(pipeline, name, None)
        if fn is None:
            continue
        saved[name] = fn

        def timed(*a: Any, _fn: Any = fn, _name: str = name, **kw: Any) -> Any:
            t = time.perf_counter()
            out = _fn(*a, **kw)
            if isinstance(out, pl.LazyFrame):
                out = out.collect().lazy()
            clock[_name] = round(clock.get(_name, 0.0) + time.perf_counter() - t, 3)
            return out

        setattr(pipeline, name, timed)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(pipeline, name, fn)


def timing(args: argparse.Namespace, work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    months = args.timing_months + 1
    k = EVENT.year * 12 + EVENT.month - 1 - args.timing_months
    scenario = Scenario(
        months=months,
        lines_per_month=args.timing_lines,
        seed=args.seed,
        start=f"{k // 12:04d}-{k % 12 + 1:02d}",
        fmt="parquet",
        event=EVENT,
    )
    t0 = time.perf_counter()
    result = generate_scenario(scenario, work / "scenario", progress=lambda m: say(f"  gen {m}"))
    say(f"generated {result.lines:,} lines in {time.perf_counter() - t0:.0f} s")
    screener = Screener.load()
    db = work / "timing.duckdb"
    history = _screen_nights(result.files[:-1], db, screener, say)
    clock: dict[str, float] = {}
    with _timed_origin(clock):
        night = _screen_nights(result.files[-1:], db, screener, say)[0]
    origin = round(sum(clock.values()), 3)
    history_read = float(night["timings"].get("history", 0.0))
    return {
        "history_months": args.timing_months,
        "lines_per_month": args.timing_lines,
        "history_nights": history,
        "night": night,
        "origin_stage": clock,
        "origin_stage_seconds": origin,
        "history_read_seconds": history_read,  # the run's history aggregates read from the store
        "goal": {"origin_stage": "< 60 s", "met": 0 < origin < 60},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    parser.add_argument("--months", type=int, default=9)
    parser.add_argument("--lines-per-month", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--start", default=None, help="first month YYYY-MM (default: a third after the event)"
    )
    parser.add_argument("--planted-share", type=float, default=0.04)
    parser.add_argument("--timing", action="store_true", help="time the origin stage at scale")
    parser.add_argument("--timing-months", type=int, default=12)
    parser.add_argument("--timing-lines", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=None, help="keep the files here")
    args = parser.parse_args()

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="screener-eval-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if args.timing:
            report = timing(args, work, say)
            n = report["night"]
            print(
                f"history: {report['history_months']} nights x {report['lines_per_month']:,} "
                f"lines; night: {n['accepted']:,} lines in {n['seconds']} s "
                f"(run timings {n['timings']})"
            )
            print(
                f"origin stage {report['origin_stage_seconds']} s {report['origin_stage']} "
                f"(+ {report['history_read_seconds']} s reading the history from the store); "
                f"goal < 60 s: {'met' if report['goal']['met'] else 'NOT met'}"
            )
        else:
            report = evaluate(args, work, say)
            _print(report)
    if args.json:
        print(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
