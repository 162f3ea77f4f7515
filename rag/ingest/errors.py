"""The one error of reading a file: LoadError, whose message names the file (or the record in
it) and the reason, so the caller can report it and go on with the rest of the corpus."""

from __future__ import annotations


class LoadError(Exception):
    """A file (or one record in it) that cannot be ingested; the message is for people."""


def broken(name: str, kind: str, err: BaseException) -> LoadError:
    """A format library's error on `name`, said as a LoadError of at most 300 characters."""
    return LoadError(f"{name}: broken or unreadable {kind} ({err.__class__.__name__}: {err})"[:300])
