"""Name matching: the match key, scores, table-driven pairs, hits and the labelled-pairs F1."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from screener.lists import load_list
from screener.match import (
    align_keys,
    analyze_name,
    build_index,
    match_names,
    name_key_expr,
    normalize_name,
    score_names,
)
from screener.match.blocking import MARGIN
from screener.match.score import HITS

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
REVIEW = 85.0
CONFIRM = 95.0
BENCH = HERE / "data" / "matching"
COMPANY_SCHEMAS = ("Company", "Organization", "LegalEntity")
F1_FLOOR = 0.92  # without numbered series: measured 0.932 (P 0.941, R 0.923); logic-v2 0.872
F1_ALL_FLOOR = 0.92  # all 266 pairs: measured 0.935 (issue 3 goal 0.92); logic-v2 0.865
_NUMBER = re.compile(r"\d|^[ivxlc]{1,5}$")

names_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.lists(
    st.sampled_from(
        [
            "Co.",
            "Ltd",
            "LLC",
            "S.A.",
            "de",
            "C.V.",
            "Intl",
            "OOO",
            "the",
            "有限公司",
            "赤灯",
            "Волга",
            "Jade",
            "&",
            "'",
            "Grp",
            "co",
            "a",
            "sp.",
            "z",
            "o.o.",
            "AG",
            "3",
        ]
    ),
    max_size=6,
).map(" ".join)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Jade Harbor Intl Co., Ltd.", "jade harbor international"),
        ("NINGBO EASTSEA MAGNETIC TECH CO LTD", "ningbo eastsea magnetic technology"),
        ("赤灯稀土集团有限公司", "chideng xitu jituan"),
        ("杭州海康威視數字技術股份有限公司", "hangzhou haikang weishi shuzi jishu"),
        ("三菱商事株式会社", "sanling shangshi"),
        ("ООО Волга Бореалис Металлы", "volga borealis metally"),
        ("Grupo México S.A. de C.V.", "grupo mexico"),
        ("Polska Sp. z o.o.", "polska"),
        ("The Coca-Cola Company", "coca cola"),
        ("Int'l Trading & Mfg Co", "international trading and manufacturing"),
        ("Co., Ltd.", "company"),
        ("株式会社トヨタ", "toyota"),
        ("", ""),
    ],
)
def test_normalize_examples(name: str, key: str) -> None:
    assert normalize_name(name) == key


def test_analyze_keeps_what_it_did() -> None:
    done = analyze_name("Red Lantern Grp 赤灯 Co Ltd")
    assert done.key == "red lantern group chideng"
    assert done.legal_forms == ("co ltd",)
    assert done.expansions == (("grp", "group"),)
    assert done.scripts == ("Han",)


@settings(max_examples=300, deadline=None)
@given(names_text)
@example("0 1 4 街")  # an address word written in Han reads as one only after transliteration
def test_normalize_is_idempotent(name: str) -> None:
    key = normalize_name(name)
    assert normalize_name(key) == key
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in key)


@settings(max_examples=200, deadline=None)
@given(names_text, names_text)
def test_scores_in_range(a: str, b: str) -> None:
    assert 0.0 <= score_names(a, b) <= 100.0
    assert score_names(a, a) == (100.0 if normalize_name(a) else 0.0)


def _pairs() -> list[dict[str, str]]:
    with (HERE / "cases" / "name_pairs.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.mark.parametrize("case", _pairs(), ids=lambda c: f"{c['entry_name']}~{c['entity_name']}")
def test_name_pairs(case: dict[str, str]) -> None:
    score = score_names(case["entry_name"], case["entity_name"])
    if case["expect"] == "match":
        assert score >= REVIEW, f"{case['why']}: {score}"
    elif case["expect"] == "review":  # a sibling: worth a look, never the same entity
        assert REVIEW <= score < CONFIRM, f"{case['why']}: {score}"
    else:
        assert score < REVIEW, f"{case['why']}: {score}"


def test_name_key_expr() -> None:
    frame = pl.DataFrame({"n": ["Jade Harbor Co Ltd", None]})
    assert frame.select(name_key_expr(pl.col("n")))["n"].to_list() == ["jade harbor", None]


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return build_index(load_list(f"csv:{REPO / 'lists' / 'fictitious_concern.csv'}"))


def test_match_names_hits(index) -> None:  # type: ignore[no-untyped-def]
    queries = [
        "JADE HARBOR MAGNETICS CO., LTD.",
        "Jade Harbour Magnetic Materials Ningbo Trading",
        "Chideng Xitu Jituan Youxian Gongsi",
        "Jade Harbor Imports",
        "Unrelated Widgets Inc",
    ]
    hits = match_names(queries, index, lambda list_id: (85.0, 95.0))
    assert hits.schema == pl.Schema(HITS)
    got = {
        (q, e): (k, s, c)
        for q, e, k, s, c in hits.select(
            "query", "entity_id", "name_kind", "score", "confirmed"
        ).iter_rows()
    }
    assert got[("JADE HARBOR MAGNETICS CO., LTD.", "FX-0002")] == ("primary", 100.0, True)
    assert got[("Jade Harbour Magnetic Materials Ningbo Trading", "FX-0002")][:1] == ("aka",)
    assert not got[("Jade Harbour Magnetic Materials Ningbo Trading", "FX-0002")][2]
    assert got[("Chideng Xitu Jituan Youxian Gongsi", "FX-0001")] == ("aka", 100.0, True)
    assert not hits.filter(
        pl.col("query").is_in(["Jade Harbor Imports", "Unrelated Widgets Inc"])
    ).height
    assert hits.select(pl.struct("query", "list_id", "entity_id").is_unique().all()).item()
    text = hits.filter(pl.col("query") == "JADE HARBOR MAGNETICS CO., LTD.")["explanation"][0]
    assert text.startswith(
        "key 'jade harbor magnetics' ~ fictitious-concern entity FX-0002 primary"
    )
    assert "score 100.0" in text and "legal form 'co ltd' ignored" in text
    assert "list version undated+" in text


def test_weak_alias_exact_only() -> None:
    names = load_list(f"csv:{HERE / 'data' / 'lists' / 'good.csv'}")
    index = build_index(names)
    hits = match_names(["ACR", "ACRE", "Alpha Cobalt Ltd"], index, lambda _: (85.0, 95.0))
    rows = hits.select("query", "name_kind", "score").rows()
    assert ("ACR", "weak", 100.0) in rows
    assert all(q != "ACRE" for q, _, _ in rows)
    assert ("Alpha Cobalt Ltd", "aka", 100.0) in rows


def test_han_and_hangul_entries_meet_english_list_names() -> None:
    """An entry name is matched under each reading: the translated one meets the UN and
    Consolidated Screening List entries the lists write in English, and says why."""
    lists = HERE / "data" / "lists"
    names = pl.concat(
        [
            load_list(f"un:{lists / 'un_sc_consolidated_2026-02-27.xml'}"),
            load_list(f"csl:{lists / 'trade_csl_2019-12_sample115.csv'}"),
        ],
        how="diagonal_relaxed",
    )
    queries = [
        "단천상업은행",
        "조선광업개발무역회사",
        "昆仑银行股份有限公司",
        "단천무역은행",
        "昆仑贸易有限公司",
    ]
    hits = match_names(queries, build_index(names, cache=False), lambda _: (85.0, 95.0))
    got = {q: (e, s) for q, e, s in hits.select("query", "entity_id", "score").iter_rows()}
    assert got == {
        "단천상업은행": ("KPe.003", 100.0),  # TANCHON COMMERCIAL BANK
        "조선광업개발무역회사": ("KPe.001", 100.0),  # KOREA MINING DEVELOPMENT TRADING CORPORATION
        "昆仑银行股份有限公司": ("15268", got["昆仑银行股份有限公司"][1]),  # BANK OF KUNLUN CO LTD
    }
    assert got["昆仑银行股份有限公司"][1] >= 95.0
    text = hits.filter(pl.col("query") == "단천상업은행")["explanation"].item()
    assert text.startswith("key 'tanchon commercial bank' ~ un-sc entity KPe.003")
    assert "'commercial' translated from 상업" in text and "'tanchon' from 단천" in text


def test_thresholds_per_list(index) -> None:  # type: ignore[no-untyped-def]
    query = ["Jade Harbour Magnetic Materials Ningbo Trading"]
    assert match_names(query, index, lambda _: (95.0, 99.0)).height == 0
    assert match_names([], index, lambda _: (85.0, 95.0)).height == 0


def test_review_threshold_under_the_index_floor(index) -> None:  # type: ignore[no-untyped-def]
    """A ruleset reviewing from 70 gets the hits between 70 and the cached index's floor: an
    index built for that threshold, once per name index."""
    query = ["Jade Harbor Magnetics Shipping Logistics Warehousing Holdings"]  # extra words
    assert match_names(query, index, lambda _: (85.0, 95.0)).height == 0
    low = match_names(query, index, lambda _: (70.0, 95.0)).filter(pl.col("entity_id") == "FX-0002")
    assert low.height == 1
    assert 70.0 <= low["score"].item() < index.blocker.floor
    assert list(index.lower) == [70.0 - MARGIN]
    built = index.lower[70.0 - MARGIN]
    match_names(query, index, lambda _: (70.0, 95.0))
    assert index.lower[70.0 - MARGIN] is built


def _f1(scores: list[float], labels: list[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(s >= threshold and y for s, y in zip(scores, labels, strict=True))
    fp = sum(s >= threshold and not y for s, y in zip(scores, labels, strict=True))
    fn = sum(s < threshold and y for s, y in zip(scores, labels, strict=True))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


def _numbered_series(a: str, b: str) -> bool:
    """Both names carry numbers (digits, roman numerals) and they differ: Fund III vs Fund IV."""
    found = [{w for w in normalize_name(n).split() if _NUMBER.search(w)} for n in (a, b)]
    return bool(found[0] and found[1] and found[0] != found[1])


def test_labelled_company_pairs_f1() -> None:
    """F1 at the review threshold on nomenklatura's company pairs, against floors.

    The bench labels 17 numbered-series pairs (``KKR Asian Fund III`` vs ``IV``, ``Trust 2004-1``
    vs ``2004-2``) as matches; DESIGN §5 wants a different number to sink a match, so we also
    score the pairs without them, next to logic-v2 on the same filter.
    """
    cases = pl.read_csv(BENCH / "nk_name_bench_cases.csv").filter(
        pl.col("schema").is_in(COMPANY_SCHEMAS)
    )
    rows = cases.select("name1", "name2", "is_match").rows()
    scores = [score_names(a, b) for a, b, _ in rows]
    labels = [y for _, _, y in rows]
    keep = [not _numbered_series(a, b) for a, b, _ in rows]
    _, _, f1_all = _f1(scores, labels, REVIEW)
    precision, recall, f1 = _f1(
        [s for s, k in zip(scores, keep, strict=True) if k],
        [y for y, k in zip(labels, keep, strict=True) if k],
        REVIEW,
    )
    peer = pl.read_csv(BENCH / "nk_name_bench_logicv2_frozen_scores.csv").filter(
        pl.col("schema").is_in(COMPANY_SCHEMAS)
    )
    peer_rows = [
        (s, y)
        for a, b, s, y in peer.select("name1", "name2", "score", "is_match").rows()
        if not _numbered_series(a, b)
    ]
    _, _, peer_f1 = _f1([s for s, _ in peer_rows], [y for _, y in peer_rows], 0.70)
    print(
        f"company pairs: F1 {f1_all:.3f} on all {len(rows)}; without numbered series "
        f"F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f}); logic-v2 there: {peer_f1:.3f}"
    )
    assert f1_all >= F1_ALL_FLOOR
    assert f1 >= F1_FLOOR
    assert f1 >= peer_f1 - 0.02


def test_alignment_words() -> None:
    done = align_keys("jade harbor magnetics ningbo", "jade harbour magnetics")
    assert done.pairs == (("harbor", "harbour"),)
    assert done.extra == ("ningbo",)
    assert 85 <= done.score < 100


def test_ownership_chain_in_explanation(tmp_path: Path) -> None:
    """An owned entity's hit names its owners up the chain; a cycle stops the walk."""
    listed = tmp_path / "owned.csv"
    listed.write_text(
        "# list_id: own-test\n"
        "entity_id,name,parent_entity_id\n"
        "P1,Crimson Peak Rare Earth Holdings,\n"
        "S1,Crimson Peak Magnet Works,P1\n"
        "S2,Lotus Valley Battery Cells,S1\n"
        "C1,Cycle One Minerals,C2\n"
        "C2,Cycle Two Minerals,C1\n",
        encoding="utf-8",
    )
    index = build_index(load_list(f"csv:{listed}"))
    hits = match_names(
        ["Lotus Valley Battery Cells Co Ltd", "Cycle One Minerals", "Crimson Peak Rare Earth"],
        index,
        lambda _: (85.0, 95.0),
    )
    text = {e: x for e, x in hits.select("entity_id", "explanation").iter_rows()}
    assert text["S2"].endswith(
        "owned or controlled by own-test entity S1 'Crimson Peak Magnet Works' "
        "<- owned by P1 'Crimson Peak Rare Earth Holdings'"
    )
    assert text["C1"].endswith("owned or controlled by own-test entity C2 'Cycle Two Minerals'")
    assert "owned" not in text["P1"]
