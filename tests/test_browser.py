"""The published archive in a real browser: headless Chromium driven by Playwright.

Two archives are served by real ``datasette`` processes (``publish.datasette_command``) on free
loopback ports: one crawled from the bundled sample site, and one small hostile archive whose
crawled strings try to run script. Needs Debian's ``chromium`` package and the ``playwright``
Python package (no browser download: Playwright drives the system Chromium). Without them the
tests are skipped with the reason, except under CI (``CI`` set), where that is a failure.

Screenshots of the pages a reader sees go to ``$RECAPCRAWL_SCREENSHOTS`` when it is set (the
README's images: ``RECAPCRAWL_SCREENSHOTS=docs/screenshots pytest tests/test_browser.py``),
otherwise to pytest's temporary directory.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from recapcrawl import publish
from recapcrawl.storage import open_db, save_recap

pytestmark = pytest.mark.integration

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1100, "height": 900}
TIMEOUT_MS = 15_000


def chromium_path() -> str | None:
    for candidate in (os.environ.get("RECAPCRAWL_CHROMIUM"), "chromium", "chromium-browser"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def unavailable(reason: str):
    """Skip on a user's machine; fail under CI, where the browser must be installed."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason} (CI installs it: see .ci/run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install playwright)")
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    configured = os.environ.get("RECAPCRAWL_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------- archives and servers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A real Datasette process serving one archive with the archive/ configuration."""

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            publish.datasette_command(db_path, port=self.port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"datasette exited: {self.process.stderr.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def url(self, path: str) -> str:
        return self.base + path

    def query(self, sql: str, params=()) -> list[sqlite3.Row]:
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    def stop(self) -> None:
        publish.stop(self.process)
        self.process.stderr.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled sample site, crawled by `recapcrawl demo --no-serve`, served by Datasette."""
    db_path = tmp_path_factory.mktemp("sample") / "recaps.db"
    result = subprocess.run(
        [sys.executable, "-m", "recapcrawl.cli", "demo", "--no-serve", "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    served = Served(db_path)
    yield served
    served.stop()


PWN = "window.pwned"
HOSTILE_STRINGS = [
    f"<script>{PWN}=1</script>",
    f'<img src=x onerror="{PWN}=2">',
    f"<svg onload={PWN}=3>",
    "<script>alert('pwned')</script>",
    f'"><img src=x onerror={PWN}=4>',
]
HOSTILE_TEXT = " ".join(HOSTILE_STRINGS)


def hostile_recap(url: str, site: str) -> dict:
    return {
        "url": url,
        "site": site,
        "title": f"Pwned {HOSTILE_TEXT}",
        "author": HOSTILE_TEXT,
        "author_url": f"javascript:{PWN}=5",
        "published": "2024-01-01T00:00:00+00:00",
        "modified": None,
        "show": f"Pwn Show {HOSTILE_STRINGS[1]}",
        "season": 1,
        "episode": 1,
        "episode_title": HOSTILE_TEXT,
        "categories": [HOSTILE_TEXT],
        "tags": [HOSTILE_TEXT],
        "platform": "wordpress",
        "headings": [{"level": 2, "text": f"Heading pwned {HOSTILE_TEXT}"}],
        "paragraphs": [
            {"section": None, "text": f"Body pwned {HOSTILE_TEXT} quoted “{HOSTILE_STRINGS[0]}” there."},
            {"section": f"Heading pwned {HOSTILE_TEXT}", "text": f"More pwned {HOSTILE_TEXT}"},
        ],
        "bullets": [
            {
                "text": f"Bullet pwned {HOSTILE_TEXT}",
                "list": 0,
                "ordered": False,
                "depth": 0,
                "heading": None,
                "parent": None,
            },
        ],
        "quotes": [
            {
                "text": HOSTILE_STRINGS[0],
                "kind": "inline",
                "source": "paragraph",
                "speaker": HOSTILE_TEXT,
                "cite": None,
                "section": None,
            },
            {
                "text": f"Blockquote pwned {HOSTILE_TEXT}",
                "kind": "blockquote",
                "source": "quote",
                "speaker": HOSTILE_STRINGS[2],
                "cite": f"javascript:{PWN}=6",
                "section": None,
            },
        ],
        "comments": [
            {
                "id": f'1"><script>{PWN}=7</script>',
                "parent_id": None,
                "depth": 0,
                "author": HOSTILE_TEXT,
                "author_url": f"javascript:{PWN}=8",
                "published": "2024-01-01T01:00:00+00:00",
                "is_post_author": False,
                "page": None,
                "text": f"Comment pwned {HOSTILE_TEXT}",
            },
            {
                "id": "2",
                "parent_id": f'1"><script>{PWN}=7</script>',
                "depth": 1,
                "author": "Replier",
                "author_url": f" javascript:{PWN}=9",
                "published": "2024-01-01T02:00:00+00:00",
                "is_post_author": False,
                "page": None,
                "text": f"Reply pwned {HOSTILE_TEXT}",
            },
        ],
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A small archive whose every crawled string is an attempt to run script."""
    db_path = tmp_path_factory.mktemp("hostile") / "recaps.db"
    db = open_db(db_path)
    save_recap(db, hostile_recap("https://evil.example/a/", "evil.example"))
    save_recap(db, hostile_recap("https://evil2.example/b/", "evil2.example"))
    db.conn.close()
    served = Served(db_path)
    yield served
    served.stop()


# ---------------------------------------------------------------- helpers


def _search_hits(sample: Served, phrase: str) -> int:
    """How many results the archive's own search (stemmed, as readers search) gives for a quoted phrase."""
    query = urllib.parse.quote(f'"{phrase}"')
    with urllib.request.urlopen(sample.url(f"/-/search.json?q={query}"), timeout=10) as response:
        return len(json.load(response)["results"])


def only_in_one_comment(sample: Served) -> tuple[str, dict]:
    """A three-word phrase found in exactly one comment and nowhere else in the archive (also after
    stemming: "eating" must not match a recap's "eats")."""
    texts = [r["text"] for r in sample.query("select text from comments")]
    texts += [r["body_text"] + " " + r["title"] for r in sample.query("select body_text, title from recaps")]
    texts += [r["text"] for r in sample.query("select text from quotes union all select text from bullets")]
    everything = "\n".join(texts).lower()
    for row in sample.query("select * from comments order by recap_id desc, position"):
        words = [w for w in row["text"].split() if w.isalpha() and len(w) > 3]
        for i in range(len(words) - 2):
            phrase = " ".join(words[i : i + 3])
            if (
                phrase.lower() in row["text"].lower()
                and everything.count(phrase.lower()) == 1
                and _search_hits(sample, phrase) == 1
            ):
                return phrase, dict(row)
    raise AssertionError("no phrase is unique to one comment")


def shot(page, screenshots: Path, name: str, height: int | None = None) -> Path:
    path = screenshots / name
    if height:
        clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
        page.screenshot(path=str(path), clip=clip, full_page=True)
    else:
        page.screenshot(path=str(path))
    assert path.stat().st_size > 10_000
    return path


# ---------------------------------------------------------------- the tests


def test_search_a_phrase_only_in_a_comment_reaches_its_recap(page, sample, screenshots):
    phrase, comment = only_in_one_comment(sample)
    recap = sample.query("select id, title from recaps where id = ?", [comment["recap_id"]])[0]
    page.goto(sample.url("/"))
    page.fill("form.search-everything input[name=q]", f'"{phrase}"')
    page.press("form.search-everything input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=*")
    results = page.locator("li.search-result")
    assert results.count() == 1
    assert "found-in-comment" in results.first.get_attribute("class")
    marked = " ".join(results.first.locator("mark").all_inner_texts()).lower()
    assert all(word.lower() in marked for word in phrase.split())
    results.first.locator("a.recap-link").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0] == sample.url(f"/recaps/recaps/{recap['id']}")
    assert page.locator("article.recap h1").inner_text() == recap["title"]
    target = page.locator("li.comment:target")
    assert target.count() == 1 and phrase in target.inner_text()
    assert target.get_attribute("data-depth") == str(comment["depth"])
    assert target.is_visible()
    # the header box works from any page too
    page.fill("form.nav-search input[name=q]", f'"{phrase}"')
    page.press("form.nav-search input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=*")
    assert page.locator("li.search-result").count() == 1
    # a broader search: several kinds of results, best first, words marked
    page.fill("form.search-everything input[name=q]", "lamp")
    page.press("form.search-everything input[name=q]", "Enter")
    page.wait_for_url("**/-/search?q=lamp")
    kinds = page.locator("li.search-result .kind").all_inner_texts()
    assert len(kinds) >= 3 and {"COMMENT", "RECAP"} <= {k.upper() for k in kinds}
    assert {m.lower() for m in page.locator("li.search-result mark").all_inner_texts()} == {"lamp"}
    shot(page, screenshots, "search.png", height=900)


def test_reading_view_headings_quotes_and_indented_thread(page, sample, screenshots):
    recap = sample.query("select * from recaps order by comment_count desc limit 1")[0]
    page.goto(sample.url(f"/recaps/recaps/{recap['id']}"))
    article = page.locator("article.recap")
    assert article.locator("h1").inner_text() == recap["title"]
    headings = sample.query("select text from headings where recap_id = ? order by position", [recap["id"]])
    assert article.locator("section.body .heading").all_inner_texts() == [h["text"] for h in headings]
    # quotes are highlighted where they are, with their speakers
    marks = article.locator("section.body mark.quote")
    assert marks.count() >= 3
    background = marks.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 243, 176)"
    assert article.locator("section.body mark.quote .speaker").count() >= 2
    assert article.locator("section.body blockquote.quote").count() >= 1
    # the comment thread: thread order, every reply indented one step further than its parent
    comments = sample.query("select * from comments where recap_id = ? order by position", [recap["id"]])
    items = article.locator("li.comment")
    assert items.count() == len(comments)
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    depths = [int(items.nth(i).get_attribute("data-depth")) for i in range(items.count())]
    assert depths == [c["depth"] for c in comments] and max(depths) >= 2
    left = {}
    for depth, box in zip(depths, boxes, strict=True):
        left.setdefault(depth, set()).add(round(box["x"]))
    assert all(len(xs) == 1 for xs in left.values())  # one indent per depth
    indents = [left[d].pop() for d in sorted(left)]
    assert indents == sorted(indents) and len(set(indents)) == len(indents)
    shot(page, screenshots, "reading-view.png", height=1250)
    thread = article.locator("section.comment-thread")
    top = thread.evaluate("el => el.getBoundingClientRect().top + window.scrollY")
    page.screenshot(
        path=str(screenshots / "comment-thread.png"),
        clip={
            "x": 0,
            "y": top - 10,
            "width": VIEWPORT["width"],
            "height": min(thread.bounding_box()["height"], 900),
        },
        full_page=True,
    )


def test_episode_page_lists_two_sites_side_by_side(page, sample, screenshots):
    shared = sample.query(
        "select show, season, e.value as episode, count(distinct site) as sites "
        "from recaps, json_each(recaps.episodes) e group by show, season, e.value having sites > 1 "
        "order by show limit 1"
    )[0]
    recaps = sample.query(
        "select r.* from recaps r, json_each(r.episodes) e where r.show = ? and r.season = ? and e.value = ?",
        [shared["show"], shared["season"], shared["episode"]],
    )
    # reach it the way a reader would: from a recap's episode link
    page.goto(sample.url(f"/recaps/recaps/{recaps[0]['id']}"))
    page.locator("a.episode-link", has_text=str(shared["episode"])).first.click()
    page.wait_for_load_state()
    assert "/recaps/episode_across_sites?" in page.url
    cards = page.locator(".episode-card")
    assert cards.count() == len(recaps) >= 2
    sites = [cards.nth(i).get_attribute("data-site") for i in range(cards.count())]
    assert len(set(sites)) == 2 and set(sites) == {r["site"] for r in recaps}
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] > first["x"] + first["width"] - 1  # side by side
    titles = cards.locator("h3 a").all_inner_texts()
    assert set(titles) == {r["title"] for r in recaps}
    assert page.locator("table.rows-and-columns tbody tr").count() == len(recaps)
    shot(page, screenshots, "episode-page.png", height=820)
    cards.nth(1).locator("h3 a").click()
    page.wait_for_load_state()
    assert page.locator("article.recap h1").inner_text() == titles[1]


def test_download_csv_of_every_comment(page, sample, tmp_path):
    expected = sample.query("select * from comments")
    assert len(expected) > 50  # more than one page: the export must stream every row
    page.goto(sample.url("/recaps/comments"))
    page.click("a[href='#export']")
    page.check("form input[name=_dl]")
    page.check("form input[name=_stream]")
    with page.expect_download() as info:
        page.click("input[value='Export CSV']")
    download = info.value
    assert download.suggested_filename == "comments.csv"
    saved = tmp_path / "comments.csv"
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(expected)
    assert list(rows[0])[:4] == ["recap_id", "recap_id_label", "comment_id", "position"]
    assert {(r["recap_id"], r["comment_id"]) for r in rows} == {
        (str(c["recap_id"]), c["comment_id"]) for c in expected
    }
    texts = {(str(c["recap_id"]), c["comment_id"]): c["text"] for c in expected}
    assert all(r["text"] == texts[(r["recap_id"], r["comment_id"])] for r in rows)


def test_download_every_row_link(page, sample, tmp_path, screenshots):
    expected = sample.query("select * from comments")
    page.goto(sample.url("/recaps/comments"))
    link = page.get_by_role("link", name="Download every row as CSV")
    shot(page, screenshots, "comments-table.png", height=700)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "comments.csv"
    saved = tmp_path / "every.csv"
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0])[:3] == ["recap_id", "comment_id", "position"]
    texts = {(str(c["recap_id"]), c["comment_id"]): c["text"] for c in expected}
    assert {(r["recap_id"], r["comment_id"]): r["text"] for r in rows} == texts


def test_hostile_strings_run_no_script(page, hostile):
    pages = [
        "/",
        "/recaps/recaps/1",
        "/recaps/recaps/2",
        "/recaps/recaps",
        "/recaps/comments",
        "/recaps/quotes",
        "/recaps/episodes",
        "/-/search?q=pwned",
        "/recaps/search_everything?q=pwned",
        "/recaps/episode_across_sites?"
        + urllib.parse.urlencode({"show": f"Pwn Show {HOSTILE_STRINGS[1]}", "season": 1, "episode": 1}),
        "/recaps/show_episodes?" + urllib.parse.urlencode({"show": f"Pwn Show {HOSTILE_STRINGS[1]}"}),
        "/recaps/recap_comments?recap=1",
        "/recaps/commenter_history?" + urllib.parse.urlencode({"author": HOSTILE_TEXT}),
    ]
    for path in pages:
        page.goto(hostile.url(path))
        page.wait_for_load_state("load")
        assert page.evaluate(f"typeof {PWN}") == "undefined", path
        assert page.locator("a[href^='javascript:' i], a[href*='javascript:' i]").count() == 0, path
        assert page.locator("[onerror], [onload]").count() == 0, path
        assert "window.pwned" not in " ".join(
            page.locator("script").evaluate_all("els => els.map(e => e.textContent)")
        ), path
    page.goto(hostile.url("/recaps/recaps/1"))
    text = page.locator("article.recap").inner_text()
    assert f"<script>{PWN}=1</script>" in text  # shown as text, not run
    assert f'<img src=x onerror="{PWN}=2">' in text
    # clicking every link in the reading view runs nothing either
    hrefs = page.locator("article.recap a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all(h.startswith(("/", "http://", "https://")) for h in hrefs)
    for selector in ("a.comment-author", "a.show-link", "a.episode-link"):
        page.goto(hostile.url("/recaps/recaps/1"))
        page.locator(selector).first.click()
        page.wait_for_load_state("load")
        assert page.evaluate(f"typeof {PWN}") == "undefined", selector
    assert page.dialogs == []
