"""Ingest keeps going past bad input (issue 22, items 1, 4 and 7): a bad JSONL record is
skipped and reported by line and id, the first holder of an id keeps it, a file over its
time budget is reported by name, and folders are walked safely (symbolic links out,
the index's own data folder, prune limited to the folder ingested). An id that moves to
another file is not lost."""

from __future__ import annotations

import json
import os

import pytest

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.load import LoadError, load_file
from rag.ingest.worker import ParseWorker

SENTENCE = "The harbour of Antwerp handled {n} ships in the year the canal opened."


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Engine:
    """An engine of its own (real MiniLM, Chroma, BM25), so these writes touch no other test."""
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("records-data"), precision="fp32"))
    with engine:
        yield engine


def _jsonl(records: list) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def test_bad_records_are_skipped_by_line_and_id_and_the_rest_ingest(fresh, tmp_path):
    records = [{"_id": f"r{n}", "text": SENTENCE.format(n=n)} for n in range(80)]
    records[3] = {"_id": "empty", "text": "![](https://x.example/1b2c3d4e5f.png)"}  # nothing left after cleaning
    records[5] = "{not json"
    records[7] = {"_id": "bad\nid", "text": "An id with a newline cannot be fetched."}
    records[75] = {"_id": "r10", "text": "A later line that reuses the id r10."}  # 65 lines after the first
    folder = tmp_path / "beir"
    folder.mkdir()
    (folder / "corpus.jsonl").write_text(_jsonl(records))
    (folder / "later.jsonl").write_text(_jsonl([{"_id": "r1", "text": "Another file claims r1."},
                                                {"_id": "own", "text": "This record is its own."}]))
    report = fresh.ingest(folder)
    assert set(report.failed) == {"corpus.jsonl:4", "corpus.jsonl:6", "corpus.jsonl:8",
                                  "corpus.jsonl:76", "later.jsonl#r1"}, report.failed
    assert "'empty'" in report.failed["corpus.jsonl:4"] and "no text left" in report.failed["corpus.jsonl:4"]
    assert "not valid JSON" in report.failed["corpus.jsonl:6"]
    assert "newline" in report.failed["corpus.jsonl:8"]
    assert "line 11" in report.failed["corpus.jsonl:76"]
    assert "corpus.jsonl" in report.failed["later.jsonl#r1"]
    assert len(report.added) == 77  # 80 - 4 in corpus.jsonl, plus 'own'
    assert fresh.document("r10").text == SENTENCE.format(n=10)  # the first keeps its id
    assert fresh.document("r1").path == "corpus.jsonl"
    assert fresh.document("own") is not None
    assert report.formats == {".jsonl": {"ingested": 2}}  # files whose records were taken; the rest listed above


def test_a_file_over_its_time_budget_is_reported_by_name_and_the_next_file_ingests():
    worker = ParseWorker(seconds=0.3, chunk_words=120)
    try:
        slow = ("A sentence about the harbour that keeps going. " * 200_000).encode()
        with pytest.raises(LoadError, match=r"big\.txt: reading and cleaning took over 0\.3 s"):
            worker.parse(slow, "big.txt")
        parsed = worker.parse(b"Short and fine.", "small.txt")
        assert parsed.documents[0].text == "Short and fine." and parsed.chunks["small.txt"]
    finally:
        worker.close()


def _docx_inflating_to(megabytes: int) -> bytes:
    """A Word file of a few KB whose document.xml inflates to `megabytes` of tiny paragraphs."""
    import io
    import zipfile

    types = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
             '</Types>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
    paragraph = b"<w:p><w:r><w:t>a</w:t></w:r></w:p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        with archive.open("word/document.xml", "w") as part:
            part.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                       b"<w:body>")
            for _ in range(megabytes * 2**20 // len(paragraph) // 1000):
                part.write(paragraph * 1000)
            part.write(b"</w:body></w:document>")
    return buffer.getvalue()


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="the memory cap needs Linux")
def test_a_zip_bomb_over_the_memory_cap_is_reported_and_the_next_file_ingests():
    worker = ParseWorker(seconds=120, chunk_words=120, max_memory_mb=150)
    try:
        with pytest.raises(LoadError, match=r"bomb\.docx: reading it needs more memory .*MAX_MEMORY_MB=150"):
            worker.parse(_docx_inflating_to(40), "bomb.docx")  # ~0.8 GB parsed without the cap
        parsed = worker.parse(b"Short and fine.", "small.txt")
        assert parsed.documents[0].text == "Short and fine."
    finally:
        worker.close()


def test_the_worker_gives_what_the_pure_steps_give():
    worker = ParseWorker(seconds=60, chunk_words=20)
    raw = ("---\ntitle: T\n---\n# Heading\n\n" + "Words of a sentence here. " * 40).encode()
    try:
        parsed = worker.parse(raw, "a.md")
    finally:
        worker.close()
    (document,) = load_file(raw, "a.md").documents
    assert parsed.documents == [document]
    assert all(document.text[c.start:c.end] == c.text for c in parsed.chunks["a.md"])


def test_a_deeply_nested_jsonl_record_is_skipped_and_the_others_ingest():
    deep = '{"id": "deep", "text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    raw = "\n".join(['{"id": "a", "text": "Zebras are striped."}', deep,
                     '{"id": "b", "text": "Gnus migrate."}']).encode()
    loaded = load_file(raw, "deep.jsonl")
    assert [d.id for d in loaded.documents] == ["a", "b"]
    assert "nested too deeply" in loaded.skipped["deep.jsonl:2"]


def test_utf16_text_with_a_byte_order_mark_reads_as_text():
    for encoding in ("utf-16-le", "utf-16-be"):
        bom = "\ufeff".encode(encoding)
        (document,) = load_file(bom + "Größe und Café.\nZweite Zeile.".encode(encoding), "w.txt").documents
        assert document.text == "Größe und Café.\nZweite Zeile."


def test_ids_with_control_characters_are_refused():
    with pytest.raises(LoadError, match="control character"):
        load_file(b"---\nid: \"a\\tb\"\n---\nSome text here.", "x.md")


def test_symlinks_out_of_the_folder_are_not_followed_and_the_data_folder_is_skipped(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("The vault code is 4711.")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("The ferry leaves at nine.")
    os.symlink(secret, corpus / "link.txt")
    os.symlink(corpus / "note.txt", corpus / "inside.txt")  # inside the folder: followed
    engine = Engine(Settings(data_dir=corpus / "data", precision="fp32"))
    try:
        engine.ingest(corpus)  # writes the index under corpus/data
        report = engine.ingest(corpus)  # and reads the folder again, index included
        assert list(report.failed) == ["link.txt"] and "not followed" in report.failed["link.txt"]
        assert engine.document("link.txt") is None
        assert engine.document("inside.txt").text == "The ferry leaves at nine."
        assert not any(name.startswith("data/") for name in engine._store.file_paths())  # white-box
    finally:
        engine.close()


def test_prune_removes_only_documents_from_the_folder_ingested(fresh, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, name in ((first, "a.txt"), (second, "b.txt")):
        folder.mkdir()
        (folder / name).write_text(f"The file {name} tells about the lighthouse.")
    fresh.ingest(first)
    fresh.ingest_files([("uploads/u.txt", b"An uploaded note about the lighthouse keeper.")])
    (second / "gone.txt").write_text("This file will be deleted before the next ingest.")
    fresh.ingest(second)
    (second / "gone.txt").unlink()
    report = fresh.ingest(second, prune=True)
    assert report.removed == ["gone.txt"], report.removed
    assert fresh.document("a.txt") and fresh.document("b.txt") and fresh.document("uploads/u.txt")


def test_an_id_that_moves_to_another_file_is_kept_in_the_same_run(fresh, tmp_path):
    """A record moved between files, or a folder renamed and pruned: the id's old holder lets
    it go later in the same run, and the skipped document is written then, not lost (and a
    file that still misses a document is never 'unchanged')."""
    folder = tmp_path / "moves"
    folder.mkdir()
    (folder / "z.jsonl").write_text(_jsonl([{"_id": "owl", "text": "The owl hunts in winter."},
                                            {"_id": "fox", "text": "The fox hunts in spring."}]))
    (folder / "a.jsonl").write_text(_jsonl([{"_id": "bear", "text": "The bear sleeps in winter."}]))
    fresh.ingest(folder)
    (folder / "a.jsonl").write_text(_jsonl([{"_id": "bear", "text": "The bear sleeps in winter."},
                                            {"_id": "owl", "text": "The owl hunts in winter."}]))
    (folder / "z.jsonl").write_text(_jsonl([{"_id": "fox", "text": "The fox hunts in spring."}]))
    moved = fresh.ingest(folder)  # a.jsonl comes first: "owl" is still z.jsonl's then
    assert not moved.failed, moved.failed
    assert fresh.document("owl").path == "a.jsonl"
    assert fresh.ingest(folder).unchanged == 2

    named = tmp_path / "named"
    (named / "old").mkdir(parents=True)
    (named / "old" / "note.md").write_text("---\nid: heron-note\ntitle: Heron\n---\nThe heron waits in the reeds.\n")
    fresh.ingest(named)
    (named / "old").rename(named / "new")
    renamed = fresh.ingest(named, prune=True)
    assert not renamed.failed and renamed.removed == ["heron-note"] and renamed.added == ["heron-note"]
    assert fresh.document("heron-note").path == "new/note.md"
    assert fresh.ingest(named, prune=True).unchanged == 1

    (named / "new" / "copy.md").write_text("---\nid: heron-note\ntitle: Copy\n---\nA second file claims the id.\n")
    clash = fresh.ingest(named)
    assert list(clash.failed) == ["new/copy.md#heron-note"]
    again = fresh.ingest(named)  # read again, not "unchanged", while the clash stands
    assert list(again.failed) == ["new/copy.md#heron-note"] and again.unchanged == 1
