"""The article's lead (standfirst) between its title heading and its body container: found by position,
kept out when it is a one-line dek, a byline, a dateline or a share bar, and put before the body once."""

from lxml import etree

from recapcrawl.extraction import extract_recap
from recapcrawl.extraction.dom import parse_html
from recapcrawl.extraction.leads import MAX_LEVELS, MIN_LEAD_CHARS, lead_blocks, prepend_lead

LEAD = (
    "The harbour town's council votes on the lighthouse tonight, and the episode spends its first half"
    " counting the votes, its second half on the keeper who never wanted the job in the first place."
)
SHORT_DEK = "The keeper finally gets a vote."
SENTENCES = [
    "Marguerite reads the council's letter twice before she burns it, which tells us more than the letter.",
    "The episode spends its middle stretch on the harbour board meeting, the weakest scenes of the run.",
    "By the final minutes the lamp room is dark for the first time in the show, and it is an earned image.",
    "Next week the ferry returns, and with it the question of who sent the letter in the first place.",
    "Hal's scenes with the harbour master are played for laughs, and they land better than they should.",
    "The score leans on the same four notes as the premiere, a choice that pays off in the last scene.",
]
BODY = "".join(f"<p>{sentence}</p>" for sentence in SENTENCES)


def news_page(header_extra: str, lead: str = LEAD, body: str = BODY) -> str:
    return (
        "<html><head><title>Tidewater 2x05 review</title></head><body>"
        "<div class='site'><nav><a href='/'>Home</a> <a href='/tv'>TV</a></nav>"
        "<main><article class='story'>"
        "<header class='story-head'><h1>Tidewater 2x05 review: The Vote</h1>"
        f"{header_extra}<div class='standfirst'><p>{lead}</p></div></header>"
        f"<div class='story-body'>{body}</div>"
        "</article></main><footer>© Harbour Review</footer></div></body></html>"
    )


def body_container(html: str) -> etree._Element:
    root = parse_html(html)
    return root.xpath("//div[@class='story-body']")[0]


def texts(blocks: list[etree._Element]) -> list[str]:
    return [" ".join("".join(block.itertext()).split()) for block in blocks]


def test_the_lead_between_title_and_body_is_found():
    assert texts(lead_blocks(body_container(news_page("")))) == [LEAD]


def test_bylines_datelines_and_share_bars_are_not_the_lead():
    extras = (
        "<p class='byline'>By Ana Lúcia Prado, Television Critic, who has watched every episode twice</p>"
        "<p>Published 18.04.2024, 07:15 · updated 18.04.2024, 09:40 · reading time 6 minutes</p>"
        "<div class='socialBar'>Share this review on every network you have an account with today</div>"
    )
    assert texts(lead_blocks(body_container(news_page(extras)))) == [LEAD]


def test_a_one_line_dek_is_not_a_lead():
    assert len(SHORT_DEK) < MIN_LEAD_CHARS
    assert lead_blocks(body_container(news_page("", lead=SHORT_DEK))) == []


def test_no_title_heading_no_lead():
    html = news_page("").replace("<h1>", "<div class='title'>").replace("</h1>", "</div>")
    assert lead_blocks(body_container(html)) == []


def test_a_heading_far_above_the_body_is_not_its_title():
    wrappers = MAX_LEVELS  # the article element ends up MAX_LEVELS + 1 levels above the body
    deep = "<div>" * wrappers + f"<div class='story-body'>{BODY}</div>" + "</div>" * wrappers
    html = news_page("").replace(f"<div class='story-body'>{BODY}</div>", deep)
    assert lead_blocks(body_container(html)) == []


def test_link_lists_are_not_a_lead():
    links = " ".join(f"<a href='/r/{i}'>Another recap about the harbour town, part {i}</a>" for i in range(4))
    html = news_page("", lead=links)
    assert lead_blocks(body_container(html)) == []


def test_prepend_puts_the_lead_first_once():
    container = body_container(news_page(""))
    fragment = etree.fromstring(f"<div>{BODY}</div>")
    prepend_lead(fragment, container)
    paragraphs = texts(list(fragment.iter("p")))
    assert paragraphs[0] == LEAD and paragraphs[1] == SENTENCES[0]
    prepend_lead(fragment, container)  # already there: not added twice
    assert texts(list(fragment.iter("p"))).count(LEAD) == 1


def test_inside_the_container_the_lead_goes_after_the_heading():
    """A body read from a container holding the title (trafilatura's) may lack the lead: it goes before the
    body's first paragraph, after anything the extractor kept above it."""
    root = parse_html(news_page(""))
    article = root.xpath("//article")[0]
    fragment = etree.fromstring(f"<div><h2>The Vote</h2>{BODY}</div>")
    prepend_lead(fragment, article, inside=True)
    assert [child.tag for child in fragment][:3] == ["h2", "p", "p"]
    assert texts(list(fragment.iter("p")))[:2] == [LEAD, SENTENCES[0]]
    unread = etree.fromstring("<div><p>Nothing on this page is in the container.</p></div>")
    prepend_lead(unread, article, inside=True)  # the body's start is not found: no lead
    assert texts(list(unread.iter("p"))) == ["Nothing on this page is in the container."]


def test_extracted_recap_starts_with_the_lead():
    recap = extract_recap(news_page(""), "https://harbour.example/tv/tidewater-2x05-review")
    paragraphs = [paragraph.text for paragraph in recap.paragraphs]
    assert paragraphs[0] == LEAD
    assert paragraphs[1:] == SENTENCES
