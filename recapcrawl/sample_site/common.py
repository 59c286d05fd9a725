"""Small pieces shared by both sample blogs: the response type, date formats and a placeholder image."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"


@dataclass
class Response:
    """What a site handler returns; the HTTP server turns it into bytes on the wire.

    ``last_modified`` (when set) makes the server send ``Last-Modified`` and an ``ETag`` and answer
    conditional requests with 304.
    """

    status: int = 200
    body: bytes | str = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None

    @property
    def payload(self) -> bytes:
        """The body as bytes (text bodies are encoded as UTF-8)."""
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


def redirect(location: str, status: int = 301) -> Response:
    """A redirect to an absolute URL."""
    return Response(status=status, body="", headers={"Location": location})


def long_date(dt: datetime) -> str:
    """``March 5, 2024`` (no leading zero on the day)."""
    return f"{dt:%B} {dt.day}, {dt.year}"


def clock(dt: datetime, upper: bool = False) -> str:
    """``8:14 pm`` (or ``8:14 PM`` with ``upper``), as WordPress and Blogger print times."""
    hour = dt.hour % 12 or 12
    suffix = "pm" if dt.hour >= 12 else "am"
    return f"{hour}:{dt:%M} {suffix.upper() if upper else suffix}"


def rfc822(dt: datetime) -> str:
    """RFC 822 date in GMT, as used by RSS ``pubDate`` and HTTP ``Last-Modified``."""
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def utc_iso(dt: datetime) -> str:
    """ISO 8601 in UTC with a ``+00:00`` offset."""
    return dt.astimezone(UTC).isoformat()


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


#: A small grey PNG served for every image URL of both blogs.
PLACEHOLDER_PNG = _png(16, 9, (120, 128, 136))


def image_response() -> Response:
    """The placeholder image, cacheable."""
    return Response(
        body=PLACEHOLDER_PNG,
        content_type="image/png",
        last_modified=datetime(2024, 1, 1, tzinfo=UTC),
    )
