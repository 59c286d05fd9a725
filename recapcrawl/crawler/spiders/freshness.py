"""Deciding what a re-crawl must fetch again, from sitemaps, feeds and the archive's memory."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as date_parser

from ...extraction.links import FeedEntry
from ...extraction.metadata import strip_comment_page
from ...storage import CrawlState


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = _iso_or_rfc822(value) or date_parser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _iso_or_rfc822(value: str) -> datetime | None:
    """Sitemap (ISO 8601) and feed (RFC 822) dates the fast way; None leaves it to dateutil."""
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (ValueError, TypeError, IndexError):
        return None


# Pages archived before that a re-crawl does not fetch again when a link leads to them: their
# links were followed then, and new posts show up in sitemaps, feeds and the start pages.
SETTLED_KINDS = {
    "listing",
    "page",
    "article",
    "other",
    "duplicate",
    "skipped",
    "comment_page",
    "article_page",
    "feed",
}


def _older_than(seen: str | None, days: float) -> bool:
    when = _when(seen)
    return when is None or (datetime.now(UTC) - when).total_seconds() > days * 86400


def needs_visit(state: CrawlState | None, url: str, updated: str | None, revisit_days: float = 7) -> bool:
    """Whether a URL listed in a sitemap or feed must be fetched: unknown, changed since the archive
    last saw it, or (undated) not seen for ``revisit_days``."""
    if state is None or url in state.done:
        return True
    known = state.recaps.get(url)
    changed = _when(updated)
    if known is None:
        kind, fetched_at = state.pages.get(url, (None, None))
        if kind not in SETTLED_KINDS:
            return True
        seen = _when(fetched_at)
        return changed is not None and (seen is None or changed > seen)
    seen = _when(known.last_seen)
    if changed is None:
        return _older_than(known.last_seen, revisit_days)
    return seen is None or changed > seen


def needs_link_visit(state: CrawlState | None, url: str, revisit_days: float = 7) -> bool:
    """Whether a page reached by a link must be fetched. A known recap waits for a sitemap, feed or
    comments feed to say it changed (or for ``revisit_days``); a known listing or other page is settled."""
    if state is None or url in state.done:
        return True
    known = state.recaps.get(url)
    if known is not None:
        return _older_than(known.last_seen, revisit_days)
    return state.pages.get(url, (None, None))[0] not in SETTLED_KINDS


def comments_grew(state: CrawlState | None, entry: FeedEntry) -> bool:
    """A feed's per-post comment count (``slash:comments``) is higher than the archived one."""
    known = state.recaps.get(entry.url) if state is not None else None
    return known is not None and entry.comment_count is not None and entry.comment_count > known.comment_count


def recaps_with_new_comments(state: CrawlState | None, entries: list[FeedEntry]) -> list[str]:
    """Archived recaps that a site-wide comments feed shows a comment on, newer than the archive's copy."""
    if state is None:
        return []
    found = []
    for entry in entries:
        post = strip_comment_page(entry.url.split("#", 1)[0])
        known = state.recaps.get(post)
        posted, seen = _when(entry.updated), _when(known.last_seen) if known else None
        if known is not None and (posted is None or seen is None or posted > seen):
            found.append(post)
    return found
