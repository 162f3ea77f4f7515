"""Numbered upgrades of the document store's schema, applied in order when a store opens.

Each migration runs once, in its own transaction, and is recorded by name in the
`migrations` table, so a store written by any earlier version opens as the current one.
A store from before this table existed is recognised by the tables it already has: the
migrations whose effect is already there are recorded without running again.

A migration that leaves data to recompute outside SQLite (vectors need the embedding
model) names it in `REEMBED`: the engine re-embeds every stored document once after it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(fn: Migration) -> Migration:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_documents_and_chunks(db: sqlite3.Connection) -> None:
    for statement in (
        "CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, title TEXT, source TEXT, date TEXT,"
        " author TEXT, path TEXT, content_hash TEXT, pages TEXT, text TEXT)",
        "CREATE TABLE IF NOT EXISTS chunks (id TEXT PRIMARY KEY, document_id TEXT, ordinal INTEGER,"
        ' start INTEGER, "end" INTEGER, sentences TEXT)',
        "CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id)",
        "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, hash TEXT)",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    ):  # one statement at a time: executescript would commit the migration's transaction
        db.execute(statement)


@migration
def m002_sentence_vectors(db: sqlite3.Connection) -> None:
    """Vectors of each chunk's sentences, so answering never embeds document text."""
    db.execute("CREATE TABLE IF NOT EXISTS sentence_vectors (chunk_id TEXT PRIMARY KEY, vectors BLOB)")


@migration
def m003_file_origins(db: sqlite3.Connection) -> None:
    """The folder each file was last ingested from, so `--prune` removes only its own files."""
    if "origin" not in _columns(db, "files"):
        db.execute("ALTER TABLE files ADD COLUMN origin TEXT")


@migration
def m004_transcript_cues(db: sqlite3.Connection) -> None:
    """A transcript's cues, so a quote from it says when it is spoken; NULL for other documents
    and for transcripts stored before (they read as having no cues until ingested again)."""
    if "cues" not in _columns(db, "documents"):
        db.execute("ALTER TABLE documents ADD COLUMN cues TEXT")


@migration
def m005_document_headings(db: sqlite3.Connection) -> None:
    """The headings a document's source marks, as spans of its stored text, so answering need
    not guess them; NULL for formats without headings and for documents stored before (they
    keep the guessing until ingested again)."""
    if "headings" not in _columns(db, "documents"):
        db.execute("ALTER TABLE documents ADD COLUMN headings TEXT")


# Migrations after which every stored document is embedded again (its vectors were not kept).
REEMBED = {"m002_sentence_vectors"}


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def _already_applied(db: sqlite3.Connection, name: str) -> bool:
    """For stores made before migrations were recorded: is this one's effect already there?"""
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {"m001_documents_and_chunks": "documents" in tables,
            "m002_sentence_vectors": "sentence_vectors" in tables,
            "m003_file_origins": "files" in tables and "origin" in _columns(db, "files"),
            "m004_transcript_cues": "documents" in tables and "cues" in _columns(db, "documents"),
            "m005_document_headings": "documents" in tables and "headings" in _columns(db, "documents"),
            }.get(name, False)


def migrate(db: sqlite3.Connection) -> list[str]:
    """Bring the store at `db` (autocommit connection) to the current schema; returns the
    names of the migrations that ran now (not those found already applied)."""
    db.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT)")
    done = {row[0] for row in db.execute("SELECT name FROM migrations")}
    ran = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM migrations WHERE name = ?", (name,)).fetchone():
                db.execute("COMMIT")  # another process opening the same store ran it first
                continue
            if not _already_applied(db, name):
                fn(db)
                ran.append(name)
            db.execute("INSERT INTO migrations VALUES (?, ?)", (name, datetime.now(timezone.utc).isoformat()))
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
    return ran
