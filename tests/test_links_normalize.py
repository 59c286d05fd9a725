"""URL normalization: the spider skips a URL it requested before without normalizing it again, which is
right only because normalizing a normalized URL changes nothing."""

from hypothesis import given
from hypothesis import strategies as st

from recapcrawl.extraction.links import normalize_url

PARTS = st.sampled_from(["", "/", "/a", "/A/b/", "/x y", "/%7Euser", "/p?", "/p?q=1", "/p#frag", "/p?q=1#f"])
HOSTS = st.sampled_from(["Example.COM", "example.com:8080", "127.0.0.1:8091", "xn--bcher-kva.example"])


@given(st.sampled_from(["http", "HTTPS", "https", "ftp"]), HOSTS, PARTS, st.text(max_size=8))
def test_normalizing_twice_is_normalizing_once(scheme, host, path, extra):
    url = f"{scheme}://{host}{path}{extra}"
    once = normalize_url(url)
    if once is not None:
        assert normalize_url(once) == once


@given(st.text(max_size=40))
def test_normalizing_any_text_twice_is_normalizing_once(text):
    once = normalize_url(text)
    if once is not None:
        assert normalize_url(once) == once
