"""Platform profiles, as data: where each blogging platform puts a post's parts.

A profile names, as XPaths, the title, byline, dates, term links, body, boilerplate inside the
body, comment items and their fields, and the current comment page. ``detect`` picks a profile
from ``<meta name="generator">`` and then from class patterns, falling back to ``GENERIC``.
Every lookup tries the page's profile first and the generic profile's paths after it
(``paths(profile, "title")``), so a profile only lists what is special about its platform.

Comment field paths are relative to one comment item; all other paths are absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import etree

from .dom import Page
from .selectors import Path
from .selectors import class_test as c


def _any(*names: str) -> str:
    return " or ".join(c(name) for name in names)


def _in_article(step: str) -> str:
    """``//article//STEP`` written so it stays linear when a page has thousands of ``<article>`` elements
    (a WordPress comment is one): ``//STEP[ancestor::article]`` finds the same nodes, in the same order."""
    return f"//{step}[ancestor::article]"


# Not inside a comment thread: a comment's own <time> (Twenty Twenty's article.comment-body) is no post date.
NOT_IN_COMMENTS = (
    "[not(ancestor::*[@id='comments' or starts-with(@id, 'comment-') or starts-with(@id, 'div-comment-')"
    " or contains(@class, 'comment-body') or contains(@class, 'comments-area')])]"
)


# The post's own, not a card's: no <article> nested in another (related posts, a comment), no related box.
THE_POST_ONLY = (
    NOT_IN_COMMENTS + "[not(ancestor::article[ancestor::article])]"
    "[not(ancestor::*[contains(@id, 'related') or contains(@class, 'related')])]"
)
# A date's words as the page shows them (no screen-reader label such as "Post published:").
_SHOWN_TEXT = f"//text()[normalize-space()][not(ancestor::*[{c('screen-reader-text')}])]"


# An XPath, or (XPath, the strings a page's attribute values must contain for it to find anything).
PathSpec = str | tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Profile:
    name: str
    generator: str = ""  # regular expression for <meta name="generator">, case-insensitive
    markers: tuple[str, ...] = ()  # XPaths; a page matching any is this platform's
    body: tuple[PathSpec, ...] = ()  # (each path: an XPath, or (XPath, needles); see _COMMENT_IDS)
    title: tuple[PathSpec, ...] = ()
    byline: tuple[PathSpec, ...] = ()
    published: tuple[PathSpec, ...] = ()  # attribute values (datetime, title, content)
    modified: tuple[PathSpec, ...] = ()
    terms: tuple[PathSpec, ...] = ()  # term links: categories and tags
    category_terms: tuple[PathSpec, ...] = ()  # term links that are categories
    boilerplate: tuple[PathSpec, ...] = ()  # inside the body, never article text
    comment_items: tuple[PathSpec, ...] = ()
    comment_author: tuple[PathSpec, ...] = ()
    comment_content: tuple[PathSpec, ...] = ()
    comment_date: tuple[PathSpec, ...] = ()  # attribute values
    comment_date_text: tuple[PathSpec, ...] = ()
    comment_by_post_author: tuple[PathSpec, ...] = ()
    comment_page_current: tuple[PathSpec, ...] = ()  # text of the current comment page's number
    comments_by_script: str | None = None  # where the platform loads comments by JavaScript


# A path may come with the strings a page's attribute values must contain for it to find anything
# (``(expression, needles)``); otherwise the expression's own literals are used (``selectors.Path``).
_COMMENT_IDS = ("comment-", "comment_")

# ---------------------------------------------------------------- WordPress (classic and block themes)
_WP_COMMENT_ITEMS = (
    ("//li[starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]", _COMMENT_IDS),
    (f"//*[starts-with(@id, 'comment-')][not(self::li)][{c('comment')}]", _COMMENT_IDS),
)
_WP_COMMENT_AUTHOR = (
    f".//*[{c('comment-author')}]//*[{c('fn')}]",
    f".//*[{c('ast-comment-cite-wrap')}]//*[{c('fn')}]",
    f".//*[{c('fn')}]",
    f".//*[{c('comment-author')}]",
    ".//cite",
)
_WP_COMMENT_CONTENT = (
    f".//*[{c('comment-content')}]",
    f".//*[{c('ast-comment-content')}]",
    f".//*[{c('comment-text')}]",
    f".//*[{c('comment-body')}]",
)
_WP_COMMENT_DATE_TEXT = (
    f".//*[{c('comment-metadata')}]//a",
    f".//*[{c('comment-date')}]",
    f".//*[{c('commentmetadata')}]",
    ".//time",
)

WORDPRESS_BLOCK = Profile(
    name="wordpress-block",
    generator=r"^wordpress",
    # Only on pages that are WordPress's (generator or WORDPRESS's markers): a block theme's template.
    markers=(f"//*[{_any('wp-site-blocks', 'wp-block-post-content', 'wp-block-comment-template')}]",),
    body=(f"//*[{c('wp-block-post-content')}]", f"//*[{c('entry-content')}]"),
    title=(f"//*[{c('wp-block-post-title')}]", f"//*[{c('entry-title')}]"),
    byline=(f"//*[{c('wp-block-post-author-name')}]", f"//*[{c('wp-block-post-author__name')}]"),
    published=(
        f"//*[{c('wp-block-post-date')} and not({c('wp-block-post-date__modified-date')})]//time/@datetime",
    ),
    modified=(f"//*[{c('wp-block-post-date__modified-date')}]//time/@datetime",),
    terms=(f"//*[{c('wp-block-post-terms')}]//a",),
    category_terms=(f"//*[{c('wp-block-post-terms')} and {c('taxonomy-category')}]//a",),
    comment_items=(f"//*[{c('wp-block-comment-template')}]//li[starts-with(@id, 'comment-')]",),
    comment_author=(f".//*[{c('wp-block-comment-author-name')}]",),
    comment_content=(f".//*[{c('wp-block-comment-content')}]",),
    comment_date_text=(f".//*[{c('wp-block-comment-date')}]",),
    comment_page_current=(f"//*[{c('wp-block-comments-pagination')}]//*[{c('current')}]//text()",),
)

# Classic themes, the default ones and the big commercial ones: Astra, GeneratePress, OceanWP, Kadence
# and Genesis use .entry-content; Newspaper (tagDiv) .td-post-content or tdb blocks; Divi and
# Elementor their builder's post-content module.
WORDPRESS = Profile(
    name="wordpress",
    generator=r"^wordpress",
    markers=(
        "//link[contains(@href, '/wp-content/') or contains(@href, '/wp-includes/')]"
        " | //script[contains(@src, '/wp-content/') or contains(@src, '/wp-includes/')]",
        f"//body[{_any('wp-embed-responsive', 'single-post')}]",
    ),
    body=(
        _in_article(f"*[{c('entry-content')}]"),
        f"//*[{c('entry-content')}]",
        f"//*[{c('td-post-content')}]",
        f"//*[{c('tdb_single_content')}]//*[{c('tdb-block-inner')}]",
        f"//*[{c('et_pb_post_content')}]",
        f"//*[{c('elementor-widget-theme-post-content')}]//*[{c('elementor-widget-container')}]",
    ),
    title=(
        _in_article(f"*[{c('entry-title')}]"),
        f"//*[{c('entry-title')}]",
        f"//*[{c('tdb-title-text')}]",
        f"//*[{c('elementor-widget-theme-post-title')}]//*[{c('elementor-heading-title')}]",
    ),
    byline=(
        _in_article(f"*[{c('byline')}]")
        + "//a[@rel='author'] | "
        + _in_article(f"*[{c('author')}]")
        + f"//*[{c('fn')}]",
        f"//*[{c('post-author')}]//*[{c('fn')}]",
        f"//*[{c('byline')}]//*[{c('author-name')} or {c('fn')}] | //*[{c('byline')}]//a",
        f"//*[{c('posted-by')} or {c('entry-author')}]//*[{c('author-name')}]",
        f"//*[{c('td-post-author-name')}]//a | //*[{c('tdb-author-name')}]",
    ),
    published=(
        _in_article(f"time[{c('published')}]") + THE_POST_ONLY + "/@datetime",
        f"//time[{c('entry-date')}]{THE_POST_ONLY}/@datetime",
        f"//*[{c('published')}]{THE_POST_ONLY}/@datetime | //*[{c('published')}]{THE_POST_ONLY}/@title",
        f"//*[{c('td-post-date')}]//time/@datetime",
    ),
    modified=(_in_article(f"time[{c('updated')}]") + "/@datetime",),
    category_terms=(
        f"//*[{_any('cat-links', 'post-categories', 'entry-categories', 'td-category', 'tdb-category')}]//a",
    ),
    terms=(f"//*[{_any('tags-links', 'td-tags', 'tdb-tags')}]//a",),
    boilerplate=(
        f"descendant::*[{_any('td-a-rec', 'td-post-sharing', 'td-post-source-tags')}]",
        f"descendant::*[{_any('ast-post-social-sharing', 'generate-social-share')}]",
    ),
    comment_items=_WP_COMMENT_ITEMS,
    comment_author=_WP_COMMENT_AUTHOR,
    comment_content=_WP_COMMENT_CONTENT,
    comment_date_text=_WP_COMMENT_DATE_TEXT,
    comment_page_current=(
        f"//*[{_any('comment-navigation', 'comments-pagination', 'navigation')}]//*[{c('current')}]//text()",
    ),
)

# ---------------------------------------------------------------- Blogger / Blogspot
BLOGGER = Profile(
    name="blogger",
    generator=r"^blogger",
    markers=(f"//*[{c('post-outer')}] | //*[@id='Blog1']",),
    body=(f"//*[{c('post-body')}]",),
    title=(f"//*[{c('post-title')}]", f"//*[{c('entry-title')}]"),
    byline=(
        f"//*[{c('post-author')}]//*[@itemprop='name']",
        f"//*[{c('post-author')}]//*[{c('fn')}]",
        f"//*[{c('g-profile')}]",
    ),
    published=(
        f"//*[{c('published')}]/@title | //*[{c('published')}]/@datetime",
        f"//*[{c('post-timestamp')}]//time/@datetime",
    ),
    terms=(f"//*[{c('post-labels')}]//a",),
    comment_items=(f"//*[{c('comment-thread')}]//li[{c('comment')}][starts-with(@id, 'c')]",),
    comment_author=(f".//cite[{c('user')}]", f".//*[{c('comment-header')}]//*[{c('user')}]"),
    comment_content=(f".//*[{c('comment-content')}]",),
    comment_date_text=(f".//*[{c('datetime')}]",),
    comment_by_post_author=(f".//*[{c('blog-author')}]",),
)

# ---------------------------------------------------------------- Ghost (Casper, Source and most themes)
GHOST = Profile(
    name="ghost",
    generator=r"^ghost",
    markers=(f"//*[{_any('gh-content', 'gh-article', 'post-full-content')}]",),
    body=(f"//*[{c('gh-content')}]", f"//*[{c('post-full-content')}]//*[{c('post-content')}]"),
    title=(f"//*[{_any('gh-article-title', 'article-title', 'post-full-title')}]",),
    byline=(
        f"//*[{c('gh-article-author-name')}]//a | //*[{c('gh-article-author-name')}]",
        f"//*[{c('article-byline')}]//*[{c('author-name')}]//a",
        f"//*[{c('author-list-item')}]//a[contains(@href, '/author/')]",
    ),
    published=(
        f"//time[{_any('byline-meta-date', 'gh-article-meta-date', 'post-full-meta-date')}]/@datetime",
    ),
    terms=(f"//*[{_any('article-tag', 'gh-article-tag', 'post-full-tags', 'post-card-primary-tag')}]//a",),
    boilerplate=(
        f"descendant::*[{_any('kg-callout-emoji', 'kg-signup-card', 'kg-button-card', 'kg-cta-card')}]",
    ),
    comments_by_script="ghost",
)

# ---------------------------------------------------------------- Substack
SUBSTACK = Profile(
    name="substack",
    generator=r"^substack",
    markers=(
        "//link[contains(@href, 'substackcdn.com')] | //script[contains(@src, 'substackcdn.com')]"
        f" | //*[{c('available-content')}]",
    ),
    body=(f"//*[{c('available-content')}]//*[{c('body')}]", f"//*[{c('available-content')}]"),
    title=(f"//h1[{c('post-title')}]",),
    byline=(
        f"//*[{c('byline-names')}]//a",
        f"//*[{c('post-header')}]//a[contains(@href, '/@') or contains(@href, '/profile/')]",
    ),
    boilerplate=(
        f"descendant::*[{_any('subscription-widget-wrap', 'subscription-widget', 'subscribe-widget')}]",
        f"descendant::*[{_any('button-wrapper', 'captioned-button-wrap', 'paywall', 'image-link-expand')}]",
        "descendant::*[@data-component-name='SubscribeWidget' or @data-component-name='ButtonCreateButton']",
    ),
    comments_by_script="substack",
)

# ---------------------------------------------------------------- Medium (and Medium-like pages)
MEDIUM = Profile(
    name="medium",
    generator=r"^medium",
    markers=(
        "//meta[@property='al:android:package'][@content='com.medium.reader']"
        f" | //*[{c('pw-post-body-paragraph')}]",
    ),
    body=(_in_article("section") + "[.//p]", "//article"),
    title=("//*[@data-testid='storyTitle']", f"//h1[{c('pw-post-title')}]"),
    byline=("//*[@data-testid='authorName']",),
    terms=("//a[contains(@href, 'medium.com/tag/') or starts-with(@href, '/tag/')][not(ancestor::nav)]",),
    published=("//*[@data-testid='storyPublishDate']/@datetime",),
    boilerplate=(
        f"descendant::*[{c('pw-post-title')} or @data-testid='storyTitle' or @data-testid='authorName']",
        f"descendant::*[{c('speechify-ignore')}]",
    ),
    comments_by_script="medium",
)

# ---------------------------------------------------------------- generic: what most other sites use
GENERIC = Profile(
    name="generic",
    # The first two (article containers) are the body when one alone holds most of the paragraph text;
    # otherwise all are tried only when trafilatura finds no main content: it judges unknown markup better.
    body=(
        "//*[@itemprop='articleBody']",
        f"//*[{_any('post-content', 'article-content', 'article-body', 'post-body', 'entry-content')}]",
        "//article",
        "//main",
    ),
    title=(
        f"//*[{_any('entry-title', 'post-title', 'article-title', 'headline')}]",
        _in_article("h1"),
    ),
    byline=(
        f"//*[{c('byline')}]//*[{c('fn')}] | //*[{c('byline')}]//a",
        "//a[@rel='author']",
        "//*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author' and not(*)]",
        f"//*[{_any('author-name', 'byline-name')}]",
    ),
    published=(
        "//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime",
        _in_article("time") + THE_POST_ONLY + "/@datetime",
        # hAtom's published date (abbr.published), any time in the main column, a WordPress entry date's text,
        # a datePublished that is only text (OceanWP's li.meta-date)
        f"//*[{c('published')}]{THE_POST_ONLY}/@title | //*[{c('published')}]{THE_POST_ONLY}/@datetime",
        f"//time[@datetime][ancestor::main]{THE_POST_ONLY}/@datetime",
        f"//*[{_any('entry-date', 'post-date')}]{THE_POST_ONLY}{_SHOWN_TEXT}",
        f"//*[@itemprop='datePublished'][not(@content) and not(@datetime)]{THE_POST_ONLY}{_SHOWN_TEXT}",
    ),
    modified=("//*[@itemprop='dateModified']/@content | //*[@itemprop='dateModified']/@datetime",),
    terms=(
        "//a[@rel][contains(concat(' ', normalize-space(@rel), ' '), ' tag ')"
        " or contains(concat(' ', normalize-space(@rel), ' '), ' category ')]",
        f"//*[{_any('tags', 'post-tags', 'entry-tags', 'tag-list', 'article-tags')}]"
        "//a[contains(@href, '/tag/') or contains(@href, '/tags/') or contains(@href, '/topic')]",
    ),
    category_terms=(
        f"//*[{_any('taxonomy-category', 'cat-links', 'post-categories', 'entry-categories')}]//a",
        "//a[@rel][contains(concat(' ', normalize-space(@rel), ' '), ' category ')]",
    ),
    comment_items=(
        ("//li[starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')]", _COMMENT_IDS),
        # wpDiscuz: the outer element holds the comment and its replies (wpd-comm-12_0, wc-comm-12_0)
        ("//div[starts-with(@id, 'wpd-comm-') or starts-with(@id, 'wc-comm-')]", ("wpd-comm-", "wc-comm-")),
        (
            "//*[starts-with(@id, 'comment-') or starts-with(@id, 'comment_')]["
            + c("comment")
            + " or ancestor::*"
            f"[@id='comments' or {_any('comments', 'comment-list', 'commentlist', 'comments-list')}]]",
            _COMMENT_IDS,
        ),
    ),
    comment_author=(
        f".//*[{c('comment-author')}]//*[{c('fn')}]",
        f".//*[{c('fn')}]",
        ".//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']",
        f".//*[{_any('comment-author', 'author', 'author-name', 'username', 'user-name', 'commenter')}]",
        ".//cite",
    ),
    comment_content=(
        ".//*[@property='schema:text' or @property='content:encoded']",  # Drupal's RDFa
        f".//*[{_any('comment-content', 'comment-text', 'comment-body')}]",
        ".//*[@itemprop='text']",
        f".//*[{_any('content', 'text', 'body', 'message')}]",
    ),
    comment_date=(
        ".//time/@datetime",
        ".//*[@itemprop='dateCreated' or @itemprop='datePublished']/@content",
        ".//*[@itemprop='dateCreated' or @itemprop='datePublished']/@datetime",
        ".//abbr/@title",
        ".//*[contains(@property, 'dateCreated') or contains(@property, 'dc:date')]/@content",
    ),
    comment_date_text=(f".//*[{_any('comment-date', 'date', 'datetime', 'timestamp', 'comment-time')}]",),
    comment_by_post_author=(f".//*[{_any('blog-author', 'post-author-badge', 'author-badge')}]",),
    comment_page_current=(
        f"//*[{_any('comment-navigation', 'comments-pagination', 'comment-pagination')}]"
        f"//*[{c('current')}]//text()",
    ),
)

# Detection order: block themes before classic WordPress (both say "WordPress" in the generator).
PROFILES = (WORDPRESS_BLOCK, WORDPRESS, BLOGGER, GHOST, SUBSTACK, MEDIUM)
BY_NAME = {p.name: p for p in (*PROFILES, GENERIC)}


@cache
def xpath(entry: PathSpec) -> Path:
    return Path(entry) if isinstance(entry, str) else Path(*entry)


@cache
def paths(profile: Profile, field: str) -> tuple[Path, ...]:
    """A field's compiled XPaths: the profile's own, then the generic profile's."""
    own = getattr(profile, field)
    generic = getattr(GENERIC, field) if profile is not GENERIC else ()
    return tuple(xpath(e) for e in dict.fromkeys((*own, *generic)))


def _matches(root: Page | etree._Element, profile: Profile) -> bool:
    return any(xpath(marker)(root) for marker in profile.markers)


def detect(root: Page | etree._Element, generator: str | None) -> Profile:
    """The page's platform profile: by generator, then by markup patterns; generic when nothing fits.

    WordPress's two profiles share the generator and the ``/wp-content/`` URLs: a WordPress page is
    a block theme's when its template's classes say so.
    """
    generator = (generator or "").strip()
    found = next((p for p in PROFILES if p.generator and re.match(p.generator, generator, re.I)), None)
    if found is None:
        found = next((p for p in PROFILES if p is not WORDPRESS_BLOCK and _matches(root, p)), GENERIC)
    if found in (WORDPRESS, WORDPRESS_BLOCK):
        return WORDPRESS_BLOCK if _matches(root, WORDPRESS_BLOCK) else WORDPRESS
    return found
