"""``recapcrawl enqueue``: add sites to a distributed crawl (its scope and its start URLs)."""

from __future__ import annotations

from ..extraction.links import normalize_url
from .frontier import live_workers
from .keys import Keys


def enqueue_sites(server, urls: list[str], keys: Keys | None = None) -> list[str]:
    """Add the sites to ``recaps:sites`` (what workers may crawl) and ``recaps:start_urls``."""
    keys = keys or Keys()
    normalized = [normalize_url(u) for u in urls]
    bad = [u for u, site in zip(urls, normalized, strict=True) if site is None]
    if bad:
        raise ValueError(f"not an http(s) URL: {', '.join(bad)}")
    sites = [site for site in normalized if site is not None]
    with server.pipeline(transaction=True) as pipe:
        pipe.sadd(keys.sites, *sites)  # the scope first: a worker taking a start URL must know its site
        pipe.rpush(keys.start_urls, *sites)
        pipe.execute()
    return sites


def reset(server, keys: Keys | None = None, force: bool = False) -> int:
    """Forget a finished crawl (frontier, seen URLs, sites) so the same sites can be crawled again.

    Refuses while workers are alive or items wait for the ingester, unless ``force``."""
    keys = keys or Keys()
    if not force:
        if live_workers(server, keys):
            raise RuntimeError("workers are still running: stop them first (or --force)")
        waiting = server.llen(keys.items) + server.llen(keys.processing)
        if waiting:
            raise RuntimeError(
                f"{waiting} items are not ingested yet: run `recapcrawl ingest` first (or --force)"
            )
    names = [name for pattern in keys.all_patterns() for name in server.scan_iter(match=pattern, count=500)]
    for start in range(0, len(names), 500):
        server.delete(*names[start : start + 500])
    return len(names)
