"""Hostile content: what a crawled page says can't run in the pages we serve, can't change the SQL we
run, and can't send the crawler anywhere else.

One ``recapcrawl crawl`` (a subprocess) of a hostile loopback site whose recaps carry ``<script>``,
event-handler attributes, ``javascript:`` URLs, CSS and template syntax (as markup and as text) in
titles, headings, bodies, quotes, lists and comments, and SQL-looking text everywhere; whose links,
feeds, sitemaps, robots.txt, comment pages and canonical links point at a second server
("elsewhere"). Then every kind of page Datasette serves from that archive (index, tables and views,
rows, the reading view, every canned query, search) is read through Datasette's test client and
checked: hostile strings appear as text, never as markup, handlers or script URLs. (Headless Chromium
runs the same kind of archive in tests/test_browser.py.)
"""

from __future__ import annotations

import asyncio
import json
import re
import urllib.parse
from html import escape
from pathlib import Path
from types import SimpleNamespace

import lxml.html
import pytest
import yaml
from datasette.app import Datasette
from datasette.utils import parse_metadata
from servers.fault_server import FaultServer, Reply, consistency_problems, figures, run_crawl
from servers.misbehaving_site import comment_html, recap_html

pytestmark = [pytest.mark.faults, pytest.mark.integration, pytest.mark.timeout(180)]
FAULT_CATEGORY = "Hostile content"
ARCHIVE = Path(__file__).resolve().parent.parent / "archive"
MARK = "pwn"  # every hostile payload carries it, so it can be traced wherever it lands

# Hostile strings that reach the archive as *text* (escaped in the crawled HTML).
TEXT_PAYLOADS = {
    "script": "<script>window.pwn='title'</script>",
    "img": "<img src=x onerror=\"window.pwn='img'\">",
    "svg": '"><svg onload=alert("pwn")>',
    "textarea": "</textarea><script>alert('pwn')</script>",
    "style": "<style>body{background:url('javascript:alert(\"pwn\")')}</style>",
    "link": "<a href=\"javascript:alert('pwn')\">click</a>",
    "template": "{{ pwn.__class__ }} {% pwn %} ${pwn} #{pwn}",
    "comment": "<!-- pwn --> ]]> <![CDATA[pwn]]>",
}
SQL_PAYLOADS = [
    "Robert'); DROP TABLE recaps;-- pwn",
    "' OR '1'='1' -- pwn",
    '"; DELETE FROM comments WHERE ""=""; -- pwn',
    "1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
    "%' UNION SELECT sqlite_version(), 1 -- pwn",
    'NEAR("pwn" "harbor") OR title:* AND NOT - pwn',
    "100% \\ _under_ pwn's “quoted” ‘twice’",
]
SQL_TITLE = "Harbor Lights 4x02 Review: Robert'); DROP TABLE recaps;-- pwn"


def _text(value: str) -> str:
    return escape(value, quote=False)


def xss_recap(path: str, elsewhere: str) -> str:
    """A recap whose every part carries hostile strings, as text and as real markup."""
    t = {k: _text(v) for k, v in TEXT_PAYLOADS.items()}
    body = (
        f"<h2>Act one {t['script']}</h2>"
        f"<p>The fog hides {t['img']} and the harbor waits for Wren.</p>"
        f"<p>“Nobody leaves until the fog lifts {t['svg']},” says Captain Wren, and nobody does.</p>"
        f"<p>Real markup follows: <script>window.pwn='body'</script><b onclick=\"alert('pwn')\""
        f" style=\"background:url(javascript:alert('pwn'))\">bold words</b> and"
        f" <a href=\"javascript:alert('pwn')\">a script link</a> and"
        f" <img src=x onerror=\"alert('pwn')\">.</p>"
        f"<style>p {{ color: red; }} /* pwn */</style>"
        f"<iframe src=\"javascript:alert('pwn')\"></iframe>"
        f"<blockquote><p>{t['textarea']} is what the ghost wrote on the wall.</p></blockquote>"
        f"<ul><li>{t['style']}</li><li>{t['link']}</li><li>{t['template']}</li></ul>"
        f"<p>Template syntax stays literal: {t['template']} and {t['comment']}.</p>"
    )
    comments = comment_html(901, TEXT_PAYLOADS["img"], TEXT_PAYLOADS["script"]).replace(
        '<b class="fn">', '<b class="fn"><a href="javascript:alert(\'pwn\')" rel="external">'
    ).replace('</b> <span class="says">', '</a></b> <span class="says">') + comment_html(
        902, "Plain Reader", TEXT_PAYLOADS["svg"] + " " + TEXT_PAYLOADS["template"]
    )
    nav = (
        '<nav class="comment-navigation"><span aria-current="page" class="page-numbers current">1</span> '
        f'<a class="page-numbers" href="{elsewhere}{path}comment-page-2/">2</a></nav>'
    )
    page = recap_html(
        path, "Harbor Lights 4x01 Review: " + TEXT_PAYLOADS["script"], [], comments, nav, body_html=body
    )
    return page.replace("Nell Okafor", _text(TEXT_PAYLOADS["svg"]))


def sql_recap(path: str) -> str:
    comments = "".join(comment_html(950 + i, text[:40], text) for i, text in enumerate(SQL_PAYLOADS))
    return recap_html(
        path, SQL_TITLE, [f"Paragraph {i}: {text}" for i, text in enumerate(SQL_PAYLOADS)], comments
    )


def spoof_recap(path: str, elsewhere: str) -> str:
    return recap_html(
        path,
        "Harbor Lights 4x03 Review: “Impostor”",
        ["This page says it is another site's recap, with a canonical link pointing there."],
    ).replace(f'href="{path}"', f'href="{elsewhere}/stolen-recap/"')


XSS = "/2024/09/03/harbor-lights-4x01-fog-of-war/"
SQL = "/2024/09/10/harbor-lights-4x02-little-bobby-tables/"
SPOOF = "/2024/09/17/harbor-lights-4x03-impostor/"
BASED = "/based/"


def hostile_routes(base: str, elsewhere: str) -> dict:
    other_host = elsewhere.replace("127.0.0.1", "localhost")
    away = [
        f"{elsewhere}/away/",
        f"{other_host}/away/",
        "//" + other_host.split("//")[1] + "/away/",
        f"http://[::1]:{elsewhere.rsplit(':', 1)[1]}/away/",
        f"http://{elsewhere.split('//')[1]}@127.0.0.2/",
        f"http://user@{elsewhere.split('//')[1]}/away/",
        "javascript:alert('pwn')",
        "data:text/html,pwn",
        "file:///etc/passwd",
        "ftp://127.0.0.1/pwn",
    ]
    links = "".join(f'<li><a href="{u}">away</a></li>' for u in [*away, XSS, SQL, SPOOF, BASED, "/feed/"])
    home = (
        f"<!DOCTYPE html><html><head><title>Tidewater TV</title>"
        f'<link rel="alternate" type="application/rss+xml" href="{other_host}/feed/">'
        f'<link rel="alternate" type="application/atom+xml" href="{elsewhere}/atom/"></head>'
        f'<body class="home blog"><ul>{links}</ul><iframe src="{elsewhere}/frame/"></iframe>'
        f'<img src="{elsewhere}/pixel.gif"><form action="{elsewhere}/post/"><input name="q"></form>'
        f'<a href="{elsewhere}/away/" rel="next">next</a></body></html>'
    )
    based = (
        f'<html><head><base href="{elsewhere}/"><title>Based</title></head>'
        '<body><a href="relative/page/">relative</a> <a href="/absolute/path/">absolute</a></body></html>'
    )
    urlset = "".join(f"<url><loc>{u}</loc></url>" for u in [f"{elsewhere}/from-sitemap/", base + XSS])
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Tidewater</title>'
        f"<item><title>away</title><link>{other_host}/from-feed/</link></item>"
        f"<item><title>here</title><link>{base}{SQL}</link></item></channel></rss>"
    )
    xml = "application/xml"
    return {
        "/": Reply(home),
        "/robots.txt": Reply(
            f"User-agent: *\nAllow: /\nSitemap: {elsewhere}/sitemap.xml\nSitemap: {other_host}/sitemap.xml\n"
            f"Sitemap: {base}/sitemap.xml\n",
            content_type="text/plain",
        ),
        "/sitemap.xml": Reply(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{elsewhere}/sitemap-away.xml</loc></sitemap>"
            f"<sitemap><loc>{base}/sitemap-posts.xml</loc></sitemap></sitemapindex>",
            content_type=xml,
        ),
        "/sitemap-posts.xml": Reply(
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urlset}</urlset>',
            content_type=xml,
        ),
        "/feed/": Reply(feed, content_type="application/rss+xml"),
        XSS: Reply(xss_recap(XSS, elsewhere)),
        SQL: Reply(sql_recap(SQL)),
        SPOOF: Reply(spoof_recap(SPOOF, elsewhere)),
        BASED: Reply(based),
    }


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    with FaultServer() as elsewhere, FaultServer() as site:
        base, away = site.base_url.rstrip("/"), elsewhere.base_url.rstrip("/")
        site.routes.update(hostile_routes(base, away))
        db = tmp_path_factory.mktemp("hostile") / "recaps.db"  # "recaps": the name metadata.yml configures
        run = run_crawl([site.base_url], db)
    yield SimpleNamespace(run=run, site=site, elsewhere=elsewhere, base=base, away=away)
    run.close()


def _recap(crawl, path):
    return crawl.run.recap(crawl.base + path)


# ---------------------------------------------------------------- the crawl stays home


def test_crawl_survived(crawl):
    assert crawl.run.survived, crawl.run.proc.stderr[-3000:]
    assert consistency_problems(crawl.run.db) == []


def test_nothing_reached_elsewhere(crawl):
    """Links (other host, other port, protocol-relative, userinfo tricks, <base href>), feeds, sitemap
    indexes and urlsets, robots.txt Sitemap lines, a comment page link, iframes, images and forms all
    point at the other server: it gets no request at all."""
    assert crawl.elsewhere.total_hits == 0, crawl.elsewhere.requests


def test_only_own_urls_fetched(crawl):
    """Every capture is of the hostile site itself; nothing but http(s) on its host:port was requested."""
    netloc = crawl.base.split("//")[1]
    captured = [r[0] for r in crawl.run.rows("select url from captures union select final_url from captures")]
    assert captured and all(u.split("/")[2] == netloc for u in captured), captured
    assert {p for p, _, _ in crawl.site.requests} <= {
        "/",
        "/robots.txt",
        "/sitemap.xml",
        "/wp-sitemap.xml",
        "/sitemap-posts.xml",
        "/feed/",
        XSS,
        SQL,
        SPOOF,
        BASED,
        "/author/nell/",
        "/absolute/path/",
        "/based/relative/page/",
    }


def test_no_page_rows_off_site(crawl):
    """The archive has no pages row for a URL off the site (nothing was requested there)."""
    netloc = crawl.base.split("//")[1]
    assert [r[0] for r in crawl.run.rows("select url from pages") if r[0].split("/")[2] != netloc] == []


def test_canonical_cannot_claim_another_site(crawl):
    assert crawl.run.rows("select url from recaps where url like ?", [crawl.away + "%"]) == []
    assert _recap(crawl, SPOOF) is not None


# ---------------------------------------------------------------- SQL-looking text round-trips


def test_sql_text_round_trips_unchanged(crawl):
    """Title, paragraphs, comments and commenter names with SQL in them are stored exactly as written,
    and every table is still there."""
    recap = _recap(crawl, SQL)
    assert recap is not None
    assert recap["title"] == SQL_TITLE
    paragraphs = crawl.run.children("paragraphs", "text", recap["id"])
    assert paragraphs == [f"Paragraph {i}: {text}" for i, text in enumerate(SQL_PAYLOADS)]
    assert crawl.run.children("comments", "text", recap["id"]) == SQL_PAYLOADS
    assert crawl.run.children("comments", "author", recap["id"]) == [t[:40].strip() for t in SQL_PAYLOADS]
    tables = {r[0] for r in crawl.run.rows("select name from sqlite_master where type = 'table'")}
    assert {"recaps", "comments", "paragraphs", "pages", "captures"} <= tables
    assert not Path("/tmp/pwn.db").exists()


def test_hostile_text_is_stored_as_text(crawl):
    """Payloads written as text in the page are archived as that text; real <script>/<style> elements
    in the body are not archived as text at all; attributes (handlers, javascript: URLs) are gone."""
    recap = _recap(crawl, XSS)
    assert recap is not None, crawl.run.rows("select url, kind, reason from pages")
    assert TEXT_PAYLOADS["script"] in recap["title"]
    sql = (
        "select text from paragraphs where recap_id = ?1"
        " union all select text from headings where recap_id = ?1"
    )
    everything = "\n".join(r[0] for r in crawl.run.rows(sql, [recap["id"]]))
    assert TEXT_PAYLOADS["img"] in everything and TEXT_PAYLOADS["svg"] in everything
    assert "window.pwn='body'" not in recap["body_text"]  # the real script element is not text
    assert "color: red" not in recap["body_text"]  # nor the real style element
    assert "onclick" not in recap["body_text"] and "bold words" in recap["body_text"]
    comments = crawl.run.rows("select * from comments where recap_id = ? order by position", [recap["id"]])
    assert comments[0]["text"] == TEXT_PAYLOADS["script"]
    assert comments[0]["author"] == TEXT_PAYLOADS["img"]


# ---------------------------------------------------------------- every page Datasette serves


class Client:
    def __init__(self, db_path: Path):
        self.ds = Datasette(
            immutables=[str(db_path)],
            metadata=parse_metadata((ARCHIVE / "metadata.yml").read_text()),
            template_dir=str(ARCHIVE / "templates"),
            plugins_dir=str(ARCHIVE / "plugins"),
            settings=json.loads((ARCHIVE / "settings.json").read_text()),
        )
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.ds.invoke_startup())

    def get(self, path: str):
        return self.loop.run_until_complete(self.ds.client.get(path))

    def close(self):
        self.loop.close()


@pytest.fixture(scope="module")
def client(crawl):
    c = Client(crawl.run.db_path)
    yield c
    c.close()


def _row_path(table: str, row: dict, pks: list[str]) -> str:
    def tilde(value) -> str:  # Datasette's tilde encoding of a primary key value
        return "".join(
            ch if ch.isalnum() or ch in "_-" else "~" + "".join(f"{b:02X}" for b in ch.encode())
            for ch in str(value)
        )

    return f"/recaps/{table}/" + ",".join(tilde(row[pk]) for pk in pks)


def every_page(crawl) -> list[str]:
    """One URL for every kind of page: index, database, every table and view (plain, searched, faceted),
    rows of every table that has hostile rows, the reading view, every canned query, search."""
    db = crawl.run.db
    recap_ids = [r[0] for r in db.execute("select id from recaps")]
    xss = _recap(crawl, XSS)
    hostile_author = db.execute(
        "select author from comments where recap_id = ? order by position", [xss["id"]]
    ).fetchone()[0]
    meta = yaml.safe_load((ARCHIVE / "metadata.yml").read_text())["databases"]["recaps"]
    hidden = {name for name, table in meta.get("tables", {}).items() if table.get("hidden")}
    names = [r[0] for r in db.execute("select name from sqlite_master where type in ('table', 'view')")]
    quote = urllib.parse.quote
    pages = ["/", "/recaps", "/-/search?q=pwn", "/-/search?q=%3Cscript%3E", "/-/search?q=pwn&in=comment"]
    pages += ["/-/search?q=" + quote(SQL_PAYLOADS[0]), "/-/search?q=" + quote(TEXT_PAYLOADS["svg"])]
    for name in names:
        if name in hidden or name.startswith(("sqlite_", "_")) or "_fts" in name:
            continue
        columns = list(db.execute(f"pragma table_info([{name}])"))
        last = columns[-1][1]
        pages += [f"/recaps/{name}", f"/recaps/{name}?_search=pwn", f"/recaps/{name}?_sort_desc={last}"]
        pks = [r[1] for r in sorted(columns, key=lambda r: r[5]) if r[5]]
        if pks:
            for row in db.execute(f"select * from [{name}] limit 40"):
                pages.append(_row_path(name, dict(row), pks))
    pages += [f"/recaps/recaps/{rid}" for rid in recap_ids]
    values = {
        "show": xss["show"] or "",
        "season": xss["season"] or "",
        "episode": xss["episode"] or "",
        "recap": xss["id"],
        "author": hostile_author,
        "q": "pwn",
    }
    for query in meta.get("queries", {}):
        sql = meta["queries"][query]["sql"]
        params = {p: values.get(p, "pwn") for p in set(re.findall(r"(?<!:):([a-z_]+)", sql))}
        pages.append(f"/recaps/{query}?" + urllib.parse.urlencode(params))
    return list(dict.fromkeys(pages))


UNSAFE_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background")


def dangers(page: str) -> list[str]:
    """Everything in a served HTML page that crawled content could have turned into live markup."""
    found = []
    root = lxml.html.document_fromstring(page)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        own_text = (element.text or "") if tag in ("script", "style") else ""
        if tag in ("script", "style") and MARK in own_text.lower():
            found.append(f"<{tag}> with crawled content: {own_text[:80]!r}")
        if tag in ("svg", "iframe", "object", "embed", "textarea", "base", "img", "wren") and any(
            MARK in (v or "").lower() for v in element.attrib.values()
        ):
            found.append(f"<{tag}> made from crawled content: {dict(element.attrib)}")
        for name, value in element.attrib.items():
            value = value or ""
            if name.lower().startswith("on") and MARK in value.lower():
                found.append(f"event handler {name}={value[:80]!r} on <{tag}>")
            if name.lower() in URL_ATTRIBUTES and UNSAFE_SCHEMES.match("".join(value.split())):
                found.append(f"{name}={value[:80]!r} on <{tag}>")
            if name.lower() == "style" and MARK in value.lower():
                found.append(f"style={value[:80]!r} on <{tag}>")
            if name.lower() == "srcdoc":
                found.append(f"srcdoc on <{tag}>")
    return found


def test_every_page_type_is_inert(crawl, client, record_property):
    """No served page has crawled text turned into a script, a handler, a style or a script URL."""
    problems, statuses = {}, {}
    pages = every_page(crawl)
    for path in pages:
        response = client.get(path)
        statuses[path] = response.status_code
        if "html" in response.headers.get("content-type", ""):
            found = dangers(response.text)
            if found:
                problems[path] = found
    record_property("pages_checked", len(pages))
    assert problems == {}
    assert {p: status for p, status in statuses.items() if status >= 500} == {}
    assert len(pages) > 40


def test_payloads_are_shown_as_text(crawl, client):
    """Hostile strings are displayed (escaped), not dropped: the reading view and the recaps table show
    the <script> title as text, the comment thread shows the commenter's <img …> name as text."""
    xss = _recap(crawl, XSS)
    rid = xss["id"]
    for path in (f"/recaps/recaps/{rid}", "/recaps/recaps", f"/recaps/recap_comments?recap={rid}"):
        text = lxml.html.document_fromstring(client.get(path).text).text_content()
        assert TEXT_PAYLOADS["script"] in text, path
    reading = lxml.html.document_fromstring(client.get(f"/recaps/recaps/{xss['id']}").text).text_content()
    assert TEXT_PAYLOADS["img"] in reading and TEXT_PAYLOADS["svg"] in reading
    assert "{{ pwn.__class__ }}" in reading  # not rendered as a template


def test_dangers_finds_live_markup():
    """The check above is not vacuous: it finds each kind of live markup crawled text could become."""
    live = (
        '<html><head><style>/* pwn */</style></head><body><script>pwn()</script><p onclick="pwn()">x</p>'
        "<a href=' JaVa\tScRiPt:pwn()'>x</a><img src=x onerror=pwn()><svg onload=pwn()></svg>"
        "<div style='background:url(pwn)'></div><iframe srcdoc='pwn'></iframe>"
        "<form action='data:,pwn'></form>"
        "</body></html>"
    )
    assert len(dangers(live)) >= 8, dangers(live)
    inert = "<html><body><p>&lt;script&gt;pwn()&lt;/script&gt;</p><a href='/x?q=pwn' title='pwn'>x</a></body>"
    assert dangers(inert) == []


def test_no_javascript_link_from_crawled_urls(crawl, client):
    """A commenter's javascript: link is not archived as their URL, and no served page links to one."""
    xss = _recap(crawl, XSS)
    urls = [r[0] for r in crawl.run.rows("select author_url from comments where recap_id = ?", [xss["id"]])]
    assert not [u for u in urls if u and not u.startswith(("http://", "https://"))], urls
    for path in (
        f"/recaps/recaps/{xss['id']}",
        f"/recaps/comments?recap_id={xss['id']}",
        f"/recaps/recap_comments?recap={xss['id']}",
    ):
        root = lxml.html.document_fromstring(client.get(path).text)
        hrefs = [a.get("href") or "" for a in root.iter("a")]
        assert not [h for h in hrefs if UNSAFE_SCHEMES.match("".join(h.split()))], (path, urls)


def test_search_with_hostile_queries_never_errors(client):
    """Search (page and JSON) with SQL, FTS syntax and markup as the query: 200, never a server error."""
    for q in [*SQL_PAYLOADS, *TEXT_PAYLOADS.values(), '"', "*", "NEAR(", "pwn OR", ")", "^pwn"]:
        for path in ("/-/search?q=", "/-/search.json?q=", "/recaps/search_everything?q="):
            response = client.get(path + urllib.parse.quote(q))
            assert response.status_code == 200, (path, q, response.status_code, response.text[:300])


def test_figures(crawl, record_property):
    kinds = [f"text payload: {k}" for k in TEXT_PAYLOADS]
    kinds += [f"SQL text {i}" for i in range(len(SQL_PAYLOADS))]
    kinds += [
        "real <script>, <style>, on* and javascript: markup in a body",
        "javascript: commenter URL",
        "links to another host, port, protocol-relative, userinfo, [::1], non-http schemes",
        "<base href> elsewhere",
        "feeds elsewhere",
        "sitemap index and urlset elsewhere",
        "robots.txt Sitemap elsewhere",
        "comment page elsewhere",
        "iframe, img, form elsewhere",
        "canonical link to another site",
    ]
    result = figures(FAULT_CATEGORY, kinds, [crawl.run], {crawl.base + XSS, crawl.base + SQL})
    record_property("fault_figures", result)
    assert result["lost"] == [] and result["duplicated"] == 0 and result["survived"] == 1
