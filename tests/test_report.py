"""`screener report`: the page is written, self-contained (no external address, no script), its
headline numbers agree with SQL, --run / --since select the right runs, data is escaped, and in
headless Chromium every chart draws (skipped, saying why, where Chromium is absent)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from cli_helpers import run, sql

from screener.report_svg import SIGNATURES

CHROMIUM = Path("/usr/bin/chromium")
CHARTS = ("duty_by_class", "holds_flags", "imports", "routes", "unit_values", "trust_fund")
# Namespace identifiers matplotlib writes on <svg>: names, not addresses the browser fetches.
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def demo_report(shared_demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    proc = run("report", "--db", shared_demo_db, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "report written to" in proc.stdout
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def nights_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three generated months screened night by night into one database (history for the
    over-time charts and the UNIT_VALUE_LOW fences)."""
    work = tmp_path_factory.mktemp("nights")
    gen = run(
        "generate",
        "--out",
        work / "gen",
        "--months",
        "3",
        "--lines-per-month",
        "1500",
        "--start",
        "2025-11",
        "--seed",
        "11",
    )
    assert gen.returncode == 0, gen.stderr
    db = work / "nights.duckdb"
    for path in sorted((work / "gen").glob("entries-*.csv")):
        proc = run("screen", path, "--db", db)
        assert proc.returncode == 0, proc.stderr
    return db


@pytest.fixture(scope="module")
def nights_report(nights_db: Path) -> Path:
    out = nights_db.parent / "report.html"
    proc = run("report", "--db", nights_db, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


class _Page(HTMLParser):
    """Every tag's attributes, the text of <style>, and the headline table's rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.styles: list[str] = []
        self.rows: list[list[str]] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in.append(tag)
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._in:
            while self._in.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "style":
            self.styles.append(data)
        elif self.rows and self.rows[-1] and any(t in ("td", "th") for t in self._in):
            self.rows[-1][-1] += data


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    return page


def _headline(html: str) -> dict[str, list[str]]:
    """The first table (the headline): label -> its cells, as the page prints them."""
    first = html.split("</table>", 1)[0]
    return {r[0].strip(): [c.strip() for c in r[1:]] for r in _parse(first).rows[1:]}


def _fmt(value: object, digits: int = 0) -> str:
    return f"{float(str(value)):,.{digits}f}"


def test_report_has_every_chart_as_inline_svg(demo_report: str) -> None:
    for name in CHARTS:
        assert re.search(rf'<svg role="img" aria-label="{name}" class="chart[^"]*"', demo_report), (
            name
        )
    assert demo_report.count("<svg ") == len(CHARTS)
    assert "<h2>Held lines</h2>" in demo_report and "<h2>New entity hits</h2>" in demo_report


def test_nights_report_draws_every_chart_with_data(nights_report: Path) -> None:
    html = nights_report.read_text(encoding="utf-8")
    for name in CHARTS:  # three nights of history: every chart has something to draw
        assert f'aria-label="{name}" class="chart" ' in html, name
    assert 'class="chart empty"' not in html
    assert "UNIT_VALUE_LOW" in html and "<h2>Held lines</h2>" in html


def test_report_references_no_external_address(demo_report: str, nights_report: Path) -> None:
    for html in (demo_report, nights_report.read_text(encoding="utf-8")):
        page = _parse(html)
        for tag, attrs in page.tags:
            assert tag not in {"script", "link", "iframe", "img", "object", "embed", "base"}, tag
            for key, value in attrs:
                value = value or ""
                if key == "xmlns" or key.startswith("xmlns:"):
                    assert value in NAMESPACES, (tag, key, value)
                elif key in {"href", "src", "xlink:href", "action", "poster", "data", "srcset"}:
                    assert value.startswith("#"), (tag, key, value)  # same-document only
                elif key == "style":
                    page.styles.append(value)
        for css in page.styles:
            assert "@import" not in css
            for target in re.findall(r"url\(\s*['\"]?([^'\")]*)", css):
                assert target.startswith("#"), target
        # Belt and braces on the raw text, the namespace declarations taken out first.
        raw = re.sub(r'xmlns(:\w+)?="([^"]*)"', lambda m: "" if m[2] in NAMESPACES else m[0], html)
        assert not re.search(r"https?:|//[\w-]+\.[\w.-]+", raw), re.search(
            r".{40}(https?:|//\w).{40}", raw
        )


def test_headline_numbers_equal_sql(demo_report: str, shared_demo_db: Path) -> None:
    run_id = sql(shared_demo_db, "SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1")[0][0]
    lines, holds, concern, tf, duty = sql(
        shared_demo_db,
        "SELECT count(*), count(*) FILTER (WHERE duty_class = 'HOLD_VERIFY'),"
        " sum(duty_usd) FILTER (WHERE duty_class = 'CONCERN_301'), sum(duty_trust_fund_usd),"
        f" sum(duty_usd) FROM entries WHERE run_id = '{run_id}'",
    )[0]
    rejected = sql(shared_demo_db, f"SELECT rejected FROM runs WHERE run_id = '{run_id}'")[0][0]
    head = _headline(demo_report)
    assert head["Entry lines screened"][0] == _fmt(lines)
    assert head["Rows rejected"][0] == _fmt(rejected)
    assert head["Lines held for origin verification"][0] == _fmt(holds)
    assert head["Concern-sourced duty (class CONCERN_301), USD"][0] == _fmt(concern)
    assert head["Duty feeding the trust fund, USD"][0] == _fmt(tf)
    assert head["Trust-fund share of all duty, %"][0] == _fmt(
        100 * float(str(tf)) / float(str(duty)), 1
    )
    assert holds and rejected  # the demo has both, so the comparison means something


def test_headline_compares_with_previous_runs(nights_report: Path, nights_db: Path) -> None:
    per_run = sql(
        nights_db,
        "SELECT r.run_id, count(*) FILTER (WHERE e.duty_class = 'HOLD_VERIFY'),"
        " sum(e.duty_trust_fund_usd) FROM runs r JOIN entries e USING (run_id)"
        " GROUP BY r.run_id, r.started_at ORDER BY r.started_at",
    )
    head = _headline(nights_report.read_text(encoding="utf-8"))
    this, previous, mean = head["Duty feeding the trust fund, USD"][:3]
    assert this == _fmt(per_run[-1][2])
    assert previous == _fmt(per_run[-2][2])
    assert mean == _fmt(sum(float(str(r[2])) for r in per_run[:-1]) / (len(per_run) - 1))
    assert head["Lines held for origin verification"][0] == _fmt(per_run[-1][1])


def test_run_and_since_select_their_runs(nights_db: Path, tmp_path: Path) -> None:
    runs = sql(
        nights_db,
        "SELECT run_id, min(entry_date) FROM runs JOIN entries USING (run_id)"
        " GROUP BY run_id, started_at ORDER BY started_at",
    )
    first = str(runs[0][0])
    out = tmp_path / "one.html"
    assert run("report", "--db", nights_db, "--run", first, "--out", out).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert f"Screening report: run {first}</h1>" in html
    lines = sql(nights_db, f"SELECT count(*) FROM entries WHERE run_id = '{first}'")[0][0]
    head = _headline(html)
    assert head["Entry lines screened"][0] == _fmt(lines)
    assert head["Entry lines screened"][1] == "–"  # no run before the first one
    since = runs[1][1]
    out = tmp_path / "since.html"
    assert run("report", "--db", nights_db, "--since", str(since), "--out", out).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert f"2 run(s) whose entry lines are all on or after {since}" in html
    total = sql(nights_db, f"SELECT count(*) FROM entries WHERE entry_date >= '{since}'")[0][0]
    assert _headline(html)["Entry lines screened"][0] == _fmt(total)
    bad = run("report", "--db", nights_db, "--run", "nosuchrun", "--out", tmp_path / "x.html")
    assert bad.returncode == 2 and "--run nosuchrun: no such run" in bad.stderr
    assert not (tmp_path / "x.html").exists()


def test_hostile_supplier_name_is_escaped_and_outcomes_shown(
    shared_demo_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "hostile.duckdb"
    shutil.copy(shared_demo_db, db)
    con = duckdb.connect(str(db))
    query = "SELECT entry_number, line_number FROM holds ORDER BY ALL LIMIT 1"
    entry, line = con.execute(query).fetchall()[0]
    con.execute(
        "UPDATE entries SET supplier_name = ? WHERE entry_number = ? AND line_number = ?",
        [HOSTILE, entry, line],
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS outcomes (outcome_id BIGINT, run_id VARCHAR, entry_number"
        " VARCHAR, line_number BIGINT, outcome VARCHAR, decided_by VARCHAR, decided_at TIMESTAMP,"
        " reason VARCHAR)"
    )
    con.execute(
        "INSERT INTO outcomes SELECT 1, run_id, entry_number, line_number, 'released',"
        " 'analyst <b>x</b>', TIMESTAMP '2026-02-01 09:00', 'papers ok' FROM entries"
        " WHERE entry_number = ? AND line_number = ?",
        [entry, line],
    )
    con.close()
    out = tmp_path / "report.html"
    proc = run("report", "--db", db, "--out", out)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text(encoding="utf-8")
    assert HOSTILE not in html and "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "released by analyst &lt;b&gt;x&lt;/b&gt;" in html and "<th>Outcome</th>" in html


def _near(counts: Counter[tuple[int, int, int]], colour: str, tol: int = 3) -> int:
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        n
        for rgb, n in counts.items()
        if all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))
    )


def _screenshot(html: Path, png: Path) -> Counter[tuple[int, int, int]]:
    from PIL import Image

    proc = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={png.parent / (png.stem + '-profile')}",
            f"--screenshot={png}",
            "--window-size=1400,6000",
            html.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert proc.returncode == 0 and png.exists(), proc.stderr[-2000:]
    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return Counter({rgb: n for n, rgb in colours})


def _distinct(colours: tuple[str, ...]) -> list[str]:
    """A chart's colours without the greys (text and axes are grey too)."""

    def grey(c: str) -> bool:
        r, g, b = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        return max(r, g, b) - min(r, g, b) < 16

    return [c for c in colours if not grey(c)]


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="no /usr/bin/chromium (Debian package "
    "`chromium`, installed by .ci/run): the screenshot test needs a browser",
)
def test_every_chart_draws_in_headless_chromium(nights_report: Path, tmp_path: Path) -> None:
    every = [c for cols in SIGNATURES.values() for c in _distinct(cols)]
    assert len({c.lower() for c in every}) == len(every)  # each colour belongs to one chart
    counts = _screenshot(nights_report, tmp_path / "page.png")
    for name in CHARTS:
        drawn = sum(_near(counts, c) for c in _distinct(SIGNATURES[name]))
        assert drawn >= 200, f"chart {name} drew {drawn} pixels of its colours"
    # The check can fail: the same page without the routes chart lacks the routes colour.
    html = nights_report.read_text(encoding="utf-8")
    cut = re.sub(r'<svg role="img" aria-label="routes".*?</svg>', "", html, flags=re.DOTALL)
    assert cut != html
    (tmp_path / "cut.html").write_text(cut, encoding="utf-8")
    counts = _screenshot(tmp_path / "cut.html", tmp_path / "cut.png")
    assert sum(_near(counts, c) for c in _distinct(SIGNATURES["routes"])) < 200
