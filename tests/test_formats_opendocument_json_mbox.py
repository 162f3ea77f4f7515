"""OpenDocument spreadsheets (.ods) and presentations (.odp), JSON documents (.json) and mail
archives (.mbox): stored as text a person can read and quote, a broken file refused by name
while its earlier version stays quoted, answers whose quotes are exactly document.text[start:end],
and uploads through /v1/documents. The OpenDocument files are written here with zipfile, as
LibreOffice writes them (a sheet's rows end in cells and rows repeated to the sheet's edge)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from rag.config import Settings
from rag.engine import Engine
from rag.ingest import workbook
from rag.ingest.load import LoadError, load_bytes, load_file
from tests.conftest import (assert_exact_chunks, broken_later_keeps_earlier, damaged_loads_or_fails, first_quote_holds,
                            uploaded)

_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
               'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"')


def make_opendocument(kind: str, content: str, meta: str | None = None) -> bytes:
    """An OpenDocument file of `kind` ("text", "spreadsheet", "presentation") holding content.xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", f"application/vnd.oasis.opendocument.{kind}", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        if meta is not None:
            archive.writestr("meta.xml", meta)
    return out.getvalue()


def _content(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NAMESPACES}><office:body>{body}' \
           f'</office:body></office:document-content>'


def _cell(shown: str, attributes: str = "") -> str:
    return f"<table:table-cell {attributes}><text:p>{shown}</text:p></table:table-cell>"


def _row(*cells: str, repeated: int = 1) -> str:
    return f'<table:table-row table:number-rows-repeated="{repeated}">{"".join(cells)}</table:table-row>'


_EDGE = '<table:table-cell table:number-columns-repeated="1016"/>'  # LibreOffice fills a row to the sheet's edge
FLEET = (
    '<table:table table:name="Fleet  list"><table:table-column table:number-columns-repeated="1024"/>'
    '<table:table-header-rows>'
    + _row(*(_cell(name) for name in ("Ship", "Cost", "Launched", "Share", "Leaves", "In service", "Port", "Dock")),
           _EDGE) + '</table:table-header-rows>'
    + _row(_cell("Aurora"),
           _cell("$1,200.00", 'office:value-type="currency" office:currency="USD" office:value="1200"'),
           _cell("03/05/11", 'office:value-type="date" office:date-value="1911-05-03"'),
           _cell("12.5%", 'office:value-type="percentage" office:value="0.125"'),
           _cell("07:15:00 AM", 'office:value-type="time" office:time-value="PT07H15M00S"'),
           _cell("TRUE", 'office:value-type="boolean" office:boolean-value="true"'),
           '<table:table-cell table:number-columns-spanned="2"><text:p>Wexmouth</text:p>'
           '<office:annotation><text:p>A reviewer: check this</text:p></office:annotation></table:table-cell>'
           '<table:covered-table-cell/>', _EDGE)
    + _row(_cell("Betty"), '<table:table-cell table:number-columns-repeated="4"/>',
           _cell("FALSE", 'office:value-type="boolean" office:boolean-value="false"'), _EDGE)
    + _row(_cell("Carla"), '<table:table-cell office:value-type="float" office:value="0.3"/>',
           _cell("05/03/2024 09:30", 'office:value-type="date" office:date-value="2024-03-05T09:30:00"'), _EDGE)
    + _row('<table:table-cell table:number-columns-repeated="1024"/>', repeated=1048572)
    + '</table:table>')
SPREADSHEET = _content(
    "<office:spreadsheet>" + FLEET
    + '<table:table table:name="Notes">' + _row(_EDGE, repeated=1048576) + "</table:table>"
    + '<table:table table:name="Keepers">' + _row(_cell("Keeper"), _cell("Lighthouse"), _cell("Left"))
    + _row(_cell("Ann Lee of the north light"), _cell("Greyhaven"), _cell("1987", 'office:value-type="float" '
                                                                               'office:value="1987"'))
    + "</table:table></office:spreadsheet>")


def _frame(*paragraphs: str, kind: str = "") -> str:
    texts = "".join(f"<text:p>{p}</text:p>" for p in paragraphs)
    return f'<draw:frame presentation:class="{kind or "outline"}"><draw:text-box>{texts}</draw:text-box></draw:frame>'


PRESENTATION = _content(
    "<office:presentation>"
    '<draw:page draw:name="page1">' + _frame("Harbour plan", kind="title")
    + '<draw:frame><draw:text-box><text:list><text:list-item><text:p>A new pier</text:p></text:list-item>'
      '<text:list-item><text:p>Two more cranes</text:p></text:list-item></text:list></draw:text-box></draw:frame>'
    + "<presentation:notes><draw:page-thumbnail/>"
    + _frame("The new pier will cost 4 million euros and open in 2026.", kind="notes")
    + "</presentation:notes></draw:page>"
    '<draw:page draw:name="page2"/>'  # a slide without text: a page with nothing on it
    '<draw:page draw:name="page3"><draw:g><draw:custom-shape><text:p>Cranes by quay</text:p></draw:custom-shape>'
    "</draw:g><draw:frame><table:table><table:table-header-rows>" + _row(_cell("Quay"), _cell("Cranes"))
    + "</table:table-header-rows>" + _row(_cell("North quay"), _cell("3")) + "</table:table></draw:frame></draw:page>"
    "</office:presentation>")
META = ('<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:'
        'xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Harbour works 2026'
        '</dc:title></office:meta></office:document-meta>')


def make_ods(content: str = SPREADSHEET) -> bytes:
    return make_opendocument("spreadsheet", content)


def make_odp(meta: str | None = META) -> bytes:
    return make_opendocument("presentation", PRESENTATION, meta)


DOCUMENTS = [{"id": "notice-7", "title": "Notice 7", "url": "https://port.example/7", "date": "2024-02-01",
              "text": "The swing bridge at Wexmouth closes for repairs from 4 March to 19 April."},
             {"_id": "notice-8", "text": "Pilots board incoming ships two miles off the breakwater."},
             {"text": "A record without an id takes the file's name and its number."},
             "not a document",
             {"id": "notice-7", "text": "A later record that reuses the id notice-7."}]

MBOX = b"""From ann@example.org Mon Jan  1 09:00:00 2024
From: Ann Lee <ann@example.org>
To: harbour@example.org
Subject: Night ferry
Date: Mon, 1 Jan 2024 09:00:00 +0000
Message-ID: <ferry-1@example.org>

The night ferry to Greyhaven now leaves at 21:40 from pier 3.
>From the pier, walk ten minutes to the station.

From bo@example.org Tue Jan  2 10:00:00 2024
From: Bo Ek <bo@example.org>
Subject: Re: Night ferry
Date: Tue, 2 Jan 2024 10:00:00 +0000

Thanks. The harbour office reopens on 8 January after the holidays.

From ann@example.org Mon Jan  1 09:00:00 2024
From: Ann Lee <ann@example.org>
Subject: Night ferry
Message-ID: <ferry-1@example.org>

The same message, saved twice.
"""


def test_ods_every_sheet_with_its_name_and_rows_named_as_xlsx_rows_are():
    (doc,) = load_bytes(make_ods(), "tables/fleet 2024.ods")
    assert doc.title == "fleet 2024"
    assert doc.text == (
        "Fleet list\n"
        "Ship: Aurora | Cost: $1,200.00 | Launched: 1911-05-03 | Share: 12.5% | Leaves: 07:15 | In service: TRUE | "
        "Port: Wexmouth\n"
        "Ship: Betty | In service: FALSE\n"
        "Ship: Carla | Cost: 0.3 | Launched: 2024-03-05 09:30\n\n"
        "Keepers\nKeeper: Ann Lee of the north light | Lighthouse: Greyhaven | Left: 1987")
    assert_exact_chunks(doc)


def test_ods_rows_repeated_past_the_cell_limit_are_refused_before_they_are_built(monkeypatch):
    monkeypatch.setattr(workbook, "MAX_CELLS", 1000)
    rows = _row(_cell("Port"), _cell("Tide")) + _row(_cell("Wexmouth"), _cell("high"), repeated=10**12)
    claimed = _content(f'<office:spreadsheet><table:table table:name="Tides">{rows}</table:table></office:spreadsheet>')
    with pytest.raises(LoadError, match=r"inbox/big.ods: broken or unreadable OpenDocument spreadsheet .*more than "
                                        r"1,000 cells \(sheet 'Tides' passes the limit\)"):
        load_bytes(make_ods(claimed), "inbox/big.ods")


def test_odp_slides_and_notes_in_order_each_slide_a_page():
    (doc,) = load_bytes(make_odp(), "talks/harbour.odp")
    assert doc.title == "Harbour works 2026"
    assert doc.text == ("Harbour plan\n\nA new pier\nTwo more cranes\n\n"
                        "The new pier will cost 4 million euros and open in 2026.\n\n"
                        "Cranes by quay\n\nQuay: North quay | Cranes: 3")
    assert [page.number for page in doc.pages] == [1, 3]
    assert doc.text[doc.pages[1].start:doc.pages[1].end].startswith("Cranes by quay")
    (untitled,) = load_bytes(make_odp(meta=None), "talks/harbour.odp")
    assert untitled.title == "Harbour plan"  # its first line, as for PowerPoint files
    assert_exact_chunks(doc)


def test_json_one_document_or_an_array_with_the_fields_of_a_jsonl_line():
    (single,) = load_bytes(json.dumps(DOCUMENTS[0]).encode(), "notices/7.json")
    assert (single.id, single.title, single.source, single.date) == ("notice-7", "Notice 7", "https://port.example/7",
                                                                      "2024-02-01")
    (untitled,) = load_bytes(json.dumps({"text": "Only text."}).encode(), "notices/bare.json")
    assert (untitled.id, untitled.title) == ("notices/bare.json", "notices/bare.json")
    loaded = load_file(json.dumps(DOCUMENTS).encode(), "notices/all.json")
    assert [d.id for d in loaded.documents] == ["notice-7", "notice-8", "notices/all.json#3"]
    assert loaded.skipped == {
        "notices/all.json item 4": "notices/all.json item 4: each item needs an object with a string 'text'; skipped",
        "notices/all.json item 5": "notices/all.json item 5: id 'notice-7' was already used on item 1; skipped "
                                   "(the first keeps it)"}
    # the same records as a .jsonl file's lines: one reader of a record
    jsonl = load_file("\n".join(json.dumps(record) for record in DOCUMENTS).encode(), "notices/all.jsonl")
    assert [(d.id, d.text) for d in jsonl.documents][:2] == [(d.id, d.text) for d in loaded.documents][:2]


@pytest.mark.parametrize("raw,message", [
    (b'{"documents": []}', 'found an object without a string "text"'),
    (b'"The bridge closes."', "found a string"),
    (b"42", "found a number"),
    (b"[]", "no record could be ingested"),
    (b'[{"text": 1}]', "item 1: each item needs an object with a string 'text'"),
    (b'{"text": "a", ', "not valid JSON"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b"\xff\xfe\x00bad", "not valid"),
])
def test_json_that_is_no_document_is_refused_saying_what_was_expected(raw, message):
    with pytest.raises(LoadError) as err:
        load_bytes(raw, "inbox/odd.json")
    assert str(err.value).startswith("inbox/odd.json") and message in str(err.value)
    if "found" in message:
        assert 'expected a document object ({"text": ...}' in str(err.value)


def test_mbox_a_document_per_message_with_the_header_line_eml_files_have():
    loaded = load_file(MBOX, "mail/harbour.mbox")
    first, second = loaded.documents
    assert first.id == "mail/harbour.mbox#ferry-1@example.org" and second.id == "mail/harbour.mbox#2"
    assert (first.title, first.author, first.date) == ("Night ferry", "Ann Lee <ann@example.org>",
                                                       "2024-01-01T09:00:00+00:00")
    assert first.text == ("From: Ann Lee <ann@example.org> | To: harbour@example.org | Date: Mon, 1 Jan 2024 "
                          "09:00:00 +0000 | Subject: Night ferry\n\n"
                          "The night ferry to Greyhaven now leaves at 21:40 from pier 3.\n"
                          "From the pier, walk ten minutes to the station.")  # mbox's ">From" given back
    saved = MBOX.split(b"\n", 1)[1].split(b"\nFrom bo")[0].replace(b">From", b"From")
    (eml,) = load_bytes(saved, "mail/one.eml")
    assert eml.text == first.text  # the message read as an .eml file is
    assert list(loaded.skipped) == ["mail/harbour.mbox message 3"]
    assert "Message-ID 'ferry-1@example.org' was already used by message 1" in loaded.skipped[
        "mail/harbour.mbox message 3"]
    assert_exact_chunks(first)


# An archive a mail program wrote without quoting its "From " lines, then one with them quoted
# (mboxrd: ">From " once, ">>From " for a line that already began ">From ")
UNQUOTED = (b"From ann@example.org Mon Jan  1 09:00:00 2024\n"
            b"From: Ann Lee <ann@example.org>\nSubject: Winter timetable\nMessage-ID: <winter@example.org>\n\n"
            b"The winter timetable starts on 4 November.\n"
            b"From the pier, the bus leaves every ten minutes.\n\n"
            b"From Monday on, the kiosk opens at 07:30.\n"
            b">From the station, walk ten minutes.\n"
            b">>From here on the line was quoted already.\n\n"
            b"From bo@example.org Tue Jan  2 10:00:00 2024\r\n"
            b"From: Bo Ek <bo@example.org>\r\nSubject: Re: Winter timetable\r\n\r\nThanks, noted.\r\n")


def test_mbox_cuts_only_at_an_envelope_after_a_blank_line_and_gives_quoted_lines_back():
    """A "From " line inside a paragraph, or opening one without an envelope's date, is the
    message's text; a CRLF archive is cut the same way."""
    first, second = load_file(UNQUOTED, "mail/winter.mbox").documents
    assert first.id == "mail/winter.mbox#winter@example.org" and first.text.endswith(
        "The winter timetable starts on 4 November.\n"
        "From the pier, the bus leaves every ten minutes.\n\n"
        "From Monday on, the kiosk opens at 07:30.\n"
        "From the station, walk ten minutes.\n"
        ">From here on the line was quoted already.")
    assert (second.id, second.title, second.text.split("\n\n")[-1]) == (
        "mail/winter.mbox#2", "Re: Winter timetable", "Thanks, noted.")
    assert_exact_chunks(first)


def test_mbox_an_archive_pythons_mailbox_writes_reads_back_message_by_message(tmp_path):
    """Python's `mailbox` writes the archive (quoting each body line that begins "From "); every
    message comes back whole, its lines as they were sent."""
    import mailbox
    from email.message import EmailMessage

    bodies = ["The pier reopens on 2 May.\nFrom then on, boats moor at quay 4.\n",
              "From the minutes:\n\nFrom 1 June the fee is 12 euros.\n", "Noted, thanks.\n"]
    box = mailbox.mbox(tmp_path / "port.mbox")
    for number, body in enumerate(bodies, start=1):
        message = EmailMessage()
        message["From"], message["Subject"] = "ann@example.org", f"Port {number}"
        message.set_content(body)
        box.add(message)
    box.close()
    raw = (tmp_path / "port.mbox").read_bytes()
    assert b"\n>From then on" in raw and b"\n>From 1 June" in raw  # what the writer quoted
    documents = load_file(raw, "port.mbox").documents
    assert [d.title for d in documents] == ["Port 1", "Port 2", "Port 3"]
    for document, body in zip(documents, bodies):
        assert document.text.endswith(body.strip()), document.text


@pytest.mark.parametrize("name,raw,kind", [
    ("broken.ods", make_ods()[:300], "OpenDocument spreadsheet"),
    ("text.ods", make_opendocument("text", _content("<office:text><text:p>Prose.</text:p></office:text>")),
     "OpenDocument spreadsheet"),
    ("empty.ods", make_ods(_content('<office:spreadsheet><table:table table:name="S"/></office:spreadsheet>')),
     "OpenDocument spreadsheet"),
    ("broken.odp", make_odp()[:300], "OpenDocument presentation"),
    ("sheet.odp", make_ods(), "OpenDocument presentation"),
    ("letter.mbox", MBOX.split(b"\n", 1)[1], "mail archive"),
])
def test_a_broken_file_gets_a_clear_error_naming_it(name, raw, kind):
    with pytest.raises(LoadError) as err:
        load_bytes(raw, f"inbox/{name}")
    assert str(err.value).startswith(f"inbox/{name}: broken or unreadable {kind}")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["ods", "odp"]), st.data())
def test_a_damaged_opendocument_file_loads_or_fails_with_a_load_error_only(kind, data):
    damaged_loads_or_fails(make_ods() if kind == "ods" else make_odp(), kind, data)


_XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_KINDS = ["", 'office:value-type="float" office:value="{}"', 'office:value-type="date" office:date-value="{}"',
          'office:value-type="time" office:time-value="{}"', 'office:value-type="percentage" office:value="{}"',
          'table:number-columns-repeated="{}"']


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(_XML_TEXT, st.sampled_from(_KINDS), _XML_TEXT), max_size=4), max_size=6), _XML_TEXT)
def test_arbitrary_cells_and_values_inside_a_well_formed_spreadsheet(rows, sheet):
    """Any shown text, stored value and repeat count: rows or a clear error, never another exception."""
    from xml.sax.saxutils import escape, quoteattr

    body = "".join(_row(*(_cell(escape(shown), kind.format(quoteattr(value)[1:-1])) for shown, kind, value in row))
                   for row in rows)
    raw = make_ods(_content(f'<office:spreadsheet><table:table table:name={quoteattr(sheet)}>{body}</table:table>'
                            f'</office:spreadsheet>'))
    try:
        documents = load_bytes(raw, "fuzz/cells.ods")
    except LoadError as err:
        assert str(err).startswith("fuzz/cells.ods: ")
    else:
        for document in documents:
            assert_exact_chunks(document)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("more-formats-data"), precision="fp32"))
    folder = tmp_path_factory.mktemp("more-formats-corpus")
    (folder / "fleet.ods").write_bytes(make_ods())
    (folder / "harbour.odp").write_bytes(make_odp())
    (folder / "bridge.json").write_text(json.dumps(DOCUMENTS))
    (folder / "harbour.mbox").write_bytes(MBOX)
    (folder / "broken.odp").write_bytes(b"PK\x03\x04 not really a zip")
    report = engine.ingest(folder)
    with engine:
        yield engine, report, folder


def test_ingest_counts_the_new_formats(engine):
    _, report, _ = engine
    assert report.formats == {".ods": {"ingested": 1}, ".odp": {"ingested": 1, "failed": 1},
                              ".json": {"ingested": 1}, ".mbox": {"ingested": 1}}
    assert set(report.failed) == {"broken.odp", "bridge.json item 4", "bridge.json item 5",
                                  "harbour.mbox message 3"}


@pytest.mark.parametrize("question,document_id,words", [
    ("When was the ship Aurora launched?", "fleet.ods", "Launched: 1911-05-03"),
    ("How much will the new pier cost?", "harbour.odp", "4 million euros"),
    ("When does the swing bridge at Wexmouth close for repairs?", "notice-7", "4 March to 19 April"),
    ("When does the night ferry to Greyhaven leave?", "harbour.mbox#ferry-1@example.org", "21:40"),
])
def test_answers_quote_the_new_formats_exactly(engine, question, document_id, words):
    first_quote_holds(engine[0], question, document_id, words)


def test_a_quote_from_a_presentation_carries_its_slide(engine):
    answer = engine[0].ask("How many cranes does the north quay have?")
    assert answer.quotes and answer.quotes[0].document_id == "harbour.odp", answer
    assert answer.quotes[0].page == 3


def test_a_spreadsheet_broken_later_keeps_its_earlier_version_quoted(engine):
    eng, _, folder = engine
    broken_later_keeps_earlier(eng, folder, "fleet.ods", make_ods()[:500], "OpenDocument spreadsheet",
                               "Launched: 1911-05-03")


def test_documents_endpoint_and_the_ui_uploader_accept_the_new_formats(engine, monkeypatch):
    eng, _, _ = engine
    taken = uploaded(eng, monkeypatch, [("fleet-two.ods", make_ods()), ("talk.odp", make_odp()),
                                        ("pilots.json", b'{"id": "pilots", "text": "Pilots board here."}'),
                                        ("box.mbox", MBOX)])
    assert {".ods", ".odp", ".json", ".mbox"} <= taken
    assert eng.document("uploads/fleet-two.ods").text.startswith("Fleet list\nShip: Aurora | Cost: $1,200.00")
    assert eng.document("uploads/talk.odp").title == "Harbour works 2026"
    assert eng.document("pilots").path == "uploads/pilots.json"
    assert eng.document("uploads/box.mbox#2").title == "Re: Night ferry"
