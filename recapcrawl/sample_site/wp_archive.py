"""Listing views of the WordPress-like blog: home, category, tag, author, date and search archives,
plus the 404 page."""

from __future__ import annotations

from .common import long_date
from .content import Post
from .textutil import esc, texturize
from .wp_blocks import excerpt
from .wp_single import BODY_CLASS_TAIL
from .wp_theme import Theme

ARCHIVE_TAIL = "wp-embed-responsive is-light-theme no-js hfeed has-main-navigation"


def _summary(theme: Theme, post: Post) -> str:
    url = theme.post_url(post)
    author = theme.blog.author(post.author)
    cats = ", ".join(
        f'<a href="{theme.category_url(c)}" rel="category tag">{texturize(esc(c))}</a>'
        for c in post.categories
    )
    return f"""
<article id="post-{post.id}" class="post-{post.id} post type-post status-publish format-standard hentry entry">
	<header class="entry-header">
		<h2 class="entry-title default-max-width"><a href="{url}">{texturize(post.title)}</a></h2>
	</header><!-- .entry-header -->
	<div class="entry-content">
		<p>{texturize(esc(excerpt(post.body)))}</p>
<p><a class="more-link" href="{url}#more-{post.id}">Continue reading<span class="screen-reader-text"> {texturize(post.title)}</span></a></p>
	</div><!-- .entry-content -->
	<footer class="entry-footer default-max-width">
		<span class="posted-on">Published <time class="entry-date published updated" datetime="{post.published.isoformat()}">{long_date(post.published)}</time></span><span class="byline">By <a href="{theme.author_url(post.author)}" rel="author">{esc(author["name"])}</a></span><span class="cat-links">Categorized as {cats}</span>
	</footer><!-- .entry-footer -->
</article><!-- #post-{post.id} -->"""  # noqa: E501


def _pagination(theme: Theme, base_path: str, page: int, count: int) -> str:
    if count <= 1:
        return ""

    def link(n: int) -> str:
        return theme.url(base_path if n == 1 else f"{base_path}page/{n}/")

    parts = []
    if page > 1:
        parts.append(f'<a class="prev page-numbers" href="{link(page - 1)}">Newer posts</a>')
    for n in range(1, count + 1):
        if n == page:
            parts.append(f'<span aria-current="page" class="page-numbers current">{n}</span>')
        else:
            parts.append(f'<a class="page-numbers" href="{link(n)}">{n}</a>')
    if page < count:
        parts.append(f'<a class="next page-numbers" href="{link(page + 1)}">Older posts</a>')
    return (
        '<nav class="navigation pagination" aria-label="Posts">\n<h2 class="screen-reader-text">Posts '
        f'navigation</h2>\n<div class="nav-links">{"".join(parts)}</div>\n</nav>'
    )


def render_listing(
    theme: Theme,
    posts: list[Post],
    *,
    heading: str | None,
    body_class: str,
    base_path: str,
    page: int,
    title: str,
    home: bool = False,
) -> str | None:
    """One page of a post listing, or ``None`` when ``page`` is past the end."""
    per = theme.meta["posts_per_page"]
    count = max(1, -(-len(posts) // per))
    if page > count:
        return None
    chunk = posts[(page - 1) * per : page * per]
    header = ""
    if heading:
        header = f'<header class="page-header alignwide">\n<h1 class="page-title">{heading}</h1>\n</header>'
    if not chunk:
        header += (
            '<section class="no-results not-found"><div class="page-content default-max-width">'
            "<p>It seems we can&rsquo;t find what you&rsquo;re looking for. Perhaps searching can help.</p>"
            "</div></section>"
        )
    main = (
        header
        + "".join(_summary(theme, p) for p in chunk)
        + "\n"
        + _pagination(theme, base_path, page, count)
    )
    if page > 1:
        body_class += " paged"
        title = f"{title} &#8211; Page {page}"
    head = f"<meta name='robots' content='max-image-preview:large' />\n\t<title>{title}</title>"
    if home and page == 1:
        head += f'\n<link rel="canonical" href="{theme.url()}" />'
    return theme.shell(
        head=head, body_class=f"{body_class} {ARCHIVE_TAIL}", main=main, home=home and page == 1
    )


def render_not_found(theme: Theme) -> str:
    """The 404 page."""
    main = """<header class="page-header alignwide">
<h1 class="page-title">Nothing here</h1>
</header><!-- .page-header -->
<div class="error-404 not-found default-max-width">
<div class="page-content">
<p>It looks like nothing was found at this location. Maybe try a search?</p>
</div><!-- .page-content -->
</div><!-- .error-404 -->"""
    head = (
        f"<meta name='robots' content='noindex, follow' />\n\t<title>Page not found &#8211; "
        f"{theme.site_title}</title>"
    )
    return theme.shell(head=head, body_class=f"error404 {BODY_CLASS_TAIL}", main=main)
