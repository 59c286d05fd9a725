"""The bundled WordPress-like sample blog scaled up: its recaps cloned into N distinct recaps.

Each clone gets its own id, slug, date and comment ids, so every clone is a separate recap with its
own comment pages; the text is the sample's own. A post split with page breaks (``/slug/2/``,
``/slug/3/``: two of the sample's recaps) is cloned with its pages, which link to each other under the
clone's slug: each clone is still one recap, its later pages ``article_page`` rows (with today's
sample, 1,000 recaps have 335 later pages). Used by the benchmarks only.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from recapcrawl.sample_site.content import Blog, load_blog
from recapcrawl.sample_site.server import start
from recapcrawl.sample_site.wp_site import WordPressSite


def scaled_blog(recaps: int) -> Blog:
    """A copy of the WordPress sample blog with ``recaps`` recap posts (plus its non-recap posts)."""
    blog = copy.deepcopy(load_blog("wordpress"))
    originals = [p for p in blog.posts if p.episode]
    others = [p for p in blog.posts if not p.episode]
    posts = []
    for n in range(recaps):
        post = copy.deepcopy(originals[n % len(originals)])
        post.id = str(10_000 + n)
        post.slug = f"{post.slug}-{n}"
        shift = timedelta(hours=n)
        post.published -= shift
        post.modified = post.modified - shift if post.modified else None
        ids = {c.id: f"{n}{c.id}" for c in post.comments}
        for comment in post.comments:
            comment.id = ids[comment.id]
            comment.parent = ids.get(comment.parent) if comment.parent else None
            comment.published -= shift
        posts.append(post)
    blog.posts = sorted(posts + others, key=lambda p: p.published, reverse=True)
    return blog


class ScaledSite:
    """Serve a scaled WordPress sample blog on a free loopback port (context manager)."""

    def __init__(self, recaps: int, port: int = 0) -> None:
        self.site = WordPressSite(scaled_blog(recaps))
        self.server, _ = start(self.site, "127.0.0.1", port)
        self.url = self.server.base_url

    def __enter__(self) -> ScaledSite:
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
