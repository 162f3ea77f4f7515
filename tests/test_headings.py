"""Headings a format marks are recorded at ingest as spans of the stored text (Document.headings,
stored by migration m005), are never quoted, and give each quote the section it sits under
(Quote.section), shown beside the title on every surface. Formats that mark none record none,
and their quotes carry no section and keep the guessing from the text. A real engine (MiniLM,
Chroma) on small files written here, a real uvicorn, the real MCP server."""

from __future__ import annotations

import anyio
import httpx
import pytest
from mcp import Client

from rag.api.app import create_app
from rag.config import AnswerSettings, Settings
from rag.engine import Engine
from rag.ingest import html
from rag.ingest.headings import Marked, placed
from rag.ingest.load import load_bytes
from rag.integrations.llama_index import quote_node
from rag.integrations.mcp_server import build_server
from rag.render import as_markdown, as_text, citation, escape_markdown, source_html
from rag.types import Document, Heading, Quote
from tests.conftest import engine_over, running, stored_before
from tests.test_formats import make_docx, make_epub, make_odt
from tests.test_formats_opendocument_json_mbox import make_odp
from tests.test_load import minimal_pdf

HARBOUR = """---
title: Harbour history
---

# Harbour history

## The crane was dismantled in March 2019.

The old harbour crane had lifted cargo since 1911. The council approved its removal after a survey found rust in its jib.

## Lighthouse

Ann Lee kept the lighthouse until 1987

## Dredging

### Early works

Dredging of the channel to a depth of eleven metres ended in 2021.
"""
NOTES = "Harbour office\n\nThe harbour office opened in 1950 beside the fish market.\n"
DEPTH = "How deep was the channel dredged?"
OFFICE = "When did the harbour office open?"


# The subject is the document's title, which a section never repeats, and sits in the header
# row ("From: ... | Subject: ..."), which is quoted: an e-mail records no headings.
MAIL = b"From: Ann Lee <ann@example.org>\nSubject: Harbour office\n\nThe harbour office opened in 1950.\n"
# A label in bold on a line of its own, in a file with "#" headings, and a sentence in bold
LABELLED = """# Harbour office

## Visiting

**Harbour office opening hours on weekdays**

The office opens at eight and closes at four, and two clerks staff the desk.

**Bring your permit to the desk.**

## Parking

Visitors park on the quay behind the fish market.
"""
HOURS = "What are the harbour office opening hours on weekdays?"


def make_slides() -> bytes:
    """A deck as PowerPoint's layouts make one: a title slide, a slide whose title breaks its line,
    and a blank slide with a text box and no title."""
    import io

    import pptx
    from pptx.util import Inches

    presentation = pptx.Presentation()
    presentation.core_properties.title = "Lighthouse survey"
    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    slide.shapes.title.text, slide.placeholders[1].text = "Lighthouse survey", "Spring 2024"
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Keepers of the\vnorth light"
    slide.placeholders[1].text = "Last resident keeper left the island in 1987"
    slide.notes_slide.notes_text_frame.text = "Ask about the\vfog horn"
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(6), Inches(1))
    box.text_frame.text = "Lamp converted to LED in 2016"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


# RTF as Word writes it: the style sheet names "heading 1" (its outline level given too) and an
# aliased "heading 2,H2"; each paragraph repeats its style's number and properties
WORD_RTF = rb"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}
{\stylesheet{\ql \li0\ri0\widctlpar\wrapdefault \snext0 Normal;}{\s1\ql \keepn\outlinelevel0 \b\fs32
\sbasedon0 \snext0 \slink15 heading 1;}{\s2\ql \keepn \b\fs28 \sbasedon0 \snext0 heading 2,H2;}
{\*\cs10 \additive \ssemihidden Default Paragraph Font;}}
{\info{\title Harbour report}}
\pard\plain \ltrpar\s1\ql \keepn\outlinelevel0 \b\fs32 {\insrsid1 Harbour report}\par
\pard\plain \ltrpar\ql \widctlpar {\insrsid1 The crane came down in March 2019.}\par
\pard\plain \ltrpar\s2\ql \keepn \b\fs28 {\insrsid1 Dredging}\par
\pard\plain \ltrpar\ql \widctlpar {\insrsid1 Dredging ended in 2021}\par
{\pard\outlinelevel2 Depth\par}
\pard\plain \outlinelevel9 Outline level 9 is body text.\par
}"""


def spans(document: Document) -> list[tuple[str, int]]:
    return [(document.text[h.start:h.end], h.level) for h in document.headings]


def test_each_format_that_marks_headings_records_them_and_the_others_none():
    (md,) = load_bytes(HARBOUR.encode(), "harbour.md")
    assert spans(md) == [("Harbour history", 1), ("The crane was dismantled in March 2019.", 2), ("Lighthouse", 2),
                         ("Dredging", 2), ("Early works", 3)]
    (setext,) = load_bytes(b"Canal guide\n===========\n\nThe canal opened in 1790.\n", "canal.md")
    assert spans(setext) == [("Canal guide", 1)]
    page = ("<html><head><title>Fleet</title></head><body><article><h1>Fleet list</h1><p>The fleet sails at dawn.</p>"
            "<h2>Ships &amp; <b>crews</b></h2><p>Aurora was built in 1911.</p></article></body></html>")
    (web,) = load_bytes(page.encode(), "fleet.html")
    assert spans(web) == [("Fleet list", 1), ("Ships & crews", 2)]
    (word,) = load_bytes(make_docx(), "harbour.docx")
    assert spans(word) == [("Harbour report", 1), ("Dredging", 2)]
    (odt,) = load_bytes(make_odt(), "ferry.odt")
    assert spans(odt) == [("Ferry report", 1), ("Notes", 1)]  # its footnote is read after the body
    (book,) = load_bytes(make_epub(), "canal.epub")
    assert spans(book) == [("Locks", 1), ("Boats", 1)]
    rst = "=====\nGuide\n=====\n\nIntro.\n\nPart one\n--------\n\nText one.\n\nSub\n~~~\n\nText.\n\nPart two\n--------\n\nMore.\n"
    (guide,) = load_bytes(rst.encode(), "guide.rst")
    assert spans(guide) == [("Guide", 1), ("Part one", 2), ("Sub", 3), ("Part two", 2)]
    for raw, name in ((NOTES.encode(), "notes.txt"), (minimal_pdf(["Harbour office", "It opened in 1950."]), "o.pdf"),
                      (b'{"id": "a", "text": "Harbour office\\n\\nIt opened in 1950."}\n', "o.jsonl"),
                      (b"Ship,Built\nAurora,1911\n", "ships.csv"), (MAIL, "office.eml")):
        (document,) = load_bytes(raw, name)
        assert document.headings == [], name


def test_slide_titles_rtf_headings_and_bold_labels_are_recorded():
    (deck,) = load_bytes(make_slides(), "survey.pptx")
    # a line break is a space; the third slide has no title, so it opens with an empty heading
    assert spans(deck) == [("Lighthouse survey", 1), ("Keepers of the north light", 1), ("", 1)]
    assert deck.section_of(deck.text.index("Last resident")) == ["Keepers of the north light"]
    assert deck.section_of(deck.text.index("Lamp converted")) == []  # not the slide before's title
    assert "Ask about the fog horn" in deck.text
    (talk,) = load_bytes(make_odp(), "harbour.odp")
    assert spans(talk) == [("Harbour plan", 1), ("", 1)]  # its second slide has no title frame
    (rtf,) = load_bytes(WORD_RTF, "report.rtf")
    assert spans(rtf) == [("Harbour report", 1), ("Dredging", 2), ("Depth", 3)]
    assert rtf.text.endswith("Depth\n\nOutline level 9 is body text.")
    (md,) = load_bytes(LABELLED.encode(), "office.md")
    assert spans(md) == [("Harbour office", 1), ("Visiting", 2), ("Harbour office opening hours on weekdays", 7),
                         ("Parking", 2)]  # the bold sentence is emphasis, not a label
    assert md.section_of(md.text.index("The office opens")) == ["Visiting", "Harbour office opening hours on weekdays"]
    assert md.section_of(md.text.index("Visitors park")) == ["Parking"]
    (plain,) = load_bytes(b"**Opening hours**\n\nOpen from eight to four\n", "hours.md")
    assert spans(plain) == [("Opening hours", 7)]  # a file with labels and no "#" headings marks them too


def test_a_heading_is_placed_on_its_own_line_after_the_one_before_and_one_cleaned_away_is_left_out():
    stored = "Notes\nIntro text.\nHistory\nOld text.\n  Notes  \nMore."
    found = placed([Marked("Notes", 1), Marked("Gone [citation needed]", 2), Marked("History", 2),
                    Marked("Notes", 2), Marked("Not there", 2)], stored)
    assert [(stored[h.start:h.end], h.level, h.start) for h in found] == \
           [("Notes", 1, 0), ("History", 2, stored.index("History")), ("Notes", 2, stored.index("  Notes") + 2)]


def test_the_section_is_the_heading_path_without_the_title():
    (md,) = load_bytes(HARBOUR.encode(), "harbour.md")
    assert md.section_of(md.text.index("Dredging of")) == ["Dredging", "Early works"]
    assert md.section_of(md.text.index("Ann Lee")) == ["Lighthouse"]
    assert md.section_of(0) == []  # the title heading is the title, not a section
    quote = Quote.cite(md, md.text.index("Dredging of"), len(md.text), 0.9)
    assert quote.section == ["Dredging", "Early works"]
    plain = Quote.cite(load_bytes(NOTES.encode(), "notes.txt")[0], 16, 40, 0.5)
    assert plain.section is None and "section" not in plain.model_dump() and '"section"' not in plain.model_dump_json()


def test_in_heading_finds_the_heading_a_span_lies_in_from_starts_built_once():
    """Every candidate sentence asks `in_heading`: the headings' starts are a tuple built on the
    first question and kept, and are no field (not stored, not in the JSON contract)."""
    (md,) = load_bytes(HARBOUR.encode(), "harbour.md")
    starts = md.heading_starts
    assert starts == tuple(h.start for h in md.headings) and md.heading_starts is starts
    for start in range(len(md.text)):
        for end in (start + 1, start + 3, len(md.text)):
            inside = any(h.start <= start and end <= h.end for h in md.headings)
            assert md.in_heading(start, end) == inside, (start, end)
    assert "heading_starts" not in md.model_dump() and "heading_starts" not in md.model_dump_json()
    assert md == load_bytes(HARBOUR.encode(), "harbour.md")[0]  # the kept starts change no comparison
    assert not Document(id="d", title="D", text="No headings.").in_heading(0, 3)


def test_a_copy_with_other_headings_finds_them_not_the_originals():
    """pydantic's model_copy copies __dict__, where the cached starts live: a copy with other
    headings (an upload re-read, a test's variant) looked them up at the original's starts."""
    (md,) = load_bytes(HARBOUR.encode(), "harbour.md")
    assert md.heading_starts  # cached on the original first
    moved = [Heading(start=h.start + 1, end=h.end, level=h.level) for h in md.headings]
    for copy in (md.model_copy(update={"headings": moved}), md.model_copy(update={"headings": moved}, deep=True)):
        assert copy.heading_starts == tuple(h.start for h in moved)
        assert copy.in_heading(moved[0].start, moved[0].end) and not copy.in_heading(md.headings[0].start,
                                                                                     md.headings[0].end)
    plain = md.model_copy(update={"text": "No headings here.", "headings": []})
    assert plain.heading_starts == () and not plain.in_heading(0, 2)
    assert md.model_copy() == md and md.model_copy().heading_starts == md.heading_starts


def test_a_long_section_is_cut_as_a_title_is_and_stays_on_one_line():
    quote = Quote(text="x", document_id="d", title="Harbour", source="", start=0, end=1, score=0.9,
                  section=["History\nof the port", "A" * 300])
    line = citation(quote, Settings(answer=AnswerSettings(meta_chars=40)))
    assert line.startswith("Harbour › History of the port › AAAA") and "\n" not in line
    assert len(line.split(" · ")[0]) == len("Harbour › ") + 40 and line.split(" · ")[0].endswith("…")


def test_an_html_page_with_header_cells_is_parsed_once(monkeypatch):
    parsed = []
    soup = html._soup
    monkeypatch.setattr(html, "_soup", lambda page: parsed.append(page) or soup(page))
    page = ("<html><body><article><h1>Fleet</h1><p>The fleet is listed below.</p><table><thead><tr><th>Ship</th>"
            "<th>Built</th></tr></thead><tr><td>Aurora</td><td>1911</td></tr></table></article></body></html>")
    (document,) = load_bytes(page.encode(), "fleet.html")
    assert "Ship: Aurora | Built: 1911" in document.text and len(parsed) == 1


@pytest.fixture(scope="module")
def harbour(tmp_path_factory):
    with engine_over(tmp_path_factory, "headings", {"harbour.md": HARBOUR, "notes.txt": NOTES}) as ready:
        yield ready


def quoted(engine: Engine, question: str) -> list[Quote]:
    answer = engine.ask(question)
    for quote in answer.quotes + answer.related:
        assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
    return answer.quotes + answer.related


def test_a_recorded_heading_is_never_quoted_though_it_reads_as_a_sentence(harbour):
    engine, _ = harbour
    document = engine.document("harbour.md")
    for question in ("When was the crane dismantled?", "When was the harbour crane dismantled?", DEPTH):
        for quote in quoted(engine, question):
            assert not any(h.start < quote.end and quote.start < h.end for h in document.headings
                           if quote.document_id == "harbour.md"), (question, quote.text)


def test_a_short_line_under_recorded_headings_is_no_heading_and_answers(harbour):
    """'Ann Lee kept the lighthouse until 1987' has no full stop: guessed from the text it was a
    heading; the file marks its headings, and this line is not one of them."""
    engine, _ = harbour
    answer = engine.ask("Who kept the lighthouse until 1987?")
    assert answer.answered and answer.quotes[0].text == "Ann Lee kept the lighthouse until 1987"
    assert answer.quotes[0].section == ["Lighthouse"]


def test_a_document_without_headings_keeps_the_guess_and_carries_no_section(harbour):
    engine, _ = harbour
    answer = engine.ask(OFFICE)
    assert answer.answered and answer.quotes[0].document_id == "notes.txt"
    assert all(q.section is None and q.text != "Harbour office" for q in answer.quotes + answer.related)
    assert "section" not in answer.model_dump()["quotes"][0] and "›" not in as_text(answer)


def test_cli_markdown_ui_mcp_and_llama_index_show_the_section_as_metadata(harbour):
    engine, _ = harbour
    answer = engine.ask(DEPTH)
    quote = answer.quotes[0]
    assert quote.document_id == "harbour.md" and quote.section == ["Dredging", "Early works"]
    assert "— Harbour history › Dredging › Early works · harbour.md chars" in as_text(answer)
    *quotes, sources = as_markdown(answer).split("\n\n")
    assert escape_markdown("Harbour history › Dredging › Early works") in sources
    assert not any("Early works" in part for part in quotes)  # metadata, never inside a quote
    assert "<bdi class='attest-section'>Dredging › Early works</bdi>" in source_html(quote)
    assert quote_node(quote).node.metadata["section"] == "Dredging › Early works"

    async def main():
        async with Client(build_server(engine)) as client:
            result = await client.call_tool("ask", {"question": DEPTH})
            return result.structured_content

    assert anyio.run(main)["quotes"][0]["section"] == ["Dredging", "Early works"]


def test_the_api_returns_the_section_in_ask_and_chat_citations(harbour):
    engine, _ = harbour
    with running(create_app(Settings(data_dir=engine.settings.data_dir), engine=engine)) as base:
        answer = httpx.post(f"{base}/v1/ask", json={"question": DEPTH}, timeout=60).json()
        assert answer["quotes"][0]["section"] == ["Dredging", "Early works"]
        document = httpx.get(f"{base}/v1/documents/harbour.md").json()
        assert [document["text"][h["start"]:h["end"]] for h in document["headings"]][-1] == "Early works"
        office = httpx.post(f"{base}/v1/ask", json={"question": OFFICE}, timeout=60).json()
        assert office["answered"] and all("section" not in q for q in office["quotes"])
        chat = httpx.post(f"{base}/v1/chat/completions", timeout=60,
                          json={"messages": [{"role": "user", "content": DEPTH}]}).json()
        assert chat["citations"][0]["section"] == ["Dredging", "Early works"]
        assert escape_markdown("Dredging › Early works") in chat["choices"][0]["message"]["content"]
        schema = httpx.get(f"{base}/openapi.json").json()["components"]["schemas"]
        assert "section" in schema["Quote"]["properties"] and "section" not in schema["Quote"].get("required", [])


@pytest.fixture(scope="module")
def labelled(tmp_path_factory):
    with engine_over(tmp_path_factory, "labels", {"office.md": LABELLED}) as ready:
        (ready[1] / "survey.pptx").write_bytes(make_slides())
        assert not ready[0].ingest(ready[1]).failed
        yield ready


def test_a_bold_label_is_never_quoted_and_names_the_section_of_what_follows(labelled):
    """Under "#" headings the label was quoted as if it answered; it is a label, as it is in a file
    without them."""
    engine, _ = labelled
    answer = engine.ask(HOURS)
    assert answer.answered and "Harbour office opening hours on weekdays" not in [q.text for q in quoted(engine, HOURS)]
    assert answer.quotes[0].text.startswith("The office opens at eight")
    assert answer.quotes[0].section == ["Visiting", "Harbour office opening hours on weekdays"]


def test_a_slide_bullet_under_a_recorded_title_answers_with_the_title_as_its_section(labelled):
    """'Last resident keeper left the island in 1987' has no full stop: guessed from the text it
    was a heading; the deck marks its slides' titles, and this line is not one of them."""
    engine, _ = labelled
    answer = engine.ask("When did the last resident keeper leave the island?")
    assert answer.answered and answer.quotes[0].text == "Last resident keeper left the island in 1987"
    assert answer.quotes[0].section == ["Keepers of the north light"] and answer.quotes[0].page == 2


def test_a_store_from_before_headings_answers_by_the_guess_until_ingested_again(tmp_path):
    """A store from before m005: the migration adds the column, the old document answers as
    before (no section, headings guessed), and the next ingest (PIPELINE_VERSION 10) records them."""
    settings, folder = stored_before(tmp_path, "harbour.md", HARBOUR, "headings", "m005_document_headings", "9")
    with Engine(settings) as engine:
        assert engine.document("harbour.md").headings == []
        before = quoted(engine, DEPTH)
        assert before and all(q.section is None for q in before)
        assert "Ann Lee kept the lighthouse until 1987" not in [q.text for q in quoted(engine, "Who kept the lighthouse?")]
        report = engine.ingest(folder)
        assert report.unchanged == 0 and not report.failed
        assert engine.document("harbour.md").headings[-1] == Heading(
            start=engine.document("harbour.md").text.index("Early works"),
            end=engine.document("harbour.md").text.index("Early works") + len("Early works"), level=3)
        assert engine.ask(DEPTH).quotes[0].section == ["Dredging", "Early works"]
