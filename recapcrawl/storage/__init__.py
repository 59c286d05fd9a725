"""The SQLite archive: the schema (``schema``) and every read and write of it.

Nothing else in recapcrawl writes SQL against the archive's tables.
"""

from .captures import (
    Capture,
    iter_captures,
    latest_capture_ids,
    load_capture,
    pack_body,
    save_capture,
    sha256_of,
)
from .crawls import CrawlState, KnownRecap, Validators, finish_crawl, load_crawl_state, start_crawl
from .lock import ArchiveBusy, ArchiveLock
from .pages import complete_from_feeds, link_pages_to_recaps, save_page
from .reading import connect_readonly, exportable_names, iter_rows
from .recaps import (
    CHILD_RENAMES,
    SavedRecap,
    child_rows,
    fold_recap,
    iter_recaps,
    recap_row,
    save_recap,
    save_recap_changes,
    save_recaps,
    touch_recap,
)
from .schema import (
    CHILD_COLUMNS,
    CHILD_PKS,
    CHILD_TABLES,
    FTS_CONFIG,
    INDEXES,
    PAGE_COLUMNS,
    RECAP_COLUMNS,
    VIEWS,
    ensure_schema,
    now_iso,
    open_db,
)
from .writer import ArchiveWriter

__all__ = [
    "CHILD_COLUMNS",
    "CHILD_PKS",
    "CHILD_RENAMES",
    "CHILD_TABLES",
    "FTS_CONFIG",
    "INDEXES",
    "PAGE_COLUMNS",
    "RECAP_COLUMNS",
    "VIEWS",
    "ArchiveBusy",
    "ArchiveLock",
    "Capture",
    "CrawlState",
    "KnownRecap",
    "SavedRecap",
    "Validators",
    "ArchiveWriter",
    "child_rows",
    "connect_readonly",
    "ensure_schema",
    "exportable_names",
    "finish_crawl",
    "fold_recap",
    "iter_captures",
    "iter_recaps",
    "iter_rows",
    "latest_capture_ids",
    "complete_from_feeds",
    "link_pages_to_recaps",
    "load_capture",
    "load_crawl_state",
    "now_iso",
    "open_db",
    "pack_body",
    "recap_row",
    "save_capture",
    "save_page",
    "save_recap",
    "save_recap_changes",
    "save_recaps",
    "sha256_of",
    "start_crawl",
    "touch_recap",
]
