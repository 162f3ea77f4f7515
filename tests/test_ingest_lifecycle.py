"""The corpus lifecycle as an operator lives it: bad input gets a clear error naming the
file, and nothing already in the index is lost or silently left out."""

from __future__ import annotations

from pathlib import Path

from rag.ingest.pipeline import corpus_files


def test_only_a_folders_own_notes_are_left_out_not_files_whose_names_start_like_them(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    notes = ["README.md", "LICENSE.txt", "licence.md", "ATTRIBUTION.md", "NOTICE.txt", "SOURCES.md"]
    kept = ["sources-of-the-nile.txt", "noticeboard.md", "licensed-pilots.txt", "sourcebook.txt",
            "attribution-theory.md", "readmissions.txt"]
    for name in notes + kept:
        (corpus / name).write_text(f"The file {name} is about the river.")
    assert sorted(p.name for p in corpus_files(corpus)) == sorted(kept)
