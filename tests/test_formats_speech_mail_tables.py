"""Interview transcripts (.srt, .vtt), e-mails (.eml) and tables saved as text (.csv, .tsv):
stored as text a person can read and quote, titled from the file itself or its name, a broken
file refused by name while its earlier version stays quoted, and answers whose quotes are
exactly document.text[start:end]. Files are written here, e-mails by the standard library."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from rag.config import Settings
from rag.engine import Engine
from rag.ingest.chunk import chunk_document
from rag.ingest.load import LoadError, load_bytes
from tests.conftest import broken_later_keeps_earlier, first_quote_holds

SRT = """1
00:00:01,000 --> 00:00:04,000
<i>Interviewer:</i> When was the old crane
taken down?

2
00:00:04,500 --> 00:00:07,000
The old harbour crane was dismantled

3
00:00:07,000 --> 00:00:09,000
in March 2019. {\\an8}It had lifted cargo since 1911.

4
00:00:09,500 --> 00:00:11,000
- Really?
- Yes.
"""

VTT = """WEBVTT - Dredging interview

NOTE recorded at the harbour office

STYLE
::cue { color: yellow }

intro
00:00.000 --> 00:02.000 align:start
<v Ann Lee>We started dredging the channel in 2020.</v>

00:02.000 --> 00:04.000
<v Bo Ek>The dredgers worked through the winter</v>

00:04.000 --> 00:06.000
<v Bo Ek>and stopped in April 2021.</v>
"""

# Rolling captions as YouTube writes them: each cue repeats the line before and adds one.
ROLLING = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
the<00:00:00.500><c> pier</c><00:00:01.000><c> was</c>

00:00:02.000 --> 00:00:02.010 align:start position:0%
the pier was

00:00:02.010 --> 00:00:04.000 align:start position:0%
the pier was
rebuilt<00:00:02.500><c> in</c><00:00:03.000><c> 1990.</c>
"""

CSV = 'Ship,Tonnage,Built,Notes\nAurora,412,1911,"Lost in a storm,\n1923"\nBetty,,1920,\n\n'


def make_mail(html_only: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = "Ann Lee <ann@port.example>"
    message["To"] = "desk@paper.example"
    message["Subject"] = "=?utf-8?q?Fr=C3=BChjahr?= ferry timetable"
    message["Date"] = "Tue, 05 Mar 2024 09:30:00 +0100"
    body = "<html><body><p>Hello,</p><p>The spring ferry will leave Wexmouth at 7:15 from April.</p></body></html>"
    if html_only:
        message.set_content(body, subtype="html")
    else:
        message.set_content("Hello,\n\nThe spring ferry will leave Wexmouth at 7:15 from April. The\n"
                            "last boat returns at 19:40.\n\nAnn")
        message.add_alternative(body, subtype="html")
        message.add_attachment(b"%PDF-1.4 minutes", maintype="application", subtype="pdf",
                               filename="minutes.pdf")
    return message.as_bytes()


def assert_exact_chunks(document) -> None:
    for chunk in chunk_document(document):
        assert chunk.text == document.text[chunk.start:chunk.end]


def test_srt_keeps_what_was_said_one_cue_a_line_and_whole_sentences():
    (doc,) = load_bytes(SRT.encode(), "interviews/harbour master.srt")
    assert doc.title == "harbour master"
    assert doc.text == ("Interviewer: When was the old crane taken down?\n"
                        "The old harbour crane was dismantled in March 2019. It had lifted cargo since 1911.\n"
                        "- Really?\n- Yes.")
    assert_exact_chunks(doc)


def test_vtt_speakers_title_and_notes():
    (doc,) = load_bytes(VTT.encode(), "interviews/dredging.vtt")
    assert doc.title == "Dredging interview"
    assert doc.text == ("Ann Lee: We started dredging the channel in 2020.\n"
                        "Bo Ek: The dredgers worked through the winter and stopped in April 2021.")
    (rolling,) = load_bytes(ROLLING.encode(), "interviews/pier.vtt")
    assert rolling.title == "pier" and rolling.text == "the pier was rebuilt in 1990."


def test_captions_without_punctuation_stay_readable_lines():
    """Speech-recognition captions never end a sentence: joined without a limit, an hour of
    them was one line."""
    from rag.ingest.subtitles import MAX_RUN

    cues = "".join(f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\nand then the crane number {i} was moved\n\n"
                   for i in range(50))
    (doc,) = load_bytes(f"WEBVTT\n\n{cues}".encode(), "interviews/auto.vtt")
    lines = doc.text.split("\n")
    assert len(lines) >= 4 and all(len(line) < MAX_RUN + 60 for line in lines)
    assert "crane number 0 was moved and then the crane number 1" in lines[0]


def test_eml_is_a_header_block_and_the_plain_body_attachments_named_not_read():
    (doc,) = load_bytes(make_mail(), "mail/ferry.eml")
    assert (doc.title, doc.author, doc.date) == (
        "Frühjahr ferry timetable", "Ann Lee <ann@port.example>", "2024-03-05T09:30:00+01:00")
    assert doc.text == ("From: Ann Lee <ann@port.example> | To: desk@paper.example | "
                        "Date: Tue, 05 Mar 2024 09:30:00 +0100 | Subject: Frühjahr ferry timetable | "
                        "Attachments (not ingested): minutes.pdf\n\nHello,\n\n"
                        "The spring ferry will leave Wexmouth at 7:15 from April. The last boat returns at 19:40.\n\nAnn")
    (html_only,) = load_bytes(make_mail(html_only=True), "mail/ferry-html.eml")
    assert html_only.text.endswith("Hello,\n\nThe spring ferry will leave Wexmouth at 7:15 from April.")
    assert "<p>" not in html_only.text and "Attachments" not in html_only.text


def test_eml_in_an_unknown_charset_or_without_subject_still_reads():
    raw = b"From: a@b.example\nContent-Type: text/plain; charset=x-nonsense\n\nCaf\xc3\xa9 opens at nine.\n"
    (doc,) = load_bytes(raw, "mail/cafe.eml")
    assert doc.title == "cafe" and doc.text.endswith("Café opens at nine.")


def test_eml_reads_a_forwarded_message_and_shows_headers_as_written():
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "Bo Ek <bo@council.example>", "Pier repairs"
    inner.set_content("The pier repairs will cost 2.4 million.")
    inner.add_attachment(b"PK", maintype="application", subtype="zip", filename="plans.zip")
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "ann@port.example", ",,,@@@", "Fwd: Pier repairs"
    outer.set_content("See below.")
    outer.add_attachment(inner)
    (doc,) = load_bytes(outer.as_bytes(), "mail/fwd.eml")
    assert doc.text == ("From: ann@port.example | To: ,,,@@@ | Subject: Fwd: Pier repairs\n\nSee below.\n\n"
                        "Forwarded message:\nFrom: Bo Ek <bo@council.example> | Subject: Pier repairs | "
                        "Attachments (not ingested): plans.zip\n\nThe pier repairs will cost 2.4 million.")
    broken = b"From: a@b.example\nSubject: x\nContent-Type: multipart/mixed\n\nThe boundary is missing.\n"
    (no_boundary,) = load_bytes(broken, "mail/no-boundary.eml")
    assert no_boundary.text.endswith("The boundary is missing.")


def test_csv_rows_carry_their_column_names():
    (doc,) = load_bytes(CSV.encode(), "tables/ships.csv")
    assert doc.title == "ships"
    assert doc.text == ("Ship: Aurora | Tonnage: 412 | Built: 1911 | Notes: Lost in a storm, 1923\n"
                        "Ship: Betty | Built: 1920")
    (semicolons,) = load_bytes("Schiff;Tonnage\nAurora;412,5\n".encode(), "tables/schiffe.csv")
    assert semicolons.text == "Schiff: Aurora | Tonnage: 412,5"  # a European spreadsheet's CSV
    (tabs,) = load_bytes("Day\tLeaves\nMonday\t9:00\n".encode("utf-16"), "tables/ferry.tsv")
    assert tabs.text == "Day: Monday | Leaves: 9:00"  # Excel's "Unicode text"
    (one_column,) = load_bytes(b"Keeper\nAnn Lee of the north light\nBo Ek of the south light\n", "t/k.csv")
    assert one_column.text.split("\n") == ["Keeper: Ann Lee of the north light", "Keeper: Bo Ek of the south light"]


@pytest.mark.parametrize("name,raw,kind", [
    ("notes.srt", b"Just some prose, no timing.", "subtitle file"),
    ("empty.vtt", b"WEBVTT\n\nNOTE nothing said\n", "subtitle file"),
    ("header-only.csv", b"Ship,Tonnage\n", "CSV file"),
    ("huge-cell.csv", b'a,b\n"' + b"x" * 200_000 + b'"\n', "CSV file"),
    ("blank.tsv", b"\n\n", "TSV file"),
    ("prose.eml", b"hello there, this is no e-mail", "e-mail"),
])
def test_a_broken_file_gets_a_clear_error_naming_it(name, raw, kind):
    with pytest.raises(LoadError) as err:
        load_bytes(raw, f"inbox/{name}")
    assert str(err.value).startswith(f"inbox/{name}: broken or unreadable {kind}")


@pytest.mark.parametrize("name", ["cp1252.srt", "cp1252.csv", "binary.eml"])
def test_bad_bytes_are_refused_by_name(name):
    raw = b"\x00\x01\x02binary" if name.endswith(".eml") else "Caf\u00e9,1\n".encode("cp1252")
    with pytest.raises(LoadError, match=f"inbox/{name}: (not valid UTF-8|looks like a binary)"):
        load_bytes(raw, f"inbox/{name}")


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = Engine(Settings(data_dir=tmp_path_factory.mktemp("speech-data"), precision="fp32"))
    folder = tmp_path_factory.mktemp("speech-corpus")
    (folder / "harbour-master.srt").write_text(SRT)
    (folder / "dredging.vtt").write_text(VTT)
    (folder / "ferry.eml").write_bytes(make_mail())
    (folder / "ships.csv").write_text(CSV)
    (folder / "keepers.tsv").write_text("Lighthouse\tKeeper\tLeft\nGreyhaven\tAnn Lee\t1987\n")
    (folder / "broken.vtt").write_text("WEBVTT\n\nno cues here\n")
    report = engine.ingest(folder)
    with engine:
        yield engine, report, folder


def test_ingest_counts_the_new_formats(engine):
    _, report, _ = engine
    assert report.formats == {".srt": {"ingested": 1}, ".vtt": {"ingested": 1, "failed": 1},
                              ".eml": {"ingested": 1}, ".csv": {"ingested": 1}, ".tsv": {"ingested": 1}}
    assert list(report.failed) == ["broken.vtt"]


@pytest.mark.parametrize("question,document_id,words", [
    ("When was the old harbour crane dismantled?", "harbour-master.srt", "dismantled in March 2019"),
    ("When did the dredgers stop?", "dredging.vtt", "stopped in April 2021"),
    ("When will the spring ferry leave Wexmouth?", "ferry.eml", "7:15"),
    # a mail's header block is one line, as a table row: quotable, not left out as a heading
    ("Who did Ann Lee write to about the ferry timetable?", "ferry.eml", "To: desk@paper.example"),
    ("When did Ann Lee send the ferry timetable?", "ferry.eml", "Date: Tue, 05 Mar 2024"),
    ("When was the ship Aurora built?", "ships.csv", "Built: 1911"),
    ("When did Ann Lee leave Greyhaven?", "keepers.tsv", "Left: 1987"),
])
def test_answers_quote_the_new_formats_exactly(engine, question, document_id, words):
    first_quote_holds(engine[0], question, document_id, words)


def test_the_interviewers_question_is_not_quoted_as_its_answer(engine):
    eng, _, _ = engine
    answer = eng.ask("When was the old crane taken down?")
    assert answer.quotes and "dismantled in March 2019" in answer.quotes[0].text
    assert not [quote.text for quote in answer.quotes if "?" in quote.text]


def test_a_transcript_broken_later_keeps_its_earlier_version_quoted(engine):
    eng, _, folder = engine
    broken_later_keeps_earlier(eng, folder, "harbour-master.srt", b"1\nno timing here\n", "subtitle file", "March 2019")


def test_a_short_caption_turn_or_one_value_row_is_no_heading():
    """Captions by speech recognition carry no punctuation: each speaker's short turn would be
    left out as a heading, and a transcript could not be quoted at all; nor a one-column table."""
    from rag.quotes import candidate_sentences
    from rag.retrieve import Candidate

    captions = ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Maria>the council paid for it\n\n"
                "00:02.000 --> 00:03.000\n<v Tom>and when\n")
    for raw, name, lines in ((captions.encode(), "auto.vtt", ["Maria: the council paid for it", "Tom: and when"]),
                             (b"Year\n2018\n2019\n", "years.csv", ["Year: 2018", "Year: 2019"]),
                             (b"# Key facts\n\nThe pier closed in 2019.\n", "notes.md", ["The pier closed in 2019."])):
        (doc,) = load_bytes(raw, name)
        doc = doc.model_copy(update={"path": name})  # as ingest stores it: the file it came from
        hits = [(Candidate(chunk.id, 1.0), chunk, doc) for chunk in chunk_document(doc)]
        assert [s.text for s in candidate_sentences(hits)] == lines
