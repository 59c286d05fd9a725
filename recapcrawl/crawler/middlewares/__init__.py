"""The crawl's downloader middlewares (their order is in ``recapcrawl.crawler.settings``).

- ``robots.RobotsMiddleware`` (100): robots.txt per RFC 9309 (5xx disallows the host, 4xx allows all).
- ``useragent.ContactUserAgentMiddleware`` (500): the User-Agent, with ``RECAPCRAWL_CONTACT``.
- ``politeness.RetryAfterMiddleware`` (550): retries honouring Retry-After, back-off after a 429.
- ``safety.SafetyMiddleware`` (610): no request off the start URLs' hosts, none to private targets.
- ``archive.ArchiveMiddleware`` (950): conditional requests, 304s and resumed URLs from the archive.
"""
