"""End to end: the real spider over HTTP against the bundled sample site, then the archive,
the exports and Datasette, all checked against the sample site's ground truth."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from golden import RECAP_META_FIELDS
from recapcrawl.sample_site import SampleSites, load_truth

pytestmark = pytest.mark.integration

FIELDS = ["title", "author", "show", "season", "episode", "episode_title", "categories", "tags"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recapcrawl.cli", *args], capture_output=True, text=True, timeout=300
    )


class Crawl:
    def __init__(self, root: Path, urls: list[str]):
        self.db_path = root / "recaps.db"
        self.urls = urls
        self.truth = load_truth(urls[0], urls[1])

    def crawl(self) -> subprocess.CompletedProcess:
        result = run_cli(
            "crawl",
            *self.urls,
            "--db",
            str(self.db_path),
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result

    def db(self) -> sqlite3.Connection:
        connection = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        return connection

    def export_jsonl(self) -> dict[str, dict]:
        out = self.db_path.with_suffix(".jsonl")
        result = run_cli("export", "--db", str(self.db_path), "--format", "jsonl", "--output", str(out))
        assert result.returncode == 0, result.stderr
        return {r["url"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


@pytest.fixture(scope="module")
def sites():
    with SampleSites() as running:
        yield running


@pytest.fixture(scope="module")
def crawl(sites, tmp_path_factory):
    job = Crawl(tmp_path_factory.mktemp("crawl"), sites.urls)
    job.first_run = job.crawl()
    job.records = job.export_jsonl()
    return job


def recap_ids(truth):
    return [r["url"].split("/", 3)[-1] for r in truth["recaps"]]


TRUTH = load_truth("http://wp.invalid/", "http://blogger.invalid/")
RECAP_IDS = recap_ids(TRUTH)


def truth_recap(crawl, index):
    return crawl.truth["recaps"][index]


# ---------------------------------------------------------------- what was archived


def test_crawl_finishes_with_a_summary(crawl):
    assert "recaps" in crawl.first_run.stderr and "finished" in crawl.first_run.stderr


def test_every_recap_and_nothing_else(crawl):
    expected = {r["url"] for r in crawl.truth["recaps"]}
    assert set(crawl.records) == expected
    not_recaps = {n["url"] for n in crawl.truth["not_recaps"]}
    assert not (set(crawl.records) & not_recaps)


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_metadata_field(crawl, index, field):
    want = truth_recap(crawl, index)
    got = crawl.records[want["url"]]
    assert got[field] == want[field]


@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_published_with_offset(crawl, index):
    want = truth_recap(crawl, index)
    got = datetime.fromisoformat(crawl.records[want["url"]]["published"])
    assert got.utcoffset() is not None
    assert got == datetime.fromisoformat(want["published"])


@pytest.mark.parametrize("part", ["headings", "paragraphs"])
@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_body_parts(crawl, index, part):
    want = truth_recap(crawl, index)
    assert crawl.records[want["url"]][part] == want[part]


@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_bullets(crawl, index):
    want = truth_recap(crawl, index)
    keys = ("text", "list", "ordered", "depth", "heading")
    got = [{k: b[k] for k in keys} for b in crawl.records[want["url"]]["bullets"]]
    assert got == [{k: b[k] for k in keys} for b in want["bullets"]]


@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_quotes(crawl, index):
    want = truth_recap(crawl, index)
    keys = ("text", "kind", "source")
    got = [{k: q[k] for k in keys} for q in crawl.records[want["url"]]["quotes"]]
    assert got == [{k: q[k] for k in keys} for q in want["quotes"]]


def test_speakers_across_the_site(crawl):
    """Speakers are a judgement: at least 90 % right, and at least 95 % of the names given right."""
    right = named = said = said_right = 0
    for want in crawl.truth["recaps"]:
        for got, real in zip(crawl.records[want["url"]]["quotes"], want["quotes"], strict=True):
            mine, theirs = set((got["speaker"] or "").split()), set((real["speaker"] or "").split())
            named += bool(theirs)
            right += bool(theirs and mine & theirs)
            said += bool(mine)
            said_right += bool(mine and mine & theirs)
    assert right / named >= 0.90, (right, named)
    assert said_right / said >= 0.95, (said_right, said)


@pytest.mark.parametrize("index", range(len(RECAP_IDS)), ids=RECAP_IDS)
def test_comments(crawl, index):
    want = truth_recap(crawl, index)
    keys = ("id", "parent_id", "author", "text", "is_post_author")
    got = crawl.records[want["url"]]["comments"]
    assert sorted(({k: c[k] for k in keys} for c in got), key=lambda c: int(c["id"])) == [
        {k: c[k] for k in keys} for c in want["comments"]
    ]
    for mine, real in zip(sorted(got, key=lambda c: int(c["id"])), want["comments"], strict=True):
        assert datetime.fromisoformat(mine["published"]) == datetime.fromisoformat(real["published"])


def test_comment_pages_merged_in_thread_order(crawl):
    """The recap split over several comment pages has every comment once, oldest page first."""
    pages = {url: urls for url, urls in crawl.truth["comment_pages"].items() if len(urls) > 2}
    assert pages, "the sample site has a recap with three or more comment pages"
    for url, page_urls in pages.items():
        comments = crawl.records[url]["comments"]
        assert len({c["id"] for c in comments}) == len(comments)
        numbers = [c["page"] for c in comments]
        assert numbers == sorted(numbers) and set(numbers) == set(range(1, len(page_urls) + 1))
        depth_of = {c["id"]: c["depth"] for c in comments}
        for comment in comments:  # a reply comes after its parent, one level deeper
            if comment["parent_id"]:
                assert comment["depth"] == depth_of[comment["parent_id"]] + 1
        assert max(depth_of.values()) >= 2


def test_article_split_over_pages_is_one_recap(crawl):
    """A post split with page breaks (/slug/2/, /slug/3/) is one recap with every page's paragraphs in
    order; its later pages are page rows of that recap, listed in its sources, never recaps."""
    paged = crawl.truth["article_pages"]
    assert sorted(len(urls) for urls in paged.values()) == [2, 3]
    truth = {r["url"]: r for r in crawl.truth["recaps"]}
    with crawl.db() as db:
        for url, urls in paged.items():
            record = crawl.records[url]
            assert record["paragraphs"] == truth[url]["paragraphs"]
            assert [p["text"] for p in record["paragraphs"]][-1] == truth[url]["paragraphs"][-1]["text"]
            recap = db.execute("select id, sources from recaps where url = ?", [url]).fetchone()
            sources = [s["url"] for s in json.loads(recap["sources"])]
            assert sources[: len(urls)] == urls  # the first page, then the later ones, then comment pages
            for later in urls[1:]:
                assert later not in crawl.records
                row = db.execute("select * from pages where url = ?", [later]).fetchone()
                assert (row["kind"], row["is_recap"], row["recap_id"]) == ("article_page", 0, recap["id"])
                assert row["canonical_url"] == url and row["capture_id"] is not None
            assert db.execute("select count(*) from recaps where url like ?", [url + "_%"]).fetchone()[0] == 0


def test_article_split_over_pages_after_reparse_and_warc_import(crawl, tmp_path):
    """Reparse and WARC import group a split article's stored pages the way the crawl did."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(crawl.db_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    result = run_cli("reparse", "--db", str(copy), "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["changed"] == 0, result.stderr[-2000:]
    warc, imported = tmp_path / "all.warc.gz", tmp_path / "imported.db"
    exported = run_cli("export", "--db", str(crawl.db_path), "--format", "warc", "--output", str(warc))
    assert exported.returncode == 0, exported.stderr[-2000:]
    result = run_cli("import-warc", str(warc), "--db", str(imported))
    assert result.returncode == 0, result.stderr[-2000:]
    paged = crawl.truth["article_pages"]
    with sqlite3.connect(imported) as db:
        db.row_factory = sqlite3.Row
        assert {r[0] for r in db.execute("select url from recaps")} == set(crawl.records)
        for url, urls in paged.items():
            recap = db.execute("select id, body_text, sources from recaps where url = ?", [url]).fetchone()
            want = "\n\n".join(p["text"] for p in crawl.records[url]["paragraphs"])
            assert recap["body_text"] == want
            sources = [s["url"] for s in json.loads(recap["sources"])]
            assert sources[: len(urls)] == urls  # the first page, then the later ones, then comment pages
            for later in urls[1:]:
                row = db.execute("select kind, recap_id from pages where url = ?", [later]).fetchone()
                assert tuple(row) == ("article_page", recap["id"])


def test_pages_say_why_not_a_recap(crawl):
    with crawl.db() as db:
        rows = {r["url"]: r for r in db.execute("select * from pages")}
    for item in crawl.truth["not_recaps"]:
        row = rows.get(item["url"])
        if row is None:
            continue  # not every listing URL is linked from somewhere the crawler goes (robots.txt)
        assert not row["is_recap"], item
        assert row["reason"], item
    kinds = {r["kind"] for r in rows.values()}
    assert {"recap", "listing", "feed", "sitemap", "robots"} <= kinds


def test_archive_integrity(crawl):
    with crawl.db() as db:
        assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert db.execute("pragma foreign_key_check").fetchall() == []
        assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
        recaps = db.execute("select count(*) from recaps").fetchone()[0]
        linked = db.execute("select count(distinct recap_id) from pages where is_recap = 1").fetchone()[0]
    assert recaps == linked == len(crawl.truth["recaps"])


# ---------------------------------------------------------------- exports


def test_jsonl_export_has_the_contract_keys(crawl):
    contract = {"url", *RECAP_META_FIELDS, "headings", "paragraphs", "bullets", "quotes", "comments"}
    for record in crawl.records.values():
        assert contract <= set(record)


@pytest.mark.parametrize("table", ["recaps", "comments", "quotes", "pages", "episodes"])
def test_csv_export_has_every_row(crawl, table):
    result = run_cli("export", "--db", str(crawl.db_path), "--format", "csv", "--table", table)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    with crawl.db() as db:
        assert len(rows) == db.execute(f"select count(*) from [{table}]").fetchone()[0]
    assert rows


def test_export_of_a_missing_table_is_a_clear_error(crawl):
    result = run_cli("export", "--db", str(crawl.db_path), "--format", "csv", "--table", "nope")
    assert result.returncode != 0
    assert "no table or view named 'nope'" in result.stderr


# ---------------------------------------------------------------- Datasette over the crawled archive


@pytest.fixture(scope="module")
def datasette(crawl):
    from datasette.app import Datasette

    from recapcrawl.publish import archive_dir

    archive = archive_dir()
    ds = Datasette(
        [str(crawl.db_path)],
        immutables=[],
        metadata=yaml.safe_load((archive / "metadata.yml").read_text()),
        template_dir=str(archive / "templates"),
        plugins_dir=str(archive / "plugins"),
        settings=json.loads((archive / "settings.json").read_text()),
    )
    return ds


def get(ds, path):
    import asyncio

    return asyncio.run(ds.client.get(path))


def test_datasette_html_json_csv(datasette, crawl):
    assert "recapcrawl" in get(datasette, "/").text
    html = get(datasette, "/recaps/recaps")
    assert html.status_code == 200
    data = get(datasette, "/recaps/recaps.json?_shape=objects&_size=max").json()
    assert {row["url"] for row in data["rows"]} == set(crawl.records)
    rows = list(csv.DictReader(io.StringIO(get(datasette, "/recaps/comments.csv?_size=max").text)))
    assert len(rows) == sum(len(r["comments"]) for r in crawl.records.values())


def test_datasette_episode_across_sites(datasette, crawl):
    shared = {}
    for record in crawl.records.values():
        key = (record["show"], record["season"], json.dumps(record["episode"]))
        shared.setdefault(key, set()).add(record["site"])
    (show, season, episode), _ = next((k, v) for k, v in shared.items() if len(v) > 1)
    episode = json.loads(episode)
    number = episode[0] if isinstance(episode, list) else episode
    path = f"/recaps/episode_across_sites.json?_shape=objects&show={show}&season={season}&episode={number}"
    rows = get(datasette, path).json()["rows"]
    assert len({row["site"] for row in rows}) == 2


def test_datasette_full_text_search(datasette, crawl):
    comment = next(c for r in crawl.records.values() for c in r["comments"] if len(c["text"].split()) > 5)
    words = sorted((w.strip(".,!?“”\"'’") for w in comment["text"].split()), key=len)[-2:]
    rows = get(datasette, f"/recaps/comments.json?_search={' '.join(words)}&_shape=objects").json()["rows"]
    assert comment["id"] in {row["comment_id"] for row in rows}
    assert len(rows) < sum(len(r["comments"]) for r in crawl.records.values())


def test_recap_reading_view(datasette, crawl):
    with crawl.db() as db:
        recap = db.execute("select id, title from recaps order by comment_count desc limit 1").fetchone()
    page = get(datasette, f"/recaps/recaps/{recap['id']}")
    assert page.status_code == 200
    first_comment = crawl.records[next(u for u, r in crawl.records.items() if r["title"] == recap["title"])][
        "comments"
    ][0]["text"].split("\n")[0]
    import html as html_lib

    assert html_lib.escape(first_comment, quote=False)[:40] in page.text


# ---------------------------------------------------------------- re-crawl


def test_recrawl_updates_in_place(crawl):
    with crawl.db() as db:
        before = {r["url"]: dict(r) for r in db.execute("select url, id, first_seen, last_seen from recaps")}
        counts = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in ("recaps", "comments")}
    crawl.crawl()
    with crawl.db() as db:
        after = {r["url"]: dict(r) for r in db.execute("select url, id, first_seen, last_seen from recaps")}
        again = {t: db.execute(f"select count(*) from [{t}]").fetchone()[0] for t in ("recaps", "comments")}
    assert again == counts
    assert {u: r["id"] for u, r in after.items()} == {u: r["id"] for u, r in before.items()}
    assert all(after[u]["first_seen"] == before[u]["first_seen"] for u in before)
    assert all(after[u]["last_seen"] >= before[u]["last_seen"] for u in before)


def test_scrapy_crawl_command_works_from_the_project_root(sites, tmp_path):
    """`scrapy crawl recaps -a start_urls=…` uses scrapy.cfg and the same pipelines as the CLI."""
    db_path = tmp_path / "scrapy.db"
    scrapy = Path(sys.executable).parent / "scrapy"
    result = subprocess.run(
        [
            str(scrapy),
            "crawl",
            "recaps",
            "-a",
            f"start_urls={sites.wordpress_url}",
            "-s",
            f"RECAPCRAWL_DB={db_path}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
        ],
        cwd=Path(__file__).parent.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    truth = load_truth(sites.wordpress_url, sites.blogger_url)
    expected = {r["url"] for r in truth["recaps"] if r["url"].startswith(sites.wordpress_url)}
    with sqlite3.connect(db_path) as db:
        assert {row[0] for row in db.execute("select url from recaps")} == expected
