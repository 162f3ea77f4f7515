"""Cleaning and splitting run in linear time on any input (issue 22, item 1).

Growth, not seconds: the same pathological run at n and 8n characters must take well
under 64x as long (a quadratic pattern takes 64x, the old image-fragment pattern far
more). Each measurement is the best of three, and an alarm stops a runaway pattern
(the regex engine checks for signals), so a regression fails instead of hanging.
"""

from __future__ import annotations

import signal
import time

import pytest
from hypothesis import given, settings, strategies as st

from rag.ingest.chunk import MAX_CHUNK_CHARS, chunk_document
from rag.ingest.sentences import MAX_SPAN_CHARS, sentence_spans
from rag.ingest.clean import clean_text
from rag.ingest.markdown import markdown_to_text
from rag.types import Document

SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
GROWTH = 8
MAX_RATIO = 24  # linear is about 8; quadratic would be 64
sentence_spans("Load the sentence model. Before any alarm is set.")  # one-time cost, not timed


def _whole_path(text: str) -> None:
    """What a Markdown file's text goes through before it is stored and split."""
    sentence_spans(clean_text(markdown_to_text(text)))


def _best_time(text: str, limit: float) -> float:
    def expire(*_):
        raise TimeoutError(f"cleaning {len(text):,} characters took over {limit:.1f} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            _whole_path(text)
            best = min(best, time.perf_counter() - start)
        return best
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _run(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def assert_linear(unit: str, n: int) -> None:
    """n doubles until the small run takes long enough to time on a busy machine."""
    t_small = _best_time(_run(unit, n), 20.0)
    while t_small < 0.02 and n < 64_000:
        n *= 2
        t_small = _best_time(_run(unit, n), 20.0)
    t_large = _best_time(_run(unit, GROWTH * n), max(2.0, 3 * 64 * t_small))
    assert t_large / t_small < MAX_RATIO, (unit[:40], n, t_small, t_large)


NAMED = {
    "one long word": "a",
    "comma-joined SHA-1 hashes": SHA1 + ",",
    "a URL with a hex path": "https://cdn.example.org/" + "0123456789abcdef",
    "hex words": SHA1 + " ",
    "ellipses": "...",
    "unclosed markdown images": "![",
    "markdown images without an address end": "![a](",
    "unclosed links": "[",
    "links whose address never closes": "[a](x",
    "unclosed HTML comments": "<!--",
    "emphasis that never closes": "**a",
    "dots": ". ",
    "brackets and parentheses": "([",
    "bullets of dots": "- ....",
}


@pytest.mark.parametrize("unit", list(NAMED.values()), ids=list(NAMED))
def test_named_pathological_runs_clean_in_linear_time(unit):
    assert_linear(unit, 4000)


def test_the_reported_inputs_finish_quickly():
    """The inputs from the report that took 51 s, 7.9 s and 25 s."""
    for text in ["a" * 800, ",".join([SHA1] * 25), "https://x.example/" + "0123456789abcdef" * 40 + ".png"]:
        assert _best_time(text, 2.0) < 2.0


_PIECES = st.sampled_from(["a", "f", "0", "9", ".", "…", ",", "/", "-", "(", ")", "[", "]", "!",
                           "*", "_", "<!--", "png", ".png", "\u2028", "é", ":", "'"])


@settings(max_examples=10, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=8).map("".join))
def test_any_repeated_run_cleans_in_linear_time(unit):
    assert_linear(unit, 3000)


def test_image_fragments_are_still_removed_and_sentences_kept():
    line = ("The bridge opened in 1932. 457ad7ae1c.png) photo-2b9f3e1a.jpg "
            "![map](https://example.org/a_(b).png) see page...cover.webp")
    cleaned = clean_text(line)
    assert cleaned == "The bridge opened in 1932. see", cleaned
    assert clean_text("A report on deadbeef hashes, with no image.") == "A report on deadbeef hashes, with no image."


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b.", " ", "\n", "é"]), st.integers(1, 3000)), max_size=6))
def test_sentences_and_chunks_stay_bounded_on_runs_without_spaces(runs):
    """A quote or chunk cannot grow with the input: long runs are cut, offsets stay exact."""
    text = "".join(unit * count for unit, count in runs)
    spans = sentence_spans(text)
    assert all(0 <= a < b <= len(text) and b - a <= MAX_SPAN_CHARS for a, b in spans)
    assert all(not text[a].isspace() and not text[b - 1].isspace() for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(spans, spans[1:]))
    for chunk in chunk_document(Document(id="d", title="t", text=text)):
        assert chunk.end - chunk.start <= MAX_CHUNK_CHARS and chunk.text == text[chunk.start:chunk.end]
