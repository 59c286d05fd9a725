"""URLs and page chrome (header, menu, widget area, footer) of the WordPress-like blog.

The markup follows WordPress 6.4 with the Twenty Twenty-One theme and an underscores-style entry
header; every link is absolute and built from the base URL of the request being answered.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from .content import Blog, Comment, Post
from .textutil import attr, esc, slugify, texturize


@dataclass
class Theme:
    """Link building and page chrome for one request (``base`` ends with a slash)."""

    blog: Blog
    base: str

    # -- site settings --------------------------------------------------------------------------
    @property
    def meta(self) -> dict:
        """The blog's ``site.json``."""
        return self.blog.meta

    @property
    def site_title(self) -> str:
        """The blog name as HTML."""
        return texturize(esc(self.meta["title"]))

    # -- links ----------------------------------------------------------------------------------
    def url(self, path: str = "") -> str:
        """Absolute URL of a path below the blog root."""
        return self.base + path

    def post_url(self, post: Post) -> str:
        """Permalink of a post or page."""
        return self.base + post.path

    def category(self, name: str) -> dict:
        """The category record for a category name."""
        return next(c for c in self.meta["categories"] if c["name"] == name)

    def category_path(self, name: str) -> str:
        """``category/parent/child/`` path of a category."""
        cat = self.category(name)
        slugs = [cat["slug"]]
        while cat.get("parent"):
            cat = next(c for c in self.meta["categories"] if c["slug"] == cat["parent"])
            slugs.insert(0, cat["slug"])
        return "category/" + "/".join(slugs) + "/"

    def category_url(self, name: str) -> str:
        """Absolute URL of a category archive."""
        return self.base + self.category_path(name)

    def all_tags(self) -> list[str]:
        """Every tag used by a post, sorted by name."""
        return sorted({t for p in self.blog.posts for t in p.tags}, key=str.lower)

    def tag_id(self, name: str) -> int:
        """A stable term id for a tag."""
        return 20 + self.all_tags().index(name)

    def tag_url(self, name: str) -> str:
        """Absolute URL of a tag archive."""
        return f"{self.base}tag/{slugify(name)}/"

    def author_url(self, slug: str) -> str:
        """Absolute URL of an author archive."""
        return f"{self.base}author/{slug}/"

    def month_url(self, dt: datetime) -> str:
        """Absolute URL of a monthly archive."""
        return f"{self.base}{dt:%Y/%m}/"

    # -- comments -------------------------------------------------------------------------------
    def comment_pages(self, post: Post) -> list[list[Comment]]:
        """Top-level threads split into pages like WordPress with "newest page first": the last page
        holds the newest ``comments_per_page`` threads and page 1 holds whatever is left over."""
        threads = post.threads
        per = self.meta["comments_per_page"]
        count = max(1, math.ceil(len(threads) / per))
        first = len(threads) - per * (count - 1)
        pages = [threads[:first]]
        pages += [threads[first + per * i : first + per * (i + 1)] for i in range(count - 1)]
        return pages

    def comment_page_url(self, post: Post, page: int) -> str:
        """URL of comment page ``page`` (the newest page is the post URL itself)."""
        if page >= len(self.comment_pages(post)):
            return self.post_url(post)
        return f"{self.post_url(post)}comment-page-{page}/"

    def comment_link(self, post: Post, comment: Comment) -> str:
        """Permalink of a comment: its comment page plus ``#comment-ID``."""
        by_id = {c.id: c for c in post.comments}
        root = comment
        while root.parent is not None:
            root = by_id[root.parent]
        pages = self.comment_pages(post)
        page = next(i for i, threads in enumerate(pages, 1) if root in threads)
        return f"{self.comment_page_url(post, page)}#comment-{comment.id}"

    # -- chrome ---------------------------------------------------------------------------------
    def _menu(self) -> str:
        items = [
            f'<li id="menu-item-30" class="menu-item menu-item-type-custom menu-item-object-custom '
            f'menu-item-home menu-item-30"><a href="{self.url()}">Home</a></li>'
        ]
        for n, name in enumerate(self.meta["menu"], 31):
            items.append(
                f'<li id="menu-item-{n}" class="menu-item menu-item-type-taxonomy menu-item-object-category '
                f'menu-item-{n}"><a href="{self.category_url(name)}">{texturize(esc(name))}</a></li>'
            )
        items.append(
            f'<li id="menu-item-40" class="menu-item menu-item-type-post_type menu-item-object-page '
            f'menu-item-40"><a href="{self.url("about/")}">About</a></li>'
        )
        return "\n".join(items)

    def header(self, home: bool) -> str:
        """Site header: title (``h1`` on the home page, ``p`` elsewhere), tagline and primary menu."""
        tag = "h1" if home else "p"
        return f"""<header id="masthead" class="site-header has-title-and-tagline has-menu">
<div class="site-branding">
<{tag} class="site-title"><a href="{self.url()}" rel="home">{self.site_title}</a></{tag}>
<p class="site-description">{texturize(esc(self.meta["tagline"]))}</p>
</div><!-- .site-branding -->
<nav id="site-navigation" class="primary-navigation" aria-label="Primary menu">
<div class="menu-button-container"><button id="primary-mobile-menu" class="button" aria-controls="primary-menu-list" aria-expanded="false"><span class="dropdown-icon open">Menu</span></button></div>
<div class="primary-menu-container"><ul id="primary-menu-list" class="menu-wrapper">
{self._menu()}
</ul></div>
</nav><!-- #site-navigation -->
</header><!-- #masthead -->"""  # noqa: E501

    def _category_items(self, parent: str | None) -> str:
        out = []
        for cat in self.meta["categories"]:
            if cat.get("parent") != parent:
                continue
            count = sum(1 for p in self.blog.posts if cat["name"] in p.categories)
            if not count:
                continue
            children = self._category_items(cat["slug"])
            sub = f'\n<ul class="children">\n{children}\n</ul>\n' if children else ""
            out.append(
                f'<li class="cat-item cat-item-{cat["id"]}"><a href="{self.category_url(cat["name"])}">'
                f"{texturize(esc(cat['name']))}</a>{sub}</li>"
            )
        return "\n".join(out)

    def sidebar(self) -> str:
        """The widget area: search, recent posts, recent comments, archives, categories."""
        recent = "\n".join(
            f'<li><a href="{self.post_url(p)}">{texturize(p.title)}</a></li>' for p in self.blog.posts[:5]
        )
        comments = sorted(
            ((c, p) for p in self.blog.posts for c in p.comments),
            key=lambda cp: cp[0].published,
            reverse=True,
        )[:5]
        recent_comments = "\n".join(
            '<li class="recentcomments"><span '
            f'class="comment-author-link">{self._comment_author(c)}</span> on '
            f'<a href="{self.comment_link(p, c)}">{texturize(p.title)}</a></li>'
            for c, p in comments
        )
        months = sorted({(p.published.year, p.published.month) for p in self.blog.posts}, reverse=True)
        archives = "\n".join(
            f"<li><a href='{self.base}{y:04d}/{m:02d}/'>{datetime(y, m, 1):%B} {y}</a></li>"
            for y, m in months
        )
        return f"""<aside class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="{self.url()}">
<label for="search-form-1">Search&hellip;</label><input type="search" id="search-form-1" class="search-field" value="" name="s" />
<input type="submit" class="search-submit" value="Search" /></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><nav aria-label="Recent Posts">
<ul>
{recent}
</ul>
</nav></section>
<section id="recent-comments-2" class="widget widget_recent_comments"><h2 class="widget-title">Recent Comments</h2><nav aria-label="Recent Comments"><ul id="recentcomments">
{recent_comments}
</ul></nav></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><nav aria-label="Archives">
<ul>
{archives}
</ul>
</nav></section>
<section id="categories-2" class="widget widget_categories"><h2 class="widget-title">Categories</h2><nav aria-label="Categories">
<ul>
{self._category_items(None)}
</ul>
</nav></section>
</aside><!-- .widget-area -->"""  # noqa: E501

    def _comment_author(self, c: Comment) -> str:
        name = texturize(esc(c.author))
        if c.url:
            return f"<a href='{attr(c.url)}' class='url' rel='ugc external nofollow'>{name}</a>"
        return name

    def footer(self) -> str:
        """Site footer."""
        return f"""<footer id="colophon" class="site-footer">
<div class="site-info">
<div class="site-name"><a href="{self.url()}">{self.site_title}</a></div><!-- .site-name -->
<div class="privacy-policy"><a href="{self.url("about/")}">About this site</a></div>
<div class="powered-by">Proudly powered by <a href="https://wordpress.org/">WordPress</a>.</div>
</div><!-- .site-info -->
</footer><!-- #colophon -->"""

    def shell(self, *, head: str, body_class: str, main: str, home: bool = False) -> str:
        """A complete HTML document around ``main`` (the content of ``main#main``)."""
        title = self.meta["title"]
        return f"""<!doctype html>
<html lang="{self.meta["language"]}" >
<head>
	<meta charset="UTF-8" />
	<meta name="viewport" content="width=device-width, initial-scale=1" />
{head}
<link rel="alternate" type="application/rss+xml" title="{attr(title)} &raquo; Feed" href="{self.url("feed/")}" />
<link rel="alternate" type="application/rss+xml" title="{attr(title)} &raquo; Comments Feed" href="{self.url("comments/feed/")}" />
<link rel='stylesheet' id='wp-block-library-css' href='{self.url("wp-includes/css/dist/block-library/style.min.css?ver=6.4.2")}' media='all' />
<link rel='stylesheet' id='twenty-twenty-one-style-css' href='{self.url("wp-content/themes/twentytwentyone/style.css?ver=2.0")}' media='all' />
<link rel="https://api.w.org/" href="{self.url("wp-json/")}" />
<meta name="generator" content="{attr(self.meta["generator"])}" />
</head>

<body class="{body_class}">
<div id="page" class="site">
	<a class="skip-link screen-reader-text" href="#content">Skip to content</a>

{self.header(home)}

	<div id="content" class="site-content">
		<div id="primary" class="content-area">
			<main id="main" class="site-main">
{main}
			</main><!-- #main -->
		</div><!-- #primary -->
	</div><!-- #content -->

{self.sidebar()}

{self.footer()}

</div><!-- #page -->
<script src='{self.url("wp-content/themes/twentytwentyone/assets/js/primary-navigation.js?ver=2.0")}' id='twenty-twenty-one-primary-navigation-script-js'></script>
</body>
</html>
"""  # noqa: E501
