"""Cleaning and chunking are pure: exact offsets, no crash on any Unicode."""

import pytest
from hypothesis import given, settings, strategies as st

from rag.ingest.chunk import chunk_document
from rag.ingest.sentences import sentence_spans
from rag.ingest.clean import KEPT_INVISIBLE, clean_text
from rag.ingest.load import LoadError, load_bytes
from rag.types import Document
from tests.conftest import FIXTURES


def test_scraped_page_boilerplate_never_reaches_stored_text():
    (doc,) = load_bytes((FIXTURES / "scraped_page.md").read_bytes(), "news/scraped_page.md")
    for junk in ["Category", "Latest news", "- Culture", "Your support keeps our team in the field",
                 "Every article pushes back", "457ad7ae", ".png", "newsletter", "Share", "Print",
                 "SYNTHETIC TEST FIXTURE"]:
        assert junk not in doc.text, junk
    for sentence in ["The Riverside public library reopened on Monday after a renovation that lasted two years.",
                     "The city council approved the project in 2022 at a cost of roughly 4.2 million euros.",
                     "Each repair session can last up to three hours, and visitors may bring two items per session.",
                     "The library director said the building now uses heat pumps instead of its old oil boiler."]:
        assert sentence in doc.text
    assert doc.id == "fixtures/riverside-library"
    assert doc.title == "Riverside library reopens after a two-year renovation"


def test_real_sentences_and_lists_survive():
    text = ("- Denmark, Iceland and Norway sent raiders.\n- Support for the king grew.\n\n"
            "He said: you should donate blood, and our hospital thanks the donors who came in 1990 "
            "to a clinic that was too small for the crowds of volunteers who waited for hours.")
    cleaned = clean_text(text)
    assert "Denmark, Iceland and Norway sent raiders." in cleaned
    assert "Support for the king grew." in cleaned


def test_sentences_of_a_known_text():
    text = "Dr. Smith went to Washington. He arrived at 5 p.m. on Monday!\nA line without a stop"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Dr. Smith went to Washington.", "He arrived at 5 p.m. on Monday!", "A line without a stop"]


def test_a_sentence_does_not_end_inside_a_name_after_its_initials():
    """Punkt breaks after initials before a capitalised word; the break goes when the word
    continues the name, and stays where a new sentence starts. Cases from SQuAD and WikiQA."""
    cases = {
        "Other: Civil rights leader W. E. B. Du Bois; philosopher Henry David Thoreau. Next.":
            ["Other: Civil rights leader W. E. B. Du Bois; philosopher Henry David Thoreau.", "Next."],
        "It topped the U.S. Billboard Hot 100 chart. The album followed.":
            ["It topped the U.S. Billboard Hot 100 chart.", "The album followed."],
        "A concerto by J.S. Bach for three keyboards. Then a sonata.":
            ["A concerto by J.S. Bach for three keyboards.", "Then a sonata."],
        "It was pioneered by such theorists as J. A. Hobson and others.":
            ["It was pioneered by such theorists as J. A. Hobson and others."],
        "It grew with the U.S. economy as a whole.": ["It grew with the U.S. economy as a whole."],
        # a new sentence after initials, or after one letter
        "She performed in Washington, D.C. The following month, she sang.":
            ["She performed in Washington, D.C.", "The following month, she sang."],
        "He married Jay Z. She revealed it later.": ["He married Jay Z.", "She revealed it later."],
        "It was made for the Wii U. Officially announced in 2015, it sold.":
            ["It was made for the Wii U.", "Officially announced in 2015, it sold."],
    }
    for text, sentences in cases.items():
        assert [text[a:b] for a, b in sentence_spans(text)] == sentences, text


def test_a_sentence_does_not_end_at_an_abbreviation_that_the_sentence_goes_on_after():
    """Punkt's English model lacks "e.g.", "i.e." and "et al."; "etc." ends sentences as often as
    not, so only a lower-case word after it goes on. Cases from SQuAD, SciFact and corpus/."""
    cases = {
        "They were inhibited by physical barriers (e.g. customs), technical barriers (e.g. laws). Next.":
            ["They were inhibited by physical barriers (e.g. customs), technical barriers (e.g. laws).", "Next."],
        "The general test is whether a concentration (i.e. merger or acquisition) applies.":
            ["The general test is whether a concentration (i.e. merger or acquisition) applies."],
        "In one such publication, Verhaak et al. found four subtypes.":
            ["In one such publication, Verhaak et al. found four subtypes."],
        "Courts (the Bundesgerichtshof, etc.) but they can refer questions.":
            ["Courts (the Bundesgerichtshof, etc.) but they can refer questions."],
        "Disruptions come from shift work, etc. As a result, disease follows.":
            ["Disruptions come from shift work, etc.", "As a result, disease follows."],
    }
    for text, sentences in cases.items():
        assert [text[a:b] for a, b in sentence_spans(text)] == sentences, text


def test_punctuation_left_alone_after_a_break_goes_with_the_sentence_before():
    text = "The trial ended early (Funded by the Medical Research Council and others.). Next one."
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "The trial ended early (Funded by the Medical Research Council and others.).", "Next one."]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=3000))
def test_clean_never_raises_and_drops_control_characters(text):
    cleaned = clean_text(text)
    assert all(ch in KEPT_INVISIBLE or ch.isprintable() or ch.isspace() for ch in cleaned)


def test_clean_keeps_the_zero_width_joiners_and_drops_other_format_characters():
    """A joiner is spelling (Persian, Indic scripts, emoji sequences); a soft hyphen, a
    byte-order mark or a direction override is not, and goes."""
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with its ZWNJ
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    text = f"He said {persian} and sent {family}.\ufeff A hy\u00adphen\u202e here."
    cleaned = clean_text(text)
    assert persian in cleaned and family in cleaned
    assert "\ufeff" not in cleaned and "\u00ad" not in cleaned and "\u202e" not in cleaned


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(), max_size=4000), st.integers(min_value=1, max_value=200))
def test_chunk_offsets_are_exact(text, words):
    document = Document(id="d", title="t", text=text)
    previous_end = 0
    for chunk in chunk_document(document, words):
        assert chunk.text == text[chunk.start:chunk.end]
        assert chunk.start >= previous_end
        previous_end = chunk.end
        for start, end in chunk.sentences:
            assert chunk.start <= start < end <= chunk.end
            assert not text[start].isspace() and not text[end - 1].isspace()


def test_punkt_loads_from_nltk_data_where_llama_index_is_absent(monkeypatch):
    """A training machine without llama-index (eval/gpu/run.sh) must split sentences as the
    engine does, not with the regex fallback: Punkt is then found through NLTK_DATA."""
    import importlib.util
    from pathlib import Path

    import nltk

    from rag.ingest.sentences import sentence_splitter

    bundled = Path(importlib.util.find_spec("llama_index.core").submodule_search_locations[0]) / "_static" / "nltk_cache"
    real = importlib.util.find_spec

    def without_llama_index(name, *args):
        if name.startswith("llama_index"):
            raise ModuleNotFoundError(f"No module named {name.split('.')[0]!r}")
        return real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_llama_index)
    monkeypatch.setattr(nltk.data, "path", [str(bundled)])  # as NLTK_DATA would put it
    punkt = sentence_splitter.__wrapped__()
    assert punkt is not None
    assert len(list(punkt.span_tokenize("See Smith et al. for details. It ends here."))) == 2


def test_front_matter_ends_at_its_closing_line_and_a_rule_is_not_front_matter():
    minus = load_bytes(b"---\ntitle: Temps\n---\n-40 degrees is the same in Celsius and Fahrenheit.", "t.md")[0]
    assert minus.title == "Temps" and minus.text.startswith("-40 degrees")
    rule = load_bytes(b"---\n\nJust a rule at the top.\n\n---\n\nThe Omber lake is deep.", "r.md")[0]
    assert rule.text == "Just a rule at the top.\n\nThe Omber lake is deep."
    crlf = load_bytes(b"---\r\ntitle: C\r\n---\r\nBody.", "c.md")[0]
    assert crlf.title == "C" and crlf.text == "Body."
    with pytest.raises(LoadError, match="never closed"):
        load_bytes(b"---\ntitle: X\nno closing line", "x.md")


def test_a_list_introduced_by_a_lead_in_or_numbered_is_content_not_navigation():
    text = ("Home\n\n* World\n* Politics\n* Sport\n\nThe Vosk prize winners are:\n\n* Anna Berg\n* Carl Dahl\n\n"
            "Ingredients:\n\n1. 2 eggs\n2. 1 cup flour\n\nTags:\n* ships\n* harbours")
    assert clean_text(text) == ("The Vosk prize winners are:\n\n* Anna Berg\n* Carl Dahl\n\n"
                                "Ingredients:\n\n1. 2 eggs\n2. 1 cup flour\n\nTags:")


def test_citation_page_marks_after_a_sentence_are_dropped():
    """Wikipedia's "<sup>:1–4</sup>" is left after its sentence once the reference is gone;
    a colon inside a sentence ("John 3:16", "10:30") is text."""
    from rag.ingest.clean import clean_text
    assert clean_text("Calvinist parties.:1–4 When the Hollis. Colonialism.:116 Thus. John 3:16 at 10:30.") == \
        "Calvinist parties. When the Hollis. Colonialism. Thus. John 3:16 at 10:30."


def test_hard_wrapped_lines_are_joined_into_their_sentences():
    """Text wrapped at a fixed width (a .txt or .md file, a PDF page): a line break inside a
    sentence is a space; a title line, list items and a line that ends a sentence stay lines."""
    from rag.ingest.clean import clean_text
    text = ("Glacier retreat\n"
            "The Jostedal glacier has lost about a fifth of its area since 1850, according\n"
            "to measurements collected by the Norwegian Water Resources and Energy\n"
            "Directorate.\n"
            "Its largest outlet retreated by two kilometres.\n"
            "- Bold claim: the retreat accelerated after 2000 and the\n"
            "  rate doubled.\n"
            "- See the report.")
    assert clean_text(text).split("\n") == [
        "Glacier retreat",
        "The Jostedal glacier has lost about a fifth of its area since 1850, according to measurements "
        "collected by the Norwegian Water Resources and Energy Directorate.",
        "Its largest outlet retreated by two kilometres.",
        "- Bold claim: the retreat accelerated after 2000 and the rate doubled.",
        "- See the report."]
    rows = "Pump station at the northern harbour | 8,410 hours | 2\nPump station at the southern harbour | 7,995 | 0"
    assert clean_text(rows) == rows  # table rows are lines, however wide


def test_a_list_items_number_is_not_a_sentence_of_its_own():
    """"1. Summary" was two sentences, "1." and "Summary"; a number inside a sentence stays."""
    from rag.ingest.sentences import sentence_spans
    text = "1. Summary\nIV. Results of the survey\nSee chapter 1. It ends."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "1. Summary", "IV. Results of the survey", "See chapter 1.", "It ends."]


def test_a_quotations_exclamation_or_short_piece_is_not_a_sentence_alone():
    """"And how!" was quoted alone, as an answer, from the Shah's interview in the oil crisis article."""
    def split(text):
        return [text[a:b] for a, b in sentence_spans(text)]
    assert split('"And how!" he said. Then he left.') == ['"And how!" he said.', "Then he left."]
    assert split('He asked, "Why not?" and walked away.') == ['He asked, "Why not?" and walked away.']
    shah = ('The Shah said: "Of course it is going to rise... Certainly! And how!... You buy our crude oil and '
            'sell it back to us. Let\'s say ten times more." Prices rose.')
    assert split(shah) == ['The Shah said: "Of course it is going to rise... Certainly! And how!...',
                           "You buy our crude oil and sell it back to us.", 'Let\'s say ten times more."',
                           "Prices rose."]
    # outside a quotation, short sentences stay sentences
    assert split("The war ended. Why? Nobody knows.") == ["The war ended.", "Why?", "Nobody knows."]
    assert split('She shouted "Stop!" The car stopped.') == ['She shouted "Stop!"', "The car stopped."]


def test_a_list_a_person_wrote_is_kept_and_its_items_are_quotable():
    """A short bullet list is navigation on a scraped page, but under a Markdown heading, or in
    a format people write (Word, PDF, e-mail, slides), it is the content: it was dropped."""
    from rag.quotes import is_heading

    markdown = b"# Aurora\n\n## Key facts\n\n- Founded 1911\n- 412 ships in 2018\n\nShe sails.\n\n- Share\n- Print\n"
    (doc,) = load_bytes(markdown, "aurora.md")
    assert "- Founded 1911\n- 412 ships in 2018" in doc.text
    assert "Share" not in doc.text  # a crumb run under prose is still the page's chrome
    memo = "Key facts\n\n- Founded 1911\n- 412 ships in 2018\n\nPlease donate to the fund by Friday, we thank you."
    assert clean_text(memo, web=False) == memo
    assert "- Founded 1911\n- 412 ships in 2018" in clean_text(memo)  # as a scraped page: its items carry numbers
    assert "World" not in clean_text(memo + "\n\n- Home\n- World\n- Europe")  # a menu's do not
    assert not is_heading("- 412 ships in 2018") and is_heading("Key facts")


def test_a_first_line_that_is_a_sentence_is_no_title_so_it_can_be_quoted():
    """A one-line note titled by its own sentence was never quoted: answering leaves out a
    sentence equal to its document's title (rag.quotes.candidates.is_heading)."""
    from rag.quotes.candidates import is_heading

    (note,) = load_bytes(b"The lighthouse at Kess Point was lit in 1871.\n", "kess-notes.txt")
    assert note.title == "kess-notes" and not is_heading(note.text, note.title)
    (headed,) = load_bytes(b"Kess Point lighthouse\n\nIt was lit in 1871.\n", "k.txt")
    assert headed.title == "Kess Point lighthouse"
    (asking,) = load_bytes(b"Why did the Kess Point light go dark?\n\nThe keeper left in 1902.\n", "q.txt")
    assert asking.title == "Why did the Kess Point light go dark?"
