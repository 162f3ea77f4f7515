"""The store keeps a Document whole: what is put is what is got, its pages, cues and headings
included (rag/document_rows.py), and one without them stores NULL and reads back empty."""

from __future__ import annotations

import sqlite3

from rag.document_rows import DOCUMENT_COLUMNS, document_from_row, document_row
from rag.store import Store
from rag.types import Chunk, Cue, Document, Heading, Page

FULL = Document(id="talk.vtt", title="Talk", text="# Intro\nWe met in 1911.\nIt rained.", source="s", date="2024",
                author="Ann", path="talk.vtt", content_hash="abc", pages=[Page(number=1, start=0, end=7)],
                cues=[Cue(offset=8, start_ms=0, end_ms=1500), Cue(offset=25, start_ms=1500, end_ms=3000)],
                headings=[Heading(start=2, end=7, level=1)])
BARE = Document(id="notes.txt", title="Notes", text="Nothing marked here.")


def test_a_document_row_reads_back_as_the_document():
    for document in (FULL, BARE):
        row = document_row(document)
        assert len(row) == len(DOCUMENT_COLUMNS.split(", "))
        assert document_from_row(row) == document
    assert document_row(BARE)[-2:] == (None, None)  # no cues, no headings: NULL, not "[]"


def test_the_store_gives_back_what_it_was_given(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    for document in (FULL, BARE):
        store.put(document, [Chunk(id=f"{document.id}::0", document_id=document.id, ordinal=0, start=0,
                                   end=len(document.text), text=document.text, sentences=[(0, len(document.text))])])
    store.close()
    reopened = Store(tmp_path / "store.sqlite")  # nothing from the first one's cache
    assert reopened.get(FULL.id) == FULL and reopened.get(BARE.id) == BARE
    reopened.close()
    with sqlite3.connect(tmp_path / "store.sqlite") as db:
        assert db.execute("SELECT cues, headings FROM documents WHERE id = ?", (BARE.id,)).fetchone() == (None, None)
