"""A duplicate filter that reports redirect loops instead of dropping them silently."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter
from w3lib.url import canonicalize_url


def redirect_loop(request) -> list[str] | None:
    """The redirect chain of a filtered ``request`` when it leads back into itself (``/a/`` → ``/b/`` →
    ``/a/``), else None. A redirect to a URL fetched before by another way (``/sitemap.xml`` →
    ``/wp-sitemap.xml``, already read from robots.txt) is a duplicate, not a loop."""
    chain = request.meta.get("redirect_urls")
    if not chain:
        return None
    target = canonicalize_url(request.url)
    return list(chain) if any(canonicalize_url(url) == target for url in chain) else None


class RedirectLoopAwareDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprint filter; a filtered request whose redirects lead back to one of their own
    URLs is a loop, so say so."""

    def log(self, request, spider) -> None:
        chain = redirect_loop(request)
        note = getattr(spider, "note_redirect_loop", None)
        if chain and note is not None:
            note(chain, request.url)
        super().log(request, spider)
