"""Extraction alone: the work a crawl does on every page, in memory, no network, no storage.

    python bench/extract_alone.py --site DIR --base URL     # a rendered mirror (bench/static_site.py)
    python bench/extract_alone.py --db ARCHIVE              # the newest capture of every URL in an archive
    python bench/extract_alone.py --db ARCHIVE --html-only --no-links    # what a re-split needs

Prints ``{"pages": N, "recaps": R, "seconds": S, "cpu_seconds": C}``. Bodies are loaded (and
decompressed) before the clock starts. Then, page by page, exactly what the spider and the split
pipeline call: every HTML page is decoded and parsed (``read_document``), analysed (``analyze``) and
its links read; a comment page is read for its page links; a recap is split with all its comment
pages (``extract_recap(...).to_dict()``); sitemaps and feeds are parsed. ``pages`` counts every
response, as ``recapcrawl crawl`` counts pages downloaded. ``--no-links`` leaves out the links to
follow (which only a crawl needs); ``--html-only`` keeps only the HTML pages (what ``recapcrawl
reparse`` reads).
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from pathlib import Path

from recapcrawl.extraction import NotHTML, analyze, extract_recap
from recapcrawl.extraction.comments import comment_page_number, comment_pages
from recapcrawl.extraction.dom import read_document
from recapcrawl.extraction.links import looks_like_feed, parse_feed, parse_sitemap

sys.path.insert(0, str(Path(__file__).parent))
from static_site import load_pages  # noqa: E402

Page = tuple[int, str, bytes]  # status, content type, body


def from_site(site_dir: Path, base: str) -> dict[str, Page]:
    pages = load_pages(site_dir, base)
    return {base + path: (status, ctype, body) for path, (status, ctype, body, _) in pages.items()}


def from_archive(db_path: Path) -> dict[str, Page]:
    """The newest capture of every URL, bodies decompressed."""
    import gzip

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    rows = conn.execute(
        "select c.url, c.status, c.content_type, b.data from captures c join bodies b using (sha256) "
        "where c.id in (select max(id) from captures group by url)"
    )
    pages = {url: (status, ctype or "", gzip.decompress(data)) for url, status, ctype, data in rows}
    conn.close()
    return pages


def extract_all(pages: dict[str, Page], links: bool = True) -> int:
    """Run the crawl's extraction over every page; returns the number of recaps split.

    ``links=False`` leaves out what only a crawl needs (the links to follow, each comment page's
    page links): the extraction a re-split of stored pages needs.
    """
    recaps = 0
    for url, (status, ctype, body) in pages.items():
        if status != 200:
            continue
        if "html" not in ctype:
            if looks_like_feed(body[:4096]):
                parse_feed(body)
            elif b"<urlset" in body[:2048] or b"<sitemapindex" in body[:2048]:
                parse_sitemap(body)
            continue
        charset = (re.findall(r"charset=([\w.:-]+)", ctype) or [None])[0]
        try:
            if comment_page_number(url) is not None:
                continue  # read with its recap, below
            document = read_document(body, charset)
            analysis = analyze(document.root, url)
        except (NotHTML, ValueError):
            continue
        if links:
            analysis.links  # noqa: B018 — the spider follows them
        if not analysis.verdict.is_recap:
            continue
        others = []
        for page_url in analysis.comments.page_urls:
            if page_url != url and page_url in pages:
                page = read_document(pages[page_url][2], charset)
                if links:
                    comment_pages(page.root, page_url)  # the spider reads each comment page's page links
                others.append((page_url, page.text))
        extract_recap(document.text, url, others, analysis=analysis).to_dict()
        recaps += 1
    return recaps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path)
    parser.add_argument("--base")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--html-only", action="store_true", help="only the HTML pages (what reparse reads)")
    parser.add_argument("--no-links", action="store_true", help="no links to follow (a re-split's work)")
    args = parser.parse_args()
    pages = from_archive(args.db) if args.db else from_site(args.site, args.base)
    if args.html_only:
        pages = {url: page for url, page in pages.items() if page[0] == 200 and "html" in page[1]}
    started, cpu = time.perf_counter(), time.process_time()
    recaps = extract_all(pages, links=not args.no_links)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(json.dumps({"pages": len(pages), "recaps": recaps, "seconds": seconds, "cpu_seconds": cpu}))


if __name__ == "__main__":
    main()
