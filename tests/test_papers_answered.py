"""Papers ingested whole and asked about through the real engine (MiniLM, Chroma, a real
uvicorn for the upload): a LaTeX source, a PubMed Central article and a two-column PDF each give
quotes that are their stored text at the quoted offsets, with the section they sit under."""

from pathlib import Path

import pytest

from rag.config import Settings
from rag.engine import Engine
from tests.conftest import first_quote_holds, uploaded
from tests.papers import paper_pdf
from tests.test_pdf_papers import PAPER

PAPERS = Path(__file__).parent / "fixtures" / "papers"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    folder = tmp_path_factory.mktemp("papers")
    (folder / "harbour.tex").write_bytes((PAPERS / "harbour.tex").read_bytes())
    (folder / "pmc_harbour.nxml").write_bytes((PAPERS / "pmc_harbour.nxml").read_bytes())
    (folder / "grain.pdf").write_bytes(paper_pdf(PAPER, order="rows", line_numbers=True))
    (folder / "sitemap.xml").write_bytes(b"<urlset><url><loc>https://example.org/</loc></url></urlset>")
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("papers-data"), precision="fp32"))
    report = engine.ingest(folder)
    with engine:
        yield engine, report


def test_papers_ingest_and_other_xml_is_reported(engine):
    _, report = engine
    assert report.formats == {".tex": {"ingested": 1}, ".nxml": {"ingested": 1}, ".pdf": {"ingested": 1},
                              ".xml": {"failed": 1}}
    assert "its root element is <urlset>" in report.failed["sitemap.xml"]


@pytest.mark.parametrize("question,document_id,words,section", [
    ("What did the café owners on the quay call it?", "harbour.tex", "the new harbour", ["1 Introduction"]),
    ("Who kept the daily log of the quay?", "pmc_harbour.nxml", "Elsie Marr", ["1. Introduction", "Quays"]),
    ("How many tonnes of grain did the harbour of Hull land in 1887?", "grain.pdf", "566 tonnes", None),
])
def test_answers_quote_papers_exactly_under_their_sections(engine, question, document_id, words, section):
    eng, _ = engine
    first_quote_holds(eng, question, document_id, words)
    quote = eng.ask(question).quotes[0]
    assert quote.section == section if section else quote.page is not None


def test_the_api_and_the_ui_uploader_take_papers(engine, monkeypatch):
    eng, _ = engine
    taken = uploaded(eng, monkeypatch, [("paper-two.tex", (PAPERS / "harbour.tex").read_bytes()),
                                        ("article-two.xml", (PAPERS / "pmc_harbour.nxml").read_bytes())])
    assert {".tex", ".nxml", ".xml"} <= taken
    assert eng.document("uploads/article-two.xml").title == "Dredging and Trade at Kess Point"
