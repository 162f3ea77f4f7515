"""Store upgrades: numbered migrations bring a store written by an older version to the
current schema, once, and the engine re-embeds what an upgrade could not carry over."""

from __future__ import annotations

import sqlite3

from rag.config import Settings
from rag.engine import Engine
from rag.migrations import MIGRATIONS
from rag.store import Store
from tests.conftest import small_corpus

QUESTION = "How much did the Riverside library renovation cost?"


def recorded(path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [row[0] for row in db.execute("SELECT name FROM migrations ORDER BY name")]


def test_a_new_store_records_every_migration_once(tmp_path):
    path = tmp_path / "store.sqlite"
    first = Store(path)
    assert first.migrated == [name for name, _ in MIGRATIONS] and not first.needs_reembedding
    first.close()
    again = Store(path)
    assert again.migrated == [] and recorded(path) == sorted(name for name, _ in MIGRATIONS)
    again.close()


def test_a_store_from_the_first_version_opens_and_answers_as_before(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    with Engine(settings) as engine:
        engine.ingest(small_corpus(tmp_path / "corpus"))
        before = engine.ask(QUESTION)
    # The schema version 1 wrote: no sentence vectors, no file origins, no migrations table.
    with sqlite3.connect(settings.store_path) as db:
        db.execute("DROP TABLE sentence_vectors")
        db.execute("DROP TABLE migrations")
        db.execute("ALTER TABLE files DROP COLUMN origin")
    with Engine(settings) as engine:
        assert recorded(settings.store_path) == sorted(name for name, _ in MIGRATIONS)
        report = engine.verify()
        assert report.ok and report.missing_sentence_vectors == 0, report
        after = engine.ask(QUESTION)
        assert [(q.document_id, q.start, q.end) for q in after.quotes] == \
               [(q.document_id, q.start, q.end) for q in before.quotes]
        assert after.confidence == before.confidence
        # file origins came back empty; the next ingest of the folder records them again
        assert engine.ingest(tmp_path / "corpus").unchanged > 0
    with Engine(settings) as engine:  # a third open upgrades nothing
        assert engine.verify().ok


def test_verify_finds_and_repairs_missing_sentence_vectors(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    with Engine(settings) as engine:
        engine.ingest(small_corpus(tmp_path / "corpus"))
    with sqlite3.connect(settings.store_path) as db:
        db.execute("DELETE FROM sentence_vectors WHERE rowid = (SELECT min(rowid) FROM sentence_vectors)")
    with Engine(settings) as engine:
        report = engine.verify()
        assert not report.ok and report.missing_sentence_vectors == 1
        assert engine.verify(repair=True).repaired and engine.verify().ok
