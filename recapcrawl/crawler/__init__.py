"""Everything that runs only inside Scrapy, laid out as Scrapy lays itself out.

- ``settings``: the project's Scrapy settings (``scrapy.cfg`` points here).
- ``spiders``: the ``recaps`` spider and what it decides to fetch again (``freshness``).
- ``middlewares``: the downloader middlewares (user agent, robots.txt, safety, politeness, archive).
- ``downloader``: Scrapy's downloader with the per-host limit enforced without a download delay.
- ``dupefilter``: the duplicate filter that reports redirect loops.
- ``items``: what the spider hands to the pipelines; ``pipelines``: split, then archive.
- ``extensions``: ``ArchiveSession`` (database, lock, crawl state, writer), ``ExtractWorkers`` (the
  extraction pool), ``Progress`` (the live progress line).
- ``workers``: the extraction process pool; ``readings``: the jobs it runs on fetched pages.

Importing this package imports nothing; ``workers`` and ``readings`` do not import Scrapy.
"""
