"""Single post and static page views of the WordPress-like blog, including the comment section."""

from __future__ import annotations

import hashlib
import json

from .common import clock, long_date
from .content import Comment, Post
from .textutil import attr, esc, plain, slugify, texturize
from .wp_blocks import excerpt, render_body, split_pages
from .wp_theme import Theme

BODY_CLASS_TAIL = "wp-embed-responsive is-light-theme no-js singular has-main-navigation"


def _person_id(theme: Theme, slug: str) -> str:
    return f"{theme.url()}#/schema/person/{hashlib.md5(slug.encode()).hexdigest()}"


def _yoast_graph(theme: Theme, post: Post, url: str) -> str:
    author = theme.blog.author(post.author)
    words = sum(len(plain(b.get("html", "")).split()) for b in post.body)
    graph = [
        {
            "@type": "Article",
            "@id": f"{url}#article",
            "isPartOf": {"@id": url},
            "author": {"name": author["name"], "@id": _person_id(theme, post.author)},
            "headline": plain(post.title),
            "datePublished": post.published.isoformat(),
            "dateModified": (post.modified or post.published).isoformat(),
            "mainEntityOfPage": {"@id": url},
            "wordCount": words,
            "commentCount": len(post.comments),
            "publisher": {"@id": f"{theme.url()}#organization"},
            "keywords": post.tags,
            "articleSection": post.categories,
            "inLanguage": theme.meta["language"],
            "potentialAction": [{"@type": "CommentAction", "name": "Comment", "target": [f"{url}#respond"]}],
        },
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{plain(post.title)} - {theme.meta['title']}",
            "isPartOf": {"@id": f"{theme.url()}#website"},
            "datePublished": post.published.isoformat(),
            "dateModified": (post.modified or post.published).isoformat(),
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": theme.meta["language"],
        },
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": theme.url()},
                {"@type": "ListItem", "position": 2, "name": plain(post.title)},
            ],
        },
        {
            "@type": "WebSite",
            "@id": f"{theme.url()}#website",
            "url": theme.url(),
            "name": theme.meta["title"],
            "description": plain(theme.meta["tagline"]),
            "publisher": {"@id": f"{theme.url()}#organization"},
            "inLanguage": theme.meta["language"],
        },
        {
            "@type": "Organization",
            "@id": f"{theme.url()}#organization",
            "name": theme.meta["title"],
            "url": theme.url(),
        },
        {
            "@type": "Person",
            "@id": _person_id(theme, post.author),
            "name": author["name"],
            "url": theme.author_url(post.author),
        },
    ]
    data = json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False)
    return data.replace("/", "\\/")


def part_url(theme: Theme, post: Post, part: int) -> str:
    """URL of page ``part`` of a post split with page breaks (page 1 is the permalink)."""
    return theme.post_url(post) + (f"{part}/" if part > 1 else "")


def _adjacent_parts(theme: Theme, post: Post, part: int) -> str:
    """Yoast's ``rel=prev``/``rel=next`` links between the pages of a post split with page breaks."""
    count = len(split_pages(post.body))
    links = [("prev", part - 1)] if part > 1 else []
    links += [("next", part + 1)] if part < count else []
    return "".join(f'\t<link rel="{rel}" href="{part_url(theme, post, n)}" />\n' for rel, n in links)


def head(theme: Theme, post: Post, canonical: str, noindex: bool, part: int = 1) -> str:
    """``<head>`` contents for a post: title, canonical, Open Graph and (Yoast posts) JSON-LD.
    ``part``: which page of a post split with page breaks."""
    title = plain(post.title)
    description = attr(excerpt(post.body, 30))
    url = part_url(theme, post, part)
    published = post.published.isoformat()
    modified = (post.modified or post.published).isoformat()
    author = theme.blog.author(post.author)["name"]
    robots = "noindex, follow" if noindex else "index, follow, max-image-preview:large, max-snippet:-1"
    if post.options.get("jsonld"):
        article = (
            ""
            if post.is_page
            else (
                f'\t<meta property="article:published_time" content="{published}" />\n'
                f'\t<meta property="article:modified_time" content="{modified}" />\n'
            )
        )
        return f"""<meta name='robots' content='{robots}' />

	<!-- This site is optimized with the Yoast SEO plugin v21.9 - https://yoast.com/wordpress/plugins/seo/ -->
	<title>{texturize(esc(title))} - {theme.site_title}</title>
	<meta name="description" content="{description}" />
	<link rel="canonical" href="{url}" />
{_adjacent_parts(theme, post, part)}	<meta property="og:locale" content="en_US" />
	<meta property="og:type" content="{"website" if post.is_page else "article"}" />
	<meta property="og:title" content="{attr(title)} - {attr(theme.meta["title"])}" />
	<meta property="og:description" content="{description}" />
	<meta property="og:url" content="{url}" />
	<meta property="og:site_name" content="{attr(theme.meta["title"])}" />
{article}	<meta name="author" content="{attr(author)}" />
	<meta name="twitter:card" content="summary_large_image" />
	<meta name="twitter:label1" content="Written by" />
	<meta name="twitter:data1" content="{attr(author)}" />
	<script type="application/ld+json" class="yoast-schema-graph">{_yoast_graph(theme, post, url)}</script>
	<!-- / Yoast SEO plugin. -->
"""
    # WordPress core canonical (keeps the comment page) plus Jetpack's Open Graph tags.
    article = (
        ""
        if post.is_page
        else (
            f'<meta property="article:published_time" content="{published}" />\n'
            f'<meta property="article:modified_time" content="{modified}" />\n'
        )
    )
    return f"""<meta name='robots' content='{"noindex, follow" if noindex else "max-image-preview:large"}' />
	<title>{texturize(esc(title))} &#8211; {theme.site_title}</title>
<link rel="canonical" href="{canonical}" />
<link rel='shortlink' href='{theme.url(f"?p={post.id}")}' />

<!-- Jetpack Open Graph Tags -->
<meta property="og:type" content="{"website" if post.is_page else "article"}" />
<meta property="og:title" content="{attr(title)}" />
<meta property="og:url" content="{url}" />
<meta property="og:description" content="{description}" />
{article}<meta property="og:site_name" content="{attr(theme.meta["title"])}" />
<meta property="og:locale" content="en_US" />
<meta name="twitter:text:title" content="{attr(title)}" />
<meta name="twitter:card" content="summary" />
<!-- End Jetpack Open Graph Tags -->
"""


def _entry_meta(theme: Theme, post: Post) -> str:
    url = theme.post_url(post)
    published = post.published
    modified = post.modified or published
    if modified == published:
        times = (
            f'<time class="entry-date published updated" datetime="{published.isoformat()}">'
            f"{long_date(published)}</time>"
        )
    else:
        times = (
            f'<time class="entry-date published" datetime="{published.isoformat()}">{long_date(published)}'
            f'</time><time class="updated" datetime="{modified.isoformat()}">{long_date(modified)}</time>'
        )
    author = theme.blog.author(post.author)
    return (
        f'<div class="entry-meta">\n<span class="posted-on">Posted on <a href="{url}" '
        f'rel="bookmark">{times}</a>'
        f'</span><span class="byline"> by <span class="author vcard"><a class="url fn n" '
        f'href="{theme.author_url(post.author)}" rel="author">{esc(author["name"])}</a></span></span>\n</div>'
    )


def _entry_footer(theme: Theme, post: Post) -> str:
    cats = ", ".join(
        f'<a href="{theme.category_url(c)}" rel="category tag">{texturize(esc(c))}</a>'
        for c in post.categories
    )
    tags = ", ".join(f'<a href="{theme.tag_url(t)}" rel="tag">{texturize(esc(t))}</a>' for t in post.tags)
    out = f'<span class="cat-links">Posted in {cats}</span>'
    if tags:
        out += f'<span class="tags-links">Tagged {tags}</span>'
    return f'<footer class="entry-footer default-max-width">\n{out}\n</footer><!-- .entry-footer -->'


def _sharing(url: str, post: Post) -> str:
    buttons = []
    for name, label in (("twitter", "Twitter"), ("facebook", "Facebook"), ("email", "Email")):
        buttons.append(
            f'<li class="share-{name}"><a rel="nofollow noopener noreferrer" '
            f'data-shared="sharing-{name}-{post.id}" '
            f'class="share-{name} sd-button share-icon" href="{url}?share={name}" target="_blank" '
            f'title="Click to share on {label}"><span>{label}</span></a></li>'
        )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
        'sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul>'
        + "".join(buttons)
        + '<li class="share-end"></li></ul></div></div></div>'
    )


def _related(theme: Theme, post: Post) -> str:
    shows = [c for c in post.categories if c not in ("Recaps", "Reviews")]
    others = [p for p in theme.blog.posts if p is not post]
    related = [p for p in others if set(p.categories) & set(shows)] + others
    picked: list[Post] = []
    for p in related:
        if all(p is not q for q in picked):
            picked.append(p)
        if len(picked) == 3:
            break
    items = []
    for n, p in enumerate(picked[:3]):
        context = texturize(esc(p.categories[-1]))
        items.append(
            f'<div class="jp-relatedposts-post jp-relatedposts-post{n} jp-relatedposts-post-thumbs" '
            f'data-post-id="{p.id}" data-post-format="false"><h4 class="jp-relatedposts-post-title">'
            f'<a class="jp-relatedposts-post-a" href="{theme.post_url(p)}" title="{attr(plain(p.title))}" '
            f'rel="nofollow" data-origin="{post.id}" data-position="{n}">{texturize(p.title)}</a></h4>'
            f'<p class="jp-relatedposts-post-date">{long_date(p.published)}</p>'
            f'<p class="jp-relatedposts-post-context">In &quot;{context}&quot;</p></div>'
        )
    return (
        "<div id='jp-relatedposts' class='jp-relatedposts' >"
        '<h3 class="jp-relatedposts-headline"><em>Related</em></h3>'
        '<div class="jp-relatedposts-items jp-relatedposts-items-visual">' + "".join(items) + "</div></div>"
    )


NEWSLETTER = """<div class="wp-block-group newsletter-box is-layout-flow"><h3 class="newsletter-title">Never miss a recap</h3>
<p>Get every new recap in your inbox the morning after the episode airs. No spam, just television.</p>
<form class="newsletter-form" method="post" action="#newsletter"><input type="email" name="email" placeholder="you@example.com" required /><button type="submit">Subscribe</button></form></div>"""  # noqa: E501


def _post_navigation(theme: Theme, post: Post) -> str:
    posts = theme.blog.posts
    i = posts.index(post)
    newer = posts[i - 1] if i > 0 else None
    older = posts[i + 1] if i + 1 < len(posts) else None
    parts = []
    if older:
        parts.append(
            f'<div class="nav-previous"><a href="{theme.post_url(older)}" rel="prev"><p class="meta-nav">'
            f'Previous post</p><p class="post-title">{texturize(older.title)}</p></a></div>'
        )
    if newer:
        parts.append(
            f'<div class="nav-next"><a href="{theme.post_url(newer)}" rel="next"><p class="meta-nav">'
            f'Next post</p><p class="post-title">{texturize(newer.title)}</p></a></div>'
        )
    return (
        '<nav class="navigation post-navigation" aria-label="Posts">\n<h2 class="screen-reader-text">'
        f'Post navigation</h2>\n<div class="nav-links">{"".join(parts)}</div>\n</nav>'
    )


class _CommentWalker:
    """Prints a comment tree like WordPress's ``Walker_Comment`` (html5 format)."""

    def __init__(self, theme: Theme, post: Post, page_url: str):
        self.theme = theme
        self.post = post
        self.page_url = page_url
        self.alt = 0
        self.thread_alt = 0
        self.depth_limit = theme.meta["thread_comments_depth"]
        self.open = post.options.get("comments_open", True)

    def classes(self, c: Comment, depth: int) -> str:
        cls = ["comment"]
        if c.is_post_author:
            cls += ["byuser", f"comment-author-{self.post.author}", "bypostauthor"]
        cls.append("odd alt" if self.alt % 2 else "even")
        self.alt += 1
        if depth == 1:
            cls.append("thread-odd thread-alt" if self.thread_alt % 2 else "thread-even")
            self.thread_alt += 1
        cls.append(f"depth-{depth}")
        if c.children:
            cls.append("parent")
        return " ".join(cls)

    def author(self, c: Comment) -> str:
        name = texturize(esc(c.author))
        if c.url:
            link = f'<a href="{attr(c.url)}" rel="external nofollow ugc" class="url">{name}</a>'
            return f'<b class="fn">{link}</b>'
        return f'<b class="fn">{name}</b>'

    def text(self, c: Comment) -> str:
        paras = (texturize(p).replace("\n", "<br />\n") for p in c.paragraphs)
        return "\n".join(f"<p>{p}</p>" for p in paras)

    def reply(self, c: Comment, depth: int) -> str:
        if not self.open or depth >= self.depth_limit:
            return ""
        label = attr(f"Reply to {c.author}")
        return (
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
            f'href="{self.page_url}?replytocom={c.id}#respond" data-commentid="{c.id}" '
            f'data-postid="{self.post.id}" data-belowelement="div-comment-{c.id}" '
            'data-respondelement="respond" '
            f'data-replyto="{label}" aria-label="{label}">Reply</a></div>'
        )

    def render(self, c: Comment, depth: int = 1) -> str:
        avatar_hash = hashlib.md5(c.author.lower().encode()).hexdigest()
        avatar = (
            f"<img alt='' src='https://secure.gravatar.com/avatar/{avatar_hash}?s=60&#038;d=mm&#038;r=g' "
            f"class='avatar avatar-60 photo' height='60' width='60' loading='lazy' decoding='async'/>"
        )
        dt = c.published
        stamp = f"{long_date(dt)} at {clock(dt)}"
        children = ""
        classes = self.classes(c, depth)
        if c.children:
            children = (
                '\n<ol class="children">\n'
                + "\n".join(self.render(k, depth + 1) for k in c.children)
                + "\n</ol><!-- .children -->"
            )
        return f"""<li id="comment-{c.id}" class="{classes}">
<article id="div-comment-{c.id}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard">
{avatar}{self.author(c)} <span class="says">says:</span>
</div><!-- .comment-author -->
<div class="comment-metadata">
<a href="{self.theme.comment_link(self.post, c)}"><time datetime="{dt.isoformat()}">{stamp}</time></a>
</div><!-- .comment-metadata -->
</footer><!-- .comment-meta -->
<div class="comment-content">
{self.text(c)}
</div><!-- .comment-content -->
{self.reply(c, depth)}
</article><!-- .comment-body -->{children}
</li><!-- #comment-## -->"""


def _comment_form(theme: Theme, post: Post, page_url: str) -> str:
    return f"""<div id="respond" class="comment-respond">
<h2 id="reply-title" class="comment-reply-title">Leave a comment <small><a rel="nofollow" id="cancel-comment-reply-link" href="{page_url}#respond" style="display:none;">Cancel reply</a></small></h2>
<form action="{theme.url("wp-comments-post.php")}" method="post" id="commentform" class="comment-form" novalidate>
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="5" maxlength="65525" required></textarea></p>
<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" aria-describedby="email-notes" autocomplete="email" required /></p>
<p class="comment-form-url"><label for="url">Website</label> <input id="url" name="url" type="url" value="" size="30" maxlength="200" autocomplete="url" /></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post.id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' />
</p></form>
</div><!-- #respond -->"""  # noqa: E501


def _comment_nav(theme: Theme, post: Post, page: int, count: int) -> str:
    if count <= 1:
        return ""
    parts = []
    if page > 1:
        parts.append(
            f'<div class="nav-previous"><a href="{theme.comment_page_url(post, page - 1)}#comments">'
            "Older comments</a></div>"
        )
    if page < count:
        parts.append(
            f'<div class="nav-next"><a href="{theme.comment_page_url(post, page + 1)}#comments">'
            "Newer comments</a></div>"
        )
    return (
        '<nav class="navigation comment-navigation" aria-label="Comments">\n<h2 class="screen-reader-text">'
        f'Comments navigation</h2>\n<div class="nav-links">{"".join(parts)}</div>\n</nav>'
    )


def comments_area(theme: Theme, post: Post, page: int) -> str:
    """``div#comments``: title, one page of threads, comment navigation and the form (or a notice)."""
    pages = theme.comment_pages(post)
    page_url = theme.comment_page_url(post, page)
    is_open = post.options.get("comments_open", True)
    out = ['<div id="comments" class="comments-area default-max-width show-avatars">']
    total = len(post.comments)
    if total:
        title = texturize(post.title)
        heading = "One thought" if total == 1 else f"{total} thoughts"
        walker = _CommentWalker(theme, post, page_url)
        out.append(f'<h2 class="comments-title">{heading} on &ldquo;<span>{title}</span>&rdquo;</h2>')
        out.append(
            '<ol class="comment-list">\n'
            + "\n".join(walker.render(c) for c in pages[page - 1])
            + "\n</ol><!-- .comment-list -->"
        )
        out.append(_comment_nav(theme, post, page, len(pages)))
    if is_open:
        out.append(_comment_form(theme, post, page_url))
    elif total:
        out.append('<p class="no-comments">Comments are closed.</p>')
    out.append("</div><!-- #comments -->")
    return "\n".join(x for x in out if x)


def page_links(theme: Theme, post: Post, part: int) -> str:
    """Links between the pages of a post split with page breaks, as Twenty Twenty-One calls
    ``wp_link_pages`` (``nav.page-links``, ``a.post-page-numbers``); nothing for a one-page post."""
    count = len(split_pages(post.body))
    if count < 2:
        return ""
    links = [
        f'<span class="post-page-numbers current" aria-current="page">Page {n}</span>'
        if n == part
        else f'<a href="{part_url(theme, post, n)}" class="post-page-numbers">Page {n}</a>'
        for n in range(1, count + 1)
    ]
    return '<nav class="page-links" aria-label="Page">' + " ".join(links) + "</nav>"


def render_single(
    theme: Theme, post: Post, page: int | None = None, noindex: bool = False, part: int = 1
) -> str:
    """A post (``page`` = comment page number, default the newest; ``part`` = which of its pages, when
    page breaks split it) or a static page."""
    if post.is_page:
        return render_static_page(theme, post)
    pages = theme.comment_pages(post)
    page = page or len(pages)
    url = theme.post_url(post)
    canonical = part_url(theme, post, part) if part > 1 else theme.comment_page_url(post, page)
    cats = " ".join(f"category-{theme.category(c)['slug']}" for c in post.categories)
    tags = " ".join(f"tag-{slugify(t)}" for t in post.tags)
    has_thumb = " has-post-thumbnail" if any(b["type"] == "image" for b in post.body) else ""
    article_class = (
        f"post-{post.id} post type-post status-publish format-standard{has_thumb} hentry {cats} {tags} entry"
    ).replace("  ", " ")
    body_class = (
        f"post-template-default single single-post postid-{post.id} single-format-standard " + BODY_CLASS_TAIL
    )
    with_ad = post.kind == "recap"
    main = f"""
<article id="post-{post.id}" class="{article_class}">

	<header class="entry-header alignwide">
		<h1 class="entry-title">{texturize(post.title)}</h1>
{_entry_meta(theme, post)}
	</header><!-- .entry-header -->

	<div class="entry-content">
{render_body(split_pages(post.body)[part - 1], theme.url(), int(post.id), with_ad)}
{_sharing(url, post)}
{_related(theme, post)}
{page_links(theme, post, part)}
	</div><!-- .entry-content -->
{NEWSLETTER}

{_entry_footer(theme, post)}

</article><!-- #post-{post.id} -->

{_post_navigation(theme, post)}

{comments_area(theme, post, page)}
"""
    feed_link = (
        f'<link rel="alternate" type="application/rss+xml" title="{attr(theme.meta["title"])} &raquo; '
        f'{attr(plain(post.title))} Comments Feed" href="{url}feed/" />'
    )
    return theme.shell(
        head=head(theme, post, canonical, noindex, part) + feed_link, body_class=body_class, main=main
    )


def render_static_page(theme: Theme, post: Post) -> str:
    """A static page such as About (no byline, no comments)."""
    url = theme.post_url(post)
    body_class = f"page-template-default page page-id-{post.id} " + BODY_CLASS_TAIL
    main = f"""
<article id="post-{post.id}" class="post-{post.id} page type-page status-publish hentry entry">
	<header class="entry-header alignwide">
		<h1 class="entry-title">{texturize(post.title)}</h1>
	</header><!-- .entry-header -->
	<div class="entry-content">
{render_body(post.body, theme.url(), int(post.id), False)}
	</div><!-- .entry-content -->
</article><!-- #post-{post.id} -->
"""
    return theme.shell(head=head(theme, post, url, False), body_class=body_class, main=main)
