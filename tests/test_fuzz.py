"""Hostile and broken input, fuzzed: loaders (every format, and any cells inside a workbook),
the quote builder, and inputs built to hurt (YAML alias bombs, PDF decompression bombs, huge flat documents).

The pure steps run without the model, so hypothesis can try hundreds of cases per target
in seconds; the number of cases per target is set by FUZZ_EXAMPLES (default 200).
"""

from __future__ import annotations

import os
import zlib

import numpy as np
from hypothesis import HealthCheck, given, settings, strategies as st

from rag.answer import compose
from rag.ingest.chunk import chunk_document
from rag.ingest.clean import KEPT_INVISIBLE
from rag.ingest.load import LoadError, has_text, load_bytes
from rag.quotes import QuoteModel, candidate_sentences, score_sentences
from rag.retrieve import Candidate
from rag.types import Document

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".md", ".html", ".pdf", ".jsonl", ".json", ".srt", ".vtt", ".eml", ".mbox", ".csv", ".tsv", ".rtf",
            ".rst", ".xlsx", ".ods", ".odp", ".tex", ".nxml", ".xml"]
TEXT_SUFFIXES = [suffix for suffix in SUFFIXES if suffix not in (".pdf", ".xlsx", ".ods", ".odp")]


def _loads_or_says_why(raw: bytes, name: str) -> None:
    """A loader either returns documents or raises LoadError naming the file; nothing else."""
    try:
        documents = load_bytes(raw, name)
    except LoadError as err:
        assert name in str(err)
        return
    for document in documents:
        assert has_text(document.text)  # not only spaces or joiners
        assert all(ch in KEPT_INVISIBLE or ch.isprintable() or ch.isspace() for ch in document.text)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from(SUFFIXES))
def test_arbitrary_bytes_in_every_format(raw, suffix):
    _loads_or_says_why(raw, f"fuzz{suffix}")


@FUZZ
@given(st.text(max_size=3000), st.sampled_from(TEXT_SUFFIXES))
def test_arbitrary_unicode_in_every_text_format(text, suffix):
    if suffix in (".jsonl", ".json"):  # arbitrary text inside a well-formed record, and as the file itself
        import json

        _loads_or_says_why(json.dumps({"id": "x", "text": text}).encode(), f"fuzz{suffix}")
    _loads_or_says_why(text.encode("utf-8", "surrogatepass"), f"fuzz{suffix}")


@FUZZ
@given(st.text(max_size=2000), st.sampled_from([".srt", ".vtt", ".eml", ".mbox", ".csv", ".tsv", ".rtf", ".rst"]))
def test_arbitrary_unicode_inside_a_well_formed_transcript_mail_table_or_document(text, suffix):
    shell = {".srt": "1\n00:00:01,000 --> 00:00:02,000\n{}\n", ".vtt": "WEBVTT\n\n00:01.000 --> 00:02.000\n{}\n",
             ".eml": "From: a@b.example\nSubject: {}\n\n{}\n", ".csv": "a,b\n{},{}\n", ".tsv": "a\tb\n{}\t{}\n",
             ".mbox": "From a@b.example Mon Jan  1 00:00:00 2024\nMessage-ID: <{}>\n\n{}\n",
             ".rtf": "{{\\rtf1\\ansi {{\\b {}}}\\par {}}}",
             ".rst": "Title\n=====\n\n{}\n\n.. note:: {}\n"}[suffix]
    _loads_or_says_why(shell.format(text, text).encode("utf-8", "surrogatepass"), f"fuzz{suffix}")


# pieces of markup, so that the fuzz meets titles, tables, directives and groups, not only prose
_RST_PIECES = ["\n", "\n\n", "   ", "=====", "-----", "Title", "word", "**", "*", "``", "`", "_", "__", "|", "+---+---+",
               "| a | b |", "=====  =====", ".. ", "::", ".. note::", ".. image::", ".. |x| replace::", "|x|", ":role:",
               ":Author:", "[1]_", ".. [1]", "<http://x>", "\\", "\t", "- ", ".. code-block::", ".. csv-table::",
               ".. list-table::", "   :header: a, b", "* - ", "  - ", '"', ",", "é"]
_RTF_PIECES = ["{", "}", "\\par ", "\\line", "\\tab", "\\'e9", "\\'8", "\\u8212?", "\\u-10179?", "\\uc0", "\\uc2",
               "\\*", "\\fonttbl", "\\footnote ", "\\info", "\\title ", "\\cell ", "\\row ", "\\intbl ", "\\pard",
               "\\v ", "\\v0 ", "\\plain", "\\bin3 ", "\\ansicpg932", "\\ansicpg65001", "text", " ", "\n", "\\\\",
               "\\{", "\\~", "\\-", "\\", "é", "\\pict", "\\fldinst"]


_LATEX_PIECES = ["{", "}", "[", "]", "\\", "\\\\", "%", "\\%", "$", "$$", "\\(", "\\)", "\\[", "\\]", "~", "&", "\n",
                 "\n\n", " ", "text", "\\section{", "\\section*", "\\emph{", "\\cite{", "\\ref{", "\\label{",
                 "\\footnote{", "\\begin{figure}", "\\end{figure}", "\\caption{", "\\begin{tabular}{lr}",
                 "\\end{tabular}", "\\begin{itemize}", "\\item", "\\item[", "\\end{itemize}", "\\'", "\\\"",
                 "\\c", "\\title{", "\\author{", "\\and", "\\begin{document}", "\\end{document}", "\\appendix",
                 "\\begin{equation}", "\\end{equation}", "\\begin{thebibliography}{9}", "\\bibitem{a}", "--", "``",
                 "\\newcommand{", "\\x", "é", "\x01", "\x02"]
_JATS_PIECES = ["<sec>", "</sec>", "<title>", "</title>", "<p>", "</p>", "<fig>", "</fig>", "<caption>", "</caption>",
                "<label>", "</label>", "<sup>", "</sup>", '<xref ref-type="bibr">', "</xref>", "<list>", "</list>",
                "<list-item>", "</list-item>", "<table-wrap>", "</table-wrap>", "<table>", "</table>", "<tr>", "</tr>",
                "<td>", "</td>", "<th>", "</th>", "<thead>", "</thead>", "<disp-formula>", "</disp-formula>",
                "<tex-math>", "</tex-math>", "text", " ", "&amp;", "&lt;", "é"]


@FUZZ
@given(st.lists(st.sampled_from(_LATEX_PIECES), max_size=80), st.lists(st.sampled_from(_JATS_PIECES), max_size=80))
def test_arbitrary_markup_in_latex_and_jats(latex, jats):
    _loads_or_says_why(("\\section{A}" + "".join(latex)).encode(), "fuzz.tex")
    _loads_or_says_why(("<article><body>" + "".join(jats) + "</body></article>").encode(), "fuzz.nxml")


def test_latex_built_to_backtrack_loads_or_is_refused_at_once():
    """Unclosed groups, options and citations, and long runs of spaces beside a dropped citation,
    read once each (each had rescanned the rest of the file)."""
    import time

    for raw in (b"\\cite[" * 40_000, b"\\title{" * 40_000, b"{" * 200_000, b"\\emph{a}" * 40_000,
                b"a" + b" " * 200_000 + b"\\cite{x}", b"\\begin{figure}\\caption{" * 20_000, b"$" * 100_001):
        started = time.perf_counter()
        try:
            load_bytes(b"\\section{A}\n" + raw, "slow.tex")
        except LoadError as err:
            assert "slow.tex" in str(err)
        assert time.perf_counter() - started < 10


@FUZZ
@given(st.lists(st.sampled_from(_RST_PIECES), max_size=80), st.lists(st.sampled_from(_RTF_PIECES), max_size=80))
def test_arbitrary_markup_in_restructured_text_and_rtf(rst, rtf):
    _loads_or_says_why("".join(rst).encode(), "fuzz.rst")
    _loads_or_says_why(("{\\rtf1 " + "".join(rtf)).encode(), "fuzz.rtf")


def test_markup_built_to_backtrack_loads():
    """Long runs of what could open inline markup ("a.b.c." before a reference's "_", ":a:" before
    a role's text): read once each, not once from each character (that took minutes)."""
    for raw in (b"a.b.c.d." * 30_000 + b"_", b":a:" * 60_000 + b"`x`", b"**a " * 50_000, b"``x " * 50_000):
        (document,) = load_bytes(raw, "slow.rst")
        assert document.text


@FUZZ
@given(st.lists(st.lists(st.text(max_size=40), max_size=4), max_size=6), st.text(max_size=31))
def test_arbitrary_cells_and_sheet_names_inside_a_well_formed_workbook(rows, sheet):
    """Any cell text and sheet name (XlsxWriter keeps what XML can hold): rows or a clear error."""
    import io

    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    printable = "".join(ch for ch in sheet if ch.isprintable() and ch not in "[]:*?/\\'")[:31]
    worksheet = book.add_worksheet(printable or None)
    for number, row in enumerate(rows):
        worksheet.write_row(number, 0, row)
    book.close()
    _loads_or_says_why(out.getvalue(), "fuzz.xlsx")


# front matter whose fields have the wrong types: a clear error, never a crash
_yaml_value = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=30), st.lists(st.integers(), max_size=3),
                        st.dictionaries(st.text(max_size=5), st.integers(), max_size=2), st.dates())


@FUZZ
@given(st.dictionaries(st.sampled_from(["id", "title", "source", "url", "date", "author", "tags"]),
                       _yaml_value, max_size=6))
def test_front_matter_with_any_types(meta):
    import yaml

    raw = ("---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nThe body has one sentence.\n").encode()
    try:
        (document,) = load_bytes(raw, "typed.md")
    except LoadError as err:
        assert "typed.md" in str(err) and ("front" in str(err) or "document id" in str(err))
    else:
        assert document.text == "The body has one sentence."


@FUZZ
@given(text=st.text(max_size=2500), question=st.text(max_size=200),
       cosine_seed=st.integers(0, 2**32 - 1), max_quotes=st.integers(1, 5),
       words=st.integers(1, 150), decline_below=st.sampled_from([0.0, 0.1, 0.3, 0.6, 2.0]))
def test_quote_builder_cuts_every_quote_from_the_stored_text(text, question, cosine_seed, max_quotes,
                                                             words, decline_below):
    """Any text, any question, any similarity scores: every quote (and every related passage
    of a decline) is its document's stored_text[start:end], and no more than max_quotes."""
    document = Document(id="fuzz", title="Fuzz", text=text)
    chunks = chunk_document(document, words)
    hits = [(Candidate(chunk_id=c.id, score=1.0 / (i + 1)), c, document) for i, c in enumerate(chunks)]
    sentences = candidate_sentences(hits)
    cosines = np.random.default_rng(cosine_seed).uniform(-1, 1, len(sentences))
    model = QuoteModel.load()
    sentences = score_sentences(sentences, question, {"the": 0.1}, cosines, model)
    answer = compose(question, question, sentences, max_quotes=max_quotes, max_words=words,
                     decline_below=decline_below, gain_per_word=model.gain_per_word)
    assert len(answer.quotes) <= max_quotes and len(answer.related) <= max_quotes
    assert answer.answered == bool(answer.quotes)
    assert answer.answered <= any(s.fits for s in sentences)
    for quote in answer.quotes + answer.related:
        assert quote.text == text[quote.start:quote.end] and quote.text.strip()


def test_yaml_alias_bomb_in_front_matter_is_not_expanded():
    lines, previous = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"], "a"
    for name in "bcdefghi":  # 9**9 strings if anything walked the aliases
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    raw = ("---\n" + "\n".join(lines) + "\ntitle: Laughs\n---\nOne plain sentence.\n").encode()
    (document,) = load_bytes(raw, "laughs.md")
    assert (document.title, document.text) == ("Laughs", "One plain sentence.")
    bad = raw.replace(b"title: Laughs", b"title: *i")  # the bomb used as a field is refused
    try:
        load_bytes(bad, "laughs.md")
    except LoadError as err:
        assert "'title' must be text" in str(err)
    else:
        raise AssertionError("a list title must be refused")


def test_pdf_decompression_bomb_is_refused():
    """A 290 kB PDF whose page stream inflates to 300 MB: pypdf's limit trips, clear error."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (boom) Tj ET\n" + b" " * 300_000_000, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += (b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
            + b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    try:
        load_bytes(out, "bomb.pdf")
    except LoadError as err:
        assert "bomb.pdf" in str(err)
    else:
        raise AssertionError("a decompression bomb must be refused")


def test_enormous_flat_document_chunks_with_exact_offsets():
    """5 MB without a single sentence end or newline still chunks, offsets exact."""
    text = ("word " * 1_000_000).strip()
    (document,) = load_bytes(text.encode(), "flat.txt")
    chunks = chunk_document(document, 120)
    assert chunks and sum(len(c.text.split()) for c in chunks) == 1_000_000
    for chunk in chunks[:: max(1, len(chunks) // 50)]:
        assert chunk.text == document.text[chunk.start:chunk.end]


@FUZZ
@given(st.text(max_size=300))
def test_lexical_terms_match_bm25s_tokenizer(text):
    """rag.index.terms is accent folding plus a fast copy of bm25s' tokenizer; the BM25
    index is built and queried through it, so it must agree with bm25s exactly on any text."""
    import bm25s

    from rag.index import _STEM, fold, terms

    reference = bm25s.tokenize(fold(text), stopwords="en", stemmer=_STEM, return_ids=False,
                               show_progress=False)[0]
    assert terms(text) == reference


def test_joiners_alone_are_no_text():
    """A file of nothing but zero-width joiners (kept inside words for spelling) is refused as empty,
    like one of spaces; found by the fuzz above."""
    for raw in ("\u200c", " \u200d\n\u200c "):
        try:
            load_bytes(raw.encode(), "joiners.txt")
        except LoadError as err:
            assert "no text left" in str(err)
        else:
            raise AssertionError("a file of joiners was stored")
    (document,) = load_bytes("می\u200cخواهم".encode(), "persian.txt")
    assert "\u200c" in document.text
