"""A duplicate filter that reports redirect loops instead of dropping them silently."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class RedirectLoopAwareDupeFilter(RFPDupeFilter):
    """Scrapy's fingerprint filter; a filtered request that came from redirects is a loop, so say so."""

    def log(self, request, spider) -> None:
        chain = request.meta.get("redirect_urls")
        if chain:
            note = getattr(spider, "note_redirect_loop", None)
            if note is not None:
                note(list(chain), request.url)
        super().log(request, spider)
