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


def test_prune_after_an_upgrade_from_before_file_origins_loses_nothing(tmp_path):
    """A store from before m003 has files with no folder recorded. `--prune` of one folder
    cannot tell its vanished files from another folder's, so it keeps them and says so;
    ingesting the other folder places its files, and --claim-unplaced then prunes the rest.
    Uploads are never taken."""
    folders = {"a": tmp_path / "a", "b": tmp_path / "b"}
    for name, folder in folders.items():
        folder.mkdir()
        for n in (1, 2):
            (folder / f"{name}{n}.txt").write_text(f"Folder {name} note {n} says the pier opened in 190{n}.")
    settings = Settings(data_dir=tmp_path / "data", precision="fp32")
    with Engine(settings) as engine:
        for folder in folders.values():
            engine.ingest(folder)
        engine.ingest_files([("uploads/sent.txt", b"An upload says the ferry leaves at nine.")])
    with sqlite3.connect(settings.store_path) as db:  # the schema before m003: no origins at all
        db.execute("ALTER TABLE files DROP COLUMN origin")
        db.execute("DELETE FROM migrations WHERE name = 'm003_file_origins'")
    (folders["a"] / "a2.txt").unlink()  # deleted before the first ingest after the upgrade
    with Engine(settings) as engine:
        first = engine.ingest(folders["a"], prune=True)
        assert not first.removed and sorted(first.kept) == ["a2.txt", "b1.txt", "b2.txt"], first.kept
        assert "--claim-unplaced" in first.kept["a2.txt"] and not first.failed
        engine.ingest(folders["b"])  # b's files get their folder
        assert sorted(engine.ingest(folders["a"], prune=True).kept) == ["a2.txt"]
        claimed = engine.ingest(folders["a"], prune=True, claim_unplaced=True)
        assert claimed.removed == ["a2.txt"] and not claimed.kept
        assert engine.document("a2.txt") is None
        assert all(engine.document(i) for i in ("a1.txt", "b1.txt", "b2.txt", "uploads/sent.txt"))
        (folders["b"] / "b2.txt").unlink()  # and pruning goes on as for any store
        assert engine.ingest(folders["b"], prune=True).removed == ["b2.txt"]
