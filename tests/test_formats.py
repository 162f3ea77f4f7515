"""Word, PowerPoint, EPUB and web pages: text in reading order, exact offsets into the stored
text, slide numbers kept like PDF pages, a clear per-file error for a broken file, per-format
counts from ingest, and uploads through /v1/documents. Files are written by the real
libraries (python-docx, python-pptx) or by zipfile, as an EPUB is."""

from __future__ import annotations

import io
import json
import zipfile

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.load import LoadError, load_bytes
from tests.conftest import FIXTURES, TOKEN, assert_exact_chunks, create_app, damaged_loads_or_fails, running
from tests.test_formats_opendocument_json_mbox import make_opendocument
from tests.test_formats_workbook_rtf_rst import make_xlsx


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = "Harbour report"
    document.add_heading("Harbour report", level=1)
    document.add_paragraph("The old harbour crane was dismantled in March 2019. It had lifted cargo since 1911.")
    table = document.add_table(rows=2, cols=2)
    for row, (year, ships) in enumerate([("Year", "Ships"), ("2018", "412")]):
        table.cell(row, 0).text, table.cell(row, 1).text = year, ships
    document.add_heading("Dredging", level=2)
    document.add_paragraph("Dredging of the channel to a depth of eleven metres ended in 2021.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_pptx() -> bytes:
    import pptx
    from pptx.util import Inches

    presentation = pptx.Presentation()
    presentation.core_properties.title = "Lighthouse survey"
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Lighthouse survey"
    slide.placeholders[1].text = "The lighthouse lamp was converted to LED in 2016."
    presentation.slides.add_slide(presentation.slide_layouts[6])  # a blank slide: no text
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "Keepers"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    box.text_frame.text = "The last resident keeper left the island in 1987."
    slide.notes_slide.notes_text_frame.text = "The keeper's cottage became a museum in 1991."
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


CONTAINER = """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""
OPF = """<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Canal Book</dc:title></metadata>
<manifest><item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>
<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/></spine></package>"""
CHAPTER = """<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>{0}</title></head>
<body><h1>{0}</h1><p>{1}</p></body></html>"""


def make_epub(opf: str = OPF, container: str = CONTAINER, chapters: dict[str, str] | None = None) -> bytes:
    chapters = chapters or {
        "text/one.xhtml": CHAPTER.format("Locks", "The canal has twelve locks between the river and the summit pound."),
        "text/two.xhtml": CHAPTER.format("Boats", "Horse-drawn boats used the canal until 1948.")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", container)
        archive.writestr("OEBPS/content.opf", opf)
        archive.writestr("OEBPS/nav.xhtml", "<html><body><nav><ol><li>Table of contents</li></ol></nav></body></html>")
        for path, chapter in chapters.items():
            archive.writestr(f"OEBPS/{path}", chapter)
    return out.getvalue()


ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">
<office:body><office:text>
<text:h text:outline-level="1">Ferry report</text:h>
<text:p>The night ferry<text:s text:c="2"/>was withdrawn in <text:span>May 2022</text:span>.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>The council minutes give 3 May.</text:p></text:note-body></text:note> Fares rose.<office:annotation><text:p>Check this</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>Two crossings a day remain in winter.</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Route</text:p></table:table-cell><table:table-cell><text:p>Boats</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Wexmouth</text:p></table:table-cell><table:table-cell><text:p>3</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document-content>"""
ODT_META = """<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Ferries 2022</dc:title></office:meta></office:document-meta>"""


def make_odt(content: str = ODT_CONTENT, meta: str | None = ODT_META) -> bytes:
    return make_opendocument("text", content, meta)


def test_docx_paragraphs_headings_and_tables_in_order():
    (doc,) = load_bytes(make_docx(), "port/harbour.docx")
    assert doc.title == "Harbour report"
    order = ["Harbour report", "The old harbour crane was dismantled in March 2019.", "Year: 2018 | Ships: 412",
             "Dredging", "Dredging of the channel to a depth of eleven metres ended in 2021."]
    positions = [doc.text.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Year | Ships" not in doc.text  # the header row names the values under it (test_table_rows.py)
    assert_exact_chunks(doc)


def test_a_table_inside_a_word_table_cell_is_kept():
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Berth"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Depth 11 m", "Length 240 m"
    out = io.BytesIO()
    document.save(out)
    (doc,) = load_bytes(out.getvalue(), "port/berths.docx")
    assert "Berth" in doc.text and "Depth 11 m | Length 240 m" in doc.text
    assert_exact_chunks(doc)


def test_pptx_slides_keep_their_numbers_like_pdf_pages():
    (doc,) = load_bytes(make_pptx(), "talks/lighthouse.pptx")
    assert doc.title == "Lighthouse survey"
    assert [page.number for page in doc.pages] == [1, 3]  # slide 2 has no text
    first, third = (doc.text[page.start:page.end] for page in doc.pages)
    assert "converted to LED in 2016." in first and "left the island in 1987." in third
    assert "became a museum in 1991." in third  # speaker notes are read with their slide
    assert_exact_chunks(doc)


def _without_properties(raw: bytes) -> bytes:
    """The file as other tools write it: no docProps/core.xml, and no relationship to it."""
    import re

    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/core.xml":
                continue
            if item.filename == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*core-properties\"[^>]*/>", b"", data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_file_without_properties_is_titled_by_its_name_not_a_made_up_title():
    (doc,) = load_bytes(_without_properties(make_docx()), "port/harbour.docx")
    (deck,) = load_bytes(_without_properties(make_pptx()), "talks/lighthouse.pptx")
    assert doc.title != "Word Document" and deck.title != "PowerPoint Presentation"
    assert "harbour" in doc.title.lower() and "lighthouse" in deck.title.lower()


def test_epub_chapters_in_spine_order_without_the_navigation_page():
    (doc,) = load_bytes(make_epub(), "books/canal.epub")
    assert doc.title == "The Canal Book"
    assert "Table of contents" not in doc.text
    assert doc.text.index("twelve locks") < doc.text.index("Horse-drawn boats used the canal until 1948.")
    assert_exact_chunks(doc)


def test_epub_chapters_keep_headers_footnotes_and_captions_and_links_are_urls():
    """In a book, <header>, <aside> and <figure> are text (on a web page they are furniture),
    a footnote marker is not glued to its sentence, and a manifest's "chapter%201.xhtml" is the
    file "chapter 1.xhtml"."""
    chapter = ('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
               "<section><header><h1>Arrival</h1></header>"
               '<p>Lund arrived on 3 March 1911.<a epub:type="noteref" href="#n1">1</a></p>'
               "<figure><img src='a.png'/><figcaption>The boathouse in 1914.</figcaption></figure>"
               '<aside epub:type="footnote" id="n1"><p>His diary gives 4 March.</p></aside></section></body></html>')
    opf = OPF.replace('href="text/one.xhtml"', 'href="text/chapter%201.xhtml"')
    (doc,) = load_bytes(make_epub(opf, chapters={"text/chapter 1.xhtml": chapter, "text/two.xhtml": CHAPTER.format(
        "Boats", "Horse-drawn boats used the canal until 1948.")}), "books/keepers.epub")
    for text in ("Arrival", "Lund arrived on 3 March 1911.\n", "The boathouse in 1914.", "His diary gives 4 March."):
        assert text in doc.text + "\n", text
    assert "1911.1" not in doc.text


def test_an_epub_table_keeps_each_row_on_one_line():
    """Every cell was a paragraph of its own, so a quoted "1948" did not say what it was."""
    chapter = ("<html xmlns='http://www.w3.org/1999/xhtml'><body><h1>Traffic</h1><table>"
               "<tr><th>Year</th><th>Boats</th></tr><tr><td>1948</td><td>12</td></tr></table>"
               "<table><tr><td><p>A layout cell.</p><p>Its second paragraph.</p></td></tr></table></body></html>")
    (doc,) = load_bytes(make_epub(chapters={"text/one.xhtml": chapter, "text/two.xhtml": CHAPTER.format(
        "Boats", "Horse-drawn boats used the canal until 1948.")}), "books/traffic.epub")
    lines = doc.text.split("\n")
    assert "Year: 1948 | Boats: 12" in lines and "Year | Boats" not in lines  # a row says what its values are
    assert "A layout cell." in lines and "Its second paragraph." in lines  # page layout stays paragraphs


def test_odt_paragraphs_lists_tables_and_footnotes_in_order():
    (doc,) = load_bytes(make_odt(), "reports/ferries.odt")
    assert doc.title == "Ferries 2022"
    assert doc.text == ("Ferry report\n\nThe night ferry was withdrawn in May 2022. Fares rose.\n\n"
                        "Two crossings a day remain in winter.\n\nRoute | Boats\nWexmouth | 3\n\n"
                        "Notes\n\nThe council minutes give 3 May.")  # a note after the body (test_formats_as_shown.py)
    (untitled,) = load_bytes(make_odt(meta=None), "reports/ferries.odt")
    assert untitled.title == "Ferry report"  # its first line, as for Word files
    assert_exact_chunks(doc)


@pytest.mark.parametrize("name,raw,kind", [
    ("broken.docx", make_docx()[:600], "Word file"),
    ("notword.docx", make_epub(), "Word file"),
    ("broken.pptx", make_pptx()[:900], "PowerPoint file"),
    ("broken.epub", b"PK\x03\x04 not really a zip", "EPUB file"),
    ("broken.odt", make_odt()[:300], "OpenDocument file"),
    ("spreadsheet.odt", make_odt(content=ODT_CONTENT.replace("office:text>", "office:spreadsheet>")),
     "OpenDocument file"),
    ("nocontainer.epub", make_epub(container="<container/>"), "EPUB file"),
    ("badspine.epub", make_epub(opf=OPF.replace('idref="c2"', 'idref="missing"')), "EPUB file"),
])
def test_a_broken_file_gets_a_clear_error_naming_it(name, raw, kind):
    with pytest.raises(LoadError) as err:
        load_bytes(raw, f"inbox/{name}")
    assert str(err.value).startswith(f"inbox/{name}: broken or unreadable {kind}")


def test_html_news_page_keeps_the_article_and_drops_the_page_around_it():
    labels = json.loads((FIXTURES / "html" / "labels.json").read_text(encoding="utf-8"))
    for page, label in labels.items():
        (doc,) = load_bytes((FIXTURES / "html" / page).read_bytes(), f"web/{page}")
        words = " ".join(doc.text.split())
        for sentence in label["real"]:
            assert sentence in words, (page, sentence)
        for junk in label["boilerplate"]:
            if len(junk.split()) > 1 or junk.startswith("["):
                assert junk not in words, (page, junk)
            else:
                assert junk not in [line.strip() for line in doc.text.splitlines()], (page, junk)
    (news,) = load_bytes((FIXTURES / "html" / "seed_news_page.html").read_bytes(), "web/news.html")
    assert news.title.startswith("Putin Launches 2026 Stage of Covert Mobilization")
    assert news.text.startswith(news.title)


def test_html_that_is_not_utf8_is_refused_by_name():
    with pytest.raises(LoadError, match="web/latin1.html: not valid UTF-8"):
        load_bytes("<p>Caf\u00e9 au lait.</p>".encode("latin-1"), "web/latin1.html")


@pytest.fixture(scope="module")
def formats_engine(tmp_path_factory):
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("formats-data"), precision="fp32"))
    folder = tmp_path_factory.mktemp("formats-corpus")
    (folder / "harbour.docx").write_bytes(make_docx())
    (folder / "lighthouse.pptx").write_bytes(make_pptx())
    (folder / "canal.epub").write_bytes(make_epub())
    (folder / "ferries.odt").write_bytes(make_odt())
    (folder / "broken.epub").write_bytes(b"PK\x03\x04 not really a zip")
    report = engine.ingest(folder)
    return engine, report


def test_ingest_counts_files_per_format(formats_engine):
    _, report = formats_engine
    assert report.formats == {".docx": {"ingested": 1}, ".pptx": {"ingested": 1},
                               ".epub": {"ingested": 1, "failed": 1}, ".odt": {"ingested": 1}}
    assert report.formats_line() == ("by format: .docx 1 ingested, .epub 1 failed 1 ingested, .odt 1 ingested, "
                                     ".pptx 1 ingested")
    assert list(report.failed) == ["broken.epub"]
    from rag.ingest.report import IngestReport

    assert "no files found" in IngestReport().formats_line()  # an empty folder says so


def test_quotes_from_new_formats_are_exact_and_slides_are_cited(formats_engine):
    engine, _ = formats_engine
    answer = engine.ask("When did the last resident keeper leave the island?")
    quote = answer.quotes[0]
    assert quote.document_id == "lighthouse.pptx" and quote.page == 3
    assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
    answer = engine.ask("How deep was the harbour channel dredged?")
    assert answer.quotes[0].document_id == "harbour.docx" and "eleven metres" in answer.quotes[0].text
    answer = engine.ask("When was the night ferry withdrawn?")
    quote = answer.quotes[0]
    assert quote.document_id == "ferries.odt" and "May 2022" in quote.text
    assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text


def test_documents_endpoint_accepts_the_new_formats(formats_engine):
    engine, _ = formats_engine
    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN)
    with running(create_app(settings, engine=engine)) as base:
        result = httpx.post(f"{base}/v1/documents", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120,
                            files=[("files", ("canal-two.epub", make_epub())), ("files", ("notes.docx", make_docx())),
                                   ("files", ("ferries-two.odt", make_odt())),
                                   ("files", ("ships.csv", b"Ship,Built\nAurora,1911\n"))]).json()
        assert result["ok"], result
        assert set(result["files"]) == {"uploads/canal-two.epub", "uploads/notes.docx", "uploads/ferries-two.odt",
                                        "uploads/ships.csv"}
        assert engine.document("uploads/ships.csv").text == "Ship: Aurora | Built: 1911"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["docx", "pptx", "epub", "odt", "xlsx"]), st.data())
def test_a_damaged_file_loads_or_fails_with_a_load_error_only(kind, data):
    """Bytes flipped anywhere in a valid file: a document or a LoadError, never another exception."""
    damaged_loads_or_fails(VALID[kind], kind, data)


VALID = {"docx": make_docx(), "pptx": make_pptx(), "epub": make_epub(), "odt": make_odt(), "xlsx": make_xlsx()}
