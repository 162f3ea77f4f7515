"""rag/ingest/clean.py strip_wiki_tags: Wikipedia's maintenance tags are not quotable; real
bracketed text stays."""

from __future__ import annotations

import time

import pytest

from rag.ingest.clean import clean_text, strip_wiki_tags


@pytest.mark.parametrize("raw, cleaned", [
    ("created in 1978.[citation needed] On November 28", "created in 1978. On November 28"),
    ("the ministers.[Citation Needed]", "the ministers."),
    ("He said so[who?] and left[when?].", "He said so and left."),
    ("A claim[dubious – discuss] here[clarification needed].", "A claim here."),
    ("History[edit]", "History"),
])
def test_tags_are_removed(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize("text", [
    "He wrote 'teh' [sic] twice.", "the element a[1] of the array", "Smith [2020] found it.",
    "[Ed.] The note follows.", "see [1] and [12]", "[citation] is a word in brackets",
    "the [needed citation] stays", "[a](b) is Markdown",
])
def test_real_bracketed_text_stays(text):
    assert strip_wiki_tags(text) == text
    assert clean_text(text) == text


def test_linear_on_long_bracket_runs():
    small, large = "[" * 20_000 + "citation needed", "[" * 160_000 + "citation needed"
    start = time.perf_counter()
    strip_wiki_tags(small)
    mid = time.perf_counter()
    strip_wiki_tags(large)
    end = time.perf_counter()
    assert (end - mid) < 64 * max(mid - start, 1e-4)
