"""A quote from an interview transcript (.srt, .vtt) says when it is spoken in the recording:
the cue times recorded at ingest, mapped from the quote's offsets, on the Quote, in the API's
JSON (ask and chat citations), the CLI and chat Markdown citations and MCP. Other documents
carry no time; a transcript stored before cues were kept answers without one until it is
ingested again. A real engine (MiniLM, Chroma) on small files written here, a real uvicorn."""

from __future__ import annotations


import anyio
import httpx
import pytest
from mcp import Client

from rag.api.app import create_app
from rag.config import Settings
from rag.engine import Engine
from rag.ingest.load import load_bytes
from rag.ingest.subtitles import TimedLine, milliseconds, placed_cues, timed_lines
from rag.integrations.llama_index import quote_node
from rag.integrations.mcp_server import build_server
from rag.render import as_markdown, as_text, escape_markdown
from rag.types import Cue, Document, Quote
from tests.conftest import engine_over, running, stored_before

SRT = """1
01:02:03,500 --> 01:02:06,000
<i>Tom Reyes:</i> When was the old crane
taken down?

2
01:02:06,500 --> 01:02:09,000
Maria Lopez: The old harbour crane was dismantled

3
01:02:09,000 --> 01:02:11,250
in March 2019. It had lifted cargo since 1911.
"""

# Speech-recognition captions: no punctuation, the interviewer's question has no question mark.
VTT = """WEBVTT - Survey interview

00:00:01.000 --> 00:00:03.000
<v Tom Reyes>who paid for the harbour survey

00:00:03.500 --> 00:00:06.000
<v Maria Lopez>the port authority paid for the harbour survey

00:00:06.000 --> 00:00:08.500
<v Maria Lopez>back in 2018 after the winter storm
"""

NOTES = "# Harbour office\n\nThe harbour office opened in 1950 beside the fish market.\n"
CRANE = "When was the old harbour crane dismantled?"
SURVEY = "Who paid for the harbour survey?"


def test_cue_times_are_read_in_every_written_form():
    assert [milliseconds(s) for s in ("01:02:03,500", "02:03.5", "02:03", "1:00:00.07")] == \
           [3_723_500, 123_500, 123_000, 3_600_070]


def test_each_cues_part_of_a_line_keeps_its_time():
    lines = timed_lines(SRT)
    assert [line.text for line in lines] == [
        "Tom Reyes: When was the old crane taken down?",
        "Maria Lopez: The old harbour crane was dismantled in March 2019. It had lifted cargo since 1911."]
    assert lines[1].cues == [(0, 3_726_500, 3_729_000), (50, 3_729_000, 3_731_250)]
    (doc,) = load_bytes(SRT.encode(), "crane.srt")
    assert [cue.offset for cue in doc.cues] == [0, 46, 96]
    assert doc.text[96:].startswith("in March 2019")


def test_cleaning_that_shortens_a_line_moves_its_cues_and_a_mismatch_drops_them():
    """A control character dropped by cleaning moves the next cue back with the text; lines
    that are not the stored text's lines give no cues at all, never wrong ones."""
    raw = ("1\n00:00:01,000 --> 00:00:02,000\nThe \u200bcrane\n\n"
           "2\n00:00:02,000 --> 00:00:03,000\nwas moved [citation needed] in May\n\n"
           "3\n00:00:03,000 --> 00:00:04,000\nto the quay.\n")
    (doc,) = load_bytes(raw.encode(), "moved.srt")
    assert doc.text == "The crane was moved in May to the quay."
    assert [doc.text[cue.offset:] for cue in doc.cues] == [doc.text, "was moved in May to the quay.", "to the quay."]
    lines = [TimedLine("The crane", [(0, 0, 1000)])]
    assert placed_cues(lines, "Another text", str.strip) == []
    assert placed_cues(lines, "The crane\nand more", str.strip) == []


def test_a_quote_from_cues_has_a_time_and_any_other_none_at_all():
    doc = Document(id="t.vtt", title="t", text="Ann: one two\nBo: three",
                   cues=[Cue(offset=0, start_ms=1_000, end_ms=2_000), Cue(offset=13, start_ms=62_500, end_ms=65_000)])
    assert Quote.cite(doc, 5, 8, 0.5).time.model_dump() == {"start": "00:00:01.000", "end": "00:00:02.000"}
    both = Quote.cite(doc, 5, len(doc.text), 0.5)
    assert (both.time.start, both.time.end) == ("00:00:01.000", "00:01:05.000")
    plain = Quote.cite(Document(id="n.md", title="n", text="No cues here."), 0, 3, 0.5)
    assert plain.time is None and "time" not in plain.model_dump() and '"time"' not in plain.model_dump_json()
    assert Quote(**plain.model_dump()).time is None


@pytest.fixture(scope="module")
def transcripts(tmp_path_factory):
    with engine_over(tmp_path_factory, "transcripts", {"crane.srt": SRT, "survey.vtt": VTT, "notes.md": NOTES}) as ready:
        yield ready


def first_quote(engine: Engine, question: str) -> Quote:
    answer = engine.ask(question)
    assert answer.answered, answer
    for quote in answer.quotes + answer.related:
        assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
    return answer.quotes[0]


def test_answers_from_an_srt_and_a_vtt_say_when_they_are_spoken(transcripts):
    engine, _ = transcripts
    crane = first_quote(engine, CRANE)
    assert crane.document_id == "crane.srt" and crane.text.startswith("Maria Lopez: The old harbour crane")
    assert crane.time.model_dump() == {"start": "01:02:06.500", "end": "01:02:11.250"}
    survey = first_quote(engine, SURVEY)
    assert survey.document_id == "survey.vtt" and "the port authority paid" in survey.text
    assert survey.time.model_dump() == {"start": "00:00:03.500", "end": "00:00:08.500"}  # two cues of one turn
    office = first_quote(engine, "When did the harbour office open?")
    assert office.document_id == "notes.md" and office.time is None


def test_the_interviewers_unmarked_question_is_not_its_answer(transcripts):
    """'Tom Reyes: who paid for the harbour survey' echoes the question word for word."""
    engine, _ = transcripts
    answer = engine.ask(SURVEY)
    assert answer.quotes and not [q.text for q in answer.quotes if "Tom Reyes" in q.text]


def test_cli_markdown_mcp_and_llama_index_show_the_time(transcripts):
    engine, _ = transcripts
    answer = engine.ask(CRANE)
    spoken = "at 01:02:06.500–01:02:11.250"
    assert f"crane.srt chars {answer.quotes[0].start}–{answer.quotes[0].end}, {spoken}" in as_text(answer)
    markdown = as_markdown(answer)
    assert escape_markdown(spoken) in markdown.rsplit("\n\n", 1)[1]  # in the sources, not the quote
    assert not [q for q in engine.ask("When did the harbour office open?").quotes if q.time]
    metadata = quote_node(answer.quotes[0]).node.metadata
    assert (metadata["time_start"], metadata["time_end"]) == ("01:02:06.500", "01:02:11.250")

    async def main():
        async with Client(build_server(engine)) as client:
            result = await client.call_tool("ask", {"question": CRANE})
            return result.structured_content

    shown = anyio.run(main)
    assert shown["quotes"][0]["time"] == {"start": "01:02:06.500", "end": "01:02:11.250"}


def test_the_api_returns_the_time_in_ask_and_chat_citations(transcripts):
    engine, _ = transcripts
    with running(create_app(Settings(data_dir=engine.settings.data_dir), engine=engine)) as base:
        answer = httpx.post(f"{base}/v1/ask", json={"question": CRANE}, timeout=60).json()
        quote = answer["quotes"][0]
        document = httpx.get(f"{base}/v1/documents/crane.srt").json()
        assert document["text"][quote["start"]:quote["end"]] == quote["text"]
        assert quote["time"] == {"start": "01:02:06.500", "end": "01:02:11.250"}
        assert [cue["offset"] for cue in document["cues"]] == [0, 46, 96]
        office = httpx.post(f"{base}/v1/ask", json={"question": "When did the harbour office open?"}, timeout=60).json()
        assert office["answered"] and all("time" not in q for q in office["quotes"])
        chat = httpx.post(f"{base}/v1/chat/completions", timeout=60,
                          json={"messages": [{"role": "user", "content": CRANE}]}).json()
        assert chat["citations"][0]["time"] == quote["time"]
        assert escape_markdown("at 01:02:06.500–01:02:11.250") in chat["choices"][0]["message"]["content"]
        schema = httpx.get(f"{base}/openapi.json").json()["components"]["schemas"]
        assert "time" in schema["Quote"]["properties"] and "time" not in schema["Quote"].get("required", [])


def test_a_transcript_stored_before_cues_answers_without_a_time_until_ingested_again(tmp_path):
    """A store from before m004: the migration adds the column, the old document answers as
    before with no time, and the next ingest (a new PIPELINE_VERSION) reads the file again."""
    settings, folder = stored_before(tmp_path, "crane.srt", SRT, "cues", "m004_transcript_cues", "8")
    with Engine(settings) as engine:
        before = first_quote(engine, CRANE)
        assert before.time is None and "time" not in before.model_dump()
        report = engine.ingest(folder)
        assert report.unchanged == 0 and not report.failed
        assert first_quote(engine, CRANE).time.start == "01:02:06.500"
