"""Scrapy settings for a crawl worker: the project's settings with scrapy-redis's scheduler and
duplicate filter, the item hand-off instead of the archive pipeline, and the worker extension."""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from .keys import Keys

WORKER_PIPELINES = {
    "recapcrawl.crawler.pipelines.SplitPipeline": 100,  # recaps are split in the worker (the CPU-heavy part)
    "recapcrawl.distributed.handoff.RedisItemPipeline": 300,  # …and handed to the ingester
}


def worker_settings(
    redis_url: str,
    overrides: dict[str, Any] | None = None,
    idle_exit: float = 0.0,
    worker_id: str | None = None,
) -> Settings:
    """Project settings + command-line overrides + what a worker needs (these last win)."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "recapcrawl.crawler.settings")
    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    keys = Keys()
    required: dict[str, Any] = {
        "REDIS_URL": redis_url,
        "SCHEDULER": "recapcrawl.distributed.frontier.DomainScheduler",
        "SCHEDULER_QUEUE_CLASS": "recapcrawl.distributed.frontier.DomainQueue",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_FLUSH_ON_START": False,
        "DUPEFILTER_CLASS": "recapcrawl.distributed.frontier.RedisDupeFilter",
        "ITEM_PIPELINES": WORKER_PIPELINES,
        "REDIS_ITEMS_KEY": keys.items,
        "REDIS_ITEMS_SERIALIZER": "recapcrawl.distributed.codec.dumps",
        "EXTENSIONS": {
            **settings.getdict("EXTENSIONS"),
            "recapcrawl.distributed.worker.WorkerExtension": 100,
        },
        "RECAPCRAWL_IDLE_EXIT": idle_exit,
    }
    if worker_id:
        required["RECAPCRAWL_WORKER_ID"] = worker_id
    for name, value in required.items():
        settings.set(name, value, priority="cmdline")
    return settings
