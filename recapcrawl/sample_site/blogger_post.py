"""Posts, comments and post listings of the Blogger-like blog."""

from __future__ import annotations

import hashlib

from .blogger_theme import Theme
from .common import clock, long_date
from .content import Comment, Post
from .textutil import attr, esc, plain

MORE = "<a name='more'></a>"


def _image(block: dict, base: str) -> str:
    key = hashlib.sha1(block["src"].encode()).hexdigest()[:24]
    w, h = block["width"], block["height"]
    full = f"{base}img/b/R29vZ2xl/AVvXsEh{key}/s1600/{block['src']}"
    shown = f"{base}img/b/R29vZ2xl/AVvXsEh{key}/w{w}-h{h}/{block['src']}"
    img = (
        f'<a href="{full}" style="margin-left: auto; margin-right: auto;"><img '
        f'alt="{attr(plain(block["alt"]))}" '
        f'border="0" data-original-height="{h}" data-original-width="{w}" height="{h}" src="{shown}" '
        f'width="{w}" /></a>'
    )
    if not block.get("caption"):
        return f'<div class="separator" style="clear: both; text-align: center;">{img}</div>'
    return (
        '<table align="center" cellpadding="0" cellspacing="0" class="tr-caption-container" '
        'style="margin-left: auto; margin-right: auto;"><tbody><tr><td style="text-align: center;">'
        f'{img}</td></tr><tr><td class="tr-caption" style="text-align: center;">{block["caption"]}</td></tr>'
        "</tbody></table>"
    )


def _list(data: dict) -> str:
    tag = "ol" if data["ordered"] else "ul"
    items = "".join(
        f"<li>{item['html']}{_list(item['children']) if 'children' in item else ''}</li>"
        for item in data["items"]
    )
    return f"<{tag}>{items}</{tag}>"


def render_body(post: Post, base: str, until_more: bool = False) -> str:
    """The inside of ``div.post-body``.  Posts with ``body_style: br`` are written as bare text with
    ``<br /><br />`` between paragraphs; the others use ``<p>``.  ``until_more`` stops at the jump break."""
    bare = post.options.get("body_style") == "br"
    out: list[str] = []
    last_was_text = False
    for block in post.body:
        kind = block["type"]
        if kind == "more":
            if until_more:
                break
            out.append(MORE)
            continue
        if kind == "paragraph":
            if bare:
                out.append(("<br /><br />" if last_was_text else "") + block["html"])
            else:
                out.append(f"<p>{block['html']}</p>")
            last_was_text = True
            continue
        last_was_text = False
        if kind == "heading":
            out.append(f"<h{block['level']}>{block['html']}</h{block['level']}>")
        elif kind == "list":
            out.append(_list(block))
        elif kind in ("blockquote", "pullquote"):
            out.append(f"<blockquote>{block['html']}</blockquote>")
        elif kind == "image":
            out.append(_image(block, base))
        elif kind == "spacer":
            out.append("<p>&nbsp;</p>")
        else:
            raise ValueError(f"unknown block type {kind!r}")
    return "\n".join(out)


def has_more(post: Post) -> bool:
    """True when the post has a jump break."""
    return any(b["type"] == "more" for b in post.body)


def _published(post: Post, url: str) -> str:
    iso = post.published.isoformat()
    shown = f"{post.published:%B %d, %Y}"
    if post.options.get("date_markup") == "time":
        stamp = f"<time class='published' datetime='{iso}' itemprop='datePublished'>{shown}</time>"
    else:
        stamp = f"<abbr class='published' itemprop='datePublished' title='{iso}'>{shown}</abbr>"
    return (
        f"<span class='post-timestamp'>\non\n<meta content='{url}' itemprop='url'/>\n<a "
        "class='timestamp-link' "
        f"href='{url}' rel='bookmark' title='permanent link'>{stamp}</a>\n</span>"
    )


def _footer(theme: Theme, post: Post, listing: bool) -> str:
    url = theme.post_url(post)
    blog_id = theme.meta["blog_id"]
    comment_link = ""
    if listing:
        n = len(post.comments)
        text = "No comments:" if n == 0 else ("1 comment:" if n == 1 else f"{n} comments:")
        comment_link = f"<a class='comment-link' href='{url}#comment-form' onclick=''>\n{text}\n</a>"
    shares = "".join(
        f"<a class='goog-inline-block share-button sb-{kind}' href='https://www.blogger.com/share-post.g?blogID="
        f"{blog_id}&amp;postID={post.id}&amp;target={kind}' target='_blank' title='{label}'>"
        f"<span class='share-button-link-text'>{label}</span></a>"
        for kind, label in (
            ("email", "Email This"),
            ("blog", "BlogThis!"),
            ("twitter", "Share to X"),
            ("facebook", "Share to Facebook"),
            ("pinterest", "Share to Pinterest"),
        )
    )
    labels = ""
    if post.tags:
        links = ",\n".join(f"<a href='{theme.label_url(t)}' rel='tag'>{esc(t)}</a>" for t in post.tags)
        labels = f"<span class='post-labels'>\nLabels:\n{links}\n</span>"
    return f"""<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'>
<span class='post-comment-link'>
{comment_link}
</span>
<span class='post-icons'>
<span class='item-control blog-admin pid-1093314711'>
<a href='https://www.blogger.com/post-edit.g?blogID={blog_id}&amp;postID={post.id}&amp;from=pencil' title='Edit Post'>
<img alt='' class='icon-action' height='18' src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif' width='18'/>
</a>
</span>
</span>
<div class='post-share-buttons goog-inline-block'>
{shares}
</div>
</div>
<div class='post-footer-line post-footer-line-2'>
{labels}
</div>
<div class='post-footer-line post-footer-line-3'>
<span class='post-location'>
</span>
</div>
</div>"""  # noqa: E501


def comment_stamp(c: Comment) -> str:
    """``March 6, 2024 at 10:02 AM`` in the blog's own time zone."""
    return f"{long_date(c.published)} at {clock(c.published, upper=True)}"


def _comment(theme: Theme, post: Post, c: Comment, top: bool) -> str:
    url = theme.post_url(post)
    millis = int(c.published.timestamp() * 1000)
    name = esc(c.author)
    cite = f'<a href="{attr(c.url)}" rel="nofollow">{name}</a>' if c.url else name
    icon = "icon user blog-author" if c.is_post_author else "icon user "
    paragraphs = "<br /><br />".join(p.replace("\n", "<br />") for p in c.paragraphs)
    reply = f'<a class="comment-reply" target="_self" data-comment-id="{c.id}">Reply</a>' if top else ""
    actions = (
        f'<span class="comment-actions secondary-text">{reply}<span class="item-control blog-admin '
        f'pid-1093314711"><a target="_self" href="https://www.blogger.com/comment/delete/'
        f'{theme.meta["blog_id"]}/{c.id}">Delete</a></span></span>'
    )
    replies = ""
    if top and c.children:
        inner = "".join(_comment(theme, post, k, False) for k in c.children)
        replies = (
            f'<div id="c{c.id}-rt" class="comment-thread inline-thread"><span class="thread-toggle '
            'thread-expanded"><span class="thread-arrow"></span><span class="thread-count"><a '
            'target="_self">'
            f'Replies</a></span></span><ol id="c{c.id}-ra" class="thread-chrome thread-expanded"><div>{inner}'
            f'</div><div id="c{c.id}-continue" class="continue"><a class="comment-reply" target="_self" '
            f'data-comment-id="{c.id}">Reply</a></div></ol></div>'
        )
    return (
        f'<li class="comment" id="c{c.id}"><div class="avatar-image-container"><img '
        'src="//resources.blogblog.com/'
        'img/blank.gif" alt=""/></div><div class="comment-block"><div class="comment-header"><cite '
        'class="user">'
        f'{cite}</cite><span class="{icon}"></span><span class="datetime secondary-text"><a rel="nofollow" '
        f'href="{url}?showComment={millis}#c{c.id}">{comment_stamp(c)}</a></span></div>'
        f'<p class="comment-content">{paragraphs}</p>{actions}</div><div '
        f'class="comment-replies">{replies}</div>'
        f'<div class="comment-replybox-single" id="c{c.id}-ce"></div></li>'
    )


def comments_block(theme: Theme, post: Post) -> str:
    """``div.comments#comments``: the threaded comments (replies one level deep) and the form frame."""
    n = len(post.comments)
    heading = "No comments:" if n == 0 else ("1 comment:" if n == 1 else f"{n} comments:")
    threads = "".join(_comment(theme, post, c, True) for c in post.threads)
    blog_id = theme.meta["blog_id"]
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{heading}</h4>
<div class='comments-content'>
<div id='comment-holder'>
<div class="comment-thread toplevel-thread"><ol id="top-ra">{threads}</ol><div id="top-continue" class="continue"><a class="comment-reply" target="_self">Add comment</a></div><div class="comment-replybox-thread" id="top-ce"></div><div class="loadmore hidden" data-post-id="{post.id}"><a target="_self">Load more...</a></div></div>
</div>
</div>
<p class='comment-footer'>
</p>
<div class='comment-form'>
<a name='comment-form'></a>
<h4 id='comment-post-message'>Post a Comment</h4>
<p>
</p>
<a href='https://www.blogger.com/comment/frame/{blog_id}?po={post.id}&amp;hl=en' id='comment-editor-src'></a>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
</div>
</div>"""  # noqa: E501


def post_outer(theme: Theme, post: Post, *, listing: bool) -> str:
    """``div.post-outer`` for one post (shortened at the jump break in listings)."""
    url = theme.post_url(post)
    author = theme.author()
    body = render_body(post, theme.url(), until_more=listing)
    jump = ""
    if listing and has_more(post):
        jump = (
            f"<div class='jump-link'>\n<a href='{url}#more' title='{attr(plain(post.title))}'>Read more "
            "&#187;</a>\n</div>"
        )
    header = ""
    if not post.is_page:
        header = f"""<div class='post-header'>
<div class='post-header-line-1'><span class='post-author vcard'>
Posted by
<span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'>
<meta content='{author["profile"]}' itemprop='url'/>
<a class='g-profile' href='{author["profile"]}' rel='author' title='author profile'>
<span itemprop='name'>{esc(author["name"])}</span>
</a>
</span>
</span>
{_published(post, url)}
</div>
</div>"""
    title = esc(plain(post.title))
    title_html = f"<a href='{url}'>{title}</a>" if listing else title
    comments = "" if listing or post.is_page else comments_block(theme, post)
    return f"""<div class='post-outer'>
<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<meta content='{theme.meta["blog_id"]}' itemprop='blogId'/>
<meta content='{post.id}' itemprop='postId'/>
<a name='{post.id}'></a>
<h3 class='post-title entry-title' itemprop='name'>
{title_html}
</h3>
{header}
<div class='post-body entry-content' id='post-body-{post.id}' itemprop='description articleBody'>
{body}
<div style='clear: both;'></div>
</div>
{jump}
{_footer(theme, post, listing) if not post.is_page else ""}
</div>
{comments}
</div>"""


def date_groups(theme: Theme, posts: list[Post], listing: bool) -> str:
    """Posts grouped under Blogger's ``h2.date-header`` per day."""
    out = []
    current = None
    for post in posts:
        day = post.published.date()
        if day != current:
            if current is not None:
                out.append("</div></div>")
            current = day
            shown = f"{post.published:%A}, {long_date(post.published)}"
            out.append(
                f"<div class='date-outer'>\n<h2 class='date-header'><span>{shown}</span></h2>\n"
                "<div class='date-posts'>"
            )
        out.append(post_outer(theme, post, listing=listing))
    if current is not None:
        out.append("</div></div>")
    return "\n".join(out)
