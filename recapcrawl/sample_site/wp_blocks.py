"""Render post bodies the way WordPress 6.4's block editor (Gutenberg) prints them on the front end."""

from __future__ import annotations

from .textutil import attr, plain, slugify, texturize

AD_SLOT = (
    '<div class="code-block code-block-3" style="margin: 8px auto; text-align: center; display: block; '
    'clear: both;">\n<div class="ad-unit"><p class="ad-label">Advertisement</p>'
    '<ins class="adsbygoogle" style="display:block" data-ad-client="ca-pub-0000000000000000" '
    'data-ad-slot="4410027311" data-ad-format="auto" data-full-width-responsive="true"></ins></div>\n</div>'
)


def _list(data: dict) -> str:
    tag = "ol" if data["ordered"] else "ul"
    items = []
    for item in data["items"]:
        inner = texturize(item["html"])
        if "children" in item:
            inner += _list(item["children"])
        items.append(f"<li>{inner}</li>")
    return f"<{tag}>" + "".join(items) + f"</{tag}>"


def _image(block: dict, base: str, image_id: int) -> str:
    stem, _, ext = block["src"].rpartition(".")
    w, h = block["width"], block["height"]
    small_h = round(h * 300 / w)
    big = f"{base}wp-content/uploads/{stem}-{w}x{h}.{ext}"
    small = f"{base}wp-content/uploads/{stem}-300x{small_h}.{ext}"
    img = (
        f'<img decoding="async" fetchpriority="high" width="{w}" height="{h}" src="{big}" '
        f'alt="{attr(plain(block["alt"]))}" class="wp-image-{image_id}" srcset="{big} {w}w, {small} 300w" '
        f'sizes="(max-width: {w}px) 100vw, {w}px" />'
    )
    caption = ""
    if block.get("caption"):
        caption = f'<figcaption class="wp-element-caption">{texturize(block["caption"])}</figcaption>'
    return f'<figure class="wp-block-image size-large">{img}{caption}</figure>'


def render_block(block: dict, base: str, image_id: int = 0) -> str:
    """One content block as Gutenberg front-end HTML."""
    kind = block["type"]
    if kind == "paragraph":
        return f"<p>{texturize(block['html'])}</p>"
    if kind == "spacer":
        return "<p>&nbsp;</p>"
    if kind == "heading":
        level = block["level"]
        anchor = f' id="{slugify(block["html"])}"' if level == 2 else ""
        return f'<h{level} class="wp-block-heading"{anchor}>{texturize(block["html"])}</h{level}>'
    if kind == "list":
        return _list(block)
    if kind == "blockquote":
        cite = f"<cite>{texturize(block['cite'])}</cite>" if block.get("cite") else ""
        return (
            '<blockquote class="wp-block-quote is-layout-flow wp-block-quote-is-layout-flow">'
            f"<p>{texturize(block['html'])}</p>{cite}</blockquote>"
        )
    if kind == "pullquote":
        cite = f"<cite>{texturize(block['cite'])}</cite>" if block.get("cite") else ""
        return (
            '<figure class="wp-block-pullquote"><blockquote>'
            f"<p>{texturize(block['html'])}</p>{cite}</blockquote></figure>"
        )
    if kind == "image":
        return _image(block, base, image_id)
    if kind in ("more", "nextpage"):
        return ""
    raise ValueError(f"unknown block type {kind!r}")


def render_body(blocks: list[dict], base: str, post_id: int, with_ad: bool) -> str:
    """The inside of ``div.entry-content``; ``with_ad`` inserts an ad unit after the fourth block."""
    out = []
    for i, block in enumerate(blocks):
        out.append(render_block(block, base, image_id=post_id + 1 + i))
        if with_ad and i == 3 and len(blocks) > 6:
            out.append(AD_SLOT)
    return "\n\n".join(x for x in out if x)


def split_pages(blocks: list[dict]) -> list[list[dict]]:
    """A post's blocks cut at its page breaks (``nextpage``, WordPress's ``<!--nextpage-->``): one list
    of blocks per page of the post, a single list when it has none."""
    pages: list[list[dict]] = [[]]
    for block in blocks:
        if block["type"] == "nextpage":
            pages.append([])
        else:
            pages[-1].append(block)
    return pages


def excerpt(blocks: list[dict], words: int = 55) -> str:
    """WordPress's automatic excerpt (plain text): the first ``words`` words, then ``[…]``."""
    text = " ".join(plain(b["html"]) for b in blocks if b["type"] == "paragraph")
    parts = text.split()
    if len(parts) <= words:
        return text
    return " ".join(parts[:words]) + " […]"
