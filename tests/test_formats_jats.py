"""JATS articles as PubMed Central hands them out (.nxml, or .xml whose root is <article>): the
text a reader of the article sees, its fields, its sections as headings, references after the
body; any other XML refused saying which kind is read."""

from pathlib import Path

import pytest

from rag.ingest.load import LoadError, load_bytes
from rag.ingest.sentences import sentence_spans
from rag.types import Quote

ARTICLE = Path(__file__).parent / "fixtures" / "papers" / "pmc_harbour.nxml"


def sentences(doc) -> list[str]:
    return [doc.text[s:e] for s, e in sentence_spans(doc.text)]


def test_an_article_reads_as_it_is_shown():
    (doc,) = load_bytes(ARTICLE.read_bytes(), "pmc/harbour.nxml")
    assert (doc.title, doc.author, doc.date, doc.source) == (
        "Dredging and Trade at Kess Point", "Ann Smith, Bo Jones", "2024-03-05", "https://doi.org/10.1000/jmh.2024.7")
    said = sentences(doc)
    assert "The harbour was dredged in 1871 to take the new steam colliers [1]." in said  # a bracketed citation as shown
    assert "The colliers had new engines." in said and "They burned less coal, about 3.5 kg a mile." in said  # marks gone
    assert "Tonnage rose each year (Figure 1)." in said
    assert "Figure 1: Tonnage landed." in said and "Per year, 1871–1914." in said  # after its paragraph
    assert "Table 1: Quay length by year." in said and "Year: 1871 | Length (m): 120" in doc.text
    assert "The loss was L = \\sum_i e_i^2 at its least in 1900." in said  # a displayed formula inside its sentence
    assert "- in 1890, to 310 m;\n- in 1905, to 420 m." in doc.text
    for gone in ("Journal of Maritime", "1234-5678", "©", "jpg", "University of Leeds", "harbours\n"):
        assert gone not in doc.text
    assert doc.text.index("Measured by the Board") > doc.text.index("We thank the archivists")  # notes after the body
    assert doc.text.endswith("[1] Smith A. Harbours of the north. J Marit Hist. 2019;12:45–67.\n"
                             "[2] Jones B. Coal and steam. 2021.")


def test_sections_are_headings_and_name_a_quotes_section():
    (doc,) = load_bytes(ARTICLE.read_bytes(), "harbour.nxml")
    assert [(doc.text[h.start:h.end], h.level) for h in doc.headings] == [
        ("Abstract", 1), ("Background", 2), ("Results", 2), ("1. Introduction", 1), ("Quays", 2), ("2. Results", 1),
        ("Acknowledgements", 1), ("Notes", 1), ("References", 1)]
    start = doc.text.index("The quay was")
    quote = Quote.cite(doc, start, start + len("The quay was lengthened twice:"), score=1.0)
    assert quote.section == ["1. Introduction", "Quays"]


def test_an_xml_file_whose_root_is_a_jats_article_is_read():
    (doc,) = load_bytes(ARTICLE.read_bytes(), "harbour.xml")
    assert doc.title == "Dredging and Trade at Kess Point" and "steam colliers [1]." in doc.text


@pytest.mark.parametrize("raw,message", [
    (b"<rss><channel><title>News</title></rss>", r"feed\.xml: broken or unreadable JATS XML file"),
    (b"<rss><channel><title>News</title></channel></rss>",
     r"feed\.xml: its root element is <rss>; an \.xml file is read only as a JATS or PubMed Central article"),
    (b"<article><p>Not JATS: no front or body.</p></article>", r"its <article> has no <front> or <body>; an \.xml file is read only as a JATS"),
    (b'<?xml version="1.0"?><!DOCTYPE article [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
     b"<article><body><p>&secret;</p></body></article>", r"broken or unreadable JATS XML file"),
])
def test_other_xml_is_refused_saying_what_is_read(raw, message):
    with pytest.raises(LoadError, match=message):
        load_bytes(raw, "feed.xml")


def test_a_minimal_article_without_front_matter_is_titled_by_its_file():
    (doc,) = load_bytes(b"<article><body><sec><title>Notes</title><p>The quay opened in 1871.</p></sec></body>"
                        b"</article>", "quay-notes.nxml")
    assert doc.text == "Notes\n\nThe quay opened in 1871." and doc.title == "Notes"
