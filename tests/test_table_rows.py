"""Tables in the documents people bring: every format stores a row under a header row as a CSV
row is stored ("Ship: Aurora | Built: 1911"), a table without one keeps its cells joined; and an
answer quotes another row of a table only when that row answers on its own. Word, PowerPoint,
OpenDocument, EPUB, HTML and Markdown files are built here; answers come from the real engine
(MiniLM, Chroma, the reading model)."""

from __future__ import annotations

import io

import pytest

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.chunk import chunk_document
from rag.ingest.load import load_bytes
from rag.ingest.tables import line_at
from rag.quotes import QuoteModel, Sentence, candidates, is_row, reader_passage, score_sentences, select
from rag.types import Document
from tests.test_formats import ODT_CONTENT, make_epub, make_odt

SHIPS = [("Ship", "Built", "Master"), ("Aurora", "1911", "Ann Lee"), ("Betty", "1920", "Bo Ek")]
NAMED = ["Ship: Aurora | Built: 1911 | Master: Ann Lee", "Ship: Betty | Built: 1920 | Master: Bo Ek"]
JOINED = ["Ship | Built | Master", "Aurora | 1911 | Ann Lee", "Betty | 1920 | Bo Ek"]


def _lines(raw: bytes, name: str) -> list[str]:
    (document,) = load_bytes(raw, name)
    for chunk in chunk_document(document):
        assert chunk.text == document.text[chunk.start:chunk.end]
    return document.text.split("\n")


def make_docx(rows=SHIPS, look: str | None = None, repeat_header: bool = False, merge_header: bool = False) -> bytes:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    document = docx.Document()
    document.add_paragraph("The harbour registry lists its ships.")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    properties = table._tbl.tblPr
    if look is not None:  # the "Header Row" box of Word's Table Design: on in a new table
        properties.remove(properties.find(qn("w:tblLook")))
        properties.append(parse_xml(f'<w:tblLook {nsdecls("w")} w:val="{look}"/>'))
    if repeat_header:  # "Repeat as header row at the top of each page"
        table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    if merge_header:
        table.cell(0, 1).merge(table.cell(0, 2)).text = "Built and master"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_table_row_carries_its_column_names():
    assert _lines(make_docx(), "reg/ships.docx")[2:] == NAMED  # Word's default: the first row is a header
    assert _lines(make_docx(look="0480"), "reg/ships.docx")[2:] == JOINED  # "Header Row" unticked
    # a first row that does not name every column once is no header, whatever the style says
    corner = [("", "Built", "Master"), ("Aurora", "1911", "Ann Lee")]
    assert _lines(make_docx(corner), "reg/ships.docx")[2:] == ["Built | Master", "Aurora | 1911 | Ann Lee"]
    # a header row the file marks to repeat on every page is one; a merged name names both its columns
    rows = _lines(make_docx(look="0480", repeat_header=True, merge_header=True), "reg/ships.docx")
    assert rows[2:] == ["Ship: Aurora | Built and master: 1911 | Built and master: Ann Lee",
                        "Ship: Betty | Built and master: 1920 | Built and master: Bo Ek"]


PERSON = [("Name", "Ann Lee"), ("Born", "1911"), ("Died", "1980"), ("Trade", "Harbour master")]


def test_a_word_table_of_names_and_values_is_not_named_by_its_first_row():
    """Word's "Header Row" style is on in every new table: a two-column record of one person
    ("Name | Ann Lee" over "Born | 1911") was named by its first row ("Name: Born | Ann Lee:
    1911"). Two columns, more than two rows and a first column of labels (filled, distinct,
    short, no figure) is a table of names and values (tables.names_and_values): rows joined."""
    assert _lines(make_docx(PERSON), "people/lee.docx")[2:] == [" | ".join(row) for row in PERSON]
    # a two-column table under a real header keeps its names: its first column holds figures
    years = [("Year", "Ships"), ("2018", "412"), ("2019", "398")]
    assert _lines(make_docx(years), "reg/years.docx")[2:] == ["Year: 2018 | Ships: 412", "Year: 2019 | Ships: 398"]
    # so do wider tables and a two-row one, and a header the file marks to repeat on every page
    assert _lines(make_docx(), "reg/ships.docx")[2:] == NAMED
    assert _lines(make_docx(years[:2]), "reg/years.docx")[2:] == ["Year: 2018 | Ships: 412"]
    assert _lines(make_docx(PERSON, repeat_header=True), "people/lee.docx")[2:] == \
        ["Name: Born | Ann Lee: 1911", "Name: Died | Ann Lee: 1980", "Name: Trade | Ann Lee: Harbour master"]


def test_a_one_value_row_is_quotable_and_a_heading_is_not():
    """"Year: 2018" (a row whose other cells are empty, a one-column table) was left out as a
    heading in Word and Markdown files: a short line without a sentence end. A row shares a
    column's name with the row above or below it (tables.in_named_table); a heading does not."""
    import docx

    from rag.quotes import candidate_sentences
    from rag.retrieve import Candidate

    document = docx.Document()
    document.add_heading("Part 1: Traffic", level=1)
    table = document.add_table(rows=3, cols=2)
    for i, row in enumerate([("Year", "Ships"), ("2017", "400"), ("2018", "")]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    out = io.BytesIO()
    document.save(out)
    # marked: the recorded headings are left out; unmarked: guessed from the text (a file with no
    # "#" records no headings), the one-value rows kept all the same
    body = b"The light was first lit in 1871.\n\n| Keeper |\n|---|\n| Ann Lee |\n| Bo Ek |\n"
    marked, unmarked = b"# Keepers\n\n## Part 1: Origins\n\n" + body, b"Keepers\n\nPart 1: Origins\n\n" + body
    quoted = ["The light was first lit in 1871.", "Keeper: Ann Lee", "Keeper: Bo Ek"]
    for raw, name, lines in ((out.getvalue(), "reg/traffic.docx", ["Year: 2017 | Ships: 400", "Year: 2018"]),
                             (marked, "notes/keepers.md", quoted), (unmarked, "notes/unmarked.md", quoted)):
        (doc,) = load_bytes(raw, name)
        doc = doc.model_copy(update={"path": name})  # as ingest stores it: the file it came from
        hits = [(Candidate(chunk.id, 1.0), chunk, doc) for chunk in chunk_document(doc)]
        sentences = candidate_sentences(hits)
        assert [s.text for s in sentences] == lines
        assert all(is_row(s) for s in sentences if ":" in s.text)


def test_a_powerpoint_table_row_carries_its_column_names():
    import pptx
    from pptx.util import Inches

    def deck(first_row: bool, rows=SHIPS) -> bytes:
        presentation = pptx.Presentation()
        slide = presentation.slides.add_slide(presentation.slide_layouts[6])
        table = slide.shapes.add_table(len(rows), len(rows[0]), Inches(1), Inches(1), Inches(6), Inches(2)).table
        table.first_row = first_row  # on in a new PowerPoint table, as Word's "Header Row" is
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                table.cell(i, j).text = value
        out = io.BytesIO()
        presentation.save(out)
        return out.getvalue()

    assert _lines(deck(True), "talks/ships.pptx") == NAMED
    assert _lines(deck(False), "talks/ships.pptx") == JOINED
    assert _lines(deck(True, PERSON[:3]), "talks/lee.pptx") == [" | ".join(row) for row in PERSON[:3]]


def _odt_table(header_rows: str, body: str) -> str:
    start = ODT_CONTENT.index("<table:table>")
    end = ODT_CONTENT.index("</table:table>") + len("</table:table>")
    return ODT_CONTENT[:start] + f"<table:table>{header_rows}{body}</table:table>" + ODT_CONTENT[end:]


def _odt_row(*cells: str) -> str:
    return "<table:table-row>" + "".join(
        "<table:covered-table-cell/>" if cell is None else
        f"<table:table-cell><text:p>{cell}</text:p></table:table-cell>" for cell in cells) + "</table:table-row>"


def test_an_opendocument_table_row_carries_the_names_of_its_header_rows():
    """Writer's "Heading" option writes the header rows apart; without it the rows stay joined
    (tests/test_formats.py)."""
    header = f"<table:table-header-rows>{_odt_row('Route', 'Boats', 'Since')}</table:table-header-rows>"
    body = _odt_row("Wexmouth", "3", "1998") + _odt_row("Sandness", None, "2004")  # Boats merged into Route
    lines = _lines(make_odt(_odt_table(header, body)), "reports/ferries.odt")
    lines = list(filter(None, lines[:lines.index("Notes")]))  # the file's footnote is after the body, under "Notes"
    assert lines[-2:] == ["Route: Wexmouth | Boats: 3 | Since: 1998", "Route: Sandness | Since: 2004"]
    lines = list(filter(None, _lines(make_odt(_odt_table(header, "")), "reports/ferries.odt")))
    assert lines[lines.index("Notes") - 1] == "Route | Boats | Since"  # a header alone is the table's text


def test_a_book_table_row_is_named_by_its_header_cells_or_thead():
    table = ("<table><thead><tr><td>Year</td><td colspan='2'>Boats</td></tr></thead>"
             "<tbody><tr><td>1948</td><td>12</td><td>3</td></tr></tbody></table>"
             "<table><tr><th>Lock</th><td>Deep Cut</td></tr><tr><th>Rise</th><td>4 m</td></tr></table>")
    chapter = f"<html xmlns='http://www.w3.org/1999/xhtml'><body><h1>Traffic</h1>{table}</body></html>"
    lines = _lines(make_epub(chapters={"text/one.xhtml": chapter, "text/two.xhtml": chapter}), "books/traffic.epub")
    assert "Year: 1948 | Boats: 12 | Boats: 3" in lines
    assert "Lock | Deep Cut" in lines and "Rise | 4 m" in lines  # a header cell per row names no column


def _row_sentences(text: str, scores: list[float], named: list[bool] | None = None) -> list[Sentence]:
    document = Document(id="d", title="Ships", text=text)
    lines, start, out = text.split("\n"), 0, []
    for i, (line, score) in enumerate(zip(lines, scores)):
        out.append(Sentence(document, start, start + len(line), chunk_rank=0, index=i, score=score,
                            names_asked=True if named is None else named[i]))
        start += len(line) + 1
    return out


def test_a_further_row_must_answer_on_its_own_and_prose_keeps_its_rule():
    text = "\n".join(NAMED + ["Ship: Clio | Built: 1934 | Master: Cy Moss"])
    rows = _row_sentences(text, [0.6, 0.2, 0.05])
    assert all(is_row(row) for row in rows)
    # by gain per word both further rows would follow the first and merge with it into one quote
    assert [q.text for q in select(rows, 3, 100, 0.001, joint=True)] == [text]
    assert [q.text for q in select(rows, 3, 100, 0.001, joint=True, alone_above=0.1)] == ["\n".join(NAMED)]
    unnamed = _row_sentences(text, [0.6, 0.2, 0.05], named=[True, False, True])  # Betty's row for "Aurora"
    assert [q.text for q in select(unnamed, 3, 100, 0.001, joint=True, alone_above=0.1)] == [NAMED[0]]
    prose = _row_sentences("The Aurora was built in 1911.\nThe Betty followed in 1920.", [0.6, 0.05])
    assert not is_row(prose[1])
    assert len(select(prose, 3, 100, 0.001, joint=True, alone_above=0.1)) == 1  # one paragraph: merged
    assert select(prose, 3, 100, 0.001, joint=True, alone_above=0.1)[0].text == prose[0].document.text


def test_a_sentence_is_checked_for_a_row_once_and_carries_the_answer(monkeypatch):
    """Heading check, scoring, reading and selection all ask whether a sentence is a row: it is
    worked out once, when the Sentence is made, and every step's copy keeps it."""
    calls = []
    monkeypatch.setattr(candidates, "line_at", lambda *a: calls.append(a) or line_at(*a))
    text = "\n".join(NAMED + ["The Clio was built in 1934."])
    sentences = _row_sentences(text, [0.6, 0.2, 0.05])
    assert len(calls) == 3 and [s.row for s in sentences] == [True, True, False]
    scored = score_sentences(sentences, "When was the Aurora built?", {}, None, QuoteModel.load())
    assert [s.row for s in scored] == [True, True, False]
    passages = [reader_passage(s) for s in scored]
    select(scored, 3, 100, 0.0, joint=True, alone_above=0.1)
    assert len(calls) == 3 and [p.previous for p in passages] == ["", "", ""]  # no context was set
    given = Sentence(sentences[2].document, sentences[2].start, sentences[2].end, 0, row=False)
    assert len(calls) == 3 and not given.row  # given when made: not worked out again
    assert [is_row(s) for s in scored] == [s.row for s in scored]  # the same answer, asked again


def test_a_row_is_read_without_the_row_above_as_its_context():
    """The row above is another record: read as context it lent its answer to the row below."""
    first, second = _row_sentences("\n".join(NAMED), [0.5, 0.5])
    second = Sentence(second.document, second.start, second.end, 0, index=1, previous=(first.start, first.end))
    assert reader_passage(second).previous == ""
    prose = Document(id="p", title="P", text="The Aurora was built in 1911. It sank in 1923.")
    sentence = Sentence(prose, 30, len(prose.text), 0, index=1, previous=(0, 29))
    assert reader_passage(sentence).previous == "The Aurora was built in 1911."


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("tables-data"), precision="fp32"))
    folder = tmp_path_factory.mktemp("tables-corpus")
    fleet = [("Ship", "Built", "Master", "Tonnage"), ("Aurora", "1911", "Ann Lee", "412"),
             ("Betty", "1920", "Bo Ek", "380"), ("Clio", "1934", "Cy Moss", "505"), ("Dora", "1948", "Di Park", "610")]
    (folder / "fleet.csv").write_text("\n".join(",".join(row) for row in fleet) + "\n")
    tugs = [("Tug", "Built", "Skipper", "Power"), ("Arne", "1911", "Al Roe", "412"), ("Bram", "1920", "Bea Fox", "380"),
            ("Cato", "1934", "Cal Dunn", "505"), ("Dirk", "1948", "Dee Holt", "610"), ("Eno", "1952", "Eva Lund", "298")]
    (folder / "tugs.docx").write_bytes(make_docx(tugs))
    lights = [("Lighthouse", "Lit", "Keeper"), ("Greyhaven", "1871", "Ann Lee"), ("Skerry", "1890", "Bo Ek"),
              ("Northcape", "1902", "Cy Moss")]
    (folder / "lights.md").write_text("# Lighthouses\n\nThe coast has three lighthouses.\n\n"
                                      + "\n".join(f"| {' | '.join(row)} |" for row in lights[:1]) + "\n|---|---|---|\n"
                                      + "\n".join(f"| {' | '.join(row)} |" for row in lights[1:]) + "\n")
    engine.ingest(folder)
    with engine:
        yield engine


@pytest.mark.parametrize("question,document_id,row", [
    ("Who was the master of the Clio?", "fleet.csv", "Ship: Clio | Built: 1934 | Master: Cy Moss | Tonnage: 505"),
    ("Who was the skipper of the tug Bram?", "tugs.docx", "Tug: Bram | Built: 1920 | Skipper: Bea Fox | Power: 380"),
    ("When was the tug Dirk built?", "tugs.docx", "Tug: Dirk | Built: 1948 | Skipper: Dee Holt | Power: 610"),
    ("When was the Skerry lighthouse lit?", "lights.md", "Lighthouse: Skerry | Lit: 1890 | Keeper: Bo Ek"),
])
def test_an_answer_quotes_the_row_that_answers_and_not_its_neighbours(engine, question, document_id, row):
    """Before, the rows around the answering one followed it (merged into its quote, or as
    quotes of their own): each was short enough for the gain per word, and read with the row
    above as its context."""
    answer = engine.ask(question)
    assert answer.answered and answer.quotes[0].text == row and answer.quotes[0].document_id == document_id
    for quote in answer.quotes:
        assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
        assert quote is answer.quotes[0] or " | " not in quote.text  # no further row of the table
