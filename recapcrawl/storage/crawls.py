"""The crawl log, and what a new crawl needs to know of the archive to fetch as little as possible."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from sqlite_utils import Database

from .schema import now_iso

# Settings recorded with each crawl: the ones that change what or how politely it fetched.
RECORDED_SETTINGS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_MAXSIZE",
    "DOWNLOAD_TIMEOUT",
    "RETRY_TIMES",
    "RECAPCRAWL_CONTACT",
    "RECAPCRAWL_INCREMENTAL",
)


def start_crawl(db: Database, start_urls: list[str], settings: dict[str, Any]) -> tuple[int, bool]:
    """Open a crawl row, or resume the newest unfinished crawl of the same start URLs.

    Returns ``(crawl_id, resumed)``.
    """
    urls = json.dumps(sorted(start_urls))
    with db.atomic():
        unfinished = db.execute(
            "select id from crawls where finished is null and start_urls = ? order by id desc limit 1", [urls]
        ).fetchone()
        if unfinished:
            db.execute("update crawls set resumed = coalesce(resumed, 0) + 1 where id = ?", [unfinished[0]])
            return unfinished[0], True
        crawl_id = (
            db.table("crawls")
            .insert(
                {
                    "started": now_iso(),
                    "start_urls": urls,
                    "settings": json.dumps(settings, ensure_ascii=False, default=str),
                    "resumed": 0,
                }
            )
            .last_pk
        )
    return cast(int, crawl_id), False  # the row just inserted has its id


def finish_crawl(db: Database, crawl_id: int, counts: dict[str, int], finish_reason: str | None) -> None:
    """Close a crawl row with its counts and how it ended."""
    with db.atomic():
        db.table("crawls").update(
            crawl_id,
            {
                "finished": now_iso(),
                "finish_reason": finish_reason,
                **{k: counts.get(k, 0) for k in ("pages", "recaps", "new_comments", "errors")},
            },
        )


@dataclass
class Validators:
    """What a conditional request can send for one URL, and the capture to fall back on."""

    capture_id: int
    etag: str | None
    last_modified: str | None


@dataclass
class KnownRecap:
    """A recap the archive already has: when it was last fetched and from which bodies."""

    url: str
    last_seen: str | None
    comment_count: int
    sources: list[dict[str, str]]


@dataclass
class CrawlState:
    """What the archive knows when a crawl starts (loaded once, read by the spider and middlewares)."""

    crawl_id: int
    resumed: bool
    validators: dict[str, Validators] = field(default_factory=dict)
    done: dict[str, int] = field(default_factory=dict)  # URL → capture id, fetched earlier in this crawl
    recaps: dict[str, KnownRecap] = field(default_factory=dict)
    pages: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # URL → (kind, fetched_at), earlier crawls


def load_crawl_state(db: Database, crawl_id: int, resumed: bool) -> CrawlState:
    """Validators of every URL's newest good capture, recaps already archived, and (when resuming)
    the URLs this crawl fetched before it was interrupted."""
    state = CrawlState(crawl_id=crawl_id, resumed=resumed)
    rows = db.execute(
        "select url, final_url, id, etag, last_modified from captures where id in "
        "(select max(id) from captures where status = 200 group by url)"
    )
    for url, final_url, capture_id, etag, last_modified in rows:
        validators = Validators(capture_id, etag, last_modified)
        state.validators[url] = validators
        state.validators.setdefault(final_url, validators)
    if resumed:
        for url, capture_id in db.execute(
            "select url, max(id) from captures where crawl_id = ? and status = 200 group by url", [crawl_id]
        ):
            state.done[url] = capture_id
    for url, kind, fetched_at in db.execute(
        "select url, kind, fetched_at from pages where crawl_id is not ?", [crawl_id]
    ):
        state.pages[url] = (kind, fetched_at)
    for url, last_seen, comment_count, sources in db.execute(
        "select url, last_seen, comment_count, sources from recaps"
    ):
        state.recaps[url] = KnownRecap(url, last_seen, comment_count or 0, json.loads(sources or "[]"))
    return state
