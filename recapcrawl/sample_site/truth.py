"""Ground truth for the sample blogs, derived from the content files.

``build_truth()`` lists every recap with what an extractor should find on its page (texts exactly as a
reader sees them; a post split with page breaks is one recap with every page's text, in order) and
every URL that must not be archived as a recap.  URLs use the placeholder bases
:data:`WORDPRESS_PLACEHOLDER` and :data:`BLOGGER_PLACEHOLDER`; :func:`load_truth` swaps in real ones.

Run ``python -m recapcrawl.sample_site.truth`` to regenerate ``truth.json`` (``--check`` only compares).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .content import Blog, Comment, Post, load_blogs
from .textutil import plain, plain_lines, quote_spans, slugify

TRUTH_FILE = Path(__file__).with_name("truth.json")
WORDPRESS_PLACEHOLDER = "http://SAMPLE-WORDPRESS/"
BLOGGER_PLACEHOLDER = "http://SAMPLE-BLOGGER/"


def _inline_quotes(block: dict, source: str) -> list[dict]:
    spans = quote_spans(plain(block["html"]))
    speakers = block.get("speakers", [])
    if len(spans) != len(speakers):
        raise ValueError(f"{len(spans)} quoted spans but {len(speakers)} speakers in {block['html']!r}")
    return [
        {"text": t, "kind": "inline", "source": source, "speaker": s}
        for t, s in zip(spans, speakers, strict=True)
    ]


class _Reader:
    """Walks a post body in document order, collecting what a reader sees."""

    def __init__(self) -> None:
        self.headings: list[dict] = []
        self.paragraphs: list[dict] = []
        self.bullets: list[dict] = []
        self.quotes: list[dict] = []
        self.section: str | None = None
        self.lists = 0

    def block(self, block: dict) -> None:
        kind = block["type"]
        if kind == "heading":
            self.section = plain(block["html"])
            self.headings.append({"level": block["level"], "text": self.section})
            self.quotes += _inline_quotes(block, "heading")
        elif kind == "paragraph":
            text = plain(block["html"])
            if text:
                self.paragraphs.append({"section": self.section, "text": text})
                self.quotes += _inline_quotes(block, "paragraph")
        elif kind == "list":
            self.items(block, depth=0)
            self.lists += 1
        elif kind in ("blockquote", "pullquote"):
            self.quotes.append(
                {
                    "text": plain(block["html"]),
                    "kind": kind,
                    "source": "quote",
                    "speaker": block.get("speaker"),
                }
            )

    def items(self, data: dict, depth: int) -> None:
        for item in data["items"]:
            self.bullets.append(
                {
                    "text": plain(item["html"]),
                    "list": self.lists,
                    "ordered": data["ordered"],
                    "depth": depth,
                    "heading": self.section,
                }
            )
            self.quotes += _inline_quotes(item, "bullet")
            if "children" in item:
                self.items(item["children"], depth + 1)


def _comment(c: Comment) -> dict:
    return {
        "id": c.id,
        "parent_id": c.parent,
        "author": c.author,
        "published": c.published.isoformat(),
        "text": "\n\n".join(plain_lines(p) for p in c.paragraphs),
        "is_post_author": c.is_post_author,
    }


def recap_truth(blog: Blog, post: Post, base: str) -> dict:
    """The expected extraction for one recap."""
    reader = _Reader()
    for block in post.body:
        reader.block(block)
    episode = post.episode or {}
    return {
        "url": base + post.path,
        "title": plain(post.title),
        "author": blog.author(post.author)["name"],
        "published": post.published.isoformat(),
        "modified": post.modified.isoformat() if post.modified else None,
        "show": episode.get("show"),
        "season": episode.get("season"),
        "episode": episode.get("episode"),
        "episode_title": episode.get("episode_title"),
        "categories": list(post.categories),
        "tags": list(post.tags),
        "headings": reader.headings,
        "paragraphs": reader.paragraphs,
        "bullets": reader.bullets,
        "quotes": reader.quotes,
        "comments": [_comment(c) for c in sorted(post.comments, key=lambda c: int(c.id))],
    }


def _category_path(blog: Blog, name: str) -> str:
    cats = blog.meta["categories"]
    cat = next(c for c in cats if c["name"] == name)
    slugs = [cat["slug"]]
    while cat.get("parent"):
        cat = next(c for c in cats if c["slug"] == cat["parent"])
        slugs.insert(0, cat["slug"])
    return "category/" + "/".join(slugs) + "/"


def _wordpress_others(blog: Blog, base: str) -> list[dict]:
    out = [{"url": base, "kind": "home"}]
    pages = -(-len(blog.posts) // blog.meta["posts_per_page"])
    out += [{"url": f"{base}page/{n}/", "kind": "home"} for n in range(2, pages + 1)]
    out += [{"url": base + p.path, "kind": "page"} for p in blog.pages]
    out += [{"url": base + p.path, "kind": p.kind} for p in blog.posts if p.kind != "recap"]
    out += [{"url": u, "kind": "article_page"} for p in blog.posts for u in _article_pages(p, base)[1:]]
    used = [c["name"] for c in blog.meta["categories"] if any(c["name"] in p.categories for p in blog.posts)]
    out += [{"url": base + _category_path(blog, c), "kind": "category_archive"} for c in used]
    tags = sorted({t for p in blog.posts for t in p.tags}, key=str.lower)
    out += [{"url": f"{base}tag/{slugify(t)}/", "kind": "tag_archive"} for t in tags]
    out += [{"url": f"{base}author/{a['slug']}/", "kind": "author_archive"} for a in blog.meta["authors"]]
    months = sorted({f"{p.published:%Y/%m}/" for p in blog.posts})
    out += [{"url": base + m, "kind": "date_archive"} for m in months]
    out += [{"url": base + f, "kind": "feed"} for f in ("feed/", "comments/feed/")]
    out += [{"url": f"{base}{p.path}feed/", "kind": "feed"} for p in blog.posts]
    maps = ["wp-sitemap.xml"] + [
        f"wp-sitemap-{n}.xml"
        for n in ("posts-post-1", "posts-page-1", "taxonomies-category-1", "taxonomies-post_tag-1", "users-1")
    ]
    out += [{"url": base + m, "kind": "sitemap"} for m in maps]
    out.append({"url": base + "robots.txt", "kind": "robots"})
    return out


def _blogger_others(blog: Blog, base: str) -> list[dict]:
    from urllib.parse import quote

    per = blog.meta["posts_per_page"]
    out = [{"url": base, "kind": "home"}]
    for i in range(per, len(blog.posts), per):
        stamp = quote(blog.posts[i - 1].published.isoformat(), safe=":")
        out.append({"url": f"{base}search?updated-max={stamp}&max-results={per}", "kind": "home"})
    out += [{"url": base + p.path, "kind": "page"} for p in blog.pages]
    out += [{"url": base + p.path, "kind": p.kind} for p in blog.posts if p.kind != "recap"]
    labels = sorted({t for p in blog.posts for t in p.tags}, key=str.lower)
    out += [{"url": f"{base}search/label/{quote(t)}", "kind": "tag_archive"} for t in labels]
    years = sorted({f"{p.published:%Y}/" for p in blog.posts})
    months = sorted({f"{p.published:%Y/%m}/" for p in blog.posts})
    out += [{"url": base + d, "kind": "date_archive"} for d in years + months]
    out.append({"url": base + "feeds/posts/default", "kind": "feed"})
    out += [{"url": f"{base}feeds/{p.id}/comments/default", "kind": "feed"} for p in blog.posts]
    out += [
        {"url": base + m, "kind": "sitemap"}
        for m in ("sitemap.xml", "sitemap.xml?page=1", "sitemap-pages.xml")
    ]
    out.append({"url": base + "robots.txt", "kind": "robots"})
    return out


def _comment_pages(blog: Blog, post: Post, base: str) -> list[str]:
    """URLs of a WordPress post's comment pages, page 1 first (the last one is the post URL)."""
    per = blog.meta["comments_per_page"]
    count = max(1, -(-len(post.threads) // per))
    url = base + post.path
    return [f"{url}comment-page-{n}/" for n in range(1, count)] + [url]


def _article_pages(post: Post, base: str) -> list[str]:
    """URLs of a WordPress post's own pages (``nextpage`` blocks split it), the permalink first."""
    url = base + post.path
    count = 1 + sum(1 for block in post.body if block["type"] == "nextpage")
    return [url] + [f"{url}{n}/" for n in range(2, count + 1)]


def build_truth(wordpress_url: str = WORDPRESS_PLACEHOLDER, blogger_url: str = BLOGGER_PLACEHOLDER) -> dict:
    """Ground truth for both blogs with the given base URLs (each ending with a slash)."""
    blogs = load_blogs()
    bases = {"wordpress": wordpress_url, "blogger": blogger_url}
    recaps = []
    comment_pages = {}
    article_pages = {}
    for name, blog in blogs.items():
        for post in sorted(blog.posts, key=lambda p: p.published):
            if post.kind == "recap":
                recaps.append(recap_truth(blog, post, bases[name]))
                if name == "wordpress":
                    comment_pages[bases[name] + post.path] = _comment_pages(blog, post, bases[name])
                    if len(pages := _article_pages(post, bases[name])) > 1:
                        article_pages[pages[0]] = pages
    return {
        "sites": {"wordpress": wordpress_url, "blogger": blogger_url},
        "recaps": recaps,
        "not_recaps": _wordpress_others(blogs["wordpress"], wordpress_url)
        + _blogger_others(blogs["blogger"], blogger_url),
        "comment_pages": comment_pages,
        "article_pages": article_pages,
    }


def dumps(truth: dict) -> str:
    """The canonical text of ``truth.json``."""
    return json.dumps(truth, ensure_ascii=False, indent=1) + "\n"


def load_truth(wordpress_url: str = WORDPRESS_PLACEHOLDER, blogger_url: str = BLOGGER_PLACEHOLDER) -> dict:
    """Read ``truth.json`` and substitute the real base URLs for the placeholders."""
    text = TRUTH_FILE.read_text(encoding="utf-8")
    text = text.replace(WORDPRESS_PLACEHOLDER, wordpress_url).replace(BLOGGER_PLACEHOLDER, blogger_url)
    return json.loads(text)


def main(argv: list[str] | None = None) -> int:
    """Regenerate (or with ``--check`` verify) ``truth.json``."""
    parser = argparse.ArgumentParser(prog="python -m recapcrawl.sample_site.truth")
    parser.add_argument("--check", action="store_true", help="only report whether truth.json is up to date")
    args = parser.parse_args(argv)
    text = dumps(build_truth())
    if args.check:
        current = TRUTH_FILE.read_text(encoding="utf-8") if TRUTH_FILE.exists() else ""
        if current != text:
            print(f"{TRUTH_FILE} is out of date; run python -m recapcrawl.sample_site.truth", file=sys.stderr)
            return 1
        print(f"{TRUTH_FILE} is up to date")
        return 0
    TRUTH_FILE.write_text(text, encoding="utf-8")
    truth = json.loads(text)
    print(
        f"wrote {TRUTH_FILE}: {len(truth['recaps'])} recaps, "
        f"{sum(len(r['comments']) for r in truth['recaps'])} comments, {len(truth['not_recaps'])} "
        "non-recap URLs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
