"""Plain data classes for what a page splits into. No Scrapy, no SQL."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    section: str | None = None  # text of the heading above, or None before the first one


@dataclass(frozen=True)
class Bullet:
    text: str  # the item's own text, without its nested list
    list: int  # index of the list in the body, 0-based, counted over every <ul>/<ol>
    ordered: bool
    depth: int  # 0 for top-level items
    heading: str | None = None
    parent: str | None = None  # text of the parent item for nested items


@dataclass(frozen=True)
class Quote:
    text: str  # without the quotation marks
    kind: str  # inline | blockquote | pullquote
    source: str  # paragraph | heading | bullet | quote
    speaker: str | None = None
    cite: str | None = None
    section: str | None = None
    # how the speaker was found: named (the text names them), pronoun (a he/she tag), context (the
    # paragraph's flow); None without a speaker (docs/speakers.md, "Evidence")
    speaker_evidence: str | None = None


@dataclass(frozen=True)
class Comment:
    id: str  # the site's own id, e.g. "30" for WordPress's comment-30
    text: str  # paragraphs joined by a blank line, <br> as a newline
    parent_id: str | None = None
    depth: int = 0
    author: str | None = None
    author_url: str | None = None
    published: str | None = None  # ISO 8601 with offset
    is_post_author: bool = False
    page: int | None = None  # the comment page it was found on


@dataclass(frozen=True)
class Episode:
    show: str | None = None
    season: int | None = None
    episodes: tuple[int, ...] = ()
    titles: tuple[str, ...] = ()

    @property
    def episode(self) -> int | list[int] | None:
        """The export's shape: one int, a list for a multi-episode recap, or None."""
        if not self.episodes:
            return None
        return self.episodes[0] if len(self.episodes) == 1 else list(self.episodes)

    @property
    def episode_title(self) -> str | list[str] | None:
        if not self.titles:
            return None
        return self.titles[0] if len(self.titles) == 1 else list(self.titles)


@dataclass
class Metadata:
    url: str
    canonical_url: str
    site: str
    title: str | None = None
    author: str | None = None
    author_url: str | None = None
    published: str | None = None
    modified: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    page_type: str | None = None  # og:type / JSON-LD @type / body class hints: "article", "page", ...
    generator: str | None = None
    language: str | None = None


@dataclass
class CommentPage:
    """Where a page's comments are and where the other comment pages live."""

    number: int | None  # this page's number, None when the thread is not paginated
    page_urls: list[str] = field(default_factory=list)  # every other comment page linked from here
    comments_open: bool | None = None
    comment_count: int | None = None  # what the page says ("24 comments"), when it says
    hosted_by: str | None = None  # a third party whose script shows the comments: disqus, facebook, …


@dataclass
class Recap:
    """Everything split out of one recap, ready for storage and export."""

    meta: Metadata
    episode: Episode
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_pages: CommentPage | None = None
    platform: str = "generic"
    body_text: str = ""  # headings, paragraphs, list items, quotes and table rows, blank-line separated

    def to_dict(self) -> dict[str, Any]:
        """The export contract: one JSON-ready object per recap."""
        meta = self.meta
        return {
            "url": meta.canonical_url,
            "site": meta.site,
            "title": meta.title,
            "author": meta.author,
            "author_url": meta.author_url,
            "published": meta.published,
            "modified": meta.modified,
            "show": self.episode.show,
            "season": self.episode.season,
            "episode": self.episode.episode,
            "episode_title": self.episode.episode_title,
            "categories": list(meta.categories),
            "tags": list(meta.tags),
            "platform": self.platform,
            "headings": [asdict(h) for h in self.headings],
            "paragraphs": [asdict(p) for p in self.paragraphs],
            "bullets": [asdict(b) for b in self.bullets],
            "quotes": [asdict(q) for q in self.quotes],
            "comments": [asdict(c) for c in self.comments],
        }


@dataclass
class PageOutcome:
    """What became of one fetched URL: a recap, or the reason it is not one."""

    url: str
    status: int | None = None
    content_type: str | None = None
    kind: str = "other"  # recap | comment_page | listing | page | feed | sitemap | robots | error | other
    is_recap: bool = False
    reason: str | None = None  # why not a recap, or what went wrong
    canonical_url: str | None = None
    title: str | None = None
    fetched_at: str | None = None
    size: int | None = None
    comments_hosted_by: str | None = None  # a third-party comment widget (disqus, facebook, …), if any
