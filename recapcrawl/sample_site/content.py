"""Load the sample blogs' articles and comments from the JSON files under ``content/``.

Each blog has a ``site.json`` (blog name, authors, categories) and one JSON file per post or page.
The loader only parses and links the data; rendering and ground truth live in other modules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

CONTENT_DIR = Path(__file__).parent / "content"
BLOGS = ("wordpress", "blogger")


@dataclass
class Comment:
    """One reader comment; ``children`` are the direct replies in date order."""

    id: str
    parent: str | None
    author: str
    url: str | None
    published: datetime
    paragraphs: list[str]
    is_post_author: bool = False
    children: list[Comment] = field(default_factory=list)


@dataclass
class Post:
    """A post or static page of one of the blogs."""

    blog: str
    id: str
    kind: str
    slug: str
    title: str
    author: str
    published: datetime
    modified: datetime | None
    categories: list[str]
    tags: list[str]
    body: list[dict]
    comments: list[Comment]
    episode: dict | None = None
    options: dict = field(default_factory=dict)

    @property
    def is_page(self) -> bool:
        """True for static pages (About), which live outside the date-based permalinks."""
        return self.kind == "page"

    @property
    def path(self) -> str:
        """URL path of the post relative to the blog root (no leading slash)."""
        if self.blog == "wordpress":
            if self.is_page:
                return f"{self.slug}/"
            return f"{self.published:%Y/%m/%d}/{self.slug}/"
        if self.is_page:
            return f"p/{self.slug}.html"
        return f"{self.published:%Y/%m}/{self.slug}.html"

    @property
    def threads(self) -> list[Comment]:
        """Top-level comments, oldest first."""
        return [c for c in self.comments if c.parent is None]

    @property
    def last_activity(self) -> datetime:
        """The newest of the post's modification time and its comments' times."""
        times = [self.modified or self.published] + [c.published for c in self.comments]
        return max(times)


@dataclass
class Blog:
    """A blog: its settings from ``site.json`` and its posts (newest first) and pages."""

    name: str
    meta: dict
    posts: list[Post]
    pages: list[Post]

    def find(self, post_id: str) -> Post | None:
        """The post or page with this id, if any."""
        return next((p for p in self.posts + self.pages if p.id == str(post_id)), None)

    def author(self, slug: str) -> dict:
        """The author record (``name``, ``slug``, ...) for an author slug."""
        return next(a for a in self.meta["authors"] if a["slug"] == slug)


def _comment(data: dict) -> Comment:
    return Comment(
        id=str(data["id"]),
        parent=None if data.get("parent") is None else str(data["parent"]),
        author=data["author"],
        url=data.get("url"),
        published=datetime.fromisoformat(data["published"]),
        paragraphs=list(data["paragraphs"]),
        is_post_author=bool(data.get("is_post_author", False)),
    )


def _post(blog: str, data: dict) -> Post:
    known = {
        "id",
        "kind",
        "slug",
        "title",
        "author",
        "published",
        "modified",
        "categories",
        "tags",
        "body",
        "comments",
        "episode",
    }
    comments = sorted((_comment(c) for c in data.get("comments", [])), key=lambda c: (c.published, c.id))
    by_id = {c.id: c for c in comments}
    for c in comments:
        if c.parent is not None:
            by_id[c.parent].children.append(c)
    modified = data.get("modified")
    return Post(
        blog=blog,
        id=str(data["id"]),
        kind=data["kind"],
        slug=data["slug"],
        title=data["title"],
        author=data["author"],
        published=datetime.fromisoformat(data["published"]),
        modified=datetime.fromisoformat(modified) if modified else None,
        categories=list(data.get("categories", [])),
        tags=list(data.get("tags", [])),
        body=list(data["body"]),
        comments=comments,
        episode=data.get("episode"),
        options={k: v for k, v in data.items() if k not in known},
    )


@cache
def load_blog(name: str) -> Blog:
    """Read one blog (``"wordpress"`` or ``"blogger"``) from ``content/<name>/``."""
    root = CONTENT_DIR / name
    meta = json.loads((root / "site.json").read_text(encoding="utf-8"))
    items = [_post(name, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(root.glob("*/*.json"))]
    posts = sorted((p for p in items if not p.is_page), key=lambda p: p.published, reverse=True)
    pages = [p for p in items if p.is_page]
    return Blog(name=name, meta=meta, posts=posts, pages=pages)


def load_blogs() -> dict[str, Blog]:
    """Both blogs, keyed by name."""
    return {name: load_blog(name) for name in BLOGS}
