"""WARC in and out (warcio): the stored captures as WARC/1.1, and captures from someone else's WARC."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .captures import iter_captures, save_capture


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def write_warc(db: Database, path: str | Path, user_agent: str = "recapcrawl") -> int:
    """Write every stored capture as a WARC/1.1 response record with its request record, after a
    warcinfo record. Returns the number of captures written."""
    count = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=str(path).endswith(".gz"), warc_version="WARC/1.1")
        writer.write_record(
            writer.create_warcinfo_record(
                Path(path).name,
                {
                    "software": f"recapcrawl/{version('recapcrawl')} (warcio/{version('warcio')})",
                    "format": "WARC File Format 1.1",
                    "description": "TV recap pages and their comment pages, captured by recapcrawl",
                },
            )
        )
        for capture in iter_captures(db):
            date = storage_date(capture.fetched_at)
            headers = [(k, v) for k, values in capture.headers.items() for v in values]
            headers.append(("Content-Length", str(len(capture.body))))
            http = StatusAndHeaders(
                f"{capture.status} {_reason(capture.status)}", headers, protocol="HTTP/1.1"
            )
            response = writer.create_warc_record(
                capture.final_url,
                "response",
                payload=io.BytesIO(capture.body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            parts = urlsplit(capture.final_url)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            request = writer.create_warc_record(
                capture.final_url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET {target} HTTP/1.1",
                    [("Host", parts.netloc), ("User-Agent", user_agent), ("Accept", "*/*")],
                    is_http_request=True,
                ),
                warc_headers_dict={
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            writer.write_record(response)
            writer.write_record(request)
            count += 1
    return count


def storage_date(iso: str) -> str:
    """A stored ISO 8601 time as a WARC-Date (UTC, ``Z``)."""
    return datetime.fromisoformat(iso).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_warc_captures(db: Database, path: str | Path, crawl_id: int) -> int:
    """Store every HTTP response record of a WARC as a capture. Returns how many were stored."""
    count = 0
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            status = int(record.http_headers.get_statuscode() or 0)
            headers: dict[str, list[str]] = {}
            for name, value in record.http_headers.headers:
                if name.lower() not in ("content-encoding", "transfer-encoding", "content-length"):
                    headers.setdefault(name, []).append(value)
            body = record.content_stream().read()
            when = record.rec_headers.get_header("WARC-Date")
            fetched_at = (
                datetime.fromisoformat(when.replace("Z", "+00:00")).astimezone(UTC).isoformat()
                if when
                else None
            )
            save_capture(db, url, status, headers, body, url, fetched_at, crawl_id)
            count += 1
    return count
