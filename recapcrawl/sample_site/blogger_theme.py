"""URLs and page chrome of the Blogger-like blog (Blogger's classic "Simple" layout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from .content import Blog, Post
from .textutil import attr, esc, plain


@dataclass
class Theme:
    """Link building and page chrome for one request (``base`` ends with a slash)."""

    blog: Blog
    base: str

    @property
    def meta(self) -> dict:
        """The blog's ``site.json``."""
        return self.blog.meta

    def url(self, path: str = "") -> str:
        """Absolute URL of a path below the blog root."""
        return self.base + path

    def post_url(self, post: Post) -> str:
        """Permalink of a post or page."""
        return self.base + post.path

    def label_url(self, label: str) -> str:
        """Absolute URL of a label search page."""
        return f"{self.base}search/label/{quote(label)}"

    def labels(self) -> list[str]:
        """All labels in use, sorted case-insensitively."""
        return sorted({t for p in self.blog.posts for t in p.tags}, key=str.lower)

    def author(self) -> dict:
        """The blog's (only) author."""
        return self.meta["authors"][0]

    # -- chrome ---------------------------------------------------------------------------------
    def _profile(self) -> str:
        a = self.author()
        return f"""<div class='widget Profile' data-version='1' id='Profile1'>
<h2>About Me</h2>
<div class='widget-content'>
<dl class='profile-datablock'>
<dt class='profile-data'><a class='profile-name-link g-profile' href='{a["profile"]}' rel='author' style='background-image: url(//www.blogger.com/img/logo-16.png);'>{esc(a["name"])}</a></dt>
<dd class='profile-textblock'>{esc(a["about"])}</dd>
</dl>
<a class='profile-link' href='{a["profile"]}' rel='author'>View my complete profile</a>
<div class='clear'></div>
</div>
</div>"""  # noqa: E501

    def _popular(self) -> str:
        ranked = sorted(self.blog.posts, key=lambda p: len(p.comments), reverse=True)[:3]
        items = []
        for p in ranked:
            first = next((plain(b["html"]) for b in p.body if b["type"] == "paragraph"), "")
            snippet = first if len(first) < 140 else first[:137].rsplit(" ", 1)[0] + "..."
            items.append(f"""<li>
<div class='item-content'>
<div class='item-title'><a href='{self.post_url(p)}'>{esc(plain(p.title))}</a></div>
<div class='item-snippet'>{esc(snippet)}</div>
</div>
<div style='clear: both;'></div>
</li>""")
        return (
            "<div class='widget PopularPosts' data-version='1' id='PopularPosts1'>\n<h2>Popular Posts</h2>\n"
            "<div class='widget-content popular-posts'>\n<ul>\n" + "\n".join(items) + "\n</ul>\n"
            "<div class='clear'></div>\n</div>\n</div>"
        )

    def _archive(self) -> str:
        years: dict[int, dict[int, list[Post]]] = {}
        for p in self.blog.posts:
            years.setdefault(p.published.year, {}).setdefault(p.published.month, []).append(p)
        out = []
        for year in sorted(years, reverse=True):
            months = years[year]
            total = sum(len(v) for v in months.values())
            month_items = []
            for month in sorted(months, reverse=True):
                posts = "".join(
                    f"<li><a href='{self.post_url(p)}'>{esc(plain(p.title))}</a></li>" for p in months[month]
                )
                month_items.append(
                    f"<li class='archivedate expanded'><a class='toggle' href='javascript:void(0)'>"
                    f"<span class='zippy toggle-open'>&#9660;&nbsp;</span></a><a class='post-count-link' "
                    f"href='{self.base}{year}/{month:02d}/'>{datetime(year, month, 1):%B}</a> "
                    f"<span class='post-count' dir='ltr'>({len(months[month])})</span>"
                    f"<ul class='posts'>{posts}</ul></li>"
                )
            out.append(
                "<li class='archivedate expanded'><a class='toggle' "
                "href='javascript:void(0)'><span class='zippy "
                "toggle-open'>&#9660;&nbsp;</span></a><a class='post-count-link' "
                f"href='{self.base}{year}/'>{year}"
                f"</a> <span class='post-count' dir='ltr'>({total})</span><ul class='hierarchy'>"
                + "".join(month_items)
                + "</ul></li>"
            )
        return (
            "<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>\n<h2>Blog Archive</h2>\n"
            "<div class='widget-content'>\n<div id='ArchiveList'>\n<div id='BlogArchive1_ArchiveList'>\n"
            "<ul class='hierarchy'>" + "".join(out) + "</ul>\n</div>\n</div>\n<div class='clear'></div>\n"
            "</div>\n</div>"
        )

    def _labels(self) -> str:
        items = []
        for label in self.labels():
            count = sum(1 for p in self.blog.posts if label in p.tags)
            items.append(
                f"<li><a dir='ltr' href='{self.label_url(label)}'>{esc(label)}</a>\n"
                f"<span dir='ltr'>({count})</span></li>"
            )
        return (
            "<div class='widget Label' data-version='1' id='Label1'>\n<h2>Labels</h2>\n"
            "<div class='widget-content list-label-widget-content'>\n<ul>\n"
            + "\n".join(items)
            + "\n</ul>\n<div class='clear'></div>\n</div>\n</div>"
        )

    def shell(self, *, title: str, head: str, main: str) -> str:
        """A complete HTML document; ``main`` goes inside ``div#Blog1``."""
        m = self.meta
        return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' lang='{m["language"]}' xmlns='http://www.w3.org/1999/xhtml' xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' xmlns:expr='http://www.google.com/2005/gml/expr'>
<head>
<meta content='width=1100' name='viewport'/>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{self.url("favicon.ico")}' rel='icon' type='image/x-icon'/>
{head}
<link rel="alternate" type="application/atom+xml" title="{attr(m["title"])} - Atom" href="{self.url("feeds/posts/default")}" />
<link rel="service.post" type="application/atom+xml" title="{attr(m["title"])} - Atom" href="https://www.blogger.com/feeds/{m["blog_id"]}/posts/default" />
<link rel="me" href="{self.author()["profile"]}" />
<title>{title}</title>
<style id='page-skin-1' type='text/css'><!--
body {{ font: normal normal 12px Arial, Tahoma, Helvetica, FreeSans, sans-serif; color: #222222; }}
.post-body blockquote {{ margin: 1em 20px; font-style: italic; }}
--></style>
</head>
<body class='loading variant-simplysimple'>
<div class='navbar section' id='navbar' name='Navbar'><div class='widget Navbar' data-version='1' id='Navbar1'><div id="navbar-iframe-container"></div></div></div>
<div class='body-fauxcolumns'><div class='fauxcolumn-outer body-fauxcolumn-outer'></div></div>
<div class='content'>
<div class='content-outer'>
<header>
<div class='header-outer'>
<div class='header-inner'>
<div class='section' id='header' name='Header'><div class='widget Header' data-version='1' id='Header1'>
<div id='header-inner'>
<div class='titlewrapper'>
<h1 class='title'>
<a href='{self.url()}'>{esc(m["title"])}</a>
</h1>
</div>
<div class='descriptionwrapper'>
<p class='description'><span>{esc(m["description"])}</span></p>
</div>
</div>
</div></div>
</div>
</div>
</header>
<div class='tabs-outer'>
<div class='tabs-inner'>
<div class='tabs section' id='crosscol' name='Cross-Column'><div class='widget PageList' data-version='1' id='PageList1'>
<div class='widget-content'>
<ul>
<li><a href='{self.url()}'>Home</a></li>
<li><a href='{self.url("p/about.html")}'>About this blog</a></li>
</ul>
<div class='clear'></div>
</div>
</div></div>
</div>
</div>
<div class='main-outer'>
<div class='main-inner columns-2'>
<div class='column-center-outer'>
<div class='column-center-inner'>
<div class='main section' id='main' name='Main'><div class='widget Blog' data-version='1' id='Blog1'>
{main}
</div></div>
</div>
</div>
<div class='column-right-outer'>
<div class='column-right-inner'>
<aside>
<div class='sidebar section' id='sidebar-right-1'>
{self._profile()}
{self._popular()}
{self._archive()}
{self._labels()}
</div>
</aside>
</div>
</div>
</div>
</div>
<footer>
<div class='footer-outer'>
<div class='footer-inner'>
<div class='foot section' id='footer-1'><div class='widget Attribution' data-version='1' id='Attribution1'>
<div class='widget-content' style='text-align: center;'>
Simple theme. Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.
</div>
</div></div>
</div>
</div>
</footer>
</div>
</div>
</body>
</html>
"""  # noqa: E501
