"""Every supported format, and every broken input with the error a person sees."""

import json
import re
from collections.abc import Callable

import pytest

from rag.ingest.load import LoadError, load_bytes


PageText = Callable[[int, int], str]  # (page number, page count) -> a line printed on that page


def pdf_string(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252): backslashes and brackets escaped."""
    return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("cp1252")) + b")"


def page_line(text: str | PageText, number: int, count: int) -> str:
    """A header or footer as page `number` of `count` prints it."""
    return text(number, count) if callable(text) else text.format(page=number, pages=count)


def minimal_pdf(pages: list[str], header: str | PageText = "", footer: str | PageText = "") -> bytes:
    """A valid PDF, a page per text and a printed line per line of it, written by hand (no PDF
    writer needed). header and footer: a line printed above and below every page's text, as a
    report's running header and page number are ("Page {page} of {pages}"), or a function of the
    page's number and the page count; drawn before and after the text, as word processors do."""
    streams = []
    for number, text in enumerate(pages, start=1):
        lines = b" ".join(pdf_string(row) + b" Tj T*" for row in text.split("\n"))
        stream = b"BT /F1 12 Tf 14 TL 72 720 Td " + lines + b" ET"
        for y, furniture in ((760, header), (40, footer)):
            if printed := page_line(furniture, number, len(pages)):
                block = b"BT /F1 9 Tf %d %d Td " % (72, y) + pdf_string(printed) + b" Tj ET"
                stream = block + b"\n" + stream if y > 720 else stream + b"\n" + block
        streams.append(stream)
    return pdf_file(streams, [b"Helvetica"])


def pdf_file(streams: list[bytes], fonts: list[bytes]) -> bytes:
    """A PDF of US Letter pages, each drawn by its content stream, with the standard fonts named
    (/F1 the first, /F2 the next, in WinAnsi)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    objects += [b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % font for font in fonts]
    named = b" ".join(b"/F%d %d 0 R" % (i, i + 2) for i in range(1, len(fonts) + 1))
    kids = []
    for stream in streams:
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       b"/Resources << /Font << %s >> >> /Contents %d 0 R >>" % (named, content))
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode()
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_markdown_front_matter():
    raw = b"---\nid: notes/one\ntitle: One\nurl: https://example.org/one\ndate: 2024-05-01\nauthor: Ann\n---\n# One\n\nBody text here."
    (doc,) = load_bytes(raw, "notes/one.md")
    assert (doc.id, doc.title, doc.source, doc.date, doc.author) == (
        "notes/one", "One", "https://example.org/one", "2024-05-01", "Ann")
    assert doc.text.endswith("Body text here.")


def test_markdown_markup_that_is_drawn_is_not_stored():
    """A setext underline, code fences, a block quote's ">", autolink brackets and backticks
    would be quoted as text; what they hold is kept."""
    raw = ("Glacier notes\n=============\n\n> The glacier lost a fifth of its area.\n\n"
           "Run `rag ask` as shown:\n\n```bash\nrag ask question\n```\n\nSee <https://example.org/ice>.").encode()
    (doc,) = load_bytes(raw, "notes/ice.md")
    assert doc.text == ("Glacier notes\n\nThe glacier lost a fifth of its area.\n\nRun rag ask as shown:\n\n"
                        "rag ask question\n\nSee https://example.org/ice.")


def test_markdown_italics_reference_links_footnotes_and_inline_html_are_not_stored():
    """"*35 km3*", "[report][rep]", its "[rep]: https://..." line, "[^1]" and "<br>" were stored
    and quoted as written; what they show is kept, and stars that are no italics stay."""
    raw = (b"The dam was finished in 1936.<br>It holds *35 km3* of _fresh_ water.[^1] A <sup>2</sup> mark.\n\n"
           b"See the [report][rep] on 2*3*4 and snake_case and * lists *.\n\n"
           b"[rep]: https://example.org/report \"Report\"\n\n[^1]: Bureau of Reclamation, 1937.\n")
    (doc,) = load_bytes(raw, "notes/dam.md")
    assert doc.text == ("The dam was finished in 1936.\nIt holds 35 km3 of fresh water. A 2 mark.\n\n"
                        "See the report on 2*3*4 and snake_case and * lists *.\n\nBureau of Reclamation, 1937.")


def test_an_author_list_is_one_author_field():
    raw = b"---\ntitle: Two hands\nauthor:\n  - Ann Lee\n  - Bo Ek\n---\nBody text here."
    (doc,) = load_bytes(raw, "notes/two.md")
    assert doc.author == "Ann Lee, Bo Ek"
    with pytest.raises(LoadError, match="'title' must be text"):
        load_bytes(b"---\ntitle: [A, B]\n---\nBody.", "notes/three.md")


def test_a_table_is_stored_row_by_row_without_its_drawn_rule():
    """Markdown's "|---|:--:|" line and a row's outer pipes were stored and quotable; a row now
    reads as a CSV row does, each value with its column's name. trafilatura writes an HTML
    table the same way. A table without a header keeps its cells joined."""
    md = (b"# Ferries\n\nThe timetable:\n\n| Day | Leaves |\n|-----|:------:|\n| Monday | 9:00 |\n"
          b"| Saturday | 10:30 |\n\nFares rose in 2024.\n")
    (doc,) = load_bytes(md, "notes/ferries.md")
    assert doc.text == ("Ferries\n\nThe timetable:\n\nDay: Monday | Leaves: 9:00\nDay: Saturday | Leaves: 10:30\n\n"
                        "Fares rose in 2024.")
    page = (b"<html><body><article><h1>Ferries</h1><p>The council agreed the timetable below in 2023.</p>"
            b"<table><tr><th>Day</th><th>Leaves</th></tr><tr><td>Monday</td><td>9:00</td></tr></table>"
            b"<p>The winter timetable:</p><table><tr><td>Sunday</td><td>11:00</td></tr></table>"
            b"</article></body></html>")
    (web,) = load_bytes(page, "web/ferries.html")
    lines = web.text.split("\n")
    assert "Day: Monday | Leaves: 9:00" in lines and "Sunday | 11:00" in lines
    assert "Day | Leaves" not in lines and not any(line and set(line) <= set("|-: ") for line in lines)
    # a <thead> of data cells names the columns; a header cell at a row's start names its row only
    page = (b"<html><body><article><h1>Ferries</h1><p>The council agreed the timetable below in 2023.</p>"
            b"<table><thead><tr><td>Day</td><td>Leaves</td></tr></thead><tr><td>Monday</td><td>9:00</td></tr>"
            b"</table><p>The ferry itself:</p><table><tr><th>Name</th><td>Wexmouth Belle</td></tr>"
            b"<tr><th>Built</th><td>1998</td></tr></table></article></body></html>")
    lines = load_bytes(page, "web/ferries.html")[0].text.split("\n")
    assert "Day: Monday | Leaves: 9:00" in lines and "Name | Wexmouth Belle" in lines and "Built | 1998" in lines


@pytest.mark.parametrize("body,rows", [
    # a row without outer bars, an escaped bar inside a cell, an empty cell and a cell past the header
    ("Day | Leaves\n--- | ---\nMonday | 9:00\n| Sat \\| Sun |  | 10:30 |", ["Day: Monday | Leaves: 9:00",
                                                                     "Day: Sat \\| Sun | column 3: 10:30"]),
    # a header with nothing under it is the table's text; a rule alone is drawn, not written
    ("| Day | Leaves |\n|---|---|\n\nplain | row\n|---|", ["Day | Leaves", "", "plain | row"]),
])
def test_a_markdown_table_is_named_by_its_header_row(body, rows):
    (doc,) = load_bytes(f"# Ferries\n\n{body}\n".encode(), "notes/ferries.md")
    assert doc.text.split("\n")[2:] == rows


def test_id_falls_back_to_relative_path():
    (doc,) = load_bytes(b"Plain words. More words.", "folder/plain.txt")
    assert doc.id == "folder/plain.txt"


def test_html_keeps_main_text_not_markup():
    raw = (b"<html><head><title>T</title><script>var x=1;</script></head><body>"
           b"<nav><a href='/'>Home</a><a>Latest news</a></nav><article><h1>Headline</h1>"
           b"<p>First <b>real</b> paragraph.</p><p>Second paragraph.</p></article>"
           b"<footer>Copyright</footer></body></html>")
    (doc,) = load_bytes(raw, "page.html")
    assert doc.title == "Headline"
    assert "First real paragraph." in doc.text and "Second paragraph." in doc.text
    assert "var x" not in doc.text and "Copyright" not in doc.text and "Home" not in doc.text


def test_html_text_is_what_the_page_shows_entities_decoded_once():
    raw = (b"<html><head><title>T</title></head><body><article><h1>Register</h1>"
           b"<p>The clerk wrote the tag &lt;b&gt;bold&lt;/b&gt;, the entity &amp;amp; and the address "
           b"https://example.com/?x=1&amp;copy=2&amp;region=eu in the register of the town.</p>"
           b"<p>The manual spells a no-break space &amp;nbsp; and shows &amp;lt;p&amp;gt; as typed.</p>"
           b"</article></body></html>")
    (doc,) = load_bytes(raw, "page.html")
    assert ("The clerk wrote the tag <b>bold</b>, the entity &amp; and the address "
            "https://example.com/?x=1&copy=2&region=eu in the register of the town.") in doc.text
    assert "The manual spells a no-break space &nbsp; and shows &lt;p&gt; as typed." in doc.text


@pytest.mark.parametrize("meta", ['<meta charset="iso-8859-1">',
                                  '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'])
def test_html_in_the_charset_it_declares(meta):
    raw = (f"<html><head>{meta}<title>Café</title></head><body><article><h1>Café Müller</h1>"
           "<p>The café opened in 1923 and served crème brûlée to 40 guests a night.</p>"
           "<p>It closed in 1961.</p></article></body></html>").encode("cp1252")
    (doc,) = load_bytes(raw, "old/cafe.html")
    assert "crème brûlée" in doc.text and doc.title == "Café Müller"


def test_pdf_pages_are_kept():
    (doc,) = load_bytes(minimal_pdf(["Page one says hello.", "Page two says goodbye."]), "two.pdf")
    assert [p.number for p in doc.pages] == [1, 2]
    start = doc.text.index("goodbye")
    assert doc.page_at(start) == 2 and doc.page_at(0) == 1


def test_jsonl_records_may_hold_unicode_line_separators():
    """json.dumps(ensure_ascii=False) writes U+2028, U+2029 and U+0085 as they are."""
    records = [{"id": "ls/1", "text": "First paragraph.\u2028Second line.\u0085Third."},
               {"id": "ls/2", "text": "Another\u2029record."}]
    raw = "\r\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()
    docs = load_bytes(raw, "linesep.jsonl")
    assert [d.id for d in docs] == ["ls/1", "ls/2"]


def test_pdf_lines_wrapped_inside_a_sentence_are_one_sentence():
    """A typeset page breaks sentences and words at its lines' ends; stored text does not."""
    from rag.ingest.sentences import sentence_spans
    page = ("Coastal Erosion Study\n"
            "The average retreat was 0.8 metres per year, but at Skagen the cliffs lost more\n"
            "than three metres in a single winter. Critics call the revetments commer-\n"
            "cially driven and point to the Anglo-\nFrench survey.")
    (doc,) = load_bytes(minimal_pdf([page]), "erosion.pdf")
    sentences = [doc.text[s:e] for s, e in sentence_spans(doc.text)]
    assert "The average retreat was 0.8 metres per year, but at Skagen the cliffs lost more than three metres " \
           "in a single winter." in sentences
    assert "commercially driven and point to the Anglo- French survey." in doc.text
    assert sentences[0] == "Coastal Erosion Study"  # a short title line is not joined to the text


def test_jsonl_documents():
    raw = "\n".join(json.dumps(r) for r in [
        {"id": "a", "title": "A", "text": "Alpha text.", "url": "https://a"},
        {"_id": "b", "title": "B", "text": "Beta text.", "date": "2020"}]).encode()
    docs = load_bytes(raw, "set.jsonl")
    assert [(d.id, d.source, d.date) for d in docs] == [("a", "https://a", ""), ("b", "", "2020")]


@pytest.mark.parametrize("raw,name,message", [
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "broken.pdf", "broken or unreadable PDF"),
    (minimal_pdf(["x"])[:60], "truncated.pdf", "PDF"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary", "program.txt", "binary"),
    (b"caf\xe9 au lait", "latin1.txt", "not valid UTF-8"),
    (b"---\ntitle: [1, 2]\n---\nBody.", "typed.md", "front-matter field 'title' must be text"),
    (b"---\ntitle: open\nBody.", "unclosed.md", "never closed"),
    (b'not json\n{"id": 2}', "bad.jsonl", "bad.jsonl:1"),  # no good record: the file fails, naming lines
    (b"<div>" * 50_000 + b"deep" + b"</div>" * 50_000, "bomb.html", "bomb.html"),
    (b"", "empty.txt", "no text"),
    (b"data", "table.xls", "unsupported file type")  # Excel 97-2003: not read,
])
def test_bad_input_is_a_clear_error(raw, name, message):
    try:
        docs = load_bytes(raw, name)
    except LoadError as err:
        assert message in str(err) and name.split(".")[0] in str(err)
    else:  # a deep-but-parseable HTML page may load; it must then hold its text
        assert name == "bomb.html" and "deep" in docs[0].text
