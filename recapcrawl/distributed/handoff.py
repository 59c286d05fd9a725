"""Handing finished items to the ingester through Redis (workers never open the archive)."""

from __future__ import annotations

from scrapy_redis.pipelines import RedisPipeline

from ..crawler.items import ArchiveItem
from .codec import dumps


class RedisItemPipeline(RedisPipeline):
    """scrapy-redis's item pipeline, made synchronous: each item is in ``recaps:items`` (as JSON,
    see ``codec``) before the engine counts the request that produced it as done, and in the order
    the spider yielded them (a capture before the page row that points at it)."""

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls.from_settings(crawler.settings)
        pipeline.crawler = crawler
        if not crawler.settings.get("REDIS_ITEMS_SERIALIZER"):
            pipeline.serialize = dumps
        return pipeline

    def process_item(self, item: ArchiveItem) -> ArchiveItem:
        key = self.key % {"spider": self.crawler.spider.name}
        self.server.rpush(key, self.serialize(item))
        self.crawler.stats.inc_value("recapcrawl/handed_off")
        return item
