"""``Screener``: the one place the stage order is decided.

ingest/validate -> match -> origin -> duty. Each stage adds prefixed columns and keeps every row;
``.collect()`` happens here only: for the distinct party names (the matcher scores names, not
lines), after matching (the origin stage branches per rule over the matched lines) and for the
result.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from pathlib import Path

import polars as pl

from screener import schema
from screener.allowlist import split_hits
from screener.duty import assign_duty
from screener.duty_tables import DutyTables
from screener.errors import InputError
from screener.history import History
from screener.history_columns import add_history_columns
from screener.history_run import RunLines
from screener.ingest import validate_frame
from screener.lists import load_lists
from screener.match import NameIndex, build_index, match_names
from screener.models import EntryLine, LineResult
from screener.origin import flag_origin
from screener.regulatory_notes import note_lines
from screener.ruleset import Ruleset, load_ruleset
from screener.store_sql import SUPPRESSED_STRUCT

_PARTIES = (("supplier", "supplier_name"), ("manufacturer", "manufacturer_name"))
_NOT_PARTIES = frozenset({"vessel", "aircraft"})


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


class Screener:
    """Screens entry lines against one ruleset and one set of entity lists."""

    def __init__(self, ruleset: Ruleset, names: pl.DataFrame) -> None:
        self.ruleset = ruleset
        self.names = names
        # Parties on an entry line are companies or people: vessels and aircraft on a list are
        # not matched against supplier and manufacturer names.
        parties = names.filter(~pl.col("entity_type").is_in(list(_NOT_PARTIES)))
        self.index: NameIndex = build_index(parties)
        self.tables = DutyTables.build(ruleset)
        self.valid_hts: Collection[str] = frozenset(ruleset.hts["hts10"].to_list())

    @classmethod
    def load(
        cls, ruleset: str | Path | Ruleset | None = None, lists: Sequence[str] | None = None
    ) -> Screener:
        """A screener from a ruleset name or path (default cmsa-2026) and list specs
        (``ofac-sdn:DIR``, ``csv:FILE``, ``csl:FILE``, ``dpl:FILE``, ``un:FILE``, ``ftm:FILE``;
        default: the bundled lists)."""
        loaded = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset)
        return cls(loaded, load_lists(lists))

    def list_versions(self) -> dict[str, str]:
        pairs = self.names.select("list_id", "list_version").unique().sort("list_id")
        return dict(pairs.iter_rows())

    # --- stages ---------------------------------------------------------------------------

    def match_parties(
        self, frame: pl.DataFrame, allowlist: pl.DataFrame | None = None
    ) -> pl.LazyFrame:
        """Add match_hits (supplier and manufacturer hits, best first), best score, confirmed.

        With ``allowlist`` (``screener.allowlist.ACTIVE`` rows: the active decisions), the hits
        it names go to ``match_suppressed`` instead, so no later stage counts them.
        """
        queries = (
            pl.concat([frame["supplier_name"], frame["manufacturer_name"]])
            .drop_nulls()
            .unique()
            .to_list()
        )

        def thresholds(list_id: str) -> tuple[float, float]:
            t = self.ruleset.thresholds(list_id)
            return t.review, t.confirm

        hits = match_names(queries, self.index, thresholds)
        lf = frame.lazy()
        if allowlist is not None:
            hits, suppressed = split_hits(hits, allowlist)
            lf = _attach_hits(lf, suppressed, SUPPRESSED_STRUCT, "match_suppressed")
        return _attach_hits(lf, hits, schema.HIT_STRUCT, "match_hits").with_columns(
            pl.col("match_hits")
            .list.eval(pl.element().struct.field("score"))
            .list.max()
            .alias("match_best_score"),
            pl.col("match_hits")
            .list.eval(pl.element().struct.field("confirmed"))
            .list.any()
            .alias("match_confirmed"),
        )

    def screen_accepted(
        self,
        accepted: pl.DataFrame,
        run_id: str | None = None,
        allowlist: pl.DataFrame | None = None,
        history: History | None = None,
        run: RunLines | None = None,
    ) -> pl.DataFrame:
        """Screen validated lines (ingest's ``accepted`` frame) -> one result row per line.

        With ``allowlist`` the result also has ``match_suppressed`` (see ``match_parties``).
        ``history`` (``screener.history.load_history``) feeds the history rules; without it they
        are skipped on every line (``origin_rules_skipped``). ``run``: when ``accepted`` is one
        batch of a larger run, the run's lines as the history rules count them
        (``screener.history_run.collect_run_lines``), so batching does not change a result.
        """
        frame = accepted.with_row_index("_row")
        lf = self.match_parties(frame, allowlist).collect().lazy()
        # collected once: the origin stage reads the matched lines in one branch per rule.
        # rechunk: the history columns are concatenated horizontally, and a frame whose columns
        # are chunked differently makes polars 2.1's streaming filters panic further on
        history = history or History.empty()
        lf = add_history_columns(lf, history, self.ruleset, run).collect().rechunk().lazy()
        lf = flag_origin(lf, self.ruleset)
        lf = assign_duty(lf, self.ruleset, self.tables)
        lf = note_lines(lf, self.ruleset)  # informative notes: never risk, flags or duty
        stamp = {"run_id": run_id or new_run_id(), **self.ruleset.provenance()}
        lf = lf.with_columns(pl.lit(v, dtype=pl.String).alias(k) for k, v in stamp.items())
        extra = ["match_suppressed"] if allowlist is not None else []
        result = lf.sort("_row").select([*schema.RESULT, *extra]).collect()
        return result.cast(schema.RESULT)  # type: ignore[arg-type]

    # --- library entry points -------------------------------------------------------------

    def screen(
        self,
        frame: pl.DataFrame | pl.LazyFrame,
        allowlist: pl.DataFrame | None = None,
        history: History | None = None,
    ) -> pl.DataFrame:
        """Screen a frame of entry lines (any column types ingest accepts).

        Returns one row per input row, in input order: screened rows carry every result column;
        a row that cannot be screened carries ``reject_field`` and ``reject_reason`` instead.
        Without ``history`` the history rules are skipped (see ``screen_accepted``).
        """
        accepted, rejects = validate_frame(frame, source="frame", valid_hts=self.valid_hts)
        result = self.screen_accepted(accepted, allowlist=allowlist, history=history).with_columns(
            pl.lit(None, dtype=pl.String).alias("reject_field"),
            pl.lit(None, dtype=pl.String).alias("reject_reason"),
        )
        if rejects.is_empty():
            return result
        rejected = rejects.select(
            pl.col("source"),
            pl.col("row_number"),
            pl.col("entry_number"),
            pl.col("field").alias("reject_field"),
            pl.col("reason").alias("reject_reason"),
        )
        return pl.concat([result, rejected], how="diagonal_relaxed").sort("row_number")

    def screen_line(self, line: EntryLine) -> LineResult:
        """Screen one line through the same stages as a batch; raise InputError if rejected."""
        frame = pl.DataFrame(
            [line.as_text_row()], schema=dict.fromkeys(EntryLine.model_fields, pl.String)
        )
        accepted, rejects = validate_frame(frame, source="line", valid_hts=self.valid_hts)
        if not rejects.is_empty():
            raise InputError(f"entry line cannot be screened: {rejects['reason'][0]}")
        row = self.screen_accepted(accepted).row(0, named=True)
        return LineResult.from_row(row)


def _attach_hits(
    lf: pl.LazyFrame, hits: pl.DataFrame, struct: pl.Struct, column: str
) -> pl.LazyFrame:
    """Join ``match_names`` hits to the lines naming them as supplier or manufacturer: a list of
    ``struct`` per line in ``column``, best first, one per listed entity (its best party)."""
    fields = list(struct.to_schema())
    for party, name_column in _PARTIES:
        per_query = (
            hits.lazy()
            .with_columns(
                pl.lit(party).alias("party"),
                pl.format(
                    "{} '{}' ~ {}", pl.lit(party), pl.col("query"), pl.col("explanation")
                ).alias("explanation"),
            )
            .group_by("query")
            .agg(pl.struct(fields).alias(f"_hits_{party}"))
        )
        lf = lf.join(per_query, left_on=name_column, right_on="query", how="left")
    empty = pl.lit([], dtype=pl.List(struct))
    merged = pl.concat_list([pl.col(f"_hits_{p}").fill_null(empty) for p, _ in _PARTIES]).list.eval(
        pl.element()
        .sort_by(pl.element().struct.field("score"), descending=True)
        .filter(  # one hit per listed entity: the best-scoring party
            pl.concat_str(
                pl.element().struct.field("list_id"), pl.element().struct.field("entity_id")
            ).is_first_distinct()
        )
    )
    return lf.with_columns(merged.alias(column)).drop([f"_hits_{p}" for p, _ in _PARTIES])
