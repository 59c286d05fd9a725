"""Machine-readable views of the WordPress-like blog: RSS 2.0 feeds, core sitemaps and robots.txt."""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from .common import rfc822, utc_iso
from .content import Comment, Post
from .textutil import plain
from .wp_blocks import excerpt, render_body, split_pages
from .wp_theme import Theme

RSS_NS = (
    'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:wfw="http://wellformedweb.org/CommentAPI/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
    'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"'
)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _channel(
    theme: Theme, title: str, self_url: str, link: str, description: str, last: str, items: str
) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" {RSS_NS}>

<channel>
	<title>{escape(title)}</title>
	<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml" />
	<link>{escape(link)}</link>
	<description>{escape(description)}</description>
	<lastBuildDate>{last}</lastBuildDate>
	<language>{theme.meta["language"]}</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=6.4.2</generator>
{items}
</channel>
</rss>
"""


def posts_feed(theme: Theme) -> str:
    """``/feed/``: the newest posts (``posts_per_rss`` of them) with full content and comment counts."""
    posts = theme.blog.posts[: theme.meta["posts_per_rss"]]
    items = []
    for p in posts:
        url = theme.post_url(p)
        author = theme.blog.author(p.author)["name"]
        cats = "\n".join(f"\t\t<category>{_cdata(c)}</category>" for c in p.categories + p.tags)
        first_page = render_body(split_pages(p.body)[0], theme.url(), int(p.id), False)  # WordPress: page 1
        items.append(f"""	<item>
		<title>{escape(plain(p.title))}</title>
		<link>{url}</link>
		<comments>{url}#comments</comments>
		<dc:creator>{_cdata(author)}</dc:creator>
		<pubDate>{rfc822(p.published)}</pubDate>
{cats}
		<guid isPermaLink="false">{theme.url(f"?p={p.id}")}</guid>
		<description>{_cdata(excerpt(p.body))}</description>
		<content:encoded>{_cdata(first_page)}</content:encoded>
		<wfw:commentRss>{url}feed/</wfw:commentRss>
		<slash:comments>{len(p.comments)}</slash:comments>
	</item>""")
    last = rfc822(max(p.modified or p.published for p in theme.blog.posts))
    return _channel(
        theme,
        theme.meta["title"],
        theme.url("feed/"),
        theme.url(),
        plain(theme.meta["tagline"]),
        last,
        "\n".join(items),
    )


def _comment_item(theme: Theme, post: Post, c: Comment, prefix: bool) -> str:
    link = theme.comment_link(post, c)
    title = f"Comment on {plain(post.title)} by {c.author}" if prefix else f"By: {c.author}"
    text = "\n".join(f"<p>{p}</p>".replace("\n", "<br />\n") for p in c.paragraphs)
    return f"""	<item>
		<title>{escape(title)}</title>
		<link>{escape(link)}</link>
		<dc:creator>{_cdata(c.author)}</dc:creator>
		<pubDate>{rfc822(c.published)}</pubDate>
		<guid isPermaLink="false">{theme.url(f"?p={post.id}")}#comment-{c.id}</guid>
		<description>{_cdata(plain(" ".join(c.paragraphs)))}</description>
		<content:encoded>{_cdata(text)}</content:encoded>
	</item>"""


def comments_feed(theme: Theme, post: Post | None = None) -> str:
    """``/comments/feed/`` (newest comments of the whole blog) or ``/<post>/feed/`` (one post's comments)."""
    if post is None:
        pairs = sorted(
            ((c, p) for p in theme.blog.posts for c in p.comments),
            key=lambda cp: cp[0].published,
            reverse=True,
        )[: theme.meta["posts_per_rss"]]
        title = f"Comments for {theme.meta['title']}"
        self_url, link = theme.url("comments/feed/"), theme.url()
    else:
        pairs = [(c, post) for c in reversed(post.comments)][: theme.meta["posts_per_rss"]]
        title = f"Comments on: {plain(post.title)}"
        self_url, link = theme.post_url(post) + "feed/", theme.post_url(post)
    items = "\n".join(_comment_item(theme, p, c, post is None) for c, p in pairs)
    dates = [c.published for c, _ in pairs] or [(post or theme.blog.posts[0]).published]
    return _channel(theme, title, self_url, link, plain(theme.meta["tagline"]), rfc822(max(dates)), items)


SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap_index(theme: Theme) -> str:
    """``/wp-sitemap.xml``: the core sitemap index."""
    names = ["posts-post-1", "posts-page-1", "taxonomies-category-1", "taxonomies-post_tag-1", "users-1"]
    entries = "".join(f"<sitemap><loc>{theme.url(f'wp-sitemap-{n}.xml')}</loc></sitemap>" for n in names)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex {SITEMAP_NS}>{entries}</sitemapindex>\n'


def _urlset(rows: Sequence[tuple[str, str | None]]) -> str:
    entries = []
    for loc, lastmod in rows:
        mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        entries.append(f"<url><loc>{escape(loc)}</loc>{mod}</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {SITEMAP_NS}>{"".join(entries)}</urlset>\n'


def sitemap(theme: Theme, name: str) -> str | None:
    """One of the sub-sitemaps listed in the index, or ``None`` for an unknown name."""
    blog = theme.blog
    if name == "posts-post-1":
        return _urlset([(theme.post_url(p), utc_iso(p.last_activity)) for p in blog.posts])
    if name == "posts-page-1":
        return _urlset(
            [(theme.url(), utc_iso(blog.posts[0].published))]
            + [(theme.post_url(p), utc_iso(p.modified or p.published)) for p in blog.pages]
        )
    if name == "taxonomies-category-1":
        used = [
            c["name"] for c in theme.meta["categories"] if any(c["name"] in p.categories for p in blog.posts)
        ]
        return _urlset([(theme.category_url(c), None) for c in used])
    if name == "taxonomies-post_tag-1":
        return _urlset([(theme.tag_url(t), None) for t in theme.all_tags()])
    if name == "users-1":
        return _urlset([(theme.author_url(a["slug"]), None) for a in theme.meta["authors"]])
    return None


def robots(theme: Theme) -> str:
    """``/robots.txt`` as WordPress generates it."""
    return (
        "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
        f"Sitemap: {theme.url('wp-sitemap.xml')}\n"
    )
