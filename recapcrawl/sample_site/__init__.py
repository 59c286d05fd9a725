"""The bundled sample site: two small TV-recap blogs (one WordPress-like, one Blogger-like) served
from loopback, with ground truth for what an extractor should find on them.

>>> with SampleSites() as sites:          # doctest: +SKIP
...     sites.wordpress_url, sites.blogger_url
"""

from __future__ import annotations

from .blogger_site import BloggerSite
from .server import BlogServer, Site, start
from .wp_site import WordPressSite

__all__ = ["SampleSites", "load_truth"]


def load_truth(wordpress_url: str | None = None, blogger_url: str | None = None) -> dict:
    """The ground truth (``truth.json``) with the given base URLs in place of the placeholders."""
    from . import truth

    return truth.load_truth(
        wordpress_url or truth.WORDPRESS_PLACEHOLDER, blogger_url or truth.BLOGGER_PLACEHOLDER
    )


class SampleSites:
    """Serve both sample blogs, each on its own port, until :meth:`close` (or the ``with`` block ends).

    ``ports`` gives the WordPress and Blogger ports (0 picks a free port).  ``quiet=False`` logs one
    line per request to stderr.
    """

    def __init__(self, host: str = "127.0.0.1", ports: tuple[int, int] = (0, 0), quiet: bool = True):
        self._servers: list[BlogServer] = []
        try:
            sites: tuple[Site, Site] = (WordPressSite(), BloggerSite())
            for site, port in zip(sites, ports, strict=True):
                server, _ = start(site, host, port, quiet=quiet)
                self._servers.append(server)
        except BaseException:
            self.close()
            raise

    @property
    def urls(self) -> list[str]:
        """Base URLs (with trailing slash) of the WordPress-like and the Blogger-like blog."""
        return [s.base_url for s in self._servers]

    @property
    def sites(self) -> list:
        """The two site objects being served (their ``blog`` content can be changed between crawls)."""
        return [s.site for s in self._servers]

    @property
    def wordpress_url(self) -> str:
        """Base URL of the WordPress-like blog."""
        return self._servers[0].base_url

    @property
    def blogger_url(self) -> str:
        """Base URL of the Blogger-like blog."""
        return self._servers[1].base_url

    def truth(self) -> dict:
        """The ground truth with this instance's real URLs."""
        return load_truth(self.wordpress_url, self.blogger_url)

    def close(self) -> None:
        """Stop both servers and release their ports."""
        while self._servers:
            server = self._servers.pop()
            server.shutdown()
            server.server_close()

    def __enter__(self) -> SampleSites:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
