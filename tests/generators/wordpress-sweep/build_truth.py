"""Build $SWEEP/site/truth.json from content.py (the data fed to WordPress) and wp/rendered.json
(what WordPress rendered from it: the_content per page, get_the_title, comment_text, permalinks)."""

import html as htmlmod
import json
import os
import re
import sys
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).parent))
import content  # noqa: E402

ROOT = Path(os.environ.get("SWEEP", "/tmp/wpsweep"))
SHARED_RULES = Path(__file__).parents[3].parent / "shared" / "sites" / "wordpress-dev" / "truth.json"
SITE = "http://127.0.0.1:8093"
rendered = {p["slug"]: p for p in json.loads((ROOT / "wp/rendered.json").read_text())["posts"]}
INLINE = re.compile(r"“([^“”]*)”|\"([^\"]*)\"")


def text_of(el, skip_nested_lists=False):
    parts = []

    def walk(e):
        if skip_nested_lists and e is not el and e.tag in ("ul", "ol"):
            if e.tail:
                parts.append(e.tail)
            return
        if e.tag == "br":
            parts.append("\n")
        elif e.text:
            parts.append(e.text)
        for c in e:
            walk(c)
        if e is not el and e.tail:
            parts.append(e.tail)

    walk(el)
    return "".join(parts).strip()


def clean(s):
    return htmlmod.unescape(s).strip()


def analyse(post_html_pages, speakers):
    headings, paragraphs, sections, bullets, quotes = [], [], [{"heading": None, "paragraphs": []}], [], []
    heading = None
    list_index = -1
    for page_html in post_html_pages:
        root = lxml.html.fragment_fromstring(page_html, create_parent="div")

        def inline(text, source):
            for m in INLINE.finditer(text):
                q = m.group(1) if m.group(1) is not None else m.group(2)
                quotes.append(
                    {
                        "text": q,
                        "marks": "curly" if m.group(1) is not None else "straight",
                        "speaker": speakers.get(q),
                        "kind": "inline",
                        "source": source,
                        "heading": heading,  # noqa: B023 (read at once, inside the loop)
                    }
                )

        def do_list(el, depth, parent, idx):
            for li in el.findall("li"):
                t = text_of(li, skip_nested_lists=True)
                bullets.append(
                    {
                        "text": t,
                        "list": idx,
                        "ordered": el.tag == "ol",
                        "depth": depth,
                        "parent": parent,
                        "heading": heading,  # noqa: B023 (read at once, inside the loop)
                    }
                )
                inline(t, "list_item")
                for sub in li:
                    if sub.tag in ("ul", "ol"):
                        do_list(sub, depth + 1, t, idx)

        for el in root:
            if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                heading = text_of(el)
                headings.append({"level": int(el.tag[1]), "text": heading})
                sections.append({"heading": heading, "level": int(el.tag[1]), "paragraphs": []})
                inline(heading, "heading")
            elif el.tag == "p":
                t = text_of(el)
                paragraphs.append(t)
                sections[-1]["paragraphs"].append(t)
                inline(t, "paragraph")
            elif el.tag in ("ul", "ol"):
                list_index += 1
                do_list(el, 0, None, list_index)
            elif el.tag == "blockquote":
                cite = el.find("cite")
                cite_text = text_of(cite) if cite is not None else None
                body = "\n\n".join(text_of(p) for p in el.findall("p"))
                quotes.append(
                    {
                        "text": body,
                        "cite": cite_text,
                        "speaker": speakers.get(body, cite_text),
                        "kind": "blockquote",
                        "source": "quote",
                        "heading": heading,
                    }
                )
            else:
                raise SystemExit(f"unexpected element {el.tag}")
    if not sections[0]["paragraphs"] and sections[0]["heading"] is None and len(sections) > 1 and False:
        sections.pop(0)
    return headings, paragraphs, sections, bullets, quotes


def comment_text(h):
    root = lxml.html.fragment_fromstring(h, create_parent="div")
    paras = [text_of(p) for p in root.findall("p")]
    return "\n\n".join(paras)


def main():
    recaps, not_recaps = [], []
    for p in content.POSTS:
        r = rendered[p["slug"]]
        url = r["url"]
        if not p["recap"]:
            not_recaps.append({"url": url, "kind": p["type"], "title": clean(r["title"])})
            continue
        headings, paragraphs, sections, bullets, quotes = analyse(r["pages"], p.get("speakers", {}))
        comments = [
            {
                "id": c["id"],
                "parent": c["parent"],
                "author": c["author"],
                "date": c["date_gmt"].replace(" ", "T") + "+00:00",
                "text": comment_text(c["html"]),
                "html": c["html"].strip(),
                "page": c["page"],
            }
            for c in r["comments"]
        ]
        npages = max([c["page"] for c in comments], default=0)
        page_urls = [f"{url}comment-page-{n}/" for n in range(1, npages + 1)]
        variants = [f"{SITE}/?p={r['id']}"] + [f"{url}{n}/" for n in range(2, len(r["pages"]) + 1)]
        if comments:
            variants += page_urls + [f"{url}?cpage={n}" for n in range(1, npages + 1)]
            variants += [f"{url}?replytocom={c['id']}" for c in comments]
        words = sum(len(re.findall(r"\w+", t)) for t in paragraphs)
        recaps.append(
            {
                "url": url,
                "wp_post_id": r["id"],
                "title": clean(r["title"]),
                "author": r["author"],
                "author_url": r["author_url"],
                "published": r["date_gmt"].replace(" ", "T") + "+00:00",
                "published_date": r["date_gmt"][:10],
                "show": p["show"],
                "season": p["season"],
                "episode": p["episode"],
                "episode_title": p["episode_title"],
                "season_stated_in": p["season_stated_in"],
                "categories": r["categories"],
                "tags": r["tags"],
                "comments_open": True,
                "post_pages": len(r["pages"]),
                "post_page_urls": [url] + [f"{url}{n}/" for n in range(2, len(r["pages"]) + 1)],
                "headings": headings,
                "paragraphs": paragraphs,
                "sections": sections,
                "bullets": bullets,
                "quotes": quotes,
                "images": [],
                "tables": [],
                "word_count": words,
                "comment_count": len(comments),
                "comment_pages": npages,
                "comment_page_urls": page_urls,
                "default_comment_page": npages if npages else 1,
                "comments": comments,
                "variant_urls": variants,
            }
        )
    extra = [
        f"{SITE}/",
        f"{SITE}/page/2/",
        f"{SITE}/feed/",
        f"{SITE}/comments/feed/",
        f"{SITE}/author/wren/",
        f"{SITE}/author/tobias/",
        f"{SITE}/2024/",
        f"{SITE}/2024/02/",
        f"{SITE}/2024/03/",
    ]
    for slug in ["harrowgate", "copper-meridian", "nightjar-bay", "recaps", "reviews", "news", "lists"]:
        extra.append(f"{SITE}/category/{slug}/")
    for p in content.POSTS:
        for t in p["tags"]:
            extra.append(f"{SITE}/tag/{re.sub(r'[^a-z0-9]+', '-', t.lower()).strip('-')}/")
    kinds = {
        "/feed/": "feed",
        "/author/": "author_archive",
        "/category/": "category_archive",
        "/tag/": "tag_archive",
    }
    for u in dict.fromkeys(extra):
        kind = next(
            (k for s, k in kinds.items() if s in u),
            "home" if u.endswith(":8093/") or "/page/" in u else "date_archive",
        )
        not_recaps.append({"url": u, "kind": kind})
    truth = {
        "site": SITE,
        "generator": "WordPress 6.1.9 (Debian package), themes swept one by one (wpsweep)",
        "rules": (json.loads(SHARED_RULES.read_text())["rules"] if SHARED_RULES.exists() else {})
        | {
            "pages": "A post split with <!--nextpage--> is one recap: headings, paragraphs, bullets, quotes"
            " and all its pages in order; its /N/ pages are variant_urls."
        },
        "recaps": recaps,
        "not_recaps": not_recaps,
    }
    out = ROOT / (sys.argv[1] if len(sys.argv) > 1 else "site") / "truth.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    comments = sum(len(r["comments"]) for r in recaps)
    print(f"{len(recaps)} recaps, {comments} comments, {len(not_recaps)} not_recaps")


if __name__ == "__main__":
    main()
