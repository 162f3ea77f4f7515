"""Two-column papers as researchers bring them: real PDFs (tests.papers, read by pypdf) with a
title, authors, an abstract, section headings, two columns, a floating figure and its caption,
footnotes, references, a running head and page numbers, drawn column by column or line by line
across the page, with and without a preprint's margin line numbers. Every body sentence is
stored whole, in reading order, with no line number, footnote mark, caption or note inside it."""

import pytest

from rag.ingest.load import load_bytes
from rag.ingest.sentences import sentence_spans
from tests.papers import Paper, paper_pdf
from tests.test_load import pdf_file

TOWNS = ["Aberdeen", "Bergen", "Calais", "Dundee", "Esbjerg", "Flushing", "Goole", "Hull", "Ipswich", "Jarrow",
         "Kiel", "Leith", "Montrose", "Nantes", "Ostend", "Peterhead"]
CAPTION = "Figure 1: Grain landed at each harbour by decade, in thousands of tonnes."
NOTE = "The tonnages are those the harbour boards reported."


def paragraph(k: int) -> str:
    return " ".join(f"In {1850 + 7 * k + i} the harbour of {TOWNS[(k + i) % len(TOWNS)]} landed "
                    f"{100 * k + 13 * i + 40} tonnes of grain for the mills of the county." for i in range(6))


def body() -> list[list[str]]:
    paragraphs = [[paragraph(4 * s + p) for p in range(4)] for s in range(5)]
    first = paragraphs[0][1]
    end = first.index(".") + 1
    paragraphs[0][1] = first[:end] + "^1" + first[end:]  # a footnote mark after the first sentence
    return paragraphs


PAPER = Paper(title="Grain at the North Sea Harbours", authors=["Ann Smith, University of Leeds", "Bo Jones"],
              abstract="We count the grain landed at sixteen harbours over a century. " + paragraph(99),
              sections=[(f"{s + 1} {name}", ps) for s, (name, ps) in
                        enumerate(zip(["Introduction", "Sources", "Method", "Results", "Discussion"], body()))],
              figures=[(6, CAPTION)], footnotes={1: NOTE},
              references=["[1] A. Smith. 2019. Harbours of the north. Journal of Maritime History, 12(3):45-67.",
                          "[2] B. Jones. 2021. Coal and steam. Cambridge University Press."])
SENTENCES = [p.replace("^1", "")[s:e] for _, ps in PAPER.sections for p in ps for s, e in sentence_spans(p.replace("^1", ""))]


def stored(doc) -> list[str]:
    return [doc.text[s:e] for s, e in sentence_spans(doc.text)]


@pytest.mark.parametrize("order", ["columns", "rows"])
@pytest.mark.parametrize("numbered", [False, True])
def test_every_body_sentence_is_stored_whole_in_reading_order(order, numbered):
    (doc,) = load_bytes(paper_pdf(PAPER, order=order, line_numbers=numbered), "paper.pdf")
    assert len(doc.pages) >= 3
    kept = stored(doc)
    assert [s for s in SENTENCES if s not in kept] == []
    starts = [doc.text.index(s) for s in SENTENCES]
    assert starts == sorted(starts)  # left column before right, page after page


def test_the_order_a_page_is_drawn_in_and_its_line_numbers_change_nothing():
    texts = {paper_pdf(PAPER, order=order, line_numbers=numbered) for order in ("columns", "rows")
             for numbered in (False, True)}
    assert len({load_bytes(raw, "paper.pdf")[0].text for raw in texts}) == 1


def test_marks_captions_notes_and_furniture_stay_out_of_sentences():
    (doc,) = load_bytes(paper_pdf(PAPER, line_numbers=True), "paper.pdf")
    kept = stored(doc)
    assert doc.title == "Grain at the North Sea Harbours"
    assert "county.1" not in doc.text and "county. In" in doc.text  # "engines.3 They"
    assert CAPTION in kept and f"1 {NOTE}" in kept  # their own sentences, not inside another
    assert "Preprint" not in doc.text  # the running head, on every page
    assert not any(line.strip().isdigit() for line in doc.text.split("\n"))  # page and line numbers
    assert "[2] B. Jones." in kept
    caption_page = doc.page_at(doc.text.index(CAPTION))
    assert caption_page in {p.number for p in doc.pages}


def test_a_footnote_at_a_columns_foot_does_not_cut_the_sentence_running_on():
    """The note sits between the left column's last line and the right column's first: it is
    stored at the page's last paragraph break instead."""
    (doc,) = load_bytes(paper_pdf(PAPER), "paper.pdf")
    note = doc.text.index(NOTE)
    assert all(not (doc.text.index(s) < note < doc.text.index(s) + len(s)) for s in SENTENCES)


def test_a_one_column_page_with_margin_line_numbers_loses_only_them():
    lines = [f"Line {n} of the draft says the harbour of {TOWNS[n]} opened in {1850 + n}." for n in range(8)]
    stream = b"\n".join(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET BT /F1 7 Tf 40 %d Td (%d) Tj ET"
                        % (700 - 14 * i, line.encode(), 700 - 14 * i, i + 1) for i, line in enumerate(lines))
    (doc,) = load_bytes(pdf_file([stream], [b"Helvetica"]), "draft.pdf")
    assert stored(doc) == lines


def test_a_table_beside_full_width_lines_is_not_read_as_columns():
    """Long cells side by side under a full-width paragraph are a table: its rows stay rows."""
    rows = [(f"Harbour of {town} on the coast", f"landed {n * 100} tonnes in the year") for n, town in enumerate(TOWNS[:8])]
    full = ["The board's survey of the harbours of the North Sea in the year of the great storm was printed."] * 9
    stream = b"\n".join(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET" % (760 - 14 * i, line.encode()) for i, line in enumerate(full))
    stream += b"\n" + b"\n".join(b"BT /F1 11 Tf 72 %d Td (%s) Tj ET BT /F1 11 Tf 320 %d Td (%s) Tj ET"
                                 % (600 - 14 * i, a.encode(), 600 - 14 * i, b.encode()) for i, (a, b) in enumerate(rows))
    (doc,) = load_bytes(pdf_file([stream], [b"Helvetica"]), "survey.pdf")
    for a, b in rows:
        assert f"{a} {b}" in " ".join(doc.text.split())


def _page_with_a_raised(mark: str, note: str) -> bytes:
    """One column: a raised small `mark` after "engines.", and `note` set small at the foot."""
    stream = (b"BT /F1 11 Tf 72 700 Td (The colliers were driven by new engines.) Tj /F1 7 Tf 4 Ts (%s) Tj "
              b"/F1 11 Tf 0 Ts ( They burned less coal.) Tj ET\n"
              b"BT /F1 11 Tf 72 686 Td (The quay was 40 m) Tj /F1 7 Tf 4 Ts (2) Tj /F1 11 Tf 0 Ts ( in area.) Tj ET\n"
              % mark.encode())
    if note:
        stream += b"BT /F1 8 Tf 72 80 Td (%s) Tj ET" % note.encode()
    return pdf_file([stream], [b"Helvetica"])


def test_a_raised_mark_goes_only_where_a_note_on_the_page_begins_with_it():
    (doc,) = load_bytes(_page_with_a_raised("1", "1 The engines were built in Leeds."), "note.pdf")
    kept = stored(doc)
    assert "The colliers were driven by new engines." in kept and "They burned less coal." in kept
    assert "1 The engines were built in Leeds." in kept
    assert "40 m2" in doc.text  # a raised 2 no note begins with is kept as pypdf reads it


def test_a_page_whose_raised_number_begins_no_note_is_read_as_pypdf_reads_it():
    import io

    from pypdf import PdfReader

    raw = _page_with_a_raised("3", "")
    (doc,) = load_bytes(raw, "plain.pdf")
    assert doc.text == PdfReader(io.BytesIO(raw)).pages[0].extract_text()


def test_a_full_width_abstract_above_the_columns_keeps_its_sentences_whole():
    """IEEE's style: the abstract runs across the page, its lines spanning both columns."""
    abstract = ["Abstract: We count the grain landed at sixteen harbours of the North Sea over a century and",
                "find that the harbours dredged before 1880 landed twice the grain of the others by 1900."]
    left = [f"In {1850 + i} the harbour of {TOWNS[i]} landed grain." for i in range(6)]
    right = [f"In {1900 + i} the harbour of {TOWNS[i + 6]} landed coal." for i in range(6)]
    stream = b"\n".join(b"BT /F1 10 Tf 54 %d Td (%s) Tj ET" % (700 - 12 * i, line.encode()) for i, line in enumerate(abstract))
    stream += b"\n" + b"\n".join(b"BT /F1 10 Tf 54 %d Td (%s) Tj ET BT /F1 10 Tf 318 %d Td (%s) Tj ET"
                                 % (640 - 12 * i, a.encode(), 640 - 12 * i, b.encode()) for i, (a, b) in enumerate(zip(left, right)))
    (doc,) = load_bytes(pdf_file([stream], [b"Helvetica"]), "ieee.pdf")
    assert stored(doc) == [" ".join(abstract), *left, *right]
