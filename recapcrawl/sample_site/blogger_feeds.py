"""Machine-readable views of the Blogger-like blog: Atom feeds, sitemaps and robots.txt."""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from .blogger_post import render_body
from .blogger_theme import Theme
from .content import Post
from .textutil import plain

ATOM_NS = (
    "xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
    "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
    "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'"
)


def atom_time(dt: datetime) -> str:
    """Blogger's feed timestamps: milliseconds and the blog's own offset."""
    return dt.isoformat(timespec="milliseconds")


def _author(theme: Theme) -> str:
    a = theme.author()
    return (
        f"<author><name>{escape(a['name'])}</name><uri>{a['profile']}</uri><email>noreply@blogger.com</email>"
        "<gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' "
        "src='https://img1.blogblog.com/img/b16-rounded.gif'/></author>"
    )


def posts_feed(theme: Theme) -> str:
    """``/feeds/posts/default``: every post, newest first, with ``thr:total`` comment counts."""
    blog_id = theme.meta["blog_id"]
    posts = theme.blog.posts
    entries = []
    for p in posts:
        url = theme.post_url(p)
        cats = "".join(
            f"<category scheme='http://www.blogger.com/atom/ns#' term={quoteattr(t)}/>" for t in p.tags
        )
        n = len(p.comments)
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-{blog_id}.post-{p.id}</id>"
            f"<published>{atom_time(p.published)}</published>"
            f"<updated>{atom_time(p.modified or p.published)}</updated>"
            f"{cats}<title type='text'>{escape(plain(p.title))}</title>"
            f"<content type='html'>{escape(render_body(p, theme.url()))}</content>"
            "<link rel='replies' type='application/atom+xml' "
            f"href='{theme.url(f'feeds/{p.id}/comments/default')}' "
            f"title='Post Comments'/><link rel='replies' type='text/html' href='{url}#comment-form' "
            f"title='{n} Comments'/><link rel='edit' type='application/atom+xml' href='https://www.blogger.com/"
            f"feeds/{blog_id}/posts/default/{p.id}'/><link rel='self' type='application/atom+xml' "
            f"href='https://www.blogger.com/feeds/{blog_id}/posts/default/{p.id}'/><link rel='alternate' "
            f"type='text/html' href='{url}' title={quoteattr(plain(p.title))}/>{_author(theme)}"
            f"<thr:total>{n}</thr:total></entry>"
        )
    updated = max(p.last_activity for p in posts)
    cats = "".join(f"<category term={quoteattr(t)}/>" for t in theme.labels())
    return (
        "<?xml version='1.0' encoding='UTF-8'?><?xml-stylesheet "
        'href="https://www.blogger.com/styles/atom.css" '
        f'type="text/css"?><feed {ATOM_NS}><id>tag:blogger.com,1999:blog-{blog_id}</id>'
        f"<updated>{atom_time(updated)}</updated>{cats}<title "
        f"type='text'>{escape(theme.meta['title'])}</title>"
        f"<subtitle type='html'>{escape(theme.meta['description'])}</subtitle>"
        f"<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' "
        f"href='{theme.url('feeds/posts/default')}'/><link rel='self' type='application/atom+xml' "
        f"href='{theme.url('feeds/posts/default')}'/><link rel='alternate' type='text/html' "
        f"href='{theme.url()}'/>"
        f"{_author(theme)}<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
        f"<openSearch:totalResults>{len(posts)}</openSearch:totalResults><openSearch:startIndex>1"
        f"</openSearch:startIndex><openSearch:itemsPerPage>25</openSearch:itemsPerPage>{''.join(entries)}</feed>"
    )


def comments_feed(theme: Theme, post: Post) -> str:
    """``/feeds/POSTID/comments/default``: one post's comments, newest first."""
    blog_id = theme.meta["blog_id"]
    url = theme.post_url(post)
    entries = []
    for c in sorted(post.comments, key=lambda c: c.published, reverse=True):
        text = "<br /><br />".join(p.replace("\n", "<br />") for p in c.paragraphs)
        millis = int(c.published.timestamp() * 1000)
        related = ""
        if c.parent:
            related = (
                f"<link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/"
                f"{blog_id}/{post.id}/comments/default/{c.parent}'/>"
            )
        entries.append(
            f"<entry><id>tag:blogger.com,1999:blog-{blog_id}.post-{c.id}</id>"
            f"<published>{atom_time(c.published)}</published><updated>{atom_time(c.published)}</updated>"
            f"<title type='text'>{escape(plain(c.paragraphs[0])[:60])}</title>"
            f"<content type='html'>{escape(text)}</content>"
            f"<link rel='alternate' type='text/html' href='{url}?showComment={millis}#c{c.id}' "
            f"title=''/>{related}"
            f"<author><name>{escape(c.author)}</name></author><thr:in-reply-to href='{url}' "
            "ref='tag:blogger.com,"
            f"1999:blog-{blog_id}.post-{post.id}' source='https://www.blogger.com/feeds/{blog_id}/posts/default/"
            f"{post.id}' type='text/html'/></entry>"
        )
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><feed {ATOM_NS}><id>tag:blogger.com,1999:blog-{blog_id}.post"
        f"{post.id}..comments</id><updated>{atom_time(post.last_activity)}</updated>"
        f"<title type='text'>{escape(theme.meta['title'])}: {escape(plain(post.title))}</title>"
        "<link rel='self' type='application/atom+xml' "
        f"href='{theme.url(f'feeds/{post.id}/comments/default')}'/>"
        f"<link rel='alternate' type='text/html' href='{url}'/>{_author(theme)}"
        f"<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
        f"<openSearch:totalResults>{len(post.comments)}</openSearch:totalResults>{''.join(entries)}</feed>"
    )


SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap_index(theme: Theme) -> str:
    """``/sitemap.xml``: an index pointing at ``/sitemap.xml?page=1``."""
    updated = max(p.last_activity for p in theme.blog.posts)
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><sitemapindex {SITEMAP_NS}><sitemap>"
        f"<loc>{theme.url('sitemap.xml?page=1')}</loc><lastmod>{atom_time(updated)}</lastmod></sitemap>"
        "</sitemapindex>"
    )


def sitemap_page(theme: Theme, posts: list[Post]) -> str:
    """A ``urlset`` of posts or pages with their last modification."""
    rows = "".join(
        f"<url><loc>{escape(theme.post_url(p))}</loc>"
        f"<lastmod>{atom_time(p.modified or p.published)}</lastmod></url>"
        for p in posts
    )
    return f"<?xml version='1.0' encoding='UTF-8'?><urlset {SITEMAP_NS}>{rows}</urlset>"


def robots(theme: Theme) -> str:
    """``/robots.txt`` as Blogger serves it."""
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\nUser-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: {theme.url('sitemap.xml')}\nSitemap: {theme.url('sitemap-pages.xml')}\n"
    )
