"""The loopback HTTP servers the tests crawl: ``fault_server`` (one misbehaving route at a time, plus the
crawl helpers the crawl tests share) and ``misbehaving_site`` (a blog whose pages break in every way a real
site's can). The bundled sample site is ``recapcrawl.sample_site``; the recorded sites are in ../shared."""
