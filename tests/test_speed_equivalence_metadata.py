"""Session 13's shortcuts on the metadata and comments side give what the plain way gives: ``hosted_by``
read branch by branch (ids from the index, one list of scripts), the byline's next-field and date
searches and the rougher byline class pre-filter. The old versions are kept here as the reference."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from lxml import etree

from recapcrawl.extraction import bylines, selectors
from recapcrawl.extraction.comments import hosted_by
from recapcrawl.extraction.dom import Page, parse_html
from recapcrawl.extraction.profiles import GENERIC

PAGES = sorted((Path(__file__).parent / "pages").glob("*/*.html"))
IDS = [f"{p.parent.name}/{p.stem}" for p in PAGES]

_OLD_NEXT_FIELD = re.compile(
    r"\s*(?:\||·|•|»|«|►|▪|\s[-–—]\s|\bquelle\s*:|\bsource\s*:|\bdatum\s*:|\bdate\s*:|\bfoto\s*:|\bbild\s*:"
    r"|\bphotos?\s*:|\bstand\s*:|\bpublished\b|\bupdated\b|\bposted on\b|\bveröffentlicht\b"
    r"|\baktualisiert\b|\bzuletzt\b|\blesezeit\b|\breading time\b|\bmin(?:ute)?s? read\b|\bshare\b"
    r"|\bteilen\b|\bfollow\b|\bfolgen\b|\bkommentare?\b|\bcomments?\b|\bpublicado\b|\bpublié\b"
    r"|\bmis à jour\b|\bactualizado\b|\balle artikel\b|\bmehr von\b|\bmore from\b|\bview all\b|\bkontakt\b"
    r"|\bcontact\b|\bsymbolbild\b|\bimago\b|\bweitere beiträge\b|\balle beiträge\b"
    r"|\b\d+\s+(?:posts?|beiträge|artikel|articles?)\b)",
    re.I,
)
_OLD_ROUGH = re.compile(r"uthor|utor|yline|auteur|wrote_by|written-by|posted-by|submitted-by")


def _old_cut_next_field(value: str) -> str:
    cut = len(value)
    for pattern in (bylines._DATE, _OLD_NEXT_FIELD):
        match = pattern.search(value)
        if match and 0 < match.start() < cut:
            cut = match.start()
    return value[:cut].strip()


def _old_hosted_by(root, profile, has_comments):
    for provider, path in selectors.HOSTED_COMMENTS.items():
        if path(root):
            return provider
    return None if has_comments else profile.comments_by_script


def _texts(root: etree._Element) -> list[str]:
    """Short texts of a page (the kind bylines and date lines are), as they are and stripped."""
    found = []
    for element in root.iter(etree.Element):
        for text in (element.text, element.tail):
            if text and len(text) < 300:
                found += [text, text.strip()]
    return found


_AWKWARD = [
    "",
    " ",
    "Jane Roe",
    "By Jane Roe | Site",
    "Jane Roe  |  Site",
    "Jane Roe\u00a0| Site",
    "Jane Roe \u2003\t— Site",
    " | Jane",
    "|Jane",
    "Jane Roe - 12 May 2021",
    "Jane Roe 12.03.2021 9:40 Uhr",
    "Jane Roe  Published  May 2, 2019",
    "Jane Roe\u3000Updated",
    "Jane Roe ·· share",
    "Jane Roe, 12 posts",
    "Jane Roe 12  Beiträge",
    "Jane Roe\u2028Comments",
    "Von Max Muster, Redakteur",
    "Foto: X",
    "Jane Roe\u00a0\u00a0\u00a0",
    "١٢ May Jane",  # Arabic-Indic digits are \d too
    "Jane ² Roe",  # a superscript digit is not
]


def _strings(roots: list[etree._Element]) -> list[str]:
    rng = random.Random(13)
    alphabet = "ab Jé|·—-–:\u00a0\t\n0123456789.,/ShareByVonpublishedupdatedMay"
    randoms = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    return _AWKWARD + randoms + [t for root in roots for t in _texts(root)]


def _roots() -> list[etree._Element]:
    return [parse_html(p.read_bytes()) for p in PAGES]


def test_next_field_and_date_searches_agree():
    roots = _roots()
    for value in _strings(roots):
        assert bylines._cut_next_field(value) == _old_cut_next_field(value), value
        # every use of _DATE (match, fullmatch, sub, search) is skipped on a text without a digit
        assert bool(bylines._DATE.search(value)) <= bool(bylines._HAS_DIGIT.search(value)), value


def test_byline_class_prefilter_finds_the_same_elements():
    for root in _roots():
        page = Page(root)
        assert page.with_class_matching(bylines._BYLINE_CLASS_ROUGH, bylines._BYLINE_CLASS) == (
            page.with_class_matching(_OLD_ROUGH, bylines._BYLINE_CLASS)
        )
    value = "author x-autor Autor byline auteur wrote_by written-by posted-by submitted-by lobby kautor"
    for word in value.split():
        assert bool(bylines._BYLINE_CLASS.search(word)) <= bool(bylines._BYLINE_CLASS_ROUGH.search(word))


_WIDGETS = [
    '<div id="disqus_thread"></div>',
    '<div id="disqus_thread_x"></div><a href="https://disqus.com">x</a>',
    '<script src="https://x.disqus.com/embed.js"></script>',
    "<script>var disqus_config = function () {};</script>",  # no attribute names Disqus: not found
    '<script>var disqus_shortname = "x";</script><i class="disqus"></i>',
    '<script>var disqus_shortname = "x";<!-- c --></script><i data-x="disqus"></i>',
    '<div class="fb-comments" data-href="https://x.example/p"></div>',
    '<div data-spotim-module="conversation"></div><script src="https://launcher.spot.im/spot/x"></script>',
    '<div data-spotim-module="conversation"></div>',
    '<openweb-conversation data-x="openweb"></openweb-conversation>',
    '<div id="commento"></div>',
    '<div id="Commento"></div><i class="commento"></i>',
    '<hyvor-talk-comments data-x="hyvor"></hyvor-talk-comments>',
    '<div id="hyvor-talk-view"></div>',
    '<script src="https://giscus.app/client.js"></script>',
    '<script src="https://utteranc.es/client.js"></script>',
    '<div id="remark42"></div>',
    "<script>var remark_config = {};</script><i class='remark42'></i>",
    '<div id="coral_thread"></div>',
    "<script>Coral.createStreamEmbed({});</script><i class='createStreamEmbed'></i>",
    '<div class="viafoura"></div>',
    '<div class="vuukle-comments"></div>',
    '<div id="idc-container"></div>',
    '<script data-ghost-comments="x" src="/comments-ui.js"></script>',
    '<script src="/assets/comments-ui.min.js"></script>',
    "<p>No comments here.</p>",
]


@pytest.mark.parametrize("markup", _WIDGETS)
def test_hosted_by_agrees_on_widgets(markup):
    html = f"<html><head><title>T</title></head><body><article><p>Text.</p>{markup}</article></body></html>"
    root = parse_html(html)
    for has_comments in (False, True):
        expected = _old_hosted_by(Page(root), GENERIC, has_comments)
        assert hosted_by(Page(root), GENERIC, has_comments) == expected
        # on an element (no Page) a path's needles are not tested, then as before
        assert hosted_by(root, GENERIC, has_comments) == _old_hosted_by(root, GENERIC, has_comments)
        body = root.find("body")  # ``//``: the whole document either way
        assert hosted_by(body, GENERIC, has_comments) == _old_hosted_by(root, GENERIC, has_comments)


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_hosted_by_agrees_on_pages(path):
    root = parse_html(path.read_bytes())
    for has_comments in (False, True):
        assert hosted_by(Page(root), GENERIC, has_comments) == _old_hosted_by(
            Page(root), GENERIC, has_comments
        )
