"""``recapcrawl status``: the frontier, seen URLs, items waiting and the workers alive."""

from __future__ import annotations

import json
import time
from typing import Any

from .frontier import domain_queues, in_flight, live_workers
from .keys import Keys


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def cluster_status(server, keys: Keys | None = None) -> dict[str, Any]:
    keys = keys or Keys()
    queues = domain_queues(server, keys)
    flying = in_flight(server, keys)
    workers = live_workers(server, keys)
    ingester = server.get(keys.ingester)
    return {
        "sites": sorted(_text(s) for s in server.smembers(keys.sites)),
        "start_urls_waiting": server.llen(keys.start_urls),
        "queued": sum(n for n, _ in queues.values()),
        "hosts": [{"host": h, "queued": n, "worker": holder} for h, (n, holder) in queues.items()],
        "in_flight": sum(flying.values()),
        "seen_urls": server.scard(keys.dupefilter),
        "items_waiting": server.llen(keys.items),
        "items_ingesting": server.llen(keys.processing),
        "items_failed": server.llen(keys.failed),
        "workers_alive": len(workers),
        "workers": [dict(beat, in_flight=flying.get(worker_id, 0)) for worker_id, beat in workers.items()],
        "dead_workers_not_reaped": sorted(set(flying) - set(workers)),
        "ingester": json.loads(ingester) if ingester else None,
    }


def format_status(status: dict[str, Any]) -> str:
    now = time.time()
    lines = [
        f"sites: {len(status['sites'])}  ({', '.join(status['sites']) or 'none: run recapcrawl enqueue'})",
        f"frontier: {status['queued']} requests queued, {status['in_flight']} in flight,"
        f" {status['start_urls_waiting']} start URLs waiting",
    ]
    for host in status["hosts"]:
        holder = {None: "no worker", "-": "cooling down"}.get(host["worker"], host["worker"])
        lines.append(f"  {host['host']}: {host['queued']} queued ({holder})")
    lines += [
        f"seen URLs: {status['seen_urls']}",
        f"items waiting: {status['items_waiting']} (+{status['items_ingesting']} being ingested,"
        f" {status['items_failed']} failed)",
        f"workers alive: {status['workers_alive']}",
    ]
    for beat in status["workers"]:
        lines.append(
            f"  {beat['id']}: pid {beat['pid']} on {beat['host']}, up {now - beat['started']:.0f} s,"
            f" {beat['responses']} pages, {beat['items']} items, {beat['in_flight']} in flight,"
            f" hosts: {', '.join(beat['domains']) or 'none'}"
        )
    if status["dead_workers_not_reaped"]:
        gone = ", ".join(status["dead_workers_not_reaped"])
        lines.append(f"  gone (their requests go back to the frontier with the next live worker): {gone}")
    ingester = status["ingester"]
    lines.append(f"ingester: pid {ingester['pid']} on {ingester['host']}" if ingester else "ingester: none")
    return "\n".join(lines)
