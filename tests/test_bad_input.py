"""Bad input never crashes a crawl or leaves half a recap: every bad page gets a `pages` row saying why.

One real ``recapcrawl crawl`` (a subprocess) of ``misbehaving_site`` per session; the tests read its
archive and its log. Known product bugs are recorded as strict xfails. Part of the fault suite
(``-m faults``, docs/reliability.md): category "Bad input".
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

import pytest
from servers.fault_server import figures
from servers.misbehaving_site import (
    ARABIC,
    CAFE,
    COMMENT_PAGE_2,
    COMMENTS_PER_PAGE,
    DUPLICATE_PAGE_2,
    EMOJI,
    HEBREW,
    LISTING_PAGES,
    LOOP_OTHER,
    LOOP_PAGES,
    MANY_COMMENTS,
    PATHS,
    ZOE,
    MisbehavingSite,
)

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(150)]
FAULT_CATEGORY = "Bad input"

# DOWNLOAD_TIMEOUT: short of the slow page's SLOW_SECONDS, but well past the time extraction blocks the
# reactor while a download is in flight (the enormous DOM and the 100 comment pages take seconds of CPU).
CRAWL_SETTINGS = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_TIMEOUT=15", "RETRY_TIMES=0"]
CHILD_TABLES = ("headings", "paragraphs", "bullets", "quotes", "comments")
REPLACEMENT = "\ufffd"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """Crawl the misbehaving site once with the real CLI; the archive, the log and the exit code."""
    db_path = tmp_path_factory.mktemp("bad_input") / "archive.db"
    with MisbehavingSite() as base:
        command = [sys.executable, "-m", "recapcrawl.cli", "crawl", base, "--db", str(db_path)]
        for setting in CRAWL_SETTINGS:
            command += ["-s", setting]
        started = time.monotonic()
        site = MisbehavingSite.current
        proc = subprocess.run(
            command, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120
        )
        elapsed = time.monotonic() - started
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    yield SimpleNamespace(
        base=base.rstrip("/"), db=db, proc=proc, elapsed=elapsed, hits=site.hits, db_path=db_path
    )
    db.close()


def page_row(crawl, path: str) -> sqlite3.Row | None:
    return crawl.db.execute("select * from pages where url = ?", [crawl.base + path]).fetchone()


def recap_row(crawl, path: str) -> sqlite3.Row | None:
    return crawl.db.execute("select * from recaps where url = ?", [crawl.base + path]).fetchone()


def children(crawl, table: str, column: str, recap_id: int) -> list:
    """One column of a recap's child rows, in position order."""
    sql = f"select [{column}] from [{table}] where recap_id = ? order by position"
    return [r[0] for r in crawl.db.execute(sql, [recap_id])]


def recap_text(crawl, recap: sqlite3.Row) -> str:
    """Title, paragraphs, comments and comment authors of one recap, as one string."""
    parts = [recap["title"] or ""]
    parts += children(crawl, "paragraphs", "text", recap["id"])
    parts += children(crawl, "comments", "text", recap["id"])
    parts += [a or "" for a in children(crawl, "comments", "author", recap["id"])]
    return "\n".join(parts)


def product_log_lines(crawl) -> list[str]:
    """Log lines written by recapcrawl itself (the spider's and the pipelines' loggers), INFO and up."""
    return [
        line
        for line in crawl.proc.stderr.splitlines()
        if ("[recaps]" in line or "[recapcrawl" in line) and " DEBUG: " not in line
    ]


# ---------------------------------------------------------------- expectations per case


@dataclass(frozen=True)
class Case:
    """What the archive must say about one page of the site."""

    name: str
    kinds: tuple[str, ...]  # acceptable pages.kind values
    status: int | None = 200
    reason: tuple[str, ...] = ()  # the reason must contain one of these (case-insensitive)
    recap: bool = False  # archived as a recap?
    words: tuple[str, ...] = ()  # must survive, decoded right, in the recap's title, paragraphs or comments
    paragraphs: int | None = None
    or_flagged: tuple[str, ...] = ()  # for a recap: instead, no recap and a reason containing one of these
    bug: str | None = None  # a known product bug: the case is a strict xfail


ENCODING = ("charset", "encoding", "decod")
MAXSIZE = ("max size", "maxsize", "DOWNLOAD_MAXSIZE", "larger than")
CASES = [
    Case("good_fog", ("recap",), recap=True, words=("foghorn", "Marisol", "chills"), paragraphs=3),
    Case("good_undertow", ("recap",), recap=True, words=("kelp farm",), paragraphs=2),
    Case("truncated_html", ("error",), reason=("truncat", "incomplete", "unclosed")),
    Case("truncated_transfer", ("error",), status=None, reason=("DataLoss", "data loss")),
    Case("no_body", ("article", "error", "other"), reason=("no article body", "no body")),
    Case("empty_body", ("error", "other"), reason=("empty",)),
    Case("binary_as_html", ("error", "other"), reason=("binary", "not HTML")),
    Case("pdf", ("other",), reason=("not HTML (application/pdf)",)),
    Case("mojibake", ("recap",), recap=True, words=(CAFE, "naïve"), or_flagged=ENCODING),
    Case("no_charset", ("recap",), recap=True, words=(CAFE, "façade", "Señora"), or_flagged=ENCODING),
    Case("utf8_bom", ("recap",), recap=True, words=(ZOE, CAFE), paragraphs=2),
    Case("invalid_utf8", ("recap",), recap=True, words=(ZOE, "until the very last scene"), paragraphs=2),
    Case("http_500", ("error",), status=500, reason=("HTTP 500",)),
    Case("http_404", ("error",), status=404, reason=("HTTP 404",)),
    Case("redirect_loop", ("error",), status=None, reason=("redirect",)),
    Case("redirect_chain", ("error",), status=None, reason=("redirect",)),
    Case("slow", ("error",), status=None, reason=("Timeout", "took longer")),
    Case("empty_content", ("article", "error"), reason=("empty", "no paragraphs", "no text")),
    Case(
        "deep_nesting",
        ("recap", "error"),
        recap=True,
        words=("lowers herself", "Down in the well", "Afterword"),
        paragraphs=3,
        or_flagged=("depth", "nest", "too deep"),
    ),
    Case(
        "comment_page_500",
        ("recap",),
        recap=True,
        words=("Crosscurrents splits", "Ida", "Rafe"),
        paragraphs=2,
    ),
    Case("emoji_rtl", ("recap",), recap=True, words=(EMOJI, HEBREW, ARABIC, "🌊"), paragraphs=2),
    Case(
        "odd_comment_date",
        ("recap",),
        recap=True,
        words=("No Date Nina", "Garbled Gus", "Impossible Ivy"),
        paragraphs=1,
    ),
    # Added for the fault suite.
    Case(
        "wrong_charset",
        ("recap",),
        recap=True,
        words=("Crème Brûlée", CAFE, "naïve"),
        or_flagged=ENCODING,
    ),
    Case(
        "enormous_dom",
        ("recap", "error"),
        recap=True,
        words=("counting every step", "the harbor cheers"),
        paragraphs=2,
        or_flagged=("too large", "too many", "elements"),
    ),
    Case("huge_page", ("error",), status=None, reason=MAXSIZE),
    Case("huge_page_streamed", ("error",), status=None, reason=MAXSIZE),
    Case("gzip_bomb", ("error",), status=None, reason=("DOWNLOAD_MAXSIZE", "decompress")),
    Case("many_comments", ("recap",), recap=True, words=("Reader 1\n", "Reader 5000"), paragraphs=2),
    Case("comment_loop", ("recap",), recap=True, words=("Looper 1a", "Looper 3b"), paragraphs=2),
    Case("rel_next_cycle", ("listing",), reason=("listing",)),
    Case("duplicate_comment_ids", ("recap",), recap=True, words=("Echo", "Juno"), paragraphs=1),
    Case("odd_recap_date", ("recap",), recap=True, words=("every four years",), paragraphs=1),
    Case("no_recap_date", ("recap",), recap=True, words=("owns a clock",), paragraphs=1),
    # Real-world markup every browser renders (issue 14).
    Case(
        "xhtml_declaration", ("recap",), recap=True, words=(CAFE, "Señora Ruiz", "careful hand"), paragraphs=2
    ),
    Case("nul_bytes", ("recap",), recap=True, words=("never valid", "null and void"), paragraphs=2),
    Case("utf16_no_bom", ("recap",), recap=True, words=(ZOE, "about the storm"), paragraphs=2),
    Case(
        "no_html_body", ("recap",), recap=True, words=("stripped to the walls", "ship's bell"), paragraphs=2
    ),
    Case("junk_after_html", ("recap",), recap=True, words=("Crates wash up", "missing ledger"), paragraphs=2),
    Case("meta_only_latin1", ("recap",), recap=True, words=(CAFE, "crème brûlée", "naïve"), paragraphs=2),
]


def _params(cases):
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [])
        for c in cases
    ]


def _find_page(crawl, case: Case) -> sqlite3.Row | None:
    path = PATHS[case.name]
    if case.name == "redirect_loop":
        return page_row(crawl, path) or page_row(crawl, LOOP_OTHER)
    if case.name == "redirect_chain":  # recorded on the hop where Scrapy gave up
        return crawl.db.execute(
            "select * from pages where url like ? order by url limit 1", [crawl.base + "/redirect-chain/%"]
        ).fetchone()
    return page_row(crawl, path)


def test_every_case_is_covered():
    """Every page the site links to has an expectation here."""
    assert sorted(c.name for c in CASES) == sorted(PATHS)


@pytest.mark.parametrize("case", _params(CASES))
def test_case(crawl, case):
    """The page has a specific `pages` row; bad pages give no recap, recaps keep their text decoded right."""
    row = _find_page(crawl, case)
    assert row is not None, f"no pages row for {case.name} ({PATHS[case.name]})"
    assert row["kind"] in case.kinds, f"{case.name}: kind {row['kind']!r}, reason {row['reason']!r}"
    assert row["status"] == case.status
    recap = recap_row(crawl, PATHS[case.name])
    if case.or_flagged and recap is None and not row["is_recap"]:
        assert any(r.lower() in (row["reason"] or "").lower() for r in case.or_flagged), row["reason"]
        return
    if not case.recap:
        assert not row["is_recap"]
        assert recap is None, f"{case.name} was archived as a recap: {recap['body_text']!r}"
        assert row["reason"], f"{case.name}: empty reason"
        assert any(r.lower() in row["reason"].lower() for r in case.reason), row["reason"]
        return
    assert row["is_recap"] == 1 and row["recap_id"] is not None
    assert recap is not None and recap["id"] == row["recap_id"]
    text = recap_text(crawl, recap)
    for word in case.words:
        assert word in text, f"{case.name}: {word!r} not in {text!r}"
    if case.name != "invalid_utf8":  # the only page whose bytes really are broken
        assert REPLACEMENT not in text, f"{case.name}: U+FFFD in {text!r}"
    assert "\ufeff" not in text
    if case.paragraphs is not None:
        assert recap["paragraph_count"] == case.paragraphs


# ---------------------------------------------------------------- cases with more to check


def test_crawl_exits_cleanly(crawl):
    """Exit code 0, no traceback, the summary line, well inside the time budget."""
    assert crawl.proc.returncode == 0, crawl.proc.stderr[-3000:]
    assert "Traceback" not in crawl.proc.stderr
    assert "finished: finished" in crawl.proc.stderr
    assert crawl.elapsed < 60  # ~22 s: the slow page waits out DOWNLOAD_TIMEOUT (15 s)


def test_good_recaps_are_archived_whole(crawl):
    """Both good recaps are archived with all their paragraphs and comments."""
    fog = recap_row(crawl, PATHS["good_fog"])
    undertow = recap_row(crawl, PATHS["good_undertow"])
    assert fog["show"] == undertow["show"] == "Harbor Lights"
    assert (fog["season"], fog["episode"], fog["episode_title"]) == (2, 5, "The Fog")
    assert (undertow["season"], undertow["episode"], undertow["episode_title"]) == (2, 6, "Undertow")
    paragraphs = children(crawl, "paragraphs", "text", fog["id"])
    assert paragraphs[0].startswith("The fog rolls into Port Ellery")
    assert paragraphs[-1].endswith("the best image the show has produced.")
    assert children(crawl, "comments", "author", fog["id"]) == ["Marisol", "Dev P."]


def test_failed_comment_page_keeps_page_one(crawl):
    """Comment page 2 answering 500: the recap keeps page 1's comments; page 2 gets an error row."""
    recap = recap_row(crawl, PATHS["comment_page_500"])
    comments = crawl.db.execute(
        "select comment_id, page from comments where recap_id = ? order by position", [recap["id"]]
    ).fetchall()
    assert [tuple(c) for c in comments] == [("201", 1), ("202", 1)]
    assert recap["comment_count"] == 2
    failed = page_row(crawl, COMMENT_PAGE_2)
    assert failed is not None
    assert (failed["kind"], failed["status"], failed["is_recap"]) == ("error", 500, 0)
    assert "HTTP 500" in failed["reason"]


def test_emoji_and_rtl_survive_in_comments(crawl):
    """Emoji and right-to-left text come through intact in comments and the full-text index."""
    recap = recap_row(crawl, PATHS["emoji_rtl"])
    texts = children(crawl, "comments", "text", recap["id"])
    assert texts == [f"{HEBREW}! What a finale {EMOJI}", f"{ARABIC} from Beirut, loved it 🌊"]
    hits = crawl.db.execute("select count(*) from recaps_fts where recaps_fts match ?", [f'"{HEBREW}"'])
    assert hits.fetchone()[0] == 1


def test_odd_comment_dates_are_kept_without_inventing_one(crawl):
    """Comments with a missing or unparseable date are archived with no date, not dropped or given one."""
    recap = recap_row(crawl, PATHS["odd_comment_date"])
    rows = crawl.db.execute(
        "select comment_id, published from comments where recap_id = ? order by position", [recap["id"]]
    ).fetchall()
    assert {r["comment_id"]: r["published"] for r in rows} == {
        "401": None,
        "402": None,
        "403": None,
        "404": "2024-03-06T09:15:00+00:00",
    }


# ---------------------------------------------------------------- archive consistency


def test_integrity_check(crawl):
    """SQLite finds nothing wrong with the archive."""
    assert crawl.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert crawl.db.execute("pragma foreign_key_check").fetchall() == []


def test_no_recap_without_paragraphs(crawl):
    """Every archived recap has at least one paragraph."""
    empty = crawl.db.execute(
        "select url from recaps where id not in (select recap_id from paragraphs)"
    ).fetchall()
    assert [r[0] for r in empty] == []


@pytest.mark.parametrize("table", [*CHILD_TABLES, "pages"])
def test_no_orphan_rows(crawl, table):
    """No child or page row points at a recap that is not there."""
    sql = f"select count(*) from [{table}] where recap_id not in (select id from recaps)"
    orphans = crawl.db.execute(sql).fetchone()[0]
    assert orphans == 0


def test_counts_match_children(crawl):
    """Each recap's stored counts match its child rows."""
    for recap in crawl.db.execute("select * from recaps"):
        for table, column in (
            ("paragraphs", "paragraph_count"),
            ("comments", "comment_count"),
            ("quotes", "quote_count"),
            ("bullets", "bullet_count"),
        ):
            count = crawl.db.execute(f"select count(*) from [{table}] where recap_id = ?", [recap["id"]])
            assert count.fetchone()[0] == recap[column], (recap["url"], table)


def test_only_expected_recaps(crawl):
    """Recaps come only from pages that are recaps (no error page, listing or comment page becomes one)."""
    expected = {crawl.base + PATHS[c.name] for c in CASES if c.recap}
    archived = {r[0] for r in crawl.db.execute("select url from recaps")}
    assert archived <= expected
    assert {crawl.base + PATHS["good_fog"], crawl.base + PATHS["good_undertow"]} <= archived


# ---------------------------------------------------------------- log lines


def test_log_names_the_500_url(crawl):
    """The crawl's log has a line from recapcrawl naming the URL that answered 500, and why."""
    url = crawl.base + PATHS["http_500"]
    lines = [line for line in product_log_lines(crawl) if url in line]
    assert lines, crawl.proc.stderr[-3000:]
    assert any("HTTP 500" in line for line in lines)


LOG_CASES = [
    pytest.param("http_404", PATHS["http_404"], id="http_404"),
    pytest.param("slow", PATHS["slow"], id="slow"),
    pytest.param("truncated_transfer", PATHS["truncated_transfer"], id="truncated_transfer"),
    pytest.param("redirect_chain", "/redirect-chain/", id="redirect_chain"),
    pytest.param("redirect_loop", "/loop-", id="redirect_loop"),
    pytest.param("pdf", PATHS["pdf"], id="pdf"),
    pytest.param("binary_as_html", PATHS["binary_as_html"], id="binary_as_html"),
    pytest.param("empty_body", PATHS["empty_body"], id="empty_body"),
    pytest.param("comment_page_500", COMMENT_PAGE_2, id="comment_page_500"),
]


@pytest.mark.parametrize(("name", "path"), LOG_CASES)
def test_log_names_failed_url(crawl, name, path):
    """A page that could not be fetched or read gets a recapcrawl log line naming its URL."""
    assert any(crawl.base + path in line for line in product_log_lines(crawl)), name


# ---------------------------------------------------------------- cases added for the fault suite


def test_many_comments_over_100_pages(crawl):
    """5,000 comments on 100 comment pages: every page fetched once, every comment kept once, in order."""
    recap = recap_row(crawl, PATHS["many_comments"])
    assert recap["comment_count"] == MANY_COMMENTS and recap["comments_complete"] == 1
    rows = crawl.db.execute(
        "select comment_id, page from comments where recap_id = ? order by position", [recap["id"]]
    ).fetchall()
    assert [int(r["comment_id"]) for r in rows] == list(range(100_000, 100_000 + MANY_COMMENTS))
    last = MANY_COMMENTS // COMMENTS_PER_PAGE
    assert [r["page"] for r in rows[::COMMENTS_PER_PAGE]] == list(range(1, last + 1))
    pages = [p for p in crawl.hits if p.startswith(PATHS["many_comments"] + "comment-page-")]
    assert len(pages) == last - 1
    assert all(crawl.hits[p] == 1 for p in pages)


def test_comment_pages_that_loop_back(crawl):
    """Comment pages linking back, to themselves and to ``?cpage=2``: each fetched once, 6 comments once."""
    recap = recap_row(crawl, PATHS["comment_loop"])
    ids = children(crawl, "comments", "comment_id", recap["id"])
    assert ids == [str(n) for n in range(601, 607)]
    assert all(crawl.hits[p] == 1 for p in LOOP_PAGES)
    assert crawl.hits[PATHS["comment_loop"] + "comment-page-1/"] <= 1


def test_rel_next_cycle(crawl):
    """Listing pages whose rel=next goes round (1 → 2 → 3 → 1): each fetched once, the crawl ends."""
    assert [crawl.hits[p] for p in LISTING_PAGES] == [1, 1, 1]
    for path in LISTING_PAGES:
        assert page_row(crawl, path)["kind"] == "listing"


def test_duplicate_comment_ids(crawl):
    """The same comment id twice on a page and again on the next page: each id stored once."""
    recap = recap_row(crawl, PATHS["duplicate_comment_ids"])
    assert children(crawl, "comments", "comment_id", recap["id"]) == ["801", "802", "803"]
    assert recap["comment_count"] == 3
    assert page_row(crawl, DUPLICATE_PAGE_2)["kind"] == "comment_page"


def test_recap_dates_odd_or_missing(crawl):
    """An impossible or free-text publication date, or none: stored as null, never as garbage."""
    for name in ("odd_recap_date", "no_recap_date"):
        recap = recap_row(crawl, PATHS[name])
        published = recap["published"]
        if published is not None:
            assert datetime.fromisoformat(published).utcoffset() is not None, (name, published)
        assert published is None or published.startswith("2024-02-29"), (name, published)


def test_every_date_is_iso_with_offset(crawl):
    """Every recap and comment date in the archive is ISO 8601 with an offset, or null."""
    sql = "select published from recaps union all select published from comments"
    dates = [r[0] for r in crawl.db.execute(sql)]
    for value in filter(None, dates):
        assert datetime.fromisoformat(value).utcoffset() is not None, value


def test_huge_and_bomb_pages_are_not_stored(crawl):
    """The 50 MB pages and the gzip bomb leave no capture bigger than DOWNLOAD_MAXSIZE (16 MiB)."""
    biggest = crawl.db.execute("select max(size) from bodies").fetchone()[0]
    assert biggest < 16 * 1024 * 1024


def test_5000_comments_on_one_page_split_in_time():
    """``extract_recap`` on one page with 5,000 comments finishes within 10 s (in a subprocess, so a slow
    extractor costs the suite 10 s, not minutes)."""
    code = textwrap.dedent(
        """
        import sys
        sys.path.insert(0, "tests")
        from servers.misbehaving_site import comment_html, recap_html
        from recapcrawl.extraction import extract_recap
        comments = "".join(comment_html(10_000 + i, f"Reader {i}", f"Comment {i}.") for i in range(5000))
        page = recap_html("/x/", "Harbor Lights 2x23 Review: “Crowd”", ["One paragraph."], comments)
        assert len(extract_recap(page, "http://h.example/x/").comments) == 5000
        """
    )
    tests = str(__import__("pathlib").Path(__file__).parent.parent)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=10, cwd=tests)


def test_figures(crawl, record_property):
    """The fault report's numbers: every case tried, the crawl survived, no recap lost or duplicated."""
    expected = {crawl.base + PATHS[c.name] for c in CASES if c.recap and not c.or_flagged and not c.bug}
    run = SimpleNamespace(
        rows=lambda sql, params=(): crawl.db.execute(sql, params).fetchall(),
        db=crawl.db,
        survived=crawl.proc.returncode == 0
        and crawl.db.execute("select finish_reason from crawls").fetchone()[0] == "finished",
    )
    result = figures(FAULT_CATEGORY, [c.name for c in CASES], [run], expected)
    record_property("fault_figures", result)
    assert result["lost"] == [] and result["duplicated"] == 0 and result["survived"] == 1
