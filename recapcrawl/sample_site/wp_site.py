"""URL routing of the WordPress-like blog: maps a request path and query to a :class:`Response`."""

from __future__ import annotations

import re
from datetime import datetime

from .common import HTML, TEXT, XML, Response, image_response, redirect
from .content import Blog, load_blog
from .textutil import esc, slugify, texturize
from .wp_archive import render_listing, render_not_found
from .wp_blocks import split_pages
from .wp_feeds import comments_feed, posts_feed, robots, sitemap, sitemap_index
from .wp_single import render_single
from .wp_theme import Theme

RSS = "application/rss+xml; charset=UTF-8"
_POST_RE = re.compile(r"^(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)/(?:(comment-page-(\d+)|feed|(\d+))/)?$")
_DATE_RE = re.compile(r"^(\d{4})/(?:(\d{2})/(?:(\d{2})/)?)?(?:page/(\d+)/)?$")
_PAGED_RE = re.compile(r"^(.*?)(?:page/(\d+)/)?$")


class WordPressSite:
    """The WordPress-like sample blog."""

    name = "wordpress"
    server_header = "Apache/2.4.57 (Debian)"

    def __init__(self, blog: Blog | None = None):
        self.blog = blog or load_blog("wordpress")

    def handle(self, path: str, query: dict[str, list[str]], base: str) -> Response:
        """Answer a GET for ``path`` (without the leading slash) with query parameters ``query``."""
        theme = Theme(self.blog, base)
        response = self._route(theme, path, query)
        slashless = path and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]
        if response is None and slashless and self._route(theme, path + "/", {}) is not None:
            return redirect(base + path + "/")
        if response is None:
            return Response(status=404, body=render_not_found(theme))
        return response

    # -- routing --------------------------------------------------------------------------------
    def _route(self, theme: Theme, path: str, query: dict[str, list[str]]) -> Response | None:
        q = {k: v[0] for k, v in query.items() if v}
        if path == "robots.txt":
            return Response(body=robots(theme), content_type=TEXT)
        if path == "wp-sitemap.xml":
            return Response(body=sitemap_index(theme), content_type=XML, last_modified=self._last_change())
        m = re.fullmatch(r"wp-sitemap-([a-z_-]+?-\d+)\.xml", path)
        if m:
            body = sitemap(theme, m.group(1))
            return (
                None
                if body is None
                else Response(body=body, content_type=XML, last_modified=self._last_change())
            )
        if path == "feed/":
            return Response(body=posts_feed(theme), content_type=RSS, last_modified=self._last_post())
        if path == "comments/feed/":
            return Response(body=comments_feed(theme), content_type=RSS, last_modified=self._last_change())
        if path.startswith("wp-content/uploads/") and path.endswith(".png"):
            return image_response()
        if path == "":
            return self._root(theme, q)
        m = _POST_RE.match(path)
        if m:
            return self._post(theme, m, q)
        page = next((p for p in self.blog.pages if p.path == path), None)
        if page:
            return Response(body=render_single(theme, page), last_modified=page.modified or page.published)
        return self._archive(theme, path)

    def _last_post(self) -> datetime:
        return max(p.modified or p.published for p in self.blog.posts)

    def _last_change(self) -> datetime:
        return max(p.last_activity for p in self.blog.posts)

    def _root(self, theme: Theme, q: dict[str, str]) -> Response | None:
        for key in ("p", "page_id"):
            if key in q:
                target = self.blog.find(q[key])
                return redirect(theme.post_url(target)) if target else None
        if "s" in q:
            term = q["s"].lower()
            found = [
                p
                for p in self.blog.posts
                if term in p.title.lower() or any(term in b.get("html", "").lower() for b in p.body)
            ]
            heading = (
                f'Results for &ldquo;<span class="page-description search-term">{esc(q["s"])}</span>&rdquo;'
            )
            body = render_listing(
                theme,
                found,
                heading=heading,
                body_class="search search-results",
                base_path="",
                page=1,
                title=f"Search Results for &#8220;{esc(q['s'])}&#8221;",
            )
            return Response(body=body) if body is not None else None  # page 1 always exists
        return self._listing(theme, "", 1)

    def _listing(self, theme: Theme, path: str, page: int) -> Response | None:
        title = f"{theme.site_title} &#8211; {texturize(esc(theme.meta['tagline']))}"
        body = render_listing(
            theme,
            self.blog.posts,
            heading=None,
            body_class="home blog",
            base_path=path,
            page=page,
            title=title,
            home=True,
        )
        return None if body is None else Response(body=body)

    def _post(self, theme: Theme, m: re.Match, q: dict[str, str]) -> Response | None:
        year, month, day, slug, sub, cpage, part = m.groups()
        post = next((p for p in self.blog.posts if p.slug == slug), None)
        if post is None or post.path != f"{year}/{month}/{day}/{slug}/":
            return None
        url = theme.post_url(post)
        if sub == "feed":
            return Response(
                body=comments_feed(theme, post),
                content_type="application/rss+xml; charset=UTF-8",
                last_modified=post.last_activity,
            )
        if "share" in q:
            return redirect(url, status=302)
        if part is not None and not 1 < int(part) <= len(split_pages(post.body)):
            return redirect(url)  # /slug/1/ and pages past the last one: the permalink
        count = len(theme.comment_pages(post))
        page = int(cpage or q.get("cpage") or 0) or count
        if page < 1 or page > count:
            return redirect(url)
        body = render_single(theme, post, page, noindex="replytocom" in q, part=int(part or 1))
        return Response(body=body, content_type=HTML, last_modified=post.last_activity)

    def _archive(self, theme: Theme, path: str) -> Response | None:
        paged = _PAGED_RE.match(path)
        if paged is None:  # a path with a line break
            return None
        rest, page = paged.groups()
        page = int(page or 1)
        if page == 1 and path.endswith("page/1/"):
            return redirect(theme.url(rest))
        if rest == "":
            return self._listing(theme, "", page)
        posts, heading, body_class, title = self._archive_query(theme, rest)
        if posts is None:
            return None
        body = render_listing(
            theme,
            posts,
            heading=heading,
            body_class=body_class,
            base_path=rest,
            page=page,
            title=f"{title} &#8211; {theme.site_title}",
        )
        return None if body is None else Response(body=body)

    def _archive_query(self, theme: Theme, rest: str):
        blog = self.blog
        parts = rest.strip("/").split("/")
        if parts[0] == "category" and len(parts) > 1:
            cat = next((c for c in theme.meta["categories"] if c["slug"] == parts[-1]), None)
            if cat is None or theme.category_path(cat["name"]) != rest:
                return None, None, None, None
            names = {cat["name"]} | {
                c["name"] for c in theme.meta["categories"] if c.get("parent") == cat["slug"]
            }
            posts = [p for p in blog.posts if names & set(p.categories)]
            name = texturize(esc(cat["name"]))
            return (
                posts,
                f"Category: <span>{name}</span>",
                f"archive category category-{cat['slug']} category-{cat['id']}",
                name,
            )
        if parts[0] == "tag" and len(parts) == 2:
            tag = next((t for t in theme.all_tags() if slugify(t) == parts[1]), None)
            if tag is None:
                return None, None, None, None
            name = texturize(esc(tag))
            posts = [p for p in blog.posts if tag in p.tags]
            return (
                posts,
                f"Tag: <span>{name}</span>",
                f"archive tag tag-{parts[1]} tag-{theme.tag_id(tag)}",
                name,
            )
        if parts[0] == "author" and len(parts) == 2:
            author = next((a for a in theme.meta["authors"] if a["slug"] == parts[1]), None)
            if author is None:
                return None, None, None, None
            posts = [p for p in blog.posts if p.author == author["slug"]]
            return (
                posts,
                f"Author: <span>{esc(author['name'])}</span>",
                f"archive author author-{author['slug']} author-{author['id']}",
                esc(author["name"]),
            )
        m = _DATE_RE.match(rest)
        if m:
            year, month, day, _ = m.groups()
            prefix = "/".join(x for x in (year, month, day) if x)
            posts = [p for p in blog.posts if p.path.startswith(prefix + "/")]
            if not posts:
                return None, None, None, None
            dt = datetime(int(year), int(month or 1), int(day or 1))
            if day:
                label = f"Day: <span>{dt:%B} {dt.day}, {dt.year}</span>"
            elif month:
                label = f"Month: <span>{dt:%B %Y}</span>"
            else:
                label = f"Year: <span>{dt.year}</span>"
            title = label.replace("<span>", "").replace("</span>", "").split(": ", 1)[1]
            return posts, label, "archive date", title
        return None, None, None, None
