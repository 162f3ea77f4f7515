"""PDFs as reports and papers print them: running headers and footers and page numbers are
not stored (so never quoted), a sentence a page break cuts is one sentence again, and every
page's span of the stored text stays where its text is. Real PDFs (tests.test_load.minimal_pdf,
read by pypdf), and the shared WikiQA licence where ../shared is beside this checkout."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rag.ingest.load import load_bytes
from rag.ingest.page_furniture import without_furniture
from rag.ingest.sentences import sentence_spans
from rag.types import Quote
from tests.test_load import minimal_pdf

LICENCE = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "wikiqa" / "LICENSE.pdf"
PAGES = [f"The harbour of {town} opened in {year}.\nIt handled {tonnes} tonnes of grain that year."
         for town, year, tonnes in [("Aberdeen", 1850, 900), ("Bergen", 1861, 1200), ("Calais", 1877, 400),
                                    ("Dundee", 1882, 2100), ("Esbjerg", 1890, 3300)]]


def sentences(doc) -> list[str]:
    return [doc.text[s:e] for s, e in sentence_spans(doc.text)]


def test_running_header_and_page_footer_are_not_stored_and_pages_stay_right():
    raw = minimal_pdf(PAGES, header="Harbour Board - Annual Review 2024", footer="Page {page} of {pages}")
    (doc,) = load_bytes(raw, "review.pdf")
    assert "Annual Review" not in doc.text and "Page " not in doc.text and " of 5" not in doc.text
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    for page in doc.pages:
        assert doc.text[page.start:page.end] == PAGES[page.number - 1]
    start = doc.text.index("It handled 400")
    quote = Quote.cite(doc, start, doc.text.index(".", start) + 1, score=1.0)
    assert quote.text == "It handled 400 tonnes of grain that year." and quote.page == 3


@pytest.mark.parametrize("number", ["{page}", "Page {page}", "- {page} -", "{page} of {pages}", "p. {page}"])
@pytest.mark.parametrize("where", ["header", "footer"])
def test_page_number_lines_are_dropped(number, where):
    """Two pages are enough: the numbers count up with the pages."""
    (doc,) = load_bytes(minimal_pdf(PAGES[:2], **{where: number}), "two.pdf")
    assert doc.text == PAGES[0] + "\n\n" + PAGES[1]


def test_a_running_head_that_names_its_page_is_dropped():
    (doc,) = load_bytes(minimal_pdf(PAGES, header="Harbour Board review 2024, page {page}"), "named.pdf")
    assert "review" not in doc.text and len(doc.pages) == 5


def test_printed_numbers_may_start_anywhere():
    """An article printed as pages 345 to 347 of its journal."""
    (doc,) = load_bytes(minimal_pdf(PAGES[:3], footer=lambda n, _: str(344 + n)), "article.pdf")
    assert "34" not in doc.text


def test_odd_and_even_pages_running_heads_are_dropped():
    heads = lambda n, _: "Harbours of the North Sea" if n % 2 else "J. Smith and A. Jones"  # noqa: E731
    (doc,) = load_bytes(minimal_pdf(PAGES + PAGES[:1], header=heads, footer="{page}"), "book.pdf")
    assert "North Sea" not in doc.text and "Jones" not in doc.text
    assert len(sentences(doc)) == 12


def test_a_one_page_pdf_keeps_every_line():
    page = "Annual Review 2024\nThe harbour handled grain.\n12"
    (doc,) = load_bytes(minimal_pdf([page]), "one.pdf")
    assert doc.text == page


def test_a_title_repeated_atop_two_pages_of_thirty_is_text():
    pages = [f"In week {n * 7 % 31} the quay landed {n * 13} tonnes." for n in range(1, 31)]
    pages[0] = "Harbour statistics\n" + pages[0]
    pages[19] = "Harbour statistics\n" + pages[19]
    (doc,) = load_bytes(minimal_pdf(pages, footer="{page}"), "thirty.pdf")
    assert doc.text.count("Harbour statistics") == 2 and len(doc.pages) == 30
    assert doc.page_at(doc.text.rindex("Harbour statistics")) == 20


def test_numbers_that_do_not_count_the_pages_are_text():
    """A year or a total closing a page is not a page number unless another page's number
    counts up with it."""
    pages = ["Grain landed, in tonnes:\n1990", "Fish landed, in tonnes:\n42", "The harbour closed."]
    (doc,) = load_bytes(minimal_pdf(pages), "tables.pdf")
    assert "\n1990" in doc.text and "\n42" in doc.text


def test_a_sentence_cut_by_a_page_break_is_one_sentence_cited_where_it_starts():
    pages = ["The harbour opened in 1950.\nIn its first year the board decided that the",
             "grain quay would be built before the fish market.\nThe fish market opened in 1953."]
    (doc,) = load_bytes(minimal_pdf(pages, footer="{page}"), "cut.pdf")
    cut = "In its first year the board decided that the grain quay would be built before the fish market."
    assert cut in sentences(doc)
    start = doc.text.index(cut)
    assert Quote.cite(doc, start, start + len(cut), score=1.0).page == 1
    second = doc.pages[1]
    assert doc.text[second.start:].startswith("grain quay") and doc.page_at(second.start) == 2


def test_a_full_line_goes_on_over_the_page_before_a_capital():
    """A page that ends in a full-width line without a stop ends mid-sentence, whatever case
    the next page starts in ("... by the European Court of" / "Justice in 1969.")."""
    pages = ["Fundamental rights were first recognised as general principles by the European Court of",
             "Justice in 1969. Later treaties wrote them down."]
    (doc,) = load_bytes(minimal_pdf(pages), "court.pdf")
    assert ("Fundamental rights were first recognised as general principles by the European Court of "
            "Justice in 1969.") in sentences(doc)


@pytest.mark.parametrize("first,second", [
    ("The report ends here.", "the next page starts in lower case."),  # the page ended a sentence
    ("A long line of text that ends the page.\nHarbour history", "Harbour history begins in 1850."),  # a heading
    ("Works planned for the year:", "- dredging the channel"),  # a list item
])
def test_a_page_that_ends_a_sentence_or_block_stays_apart(first, second):
    (doc,) = load_bytes(minimal_pdf([first, second]), "apart.pdf")
    assert doc.text[doc.pages[0].end:doc.pages[1].start] == "\n\n"


@pytest.mark.skipif(not LICENCE.exists(), reason="../shared/datasets/wikiqa is not beside this checkout")
def test_the_wikiqa_licence_loses_its_page_lines_and_joins_its_cut_sentence():
    (doc,) = load_bytes(LICENCE.read_bytes(), "LICENSE.pdf")
    assert "Page 1 of 3" not in doc.text and "of 3" not in doc.text
    joined = next(s for s in sentences(doc) if "not receiving the original Dataset." in s)
    assert doc.page_at(doc.text.index(joined)) == 1
    assert doc.text.startswith("MICROSOFT RESEARCH DATA LICENSE AGREEMENT")


@given(st.lists(st.text(alphabet="ab1 \n-P", max_size=40), max_size=6))
def test_furniture_is_only_ever_whole_lines_taken_away(pages):
    """Each page keeps its lines in order, less some; a single page keeps them all."""
    kept = without_furniture(pages)
    assert len(kept) == len(pages)
    for before, after in zip(pages, kept):
        lines = iter(before.split("\n"))
        assert all(any(line == other for other in lines) for line in after.split("\n") if after)
    if len(pages) == 1:
        assert kept == pages


def test_a_word_hyphenated_across_a_page_break_is_whole_on_the_page_where_it_starts():
    pages = ["The harbour dues were raised because the trade was commer-",
             "cially important to the town.\nIt handled 900 tonnes of grain that year.",
             "The Anglo-", "French treaty followed."]
    (doc,) = load_bytes(minimal_pdf(pages, footer="Page {page}"), "broken.pdf")
    assert "the trade was commercially important to the town." in doc.text
    assert "Anglo-" in doc.text and "commer-" not in doc.text
    pages_text = [doc.text[page.start:page.end] for page in doc.pages]
    assert pages_text[0].endswith("was commercially") and pages_text[1].startswith("important to the town.")
    assert pages_text[2:] == ["The Anglo-", "French treaty followed."]
