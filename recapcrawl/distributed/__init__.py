"""Distributed crawls on scrapy-redis: any number of workers share one frontier in Redis, one
ingester writes the SQLite archive.

- ``recapcrawl enqueue --redis URL SITE…`` adds sites to ``recaps:sites`` (the crawl's scope) and
  their start URLs to ``recaps:start_urls``.
- ``recapcrawl worker --redis URL`` runs the ``recaps`` spider with scrapy-redis's scheduler and
  duplicate filter (``frontier.DomainScheduler``, ``SCHEDULER_PERSIST`` on). Requests wait in one
  sorted set per host (``recaps:requests:<host>``); a host is leased to one worker at a time, so
  every site is fetched exactly as politely as by one crawler. Popped requests stay in the worker's
  in-flight hash until the engine is done with them (downloaded, parsed, every new request queued,
  every item handed off); a killed worker's in-flight requests go back to the frontier.
- Workers never open the archive: items go to the list ``recaps:items`` as JSON (raw bodies
  deflated, in base64; recaps are split in the worker).
- ``recapcrawl ingest --redis URL --db DB`` is the one writer: it moves items to
  ``recaps:items:processing``, writes them with ``recapcrawl.storage``, then removes them, so a
  killed ingester loses nothing and a redelivered item is stored once.
- ``recapcrawl status --redis URL`` shows the frontier, seen URLs, items waiting and live workers.

Redis and scrapy-redis are an optional extra (``pip install 'recapcrawl[distributed]'``).
"""
