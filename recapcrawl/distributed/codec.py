"""Items as JSON for the trip through Redis: bytes compressed and in base64."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Mapping
from typing import Any

BYTES = "$base64"
ZLIB = "$zlib64"  # bytes of 1 KiB or more: deflated first (HTML shrinks about 4×; less Redis memory)


def _default(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if len(data) >= 1024:
            return {ZLIB: base64.b64encode(zlib.compress(data, 1)).decode("ascii")}
        return {BYTES: base64.b64encode(data).decode("ascii")}
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot send {type(value).__name__} through Redis")


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        if BYTES in obj:
            return base64.b64decode(obj[BYTES])
        if ZLIB in obj:
            return zlib.decompress(base64.b64decode(obj[ZLIB]))
    return obj


def dumps(item: Mapping[str, Any]) -> str:
    """One item (``crawler.items.ArchiveItem``) as JSON. A capture's ``packed`` body (a second copy of
    the bytes) is left out: the ingester compresses what it stores."""
    item = {k: v for k, v in dict(item).items() if k != "packed"}
    return json.dumps(item, default=_default, ensure_ascii=False, separators=(",", ":"))


def loads(data: bytes | str) -> dict[str, Any]:
    return json.loads(data, object_hook=_hook)
