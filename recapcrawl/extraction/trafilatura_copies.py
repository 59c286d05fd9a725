"""trafilatura's fast run on a document of ours, without the three copies it makes of it.

``bare_extraction`` copies the tree it is given (so the caller's stays as it was), copies it again
to clean it, and copies the cleaned tree as a backup for the external extractors. In a fast run with
precision and without comments (the generic path's first run, ``generic._FAST``) neither the tree
nor the backup is read after the cleaning starts, so when the tree is a throwaway document built for
the run (``generic.narrowed``), all three copies are work for nothing: about a tenth of the run.

``uncopied(document)`` makes trafilatura's ``copy`` hand back ``document`` itself, for that document
only and only in the calling thread or task (a ContextVar), while the block runs. It does so only
for the trafilatura code it was read against: ``SOURCE_DIGEST`` is a digest of the functions the
reasoning above rests on, and with any other version the copies are made as before.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import trafilatura.core as _core

# sha256 of the source of the functions below in trafilatura 2.3.1
SOURCE_DIGEST = "3e41373eda4b9b4754380fd1ff7b9c9fb599d4ec8c159f20e43eeb3773df669b"
_READ = ("bare_extraction", "trafilatura_sequence", "_prepare_tree", "_extract_and_compare")
_OWN: ContextVar[Any] = ContextVar("uncopied_document", default=None)


def _source_digest() -> str:
    """The digest of the trafilatura functions whose copies ``uncopied`` skips."""
    source = "".join(inspect.getsource(getattr(_core, name)) for name in _READ)
    return hashlib.sha256(source.encode()).hexdigest()


@lru_cache(maxsize=1)
def applies() -> bool:
    """Whether the installed trafilatura is the code ``uncopied`` was read against."""
    try:
        return _source_digest() == SOURCE_DIGEST and _core.copy is copy.copy
    except (OSError, TypeError, AttributeError):  # (no source to read: an installed .pyc only)
        return False


def _copy(value: Any) -> Any:
    """trafilatura's ``copy``, except for the document ``uncopied`` was given: that one is its own copy."""
    own = _OWN.get()
    if own is not None and value is own:
        return value
    return copy.copy(value)


@contextmanager
def uncopied(document: Any) -> Iterator[None]:
    """While the block runs a fast, precise, comment-free ``bare_extraction`` of ``document`` (a tree
    nothing else holds: it is changed in place), trafilatura does not copy it."""
    if not applies():
        yield
        return
    token = _OWN.set(document)
    _core.copy = _copy  # type: ignore[assignment]
    try:
        yield
    finally:
        _core.copy = copy.copy
        _OWN.reset(token)
