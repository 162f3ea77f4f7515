"""Excel workbooks (.xlsx), Rich Text Format (.rtf) and reStructuredText (.rst): stored as text a
person can read and quote, a broken file refused by name while its earlier version stays quoted,
answers whose quotes are exactly document.text[start:end], and uploads through /v1/documents.
Workbooks are written by XlsxWriter (installed with python-pptx) or by zipfile where a test needs
what XlsxWriter never writes (inline strings, the 1904 date system, a lying zip header); RTF and
reStructuredText files are written here as text."""

from __future__ import annotations

import datetime
import io
import struct
import zipfile

import pytest
import xlsxwriter

from rag.config import Settings
from rag.engine import Engine
from rag.ingest import tables, workbook
from rag.ingest.chunk import chunk_document
from rag.ingest.load import LoadError, load_bytes
from tests.conftest import broken_later_keeps_earlier, first_quote_holds, uploaded


def make_xlsx(*, empty_sheet: bool = True) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day, share, clock = (book.add_format({"num_format": code}) for code in ("d mmm yyyy", "0.0%", "hh:mm"))
    fleet = book.add_worksheet("Fleet list")
    fleet.write_row(0, 0, ["Ship", "Tonnage", "Launched", "Share", "Leaves", "In service"])
    fleet.write_row(1, 0, ["Aurora", 412.5])
    fleet.write_datetime(1, 2, datetime.datetime(1911, 5, 3), day)
    fleet.write_number(1, 3, 0.125, share)
    fleet.write_datetime(1, 4, datetime.datetime(1899, 12, 31, 7, 15), clock)
    fleet.write_boolean(1, 5, True)
    fleet.write_row(2, 0, ["Betty", None, None, None, None, False])  # empty cells are left out
    fleet.write_formula(3, 0, '="Car"&"la"', None, "Carla")  # a formula shows its last result
    fleet.write(3, 1, 0.1 + 0.2)  # stored as 0.30000000000000004, shown as Excel shows it
    if empty_sheet:
        book.add_worksheet("Notes")  # nothing in it: skipped, not an error
    keepers = book.add_worksheet("Keepers")
    keepers.write_column(0, 0, ["Keeper", "Ann Lee of the north light"])
    keepers.write_row(0, 1, ["Lighthouse", "Left"])
    keepers.write_row(1, 1, ["Greyhaven", 1987])
    book.close()
    return out.getvalue()


WORKBOOK_XML = """<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="1"/><sheets><sheet name="Tides" sheetId="1" r:id="rId1"/></sheets></workbook>"""
SHEET_XML = """<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c r="B2" t="inlineStr"><is><t>Port</t></is></c><c t="inlineStr"><is><r><t>High </t></r><r><t>water</t></r></is></c></row>
<row r="3"><c r="B3" t="inlineStr"><is><t>Wexmouth</t></is></c><c r="C3" t="d"><v>2024-03-05T00:00:00</v></c></row>
<row r="4"><c r="B4" t="inlineStr"><is><t>Greyhaven</t></is></c><c r="C4" s="1"><v>0</v></c></row>
</sheetData></worksheet>"""
STYLES_XML = """<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"""


def make_handwritten_xlsx(sheet: str = SHEET_XML) -> bytes:
    """A workbook with inline strings, cells without references and the 1904 date system, as
    some exporters write one; no shared strings part."""
    rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{}</Relationships>'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_rels/.rels", rels.format(
            f'<Relationship Id="r1" Type="{kind}officeDocument" Target="xl/workbook.xml"/>'))
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", rels.format(
            f'<Relationship Id="rId1" Type="{kind}worksheet" Target="/xl/worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{kind}styles" Target="styles.xml"/>'))
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr("xl/styles.xml", STYLES_XML)
    return out.getvalue()


def declare_size(raw: bytes, member: str, size: int) -> bytes:
    """The archive with `member`'s headers declaring `size` unzipped bytes, as a zip bomb's do."""
    out = bytearray(raw)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at:].startswith(member.encode()):
                out[at + size_at:at + size_at + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}{\colortbl;\red0\green0\blue0;}
{\stylesheet{\s1 Heading 1;}}{\info{\title Ferry report 2022}{\author Ann Lee}}
{\*\generator Riched20 10.0;}\viewkind4\uc1\pard\s1\b Ferry report\b0\par
\pard The night ferry from Wexmouth was withdrawn in May 2022.{\super\chftn}{\footnote\pard\plain {\super\chftn}
The council minutes give 3 May.} Fares rose by 10\'80 at the caf\'e9 \u8212\'97 and by \u-10179?\u-8704?
\~on the pier.\par
{\field{\*\fldinst HYPERLINK "https://council.example"}{\fldrslt The council's site}} has the timetable.{\v hidden}\par
{\pict\wmetafile8\picw100 0a0b0c0d0e0f}{\header Page header}
\trowd\cellx1000\cellx2000\pard\intbl Route\cell Boats\cell\row
\trowd\cellx1000\cellx2000\pard\intbl Wexmouth\cell 3\cell\row
\pard Two crossings a day remain\tab in winter.\par
}"""

RST = """.. A comment the reader never sees.

====================
 Harbour works 2020
====================

:Author: Bo Ek
:Date: 2021-01-15

.. contents::

Dredging
--------

The harbour channel was dredged to **eleven metres** in 2020, see the
`council report <https://council.example/report>`_ and Dredging_ [1]_. It cost |cost|.

.. note:: The dredgers worked
   through the *winter*.

.. image:: dredger.png
   :alt: a dredger

Cranes
------

=================  ==========
Crane              Dismantled
=================  ==========
Old harbour crane  March 2019
Coal crane         June 2015
                   (in parts)
=================  ==========

+-----------+-------+
| Quay      | Depth |
+===========+=======+
| North     | 9 m   |
| quay      |       |
+-----------+-------+

Use ``rag ingest`` and :ref:`the guide <guide>` for :py:func:`~rag.ingest.load.load_file`::

    rag ingest corpus/

.. |cost| replace:: 2.4 million euros
.. _Dredging: https://example.org/dredging
.. [1] Port minutes, March 2021.
"""


def assert_exact_chunks(document) -> None:
    for chunk in chunk_document(document):
        assert chunk.text == document.text[chunk.start:chunk.end]


def test_xlsx_every_sheet_with_its_name_and_rows_named_as_csv_rows_are():
    (doc,) = load_bytes(make_xlsx(), "tables/fleet 2024.xlsx")
    assert doc.title == "fleet 2024"
    assert doc.text == (
        "Fleet list\n"
        "Ship: Aurora | Tonnage: 412.5 | Launched: 1911-05-03 | Share: 12.5% | Leaves: 07:15 | In service: TRUE\n"
        "Ship: Betty | In service: FALSE\n"
        "Ship: Carla | Tonnage: 0.3\n\n"
        "Keepers\nKeeper: Ann Lee of the north light | Lighthouse: Greyhaven | Left: 1987")
    # the same rows as a CSV file of the sheet: one way of writing a row
    csv_rows = tables.table_rows("Keeper,Lighthouse,Left\nAnn Lee of the north light,Greyhaven,1987\n", ".csv")
    assert doc.text.endswith("\n".join(csv_rows))
    assert_exact_chunks(doc)


def test_xlsx_inline_strings_1904_dates_and_cells_without_references():
    (doc,) = load_bytes(make_handwritten_xlsx(), "tables/tides.xlsx")
    assert doc.text == "Tides\nPort: Wexmouth | High water: 2024-03-05\nPort: Greyhaven | High water: 1904-01-01"


def test_xlsx_over_the_cell_limit_or_a_zip_bomb_is_refused_by_name(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 12)  # the real limit, a million cells, is slow to build
    with pytest.raises(LoadError, match=r"inbox/big.xlsx: broken or unreadable Excel workbook .*more than 12 cells "
                                        r"\(sheet 'Fleet list' passes the limit\)"):
        load_bytes(make_xlsx(), "inbox/big.xlsx")
    bomb = declare_size(make_handwritten_xlsx(), "xl/worksheets/sheet1.xml", 600 * 2**20)
    with pytest.raises(LoadError, match=r"inbox/bomb.xlsx: broken or unreadable Excel workbook .*more than 512 MiB"):
        load_bytes(bomb, "inbox/bomb.xlsx")


def test_rtf_paragraphs_tables_escapes_and_unicode_without_the_control_groups():
    (doc,) = load_bytes(RTF, "reports/ferries.rtf")
    assert doc.title == "Ferry report 2022"
    assert doc.text == ("Ferry report\n\n"
                        "The night ferry from Wexmouth was withdrawn in May 2022. Fares rose by 10€ at the café — "
                        "and by 😀 on the pier.\n\nThe council minutes give 3 May.\n\n"
                        "The council's site has the timetable.\n\nRoute | Boats\nWexmouth | 3\n\n"
                        "Two crossings a day remain in winter.")
    (untitled,) = load_bytes(RTF.replace(rb"{\title Ferry report 2022}", b""), "reports/ferries.rtf")
    assert untitled.title == "Ferry report"  # its first line, as for Word files
    assert_exact_chunks(doc)


def test_rst_titles_tables_and_text_without_markup():
    (doc,) = load_bytes(RST.encode(), "docs/harbour.rst")
    assert (doc.title, doc.author, doc.date) == ("Harbour works 2020", "Bo Ek", "2021-01-15")
    assert doc.text == (
        "Harbour works 2020\n\nAuthor: Bo Ek\n\nDate: 2021-01-15\n\nDredging\n\n"
        "The harbour channel was dredged to eleven metres in 2020, see the council report and Dredging. "
        "It cost 2.4 million euros.\n\nThe dredgers worked through the winter.\n\nCranes\n\n"
        "Crane | Dismantled\nOld harbour crane | March 2019\nCoal crane | June 2015 (in parts)\n\n"
        "Quay | Depth\nNorth quay | 9 m\n\nUse rag ingest and the guide for load_file:\n\nrag ingest corpus/\n\n"
        "Port minutes, March 2021.")
    assert_exact_chunks(doc)


@pytest.mark.parametrize("name,raw,kind", [
    ("broken.xlsx", make_xlsx()[:400], "Excel workbook"),
    ("notabook.xlsx", make_handwritten_xlsx().replace(b"xl/workbook.xml", b"xl/workbook.xmz"), "Excel workbook"),
    ("empty.xlsx", make_handwritten_xlsx(SHEET_XML.split("<sheetData>")[0] + "<sheetData/></worksheet>"),
     "Excel workbook"),
    ("prose.rtf", b"Just some prose saved with the wrong name.", "RTF file"),
])
def test_a_broken_file_gets_a_clear_error_naming_it(name, raw, kind):
    with pytest.raises(LoadError) as err:
        load_bytes(raw, f"inbox/{name}")
    assert str(err.value).startswith(f"inbox/{name}: broken or unreadable {kind}")


@pytest.mark.parametrize("raw,message", [(b"Caf\xe9 au lait.\n", "not valid UTF-8"),
                                         (b"\x00\x01binary", "looks like a binary")])
def test_an_rst_file_in_bad_bytes_is_refused_by_name(raw, message):
    with pytest.raises(LoadError, match=f"inbox/bad.rst: {message}"):
        load_bytes(raw, "inbox/bad.rst")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("written-data"), precision="fp32"))
    folder = tmp_path_factory.mktemp("written-corpus")
    (folder / "fleet.xlsx").write_bytes(make_xlsx())
    (folder / "ferries.rtf").write_bytes(RTF)
    (folder / "harbour.rst").write_text(RST)
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    report = engine.ingest(folder)
    with engine:
        yield engine, report, folder


def test_ingest_counts_the_new_formats(engine):
    _, report, _ = engine
    assert report.formats == {".xlsx": {"ingested": 1, "failed": 1}, ".rtf": {"ingested": 1}, ".rst": {"ingested": 1}}
    assert list(report.failed) == ["broken.xlsx"]


@pytest.mark.parametrize("question,document_id,words", [
    ("When was the ship Aurora launched?", "fleet.xlsx", "Launched: 1911-05-03"),
    ("When did Ann Lee leave Greyhaven?", "fleet.xlsx", "Left: 1987"),
    ("When was the night ferry from Wexmouth withdrawn?", "ferries.rtf", "May 2022"),
    ("How deep was the harbour channel dredged?", "harbour.rst", "eleven metres"),
    ("When was the old harbour crane dismantled?", "harbour.rst", "March 2019"),
])
def test_answers_quote_the_new_formats_exactly(engine, question, document_id, words):
    first_quote_holds(engine[0], question, document_id, words)


def test_a_workbook_broken_later_keeps_its_earlier_version_quoted(engine):
    eng, _, folder = engine
    broken_later_keeps_earlier(eng, folder, "fleet.xlsx", make_xlsx()[:500], "Excel workbook", "Launched: 1911-05-03")


def test_documents_endpoint_and_the_ui_uploader_accept_the_new_formats(engine, monkeypatch):
    eng, _, _ = engine
    taken = uploaded(eng, monkeypatch, [("tides.xlsx", make_handwritten_xlsx()), ("ferries-two.rtf", RTF),
                                        ("harbour-two.rst", RST.encode())])
    assert {".xlsx", ".rtf", ".rst"} <= taken
    assert eng.document("uploads/tides.xlsx").text.startswith("Tides\nPort: Wexmouth | High water: 2024-03-05")
    assert eng.document("uploads/harbour-two.rst").title == "Harbour works 2020"


def test_a_one_column_sheet_row_is_no_heading_and_an_rst_title_is():
    from rag.quotes import candidate_sentences
    from rag.retrieve import Candidate

    one_column = SHEET_XML.split("<sheetData>")[0] + "<sheetData>" + "".join(
        f'<row><c t="inlineStr"><is><t>{value}</t></is></c></row>' for value in ("Port", "Wexmouth", "Greyhaven"))
    for raw, name, lines in ((make_handwritten_xlsx(one_column + "</sheetData></worksheet>"), "tides.xlsx",
                              ["Tides", "Port: Wexmouth", "Port: Greyhaven"]),
                             (b"Key facts\n=========\n\nThe pier closed in 2019.\n", "notes.rst",
                              ["The pier closed in 2019."])):
        (doc,) = load_bytes(raw, name)
        doc = doc.model_copy(update={"path": name})  # as ingest stores it: the file it came from
        hits = [(Candidate(chunk.id, 1.0), chunk, doc) for chunk in chunk_document(doc)]
        assert [s.text for s in candidate_sentences(hits)] == lines
