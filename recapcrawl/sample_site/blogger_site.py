"""URL routing and page views of the Blogger-like blog."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, unquote

from .blogger_feeds import comments_feed, posts_feed, robots, sitemap_index, sitemap_page
from .blogger_post import date_groups, post_outer
from .blogger_theme import Theme
from .common import TEXT, XML, Response, image_response
from .content import Blog, Post, load_blog
from .textutil import attr, esc, plain

ATOM = "application/atom+xml; charset=UTF-8"
NOT_FOUND = (
    "<div class='status-msg-wrap'><div class='status-msg-body'>Sorry, the page you were looking for in "
    "this blog does not exist.</div><div class='status-msg-border'><div class='status-msg-bg'><div "
    "class='status-msg-hidden'>Sorry, the page you were looking for in this blog does not exist.</div>"
    "</div></div></div><div style='clear: both;'></div>"
)


def _when(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return None


class BloggerSite:
    """The Blogger-like sample blog."""

    name = "blogger"
    server_header = "GSE"

    def __init__(self, blog: Blog | None = None):
        self.blog = blog or load_blog("blogger")

    def handle(self, path: str, query: dict[str, list[str]], base: str) -> Response:
        """Answer a GET for ``path`` (without the leading slash) with query parameters ``query``."""
        theme = Theme(self.blog, base)
        q = {k: v[0] for k, v in query.items() if v}
        response = self._route(theme, path, q)
        if response is None:
            body = theme.shell(title=esc(theme.meta["title"]), head="", main=NOT_FOUND)
            return Response(status=404, body=body)
        return response

    def _route(self, theme: Theme, path: str, q: dict[str, str]) -> Response | None:
        blog = self.blog
        if path == "robots.txt":
            return Response(body=robots(theme), content_type=TEXT)
        if path == "sitemap.xml":
            body = sitemap_page(theme, blog.posts) if q.get("page") == "1" else sitemap_index(theme)
            if "page" in q and q["page"] != "1":
                return None
            return Response(body=body, content_type=XML, last_modified=self._last_change())
        if path == "sitemap-pages.xml":
            return Response(
                body=sitemap_page(theme, blog.pages),
                content_type=XML,
                last_modified=max(p.published for p in blog.pages),
            )
        if path == "feeds/posts/default":
            return Response(body=posts_feed(theme), content_type=ATOM, last_modified=self._last_change())
        m = re.fullmatch(r"feeds/(\d+)/comments/default", path)
        if m:
            post = blog.find(m.group(1))
            if post is None or post.is_page:
                return None
            return Response(
                body=comments_feed(theme, post), content_type=ATOM, last_modified=post.last_activity
            )
        if path.startswith("img/") and path.endswith(".png"):
            return image_response()
        if path == "":
            return self._listing(theme, blog.posts, q, "", None)
        if path == "search":
            posts = blog.posts
            if "q" in q:
                term = q["q"].lower()
                posts = [
                    p
                    for p in posts
                    if term in plain(p.title).lower()
                    or any(term in b.get("html", "").lower() for b in p.body)
                ]
            return self._listing(theme, posts, q, "search", None)
        if path.startswith("search/label/"):
            label = unquote(path[len("search/label/") :])
            posts = [p for p in blog.posts if label in p.tags]
            if not posts:
                return None
            return self._listing(theme, posts, q, path, label)
        for post in blog.posts + blog.pages:
            if post.path == path:
                return self._single(theme, post)
        m = re.fullmatch(r"(\d{4})/(?:(\d{2})/)?", path)
        if m:
            prefix = "/".join(x for x in m.groups() if x) + "/"
            posts = [p for p in blog.posts if p.path.startswith(prefix)]
            if posts:
                return self._listing(theme, posts, {"max-results": "50"}, path, None)
        return None

    def _last_change(self) -> datetime:
        return max(p.last_activity for p in self.blog.posts)

    # -- views ----------------------------------------------------------------------------------
    def _head(self, theme: Theme, title: str, url: str, description: str, extra: str = "") -> str:
        return (
            f"<link href='{url}' rel='canonical'/>\n{extra}"
            f"<meta content='{url}' property='og:url'/>\n<meta content='{attr(title)}' "
            "property='og:title'/>\n"
            f"<meta content='{attr(description)}' property='og:description'/>"
        )

    def _single(self, theme: Theme, post: Post) -> Response:
        url = theme.post_url(post)
        title = plain(post.title)
        first = next((plain(b["html"]) for b in post.body if b["type"] == "paragraph"), "")
        extra = ""
        if not post.is_page:
            extra = (
                '<link rel="alternate" type="application/atom+xml" '
                f'title="{attr(theme.meta["title"])} - Atom" '
                f'href="{theme.url(f"feeds/{post.id}/comments/default")}" />\n'
            )
        head = self._head(theme, title, url, first[:150], extra)
        if post.is_page:
            main = f"<div class='blog-posts hfeed'>\n{post_outer(theme, post, listing=False)}\n</div>"
        else:
            main = f"<div class='blog-posts hfeed'>\n{date_groups(theme, [post], listing=False)}\n</div>"
            main += self._post_pager(theme, post)
            main += (
                f"\n<div class='post-feeds'>\n<div class='feed-links'>\nSubscribe to:\n<a class='feed-link' "
                f"href='{theme.url(f'feeds/{post.id}/comments/default')}' target='_blank' "
                "type='application/atom+xml'>Post Comments (Atom)</a>\n</div>\n</div>"
            )
        body = theme.shell(title=f"{esc(theme.meta['title'])}: {esc(title)}", head=head, main=main)
        return Response(body=body, last_modified=post.last_activity)

    def _post_pager(self, theme: Theme, post: Post) -> str:
        posts = self.blog.posts
        i = posts.index(post)
        parts = []
        if i > 0:
            parts.append(
                f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' href='"
                f"{theme.post_url(posts[i - 1])}' id='Blog1_blog-pager-newer-link' title='Newer Post'>"
                "Newer Post</a>\n</span>"
            )
        if i + 1 < len(posts):
            parts.append(
                f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' href='"
                f"{theme.post_url(posts[i + 1])}' id='Blog1_blog-pager-older-link' title='Older Post'>"
                "Older Post</a>\n</span>"
            )
        parts.append(f"<a class='home-link' href='{theme.url()}'>Home</a>")
        return (
            "\n<div class='blog-pager' id='blog-pager'>\n"
            + "\n".join(parts)
            + "\n</div>\n<div class='clear'></div>"
        )

    def _listing(
        self, theme: Theme, posts: list[Post], q: dict[str, str], path: str, label: str | None
    ) -> Response:
        default = theme.meta["posts_per_page"] if path in ("", "search") else 20
        try:
            per = max(1, min(50, int(q.get("max-results", default))))
        except ValueError:
            per = default
        upper = _when(q["updated-max"]) if "updated-max" in q else None
        lower = _when(q["updated-min"]) if "updated-min" in q else None
        pool = [
            p
            for p in posts
            if (upper is None or p.published < upper) and (lower is None or p.published > lower)
        ]
        reverse = lower is not None and q.get("reverse-paginate") == "true"
        shown = pool[-per:] if reverse else pool[:per]
        base_path = "search" if path == "" else path
        pager = []
        if shown and any(p.published > shown[0].published for p in posts) and (upper or lower):
            stamp = quote(shown[0].published.isoformat(), safe=":")
            pager.append(
                f"<span id='blog-pager-newer-link'>\n<a class='blog-pager-newer-link' href='"
                f"{theme.url(base_path)}?updated-min={stamp}&amp;max-results={per}&amp;reverse-paginate=true'"
                " id='Blog1_blog-pager-newer-link' title='Newer Posts'>Newer Posts</a>\n</span>"
            )
        if shown and any(p.published < shown[-1].published for p in posts):
            stamp = quote(shown[-1].published.isoformat(), safe=":")
            pager.append(
                f"<span id='blog-pager-older-link'>\n<a class='blog-pager-older-link' href='"
                f"{theme.url(base_path)}?updated-max={stamp}&amp;max-results={per}' "
                "id='Blog1_blog-pager-older-link' title='Older Posts'>Older Posts</a>\n</span>"
            )
        pager.append(f"<a class='home-link' href='{theme.url()}'>Home</a>")
        status = ""
        if label is not None:
            status = (
                f"<div class='status-msg-wrap'><div class='status-msg-body'>Showing posts with the label "
                f'<b>{esc(label)}</b>. <a href="{theme.url()}">Show all posts</a></div></div>'
            )
        elif path == "search" and "q" in q:
            status = (
                f"<div class='status-msg-wrap'><div class='status-msg-body'>Showing posts matching the "
                f'search for <b>{esc(q["q"])}</b>. <a href="{theme.url()}">Show all posts</a></div></div>'
            )
        main = (
            f"{status}<div class='blog-posts hfeed'>\n{date_groups(theme, shown, listing=True)}\n</div>\n"
            "<div class='blog-pager' id='blog-pager'>\n"
            + "\n".join(pager)
            + "\n</div>\n<div class='clear'></div>\n"
            f"<div class='blog-feeds'>\n<div class='feed-links'>\nSubscribe to:\n<a class='feed-link' "
            f"href='{theme.url('feeds/posts/default')}' target='_blank' "
            "type='application/atom+xml'>Posts (Atom)"
            "</a>\n</div>\n</div>"
        )
        title = esc(theme.meta["title"])
        if label is not None:
            title += f": {esc(label)}"
        url = theme.url() if path == "" else theme.url(path)
        head = self._head(theme, plain(theme.meta["title"]), url, theme.meta["description"])
        return Response(body=theme.shell(title=title, head=head, main=main))
