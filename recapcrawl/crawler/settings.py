"""Scrapy settings: polite by default, every one overridable with ``-s NAME=VALUE``."""

BOT_NAME = "recapcrawl"
SPIDER_MODULES = ["recapcrawl.crawler.spiders"]
NEWSPIDER_MODULE = "recapcrawl.crawler.spiders"

# Where the archive goes (the CLI's --db sets it).
RECAPCRAWL_DB = "archive/recaps.db"
# Who to contact about this crawler: an e-mail address or URL, added to the User-Agent.
RECAPCRAWL_CONTACT = ""

# Politeness.
USER_AGENT = "recapcrawl/0.1 (+https://pypi.org/project/recapcrawl/; archives TV recaps and their comments)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Limits and robustness.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# A 429 or 503 with Retry-After holds its host that long (nothing is sent to it meanwhile), then the URL
# is retried; a 429 without it holds the host RECAPCRAWL_RETRY_BACKOFF s, doubled at each retry (±50%).
# A Retry-After longer than RECAPCRAWL_RETRY_AFTER_MAX: the URL is given up (its pages row says why)
# and the host is held for that long. See recapcrawl/crawler/middlewares/politeness.py.
RECAPCRAWL_RETRY_AFTER_MAX = 300.0
RECAPCRAWL_RETRY_BACKOFF = 2.0
# Scrapy's downloader, with CONCURRENT_REQUESTS_PER_DOMAIN enforced also when DOWNLOAD_DELAY is 0.
DOWNLOADER = "recapcrawl.crawler.downloader.PoliteDownloader"
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control HTTP server can run code; a crawler of untrusted pages needs none of it.
REMOTE_CONTROL_ENABLED = False
HTTPCACHE_ENABLED = False
# Every response reaches the spider's errback or callback, so each URL gets a `pages` row.
HTTPERROR_ALLOW_ALL = False

DUPEFILTER_CLASS = "recapcrawl.crawler.dupefilter.RedirectLoopAwareDupeFilter"
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "recapcrawl.crawler.middlewares.useragent.ContactUserAgentMiddleware": 500,
    # robots.txt answering 5xx (or 429) disallows the whole host; 4xx allows everything (RFC 9309).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "recapcrawl.crawler.middlewares.robots.RobotsMiddleware": 100,
    # Scrapy's retries, honouring Retry-After and backing off after a 429 (crawler/middlewares/politeness.py).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "recapcrawl.crawler.middlewares.politeness.RetryAfterMiddleware": 550,
    # Conditional requests, 304s answered from the archive, and resuming an interrupted crawl.
    "recapcrawl.crawler.middlewares.archive.ArchiveMiddleware": 950,
    # No redirect or request off the start URLs' host:port or to a non-http(s) URL; no private targets.
    "recapcrawl.crawler.middlewares.safety.SafetyMiddleware": 610,
}
# Allow requests to loopback, private and link-local addresses from a public start URL (see
# recapcrawl/crawler/middlewares/safety.py). A start URL that is itself private
# (e.g. http://127.0.0.1:8101/) is always allowed.
RECAPCRAWL_ALLOW_PRIVATE = False
EXTENSIONS = {
    # The archive (database, lock, crawl state) and the extraction worker pool, for every component.
    "recapcrawl.crawler.extensions.ArchiveSession": 0,
    "recapcrawl.crawler.extensions.ExtractWorkers": 0,
    "recapcrawl.crawler.extensions.Progress": 500,
}
# Re-crawls fetch as little as possible: known recaps only when a sitemap, feed or the comments feed
# says they changed (or after RECAPCRAWL_REVISIT_DAYS), known listings not again. False: fetch everything.
RECAPCRAWL_INCREMENTAL = True
RECAPCRAWL_REVISIT_DAYS = 7.0
# Extraction worker processes (recapcrawl/crawler/workers.py); None = one per core, at most 4; 0 = in the
# crawl process. The archive is written in batches: one transaction per RECAPCRAWL_BATCH_ITEMS items or
# RECAPCRAWL_BATCH_SECONDS seconds (a killed crawl loses at most that batch; the resume fetches it again).
RECAPCRAWL_EXTRACT_WORKERS = None
# Items (and requests) of one response handled at once. Scrapy's default, 100, makes it start 101 asyncio
# tasks for every response; a page here yields a capture, one page or recap item and a few requests, so
# a handful is plenty (measured: 1.6 ms less of the crawl process's CPU per page).
CONCURRENT_ITEMS = 4
RECAPCRAWL_BATCH_ITEMS = 100
RECAPCRAWL_BATCH_SECONDS = 1.0
# Live progress on standard error (pages, recaps, new comments, errors, rate).
RECAPCRAWL_PROGRESS = False
RECAPCRAWL_PROGRESS_INTERVAL = 2.0
ITEM_PIPELINES = {
    "recapcrawl.crawler.pipelines.SplitPipeline": 100,
    "recapcrawl.crawler.pipelines.ArchivePipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
