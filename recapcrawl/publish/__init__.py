"""Publishing the archive: serving it with Datasette, and what the Datasette plugins in
``archive/plugins/`` do (each plugin file only declares its hooks).

- ``serve``     the ``datasette`` command line for the archive (``recapcrawl serve``)
- ``csvlines``  CSV built by SQLite, one ``printf`` per row: ``recapcrawl export`` and ``/-/export/``
- ``download``  ``/-/export/TABLE.csv``, every row of a table or view, streamed
- ``reader``    the recap reading view, the start page and the links between pages
- ``search``    ``/-/search``, one search box over the four full-text indexes
- ``tables``    quick searching and paging of the big tables
- ``facets``    the ``year`` facet

Only ``serve`` is imported here; the others import Datasette and are imported by the plugins.
"""

from .serve import (
    ARCHIVE_DB,
    METADATA_FILE,
    SETTINGS_FILE,
    ArchiveConfigMissing,
    archive_dir,
    archive_settings,
    checkpoint_wal,
    crawl_is_writing,
    datasette_command,
    open_immutable,
    serve,
    setting_args,
    stop,
)

__all__ = [
    "ARCHIVE_DB",
    "METADATA_FILE",
    "SETTINGS_FILE",
    "ArchiveConfigMissing",
    "archive_dir",
    "archive_settings",
    "checkpoint_wal",
    "crawl_is_writing",
    "datasette_command",
    "open_immutable",
    "serve",
    "setting_args",
    "stop",
]
