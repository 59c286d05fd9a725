"""Every XPath the extractor uses, named, in one place, compiled once.

Containers are looked up with lxml; only the fragments found here are split further.
Each list is tried in order and the first match wins, so platform-specific selectors
come before generic ones.
"""

from __future__ import annotations

import re

from lxml import etree


def _class(name: str) -> str:
    """An XPath predicate: the class attribute contains ``name`` as a whole word."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _descendant_with_class(*names: str) -> str:
    return "".join(f"//*[{_class(name)}]" for name in names).replace("//", ".//", 1)


def xp(expression: str) -> etree.XPath:
    return etree.XPath(expression)


# Article body, most specific first: WordPress classic and block themes, Blogger, Ghost,
# Substack, Medium-like, then schema.org and HTML5 fallbacks.
BODY = [
    xp(f"//article//*[{_class('entry-content')}]"),
    xp(f"//*[{_class('wp-block-post-content')}]"),
    xp(f"//*[{_class('entry-content')}]"),
    xp(f"//*[{_class('post-body')}]"),
    xp(f"//*[{_class('gh-content')}]"),
    xp(f"//*[{_class('available-content')}]//*[{_class('body')}]"),
    xp(f"//*[{_class('post-content')}]"),
    xp(f"//*[{_class('article-content')}]"),
    xp(f"//*[{_class('article-body')}]"),
    xp("//*[@itemprop='articleBody']"),
    xp(f"//*[{_class('post-entry')}]"),
    xp("//article"),
    xp("//main"),
]

# Things inside a body that are never part of the article text.
BOILERPLATE = xp(
    "descendant::script | descendant::style | descendant::noscript | descendant::template"
    " | descendant::form | descendant::nav | descendant::aside | descendant::iframe | descendant::svg"
    " | descendant::button | descendant::select | descendant::input"
    f" | descendant::*[{_class('sharedaddy')} or {_class('jp-relatedposts')} or {_class('sd-sharing')}"
    f" or {_class('share-buttons')} or {_class('social-share')} or {_class('sharing')}"
    f" or {_class('related-posts')} or {_class('yarpp-related')} or {_class('crp_related')}"
    f" or {_class('newsletter')} or {_class('advertisement')} or {_class('ad-slot')}"
    f" or {_class('adsbygoogle')}"
    f" or {_class('wp-block-buttons')} or {_class('post-tags')} or {_class('screen-reader-text')}"
    f" or {_class('author-bio')} or {_class('comments-area')} or {_class('comment-respond')}"
    f" or {_class('wp-block-comments')} or {_class('wp-block-post-navigation-link')}"
    " or @id='jp-relatedposts' or @id='comments' or @id='respond' or @aria-hidden='true']"
)

# Class or id tokens of ads, sponsored boxes and ad-inserter wrappers ("ad-unit", "code-block-3", …).
_AD_TOKEN = re.compile(
    r"^(?:ad|ads|advert|adverts|advertisement|adsense|adunit|ad-?slot|sponsor(?:ed)?|promo|dfp|gpt|"
    r"code-block(?:-\d+)?)(?:$|[-_])",
    re.I,
)


def is_ad_or_promo(classes: str | None, element_id: str | None = None) -> bool:
    """Whether an element's class or id marks it as an ad, a sponsored box or an ad-inserter wrapper."""
    tokens = (classes or "").split() + ([element_id] if element_id else [])
    return any(_AD_TOKEN.match(token) for token in tokens)


TITLE = [
    xp(f"//article//*[{_class('entry-title')}]"),
    xp(f"//*[{_class('entry-title')}]"),
    xp(f"//*[{_class('wp-block-post-title')}]"),
    xp(f"//*[{_class('post-title')}]"),
    xp(f"//*[{_class('article-title')}]"),
    xp("//article//h1"),
    xp("//h1"),
]

BYLINE = [
    xp(
        f"//article//*[{_class('byline')}]//a[@rel='author']"
        f" | //article//*[{_class('author')}]//*[{_class('fn')}]"
    ),
    xp(f"//*[{_class('post-author')}]//*[{_class('fn')}]"),
    xp(f"//*[{_class('wp-block-post-author-name')}]"),
    xp(f"//*[{_class('byline')}]//*[{_class('fn')}] | //*[{_class('byline')}]//a"),
    xp("//a[@rel='author']"),
    xp("//*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author' and not(*)]"),
]

PUBLISHED = [
    xp(f"//article//time[{_class('published')}]/@datetime"),
    xp(f"//time[{_class('entry-date')}]/@datetime"),
    xp(f"//*[{_class('published')}]/@datetime | //*[{_class('published')}]/@title"),
    xp("//*[@itemprop='datePublished']/@content | //*[@itemprop='datePublished']/@datetime"),
    xp("//article//time/@datetime"),
]

MODIFIED = [
    xp(f"//article//time[{_class('updated')}]/@datetime"),
    xp("//*[@itemprop='dateModified']/@content | //*[@itemprop='dateModified']/@datetime"),
]

# Term links (categories and tags): rel="tag" / rel="category tag", Blogger labels, block-theme terms.
TERM_LINKS = xp(
    "descendant::a[contains(concat(' ', normalize-space(@rel), ' '), ' tag ')"
    " or contains(concat(' ', normalize-space(@rel), ' '), ' category ')]"
)
CATEGORY_CONTAINER = xp(
    f"ancestor::*[{_class('taxonomy-category')} or {_class('cat-links')} or {_class('post-categories')}"
    f" or {_class('entry-categories')}]"
)

JSON_LD = xp("//script[@type='application/ld+json']/text()")
META = xp("//meta[@content]")
CANONICAL = xp("//link[@rel='canonical']/@href")
ARTICLES = xp("//article | //*[" + _class("post-outer") + "] | //*[" + _class("hentry") + "]")
BODY_CLASS = xp("//body/@class")
LANG = xp("/html/@lang")

# ---------------------------------------------------------------- comments
# Comment items: WordPress li#comment-N (classic and block themes), Blogger li.comment#cN,
# and any other element with an id like comment-N and a "comment" class.
COMMENT_ITEMS = xp(
    f"//li[starts-with(@id, 'comment-') or (starts-with(@id, 'c') and {_class('comment')})]"
    f" | //*[not(self::li)][starts-with(@id, 'comment-')][{_class('comment')}]"
)
# Relative to one comment item; the first path that finds something inside the comment itself wins.
COMMENT_AUTHOR = [
    _descendant_with_class("comment-author", "fn"),
    _descendant_with_class("wp-block-comment-author-name"),
    f".//cite[{_class('user')}]",
    _descendant_with_class("fn"),
    _descendant_with_class("comment-author"),
    ".//*[@itemprop='author']//*[@itemprop='name'] | .//*[@itemprop='author']",
    _descendant_with_class("author"),
]
COMMENT_CONTENT = [
    _descendant_with_class("comment-content"),
    _descendant_with_class("wp-block-comment-content"),
    ".//*[@itemprop='text']",
    _descendant_with_class("comment-text"),
    _descendant_with_class("comment-body"),
]
COMMENT_DATE_ATTR = [".//time/@datetime", ".//*[@itemprop='datePublished']/@content", ".//abbr/@title"]
COMMENT_DATE_TEXT = [
    _descendant_with_class("comment-metadata") + "//a",
    _descendant_with_class("datetime"),
    _descendant_with_class("comment-date"),
    _descendant_with_class("wp-block-comment-date"),
    _descendant_with_class("commentmetadata"),
]
COMMENT_BY_POST_AUTHOR = [_descendant_with_class("blog-author")]
COMMENT_FORM = xp(f"//form[@id='commentform' or {_class('comment-form')}]")
COMMENTS_CLOSED = xp(f"//*[{_class('no-comments')} or {_class('comments-closed')}]")
COMMENTS_TITLE_TEXT = xp(f"//*[{_class('comments-title')}]//text()")
COMMENT_PAGE_CURRENT = xp(
    f"//*[{_class('comment-navigation')} or {_class('comments-pagination')}"
    f" or {_class('wp-block-comments-pagination')} or {_class('navigation')}]"
    f"//*[{_class('current')}]//text()"
)
