"""Word, OpenDocument and EPUB files as people's tools write them: the stored text is what the
page shows, each sentence whole. Tracked deletions, field codes, comments, headers, tables of
contents, cover pages and note marks are not stored; insertions, fields' results, content
controls, smart tags, text boxes and notes are, a text box after its paragraph and the notes
after the body under "Notes". Files are python-docx's own with the parts it cannot write put in
as Word writes them (raw XML in the zip), and zipfile archives for OpenDocument and EPUB."""

from __future__ import annotations

import io
import zipfile

import pytest

from rag.ingest.load import LoadError, load_bytes
from tests.conftest import assert_exact_chunks
from tests.test_formats import CONTAINER, make_epub
from tests.test_formats_opendocument_json_mbox import make_opendocument

_W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:v="urn:schemas-microsoft-com:vml" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
_PARTS = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*inner: str, style: str = "") -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f'<w:p>{properties}{"".join(inner)}</w:p>'


def _notes(kind: str, notes: dict[int, str]) -> str:
    separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                  f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
                  f'</w:p></w:{kind}>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {_W}>{separators}' + "".join(
        f'<w:{kind} w:id="{i}"><w:p><w:r><w:{kind}Ref/></w:r>{run(" " + text)}</w:p></w:{kind}>'
        for i, text in notes.items()) + f"</w:{kind}s>")


def make_word(body: str, footnotes: dict[int, str] | None = None, endnotes: dict[int, str] | None = None,
              comment: str = "", header: str = "") -> bytes:
    """python-docx's own file with `body` as its document and the given notes, comment and header
    parts, related and typed as Word relates and types them."""
    import docx

    parts = {"footnotes": _notes("footnote", footnotes) if footnotes else None,
             "endnotes": _notes("endnote", endnotes) if endnotes else None,
             "comments": f'<w:comments {_W}><w:comment w:id="0" w:author="R">{para(run(comment))}</w:comment>'
                         f'</w:comments>' if comment else None,
             "header": f"<w:hdr {_W}>{para(run(header))}</w:hdr>" if header else None}
    parts = {kind: xml for kind, xml in parts.items() if xml}
    base = io.BytesIO()
    docx.Document().save(base)
    source, out = zipfile.ZipFile(base), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = f'<w:document {_W}><w:body>{body}<w:sectPr/></w:body></w:document>'.encode()
            elif item.filename == "word/_rels/document.xml.rels":
                related = "".join(f'<Relationship Id="rId{kind}" Type="{_RELATIONSHIPS}{kind}" Target="{kind}.xml"/>'
                                  for kind in parts)
                data = data.replace(b"</Relationships>", related.encode() + b"</Relationships>")
            elif item.filename == "[Content_Types].xml":
                typed = "".join(f'<Override PartName="/word/{kind}.xml" ContentType="{_PARTS}{kind}+xml"/>'
                                for kind in parts)
                data = data.replace(b"</Types>", typed.encode() + b"</Types>")
            archive.writestr(item, data)
        for kind, xml in parts.items():
            archive.writestr(f"word/{kind}.xml", xml)
    return out.getvalue()


def _paragraphs(raw: bytes, name: str) -> list[str]:
    (doc,) = load_bytes(raw, name)
    assert_exact_chunks(doc)
    return doc.text.split("\n\n")


def test_word_notes_come_after_the_body_under_notes_and_the_body_sentence_stays_whole():
    body = (para(run("Harbour report"), style="Heading1")
            + para(run("The crane was built in 1911."), '<w:r><w:footnoteReference w:id="1"/></w:r>',
                   run(" It lifted cargo for a century."))
            + para(run("The quay was rebuilt."), '<w:r><w:endnoteReference w:id="2"/></w:r>')
            + para(run("The harbour closed in 2001."), '<w:r><w:footnoteReference w:id="3"/></w:r>'))
    raw = make_word(body, footnotes={1: "The minutes give 1912.", 3: "By order of the board.",
                                     4: "A note nothing refers to."}, endnotes={2: "Rebuilt twice, in fact."})
    (doc,) = load_bytes(raw, "port/report.docx")
    assert doc.text.split("\n\n") == [
        "Harbour report", "The crane was built in 1911. It lifted cargo for a century.", "The quay was rebuilt.",
        "The harbour closed in 2001.", "Notes", "The minutes give 1912.", "By order of the board.",
        "Rebuilt twice, in fact."]  # footnotes by first reference, then endnotes; marks nowhere
    assert [(doc.text[h.start:h.end], h.level) for h in doc.headings] == [("Harbour report", 1), ("Notes", 1)]
    assert_exact_chunks(doc)


def test_word_tracked_changes_store_the_text_as_changed():
    body = (para(run("The quay "), '<w:del w:id="1" w:author="A"><w:r><w:delText>was never </w:delText></w:r></w:del>',
                 '<w:ins w:id="2" w:author="A"><w:r><w:t xml:space="preserve">was </w:t></w:r></w:ins>',
                 run("rebuilt in 1950."))
            + para(run("Cargo went "), '<w:moveFrom w:id="3" w:author="A">' + run("by rail and ") + "</w:moveFrom>",
                   run("by sea"), '<w:moveTo w:id="4" w:author="A">' + run(" and by rail") + "</w:moveTo>", run("."))
            + para('<w:del w:id="5" w:author="A"><w:r><w:delText>A deleted paragraph.</w:delText></w:r></w:del>')
            + '<w:ins w:id="6" w:author="A">' + para(run("An inserted paragraph.")) + "</w:ins>"
            + '<w:tbl><w:tr><w:tc>' + para(run("Berth "), '<w:ins w:id="7" w:author="A">' + run("four") + "</w:ins>")
            + '</w:tc><w:tc>' + para(run("11 m"), '<w:del w:id="8" w:author="A"><w:r><w:delText>12 m</w:delText>'
                                     '</w:r></w:del>') + "</w:tc></w:tr></w:tbl>")
    paragraphs = _paragraphs(make_word(body), "port/quay.docx")
    assert paragraphs == ["The quay was rebuilt in 1950.", "Cargo went by sea and by rail.", "An inserted paragraph.",
                          "Berth four | 11 m"]


def test_word_comments_headers_field_codes_hidden_text_and_contents_are_not_stored():
    contents = ('<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>'
                "<w:sdtContent>" + para(run("Contents")) + para(run("Harbour report 1"), style="TOC1")
                + "</w:sdtContent></w:sdt>")
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK '
             '"http://example.org/register" \\o "tip" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
             '</w:r>' + run("the register") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    comment = '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
    body = (contents + para(run("The lamp"), '<w:commentRangeStart w:id="0"/>', run(" burned oil"), comment,
                            run(" until 1960."))
            + para(run("See "), field, run(", page "), '<w:fldSimple w:instr=" PAGE ">' + run("7") + "</w:fldSimple>",
                   run("."), '<w:r><w:rPr><w:vanish/></w:rPr><w:t>Hidden draft remark.</w:t></w:r>'))
    paragraphs = _paragraphs(make_word(body, comment="Reviewer: check the year.", header="CONFIDENTIAL"),
                             "port/lamp.docx")
    assert paragraphs == ["The lamp burned oil until 1960.", "See the register, page 7."]


def test_word_text_boxes_controls_smart_tags_and_breaks_are_read_without_gluing_words():
    box = "<w:txbxContent>" + para(run("The crane weighed 40 tonnes.")) + para(run("It was steam driven.")) + \
        "</w:txbxContent>"
    shape = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>' + box
             + '</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>' + box
             + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    body = (para(run("Before the box."), shape, run(" After the box."))
            + '<w:sdt><w:sdtPr><w:alias w:val="Summary"/></w:sdtPr><w:sdtContent>'
            + para(run("A block control holds this sentence.")) + "</w:sdtContent></w:sdt>"
            + para(run("Signed on "), '<w:sdt><w:sdtPr><w:date/></w:sdtPr><w:sdtContent>' + run("3 May 2022")
                   + "</w:sdtContent></w:sdt>", run(" in "), '<w:smartTag w:element="place">' + run("Wexmouth")
                   + "</w:smartTag>", '<w:customXml w:element="port">' + run(" harbour") + "</w:customXml>", run("."))
            + para(run("Line one"), "<w:r><w:br/><w:t>line two</w:t><w:tab/><w:t>tabbed</w:t><w:cr/><w:t>end"
                                    "</w:t><w:noBreakHyphen/><w:t>stop.</w:t></w:r>"))
    paragraphs = _paragraphs(make_word(body), "port/boxes.docx")
    assert paragraphs == ["Before the box. After the box.", "The crane weighed 40 tonnes.", "It was steam driven.",
                          "A block control holds this sentence.", "Signed on 3 May 2022 in Wexmouth harbour.",
                          "Line one line two tabbed end-stop."]


def test_a_comment_python_docx_writes_is_not_stored():
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("The lamp burned oil until 1960.")
    document.add_comment(paragraph.runs, text="Reviewer: check the year.", author="R")
    out = io.BytesIO()
    document.save(out)
    assert _paragraphs(out.getvalue(), "port/lamp.docx") == ["The lamp burned oil until 1960."]


def test_a_word_file_with_broken_notes_gets_a_clear_error():
    raw = make_word(para(run("Body."), '<w:r><w:footnoteReference w:id="1"/></w:r>'), footnotes={1: "Note."})
    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, b"<w:footnotes" if item.filename == "word/footnotes.xml" else source.read(item))
    with pytest.raises(LoadError) as err:
        load_bytes(out.getvalue(), "inbox/notes.docx")
    assert str(err.value).startswith("inbox/notes.docx: broken or unreadable Word file")


_ODF = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"')
_ODT_BODY = """<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>
<dc:creator>A</dc:creator></office:change-info><text:p>never </text:p></text:deletion></text:changed-region>
</text:tracked-changes>
<text:table-of-content><text:index-body><text:index-title><text:p>Contents</text:p></text:index-title>
<text:p>Ferry report<text:tab/>1</text:p></text:index-body></text:table-of-content>
<text:h text:outline-level="1">Ferry report</text:h>
<text:p>The ferry was built in 1911.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>
<text:note-body><text:p>The minutes give 1912.</text:p></text:note-body></text:note> It sailed for a century.</text:p>
<text:p>The quay <text:change text:change-id="c1"/>was rebuilt in <text:soft-page-break/>1950.</text:p>
<text:p>The lamp <office:annotation><dc:creator>R</dc:creator><text:p>Check this.</text:p></office:annotation>burned
 oil<office:annotation-end/> until 1960.</text:p>
<text:p>Before the frame.<draw:frame><draw:text-box><text:p>The crane weighed 40 tonnes.</text:p>
<text:p>It was steam driven.</text:p></draw:text-box></draw:frame> After the frame.</text:p>
<text:p>The quay<draw:frame><draw:image/><svg:title>Photo</svg:title><svg:desc>A grey quay</svg:desc></draw:frame>
 in 1950.</text:p>
<text:p>Two<text:s/>words<text:s text:c="3"/>spaced<text:tab/>tabbed<text:line-break/>broken.</text:p>
<table:table><table:table-row><table:table-cell><text:p>Wexmouth<text:note text:note-class="footnote">
<text:note-body><text:p>Since 1998.</text:p></text:note-body></text:note></text:p></table:table-cell>
<table:table-cell><text:p>3 boats</text:p></table:table-cell></table:table-row></table:table>"""


def test_odt_notes_frames_changes_and_contents_as_the_page_shows_them():
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF}><office:body><office:text>'
               f"{_ODT_BODY}</office:text></office:body></office:document-content>")
    (doc,) = load_bytes(make_opendocument("text", content), "reports/ferry.odt")
    assert doc.text.split("\n\n") == [
        "Ferry report", "The ferry was built in 1911. It sailed for a century.", "The quay was rebuilt in 1950.",
        "The lamp burned oil until 1960.", "Before the frame. After the frame.", "The crane weighed 40 tonnes.",
        "It was steam driven.", "The quay in 1950.", "Two words spaced tabbed broken.", "Wexmouth | 3 boats",
        "Notes", "The minutes give 1912.", "Since 1998."]
    assert [doc.text[h.start:h.end] for h in doc.headings] == ["Ferry report", "Notes"]
    assert_exact_chunks(doc)


_EPUB2 = """<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Canal Book</dc:title></metadata>
<manifest><item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
<item id="toc" href="toc.xhtml" media-type="application/xhtml+xml"/>
<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
<item id="c2" href="text/two.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="text/one.xhtml" media-type="application/xhtml+xml"/></manifest>
<spine><itemref idref="cover"/><itemref idref="toc"/><itemref idref="notes" linear="no"/><itemref idref="c1"/>
<itemref idref="c2"/></spine>
<guide><reference type="cover" href="cover.xhtml"/><reference type="toc" href="toc.xhtml"/></guide></package>"""
_PAGE = '<html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html>'
_BOOK = {
    "cover.xhtml": _PAGE.format('<img src="cover.jpg" alt="Cover"/><p>The Canal Book</p><p>A. Writer</p>'),
    "toc.xhtml": _PAGE.format('<h1>Contents</h1><p><a href="text/one.xhtml">Locks</a></p>'),
    "text/notes.xhtml": _PAGE.format('<h1>Notes</h1><p id="n1">Counted in 1890. <a href="one.xhtml#r1">↩</a></p>'),
    "text/one.xhtml": _PAGE.format('<h1>Locks</h1><p>The canal has twelve locks.<sup><a id="r1" href="notes.xhtml#n1">'
                                   '1</a></sup> They rise<br/>ninety metres<br/>in all.</p>'
                                   '<p>See chapter <a href="two.xhtml#boats">2</a>.</p>'),
    "text/two.xhtml": _PAGE.format('<h1 id="boats">Boats</h1><p>Boats used the canal until 1948.</p>'),
}


def test_epub_skips_its_cover_and_contents_and_reads_its_notes_last_without_marks():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", _EPUB2)
        for path, page in _BOOK.items():
            archive.writestr(f"OEBPS/{path}", page)
    (doc,) = load_bytes(out.getvalue(), "books/canal.epub")
    assert doc.text.split("\n\n") == ["Locks", "The canal has twelve locks. They rise ninety metres in all.",
                                      "See chapter 2.", "Boats", "Boats used the canal until 1948.", "Notes",
                                      "Counted in 1890."]  # a number that is no superscript stays
    assert [doc.text[h.start:h.end] for h in doc.headings] == ["Locks", "Boats", "Notes"]
    assert_exact_chunks(doc)


def test_epub3_landmarks_name_the_cover_and_a_contents_part_of_a_page_is_not_a_page():
    nav = ('<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><body>'
           '<nav epub:type="toc"><ol><li><a href="text/one.xhtml">Locks</a></li></ol></nav>'
           '<nav epub:type="landmarks"><ol><li><a epub:type="cover" href="text/one.xhtml">Cover</a></li>'
           '<li><a epub:type="toc" href="text/two.xhtml#contents">Contents</a></li></ol></nav></body></html>')
    raw = make_epub(chapters={"text/one.xhtml": _PAGE.format("<p>The Canal Book, by A. Writer.</p>"),
                              "text/two.xhtml": _PAGE.format('<p id="contents">Locks. Boats.</p>'
                                                             "<p>Boats used the canal until 1948.</p>")})
    source, out = zipfile.ZipFile(io.BytesIO(raw)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for item in source.infolist():
            archive.writestr(item, nav if item.filename == "OEBPS/nav.xhtml" else source.read(item))
    (doc,) = load_bytes(out.getvalue(), "books/canal.epub")
    assert doc.text == "Locks. Boats.\n\nBoats used the canal until 1948."  # the page holding the contents stays


def test_a_table_in_a_text_box_is_read_once_its_nested_table_inside_its_cell():
    """A table in a text box or a note: each row once, a table nested in a cell read with that
    cell (not again as rows of its own), a cell a content control wraps kept."""
    from docx.oxml import parse_xml

    from rag.ingest import word

    nested = "<w:tbl><w:tr><w:tc>" + para(run("Crane B")) + "</w:tc></w:tr></w:tbl>"
    box = parse_xml(f"<w:txbxContent {_W}><w:tbl><w:tr><w:tc>" + para(run("Cranes")) + nested + "</w:tc>"
                    "<w:sdt><w:sdtContent><w:tc>" + para(run("40 tonnes")) + "</w:tc></w:sdtContent></w:sdt>"
                    "</w:tr></w:tbl></w:txbxContent>")
    assert word.box_lines(box, word.NoteMarks()) == ["Cranes Crane B | 40 tonnes"]
