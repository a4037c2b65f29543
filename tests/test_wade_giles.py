"""screener.match.wade_giles: Chinese names written in Wade-Giles meet their pinyin and Han forms.

Persons are historic figures as history writes them in Wade-Giles (Mao Tse-tung, Chou En-lai,
Chiang Ching-kuo, Li Hung-chang, Yuan Shih-k'ai, Tz'u-hsi, Lu Hsün) or persons of the OFAC SDN
list (2019-01, ``lists/ofac-sdn-2019-01``) as it writes them (``WEI, Hsueh Kang``, ``LAO, Ssu``,
``SHIH, Kuo Neng``); companies are fictitious.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl
import pytest
from anyascii import anyascii
from cli_helpers import listed_names

from screener import load_ruleset, score_pair
from screener.match import build_index, match_names
from screener.match.names import name_keys
from screener.match.wade_giles import read_wade_giles

ROOT = Path(__file__).resolve().parent.parent
REVIEW = load_ruleset().thresholds("").review  # the default ruleset's review threshold

MEETS = [  # (entry name, listed name): Wade-Giles on one side, pinyin or Han on the other
    ("Hsi Kuo-p'ing", "习国平"),  # xi opening a name is 习, not the numeral 11
    ("Mao Tse-tung", "MAO Zedong"),
    ("MAO TSE-TUNG", "毛泽东"),
    ("Mao Tsê-tung", "毛澤東"),  # ê as Wade-Giles writes it
    ("Mao Tse Tung", "毛泽东"),  # syllables apart
    ("Chou En-lai", "周恩来"),
    ("Teng Hsiao-p'ing", "邓小平"),
    ("Teng Hsiao-ping", "Deng Xiaoping"),  # apostrophe dropped: xiaobing, a typo away
    ("Chiang Ching-kuo", "蔣經國"),
    ("Chiang Chieh-shih", "蔣介石"),
    ("Li Hung-chang", "李鸿章"),
    ("Yuan Shih-k'ai", "袁世凱"),
    ("Tz'u-hsi", "慈禧"),
    ("Lu Hsun", "鲁迅"),
    ("Lü Hsün", "鲁迅"),
    ("Wei Xuegang", "WEI, Hsueh Kang"),  # SDN
    ("魏学刚", "WEI, Hsueh Kang"),
    ("Lao Si", "LAO, Ssu"),  # SDN
    ("Shi Guoneng", "SHIH, Kuo Neng"),  # SDN
    ("Kuo Hua Trading Co., Ltd.", "国华贸易有限公司"),
    ("Kuo Hua Trading Co", "Guohua Trading"),
    ("Hsin-chu Precision Technology Co", "Xinzhu Precision Technology"),
    ("Hsin Chu Technology Co Ltd", "Xinzhu Technology"),
    ("Chung Kuo Steel Corp", "Zhongguo Steel"),
    ("Chung-kuo Hsin-hua Co", "中国新华"),
    ("Tai-wan Ching-hua Co", "Taiwan Qinghua"),
    ("Ch‘ing-hua Trading Co", "Qinghua Trading"),  # a turned comma for the apostrophe
    ("Ta Tung Machinery Co Ltd", "大同机械有限公司"),
    ("Hsin Hua Rare Earth Co", "新华稀土"),
    ("Tung Fang Magnetics Ltd", "Dongfang Magnetics"),
    ("Kao-hsiung Chin-shu Industrial", "Gaoxiong Jinshu Industrial"),
    ("Tien-chin Hua-kuang Cable", "Tianjin Huaguang Cable"),  # tianjin: a place the tables know
    ("SHIPPER: KUO HUA TRADING CO LTD, NO 12 CHUNG SHAN ROAD, TAIPEI", "国华贸易"),
]
NEAR_MISSES = [  # different persons or firms: the reading must not bring them together
    ("Chang Hsin", "Zhang Xing"),
    ("Mao Tse-min", "毛泽东"),  # brothers
    ("Chiang Ching-kuo", "Jiang Jieshi"),  # father and son
    ("Chiang Wei-kuo", "蔣經國"),  # brothers
    ("Wei Hsueh-lung", "Wei Xuegang"),  # brothers, both on the SDN list
    ("Kuo Hua Trading", "Guotai Trading"),
    ("Ta Tung Machinery", "Datang Machinery"),
    ("Hsin Hua Electronics", "Xinhai Electronics"),
    ("Tai-pei Trading", "Taibai Trading"),
]
KNOWN_GAPS = [
    # Kai-shek and Yat-sen are Cantonese, not Wade-Giles: lists carry them as aliases.
    ("Chiang Kai-shek", "蔣介石"),
    ("Sun Yat-sen", "孫逸仙"),
    # Ing-wen is Taiwan's own spelling (Wade-Giles writes Ying-wen).
    ("Tsai Ing-wen", "蔡英文"),
]
ORDINARY = [  # no Wade-Giles reading: one key
    "Smith Trading",
    "Chung Industries",
    "Chang",
    "Wang",
    "Lee",
    "Huang",
    "Sun Chemical",
    "Pan Pacific Trading",
    "Man Group",
    "Ken Lee",
    "Ping An Insurance",
    "Tai Ping Carpets",
    "Hang Seng Bank",
    "Kuo Trading",
    "Kao Corporation",
    "Men In Black",
    "So So Good",
    "To Go Foods",
    "Coca-Cola",
    "Rolls-Royce",
    "Hi-Tech Industries",
    "Lo-Fi Records",
    "Pan-Asia Logistics",
    "Kim Jong-un",
    "Kim Il-sung",
    "Choe Ryong-hae",
    "Chen Shui-bian",  # pinyin-like: its own key meets the pinyin
    "Ho Chi Minh City Trading",
    "Sun Hung Kai Properties",
    "Tsingtao Brewery",
]


def case_id(case: tuple[str, str]) -> str:
    """ASCII, for a readable id (pytest escapes Han)."""
    return anyascii(f"{case[0]}~{case[1]}")


@pytest.mark.parametrize("case", MEETS, ids=case_id)
def test_wade_giles_meets_pinyin_and_han(case: tuple[str, str]) -> None:
    entry, listed = case
    pair = score_pair(entry, listed)
    assert pair.score >= REVIEW, pair.explanation
    back = score_pair(listed, entry)  # the reading is made on either side
    assert back.score >= REVIEW, back.explanation


@pytest.mark.parametrize("case", NEAR_MISSES, ids=case_id)
def test_near_miss_stays_below_review(case: tuple[str, str]) -> None:
    pair = score_pair(*case)
    assert pair.score < REVIEW, pair.explanation


@pytest.mark.parametrize("case", KNOWN_GAPS, ids=case_id)
@pytest.mark.xfail(strict=True, reason="known gap, see the comment beside the case")
def test_known_gaps(case: tuple[str, str]) -> None:
    assert score_pair(*case).score >= REVIEW


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_keep_one_key(name: str) -> None:
    assert len(name_keys(name)) == 1, name_keys(name)


def test_generated_names_rarely_get_a_reading() -> None:
    """Every extra key costs matching time: the benchmark's invented names (companies, pinyin
    firms, persons) get none."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from namegen import NameGen

    names = NameGen(7, pool=1000).names(5000)
    extra = [name for name in names if len(name_keys(name)) > 1]
    assert len(extra) <= len(names) // 1000, extra[:10]


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("Mao Tse-tung", ("mao tse tung", "mao zedong", "mao cetong")),
        ("Chiang Ching-kuo", ("chiang ching kuo", "jiang jingguo", "qiang qingkuo")),
        ("Ch'ing-hua Trading", ("ching hua trading", "qinghua trading")),  # aspirated as written
        ("Chou En-lai", ("chou en lai", "zhou enlai")),  # chou en lai again: no second reading
        ("Kuo Hua Trading Co", ("kuo hua trading", "guo hua trading")),
        ("Tai-wan Trading", ("tai wan trading",)),  # taiwan, a place: the same letters
    ],
)
def test_readings_as_written_then_apostrophes_dropped(name: str, keys: tuple[str, ...]) -> None:
    assert name_keys(name) == keys


def test_explanation_says_wade_giles() -> None:
    pair = score_pair("MAO TSE-TUNG", "Mao Zedong")
    assert "'zedong' from Wade-Giles 'TSE-TUNG'" in pair.explanation


def test_not_wade_giles_reads_nothing() -> None:
    assert read_wade_giles("Smith Trading", "smith trading") == ()
    assert read_wade_giles("Chung Industries", "chung industries") == ()  # one name word


def test_table_is_what_the_script_builds() -> None:
    """``screener/data/translit_wade_giles.csv`` is generated: regenerate it with
    ``python scripts/build_wade_giles.py`` when pypinyin changes."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_wade_giles import OUT, build

    assert OUT.read_text("utf-8") == build()


def test_pipeline_meets_wade_giles_both_ways() -> None:
    """A listed Wade-Giles name is indexed under its readings; an entry in Wade-Giles is matched
    under its readings; the hit's explanation says which words were read."""
    listed = ["MAO TSE-TUNG", "WEI, Hsueh Kang", "蔣經國", "Guohua Trading Co Ltd"]
    names = listed_names(listed)
    queries = ["毛泽东", "Wei Xuegang", "Chiang Ching-kuo", "Kuo Hua Trading Co", "Smith Trading"]
    hits = match_names(queries, build_index(names, cache=False), lambda _: (REVIEW, 95.0))
    found = dict(zip(hits["query"], hits["matched_name"], strict=True))
    assert found == dict(zip(queries[:4], listed, strict=True))
    explanation = hits.filter(pl.col("query") == "Chiang Ching-kuo")["explanation"][0]
    assert "'jingguo' from Wade-Giles 'Ching-kuo'" in explanation
