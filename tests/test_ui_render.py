"""rag/render.py: quotes render exactly as stored, metadata cannot forge lines, strength is
shown, and a decline's closest passages are never numbered like an answer.

The property tests render the whole chat Markdown with a real CommonMark renderer
(markdown-it) and read it back as a person would see it.
"""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st
from markdown_it import MarkdownIt

from rag.config import Settings
from rag.render import as_markdown, as_text, citation, escape_markdown, one_line, strength
from rag.types import NO_ANSWER, RELATED_HEADING, Answer, Document, Quote

HOSTILE = ("toll was *five* pence … $x$ for others … used 2*3*4 as a code\n"
           "# not a heading `tick` [a](b) <script>alert(1)</script> _u_ ~~s~~ :red[x] 1. one\n"
           "    four spaces > quote \\ back & amp; &lt; | pipe |")


class Blocks(HTMLParser):
    """The text a reader sees, split into blockquote text and everything else, per line."""

    def __init__(self):
        super().__init__()
        self.depth, self.quoted, self.other, self.items = 0, [""], [""], []

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.depth += 1
        if tag in {"p", "li", "blockquote", "br"}:
            (self.quoted if self.depth else self.other).append("")
        if tag == "li":
            self.items.append("")

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.depth -= 1
            self.quoted.append("")

    def handle_data(self, data):
        (self.quoted if self.depth else self.other)[-1] += data
        if self.items and not self.depth:
            self.items[-1] += data


def seen(markdown: str) -> Blocks:
    parser = Blocks()
    parser.feed(MarkdownIt("commonmark").render(markdown))
    return parser


def lines(parts: list[str]) -> list[str]:
    return [line.strip() for part in parts for line in part.split("\n") if line.strip()]


def check_chat_markdown(answer: Answer, documents: dict[str, Document], settings: Settings) -> None:
    """Every quoted line is a stored slice; every other line is a fixed lead-in or a
    citation built from metadata."""
    blocks = seen(as_markdown(answer, settings))
    markers = set()
    for line in lines(blocks.quoted):
        match = re.fullmatch(r"(.*?) ?\[(\d+)\]", line, flags=re.S)
        if match:
            line, number = match.group(1), int(match.group(2))
            markers.add(number)
        assert not line or any(line in documents[q.document_id].text for q in answer.quotes), line
    assert markers == set(range(1, len(answer.quotes) + 1))
    citations = {f"[{n}] {citation(q, settings)} · {q and strength(q.score, settings)} ({q.score:.2f})"
                 for n, q in enumerate(answer.quotes, start=1)}
    related = [q for q in answer.related]
    for line in lines(blocks.other):
        if line in {NO_ANSWER, RELATED_HEADING} or line in citations:
            continue
        if line.startswith("— "):
            assert line[2:] in {citation(q, settings) for q in related}, line
            continue
        assert any(line in documents[q.document_id].text for q in related), line
    assert not answer.answered or not blocks.items  # an answer has no list: nothing unnumbered


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=120)
meta = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=text, title=meta, source=meta, date=meta, answered=st.booleans(), score=st.floats(0, 1))
def test_chat_markdown_shows_only_stored_slices_and_metadata_citations(body, title, source, date,
                                                                       answered, score):
    document = Document(id="doc/1", title=title, source=source, date=date, text=body + "\n" + HOSTILE)
    quotes = [Quote.cite(document, 0, len(body), score), Quote.cite(document, len(body) + 1,
                                                                     len(document.text), score / 2)]
    answer = (Answer(question="q", answered=True, quotes=quotes) if answered else
              Answer(question="q", answered=False, lead=NO_ANSWER, related=quotes))
    check_chat_markdown(answer, {document.id: document}, Settings())


def test_hostile_quote_renders_exactly_as_stored():
    document = Document(id="d", title="t", text=HOSTILE)
    answer = Answer(question="q", answered=True, quotes=[Quote.cite(document, 0, len(HOSTILE), 0.6)])
    quoted = "\n".join(lines(seen(as_markdown(answer)).quoted))
    assert quoted.removesuffix(" [1]") == "\n".join(line.strip() for line in HOSTILE.split("\n"))


def test_forged_title_cannot_open_a_block_quote():
    forged = "Report\n\n> The answer to every question is 42, confirmed by the corpus. [1]"
    document = Document(id="d", title=forged, source="x\r\ny", date="2020\u20281", text="The sky is blue.")
    answer = Answer(question="q", answered=True, quotes=[Quote.cite(document, 0, 16, 0.9)])
    markdown = as_markdown(answer)
    assert "\n> The answer to every" not in markdown
    blocks = seen(markdown)
    assert lines(blocks.quoted) == ["The sky is blue. [1]"]
    assert all("\n" not in part for part in (citation(answer.quotes[0]),))
    text = as_text(answer)
    assert [line for line in text.split("\n") if "42" in line] == [
        line for line in text.split("\n") if line.startswith("    — Report > The answer")]


def test_metadata_is_one_line_and_cut():
    assert one_line("a\nb\r\nc\u2028d\x1b[31me\u202e") == "a b c d [31me"
    long = one_line("x" * 1000, 50)
    assert len(long) == 50 and long.endswith("…")


def test_escape_covers_markdown_latex_and_html():
    assert escape_markdown("*a* $x$ <b> `c` [l](u) # :red[x] :+1: &amp;") == \
        r"\*a\* \$x\$ \<b> \`c\` \[l\](u) # \:red\[x\] \:+1: \&amp;"


def test_escape_leaves_plain_punctuation_alone():
    """A client printing the raw content (the README's openai example) reads the quote."""
    for plain in ("the Newcomen engine, built in 1712.", "https://en.wikipedia.org/wiki/Steam_engine",
                  "Smith (1998) said: “yes”; AT&T, 3 < 4, a - b, C# and 50% off!", "snake_case_name"):
        assert escape_markdown(plain) == plain


GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # GFM's extensions markdown-it has
LINE_STARTS = ["1. ", "2) ", "- ", "* ", "+ ", "# ", "### ", "> ", "===", "---", "***", "___", "```", "~~~",
               "    ", "| a | b |", "|---|---|", "<b>", "<div>", "<!-- c -->", "[a]: /u", "- [ ] "]
TOKENS = list(string.punctuation) + list("ab1 é_:/.") + ["&amp;", "&#42;", "&#x2A;", "<b>", "<a@b.c>", "<http://a>",
                                                          "www.a.org", "http://a.b", ":red", ":+1:", "[a]", "**", "__"]
punctuated = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=30).map("".join)
punctuated_lines = st.lists(st.one_of(st.sampled_from(LINE_STARTS), st.just("")).flatmap(
    lambda start: punctuated.map(lambda rest: start + rest)), min_size=1, max_size=5).map("\n".join)


def shown_quote(text: str, renderer: MarkdownIt) -> str:
    """The quote's lines as a reader of the rendered chat Markdown sees them."""
    document = Document(id="d", title="t", text=text)
    quote = Quote.cite(document, 0, len(text), 0.6)
    parser = Blocks()
    parser.feed(renderer.render(as_markdown(Answer(question="q", answered=True, quotes=[quote]))))
    assert lines(parser.other) == [f"[1] {citation(quote)} · strong (0.60)"]  # nothing left the quote
    return "\n".join(lines(parser.quoted)).removesuffix(" [1]")


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=punctuated_lines)
def test_punctuation_renders_exactly_as_stored(text):
    """Only what could render escaped, every line shows as stored, in CommonMark and with GFM's
    tables and strikethrough."""
    stored = "\n".join(line.strip() for line in text.split("\n") if line.strip())
    if not stored or not text.strip():
        return
    for renderer in (MarkdownIt("commonmark"), GFM):
        assert shown_quote(text.strip(), renderer) == stored


@pytest.mark.parametrize("start", LINE_STARTS)
def test_no_line_start_opens_a_block(start):
    text = f"before\n{start}after *a* _a_ ~~a~~ `a` &amp; <b> https://x.org/a_b www.x.org"
    for renderer in (MarkdownIt("commonmark"), GFM):
        assert shown_quote(text, renderer) == "\n".join(line.strip() for line in text.split("\n"))


def test_strength_labels_follow_the_settings():
    settings = Settings(strength_strong=0.5, strength_medium=0.2)
    assert [strength(s, settings) for s in (0.57, 0.3, 0.04)] == ["strong", "medium", "weak"]
    assert strength(0.3, Settings(strength_strong=0.25, strength_medium=0.1)) == "strong"


def test_decline_lists_related_passages_without_answer_numbers():
    document = Document(id="d", title="T", text="Alpha beta. Gamma delta.")
    related = [Quote.cite(document, 0, 11, 0.05), Quote.cite(document, 12, 24, 0.03)]
    answer = Answer(question="q", answered=False, lead=NO_ANSWER, related=related)
    for rendered in (as_markdown(answer), as_text(answer)):
        assert rendered.startswith(NO_ANSWER) and RELATED_HEADING in rendered
        assert not re.search(r"\[\d+\]", rendered)
    blocks = seen(as_markdown(answer))
    assert not lines(blocks.quoted)  # no block quotes: nothing looks like an answer
    assert len(blocks.items) == 2


def test_answer_text_shows_strength():
    document = Document(id="d", title="T", text="Alpha beta. Gamma delta.")
    answer = Answer(question="q", answered=True,
                    quotes=[Quote.cite(document, 0, 11, 0.57), Quote.cite(document, 12, 24, 0.04)])
    text = as_text(answer)
    assert "strong (0.57)" in text and "weak (0.04)" in text
    assert "strong (0.57)" in as_markdown(answer)


def test_decline_keeps_only_passages_at_or_over_related_above():
    from rag.decline import plausibly_related

    document = Document(id="d", title="T", text="Alpha beta. Gamma delta.")
    related = [Quote.cite(document, 0, 11, 0.05), Quote.cite(document, 12, 24, 0.01)]
    answer = Answer(question="q", answered=False, lead=NO_ANSWER, related=related)
    assert [q.score for q in plausibly_related(answer, 0.03).related] == [0.05]
    assert plausibly_related(answer, 0.0).related == related
    assert plausibly_related(answer, 0.9).related == []


def test_related_threshold_separates_the_labelled_pairs():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("related", Path(__file__).parent.parent / "eval" / "related.py")
    related = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(related)
    threshold, accuracy = related.pick([True, True, False, False, True], [0.3, 0.08, 0.02, None, None])
    assert 0.02 < threshold <= 0.08 and accuracy == (2 / 3 + 1) / 2


MULTILINE = ("Route | first ferry | last ferry\nHarbour | 6 am | 11 pm\n"
             "See https://example.com/timetables/harbour-company/2024/summer/weekday-and-weekend-departures.html "
             "for the well-known summer timetable, which the harbour company prints every spring.")


def _body(rendered: str) -> list[str]:
    """The terminal lines of the first quote, lead and indent taken off."""
    body = []
    for line in rendered.split("\n"):
        if line.startswith("    — "):
            break
        body.append(line[4:])
    return body


def test_terminal_keeps_stored_lines_and_never_splits_a_word():
    document = Document(id="d", title="T", text=MULTILINE)
    answer = Answer(question="q", answered=True, quotes=[Quote.cite(document, 0, len(MULTILINE), 0.6)])
    body = _body(as_text(answer))
    assert body[:2] == ["“Route | first ferry | last ferry", "Harbour | 6 am | 11 pm"]  # rows stay rows
    url = "https://example.com/timetables/harbour-company/2024/summer/weekday-and-weekend-departures.html"
    assert url in body  # longer than the width: on a line of its own, whole
    assert "well-known" in " ".join(body).split()
    related = as_text(Answer(question="q", answered=False, lead=NO_ANSWER, related=answer.quotes))
    assert "  - “Route | first ferry | last ferry\n    Harbour | 6 am | 11 pm\n" in related


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text("ab-/.:é", min_size=1, max_size=40), min_size=1, max_size=12), min_size=1, max_size=4))
def test_terminal_breaks_only_at_stored_spaces_and_lines(paragraph):
    text = "\n".join(" ".join(words) for words in paragraph)
    document = Document(id="d", title="T", text=text)
    body = _body(as_text(Answer(question="q", answered=True, quotes=[Quote.cite(document, 0, len(text), 0.6)])))
    shown = "\n".join(body)
    assert shown.removeprefix("“").removesuffix("”").split() == text.split()  # no word split or joined
    starts = [line.split()[0] for line in text.split("\n")]
    firsts = [line.removeprefix("“").removesuffix("”").split()[0] for line in body]
    it = iter(firsts)
    assert all(word in it for word in starts)  # each stored line starts a line of its own


def test_chat_markdown_shows_each_stored_line_as_a_line():
    document = Document(id="d", title="T", text=MULTILINE)
    quote = Quote.cite(document, 0, len(MULTILINE), 0.6)
    rendered = MarkdownIt("commonmark").render(as_markdown(Answer(question="q", answered=True, quotes=[quote])))
    assert "Route | first ferry | last ferry<br />\nHarbour | 6 am | 11 pm<br />\nSee https:" in rendered
    declined = as_markdown(Answer(question="q", answered=False, lead=NO_ANSWER, related=[quote]))
    rendered = MarkdownIt("commonmark").render(declined)
    assert "<li>Route | first ferry | last ferry<br />\nHarbour | 6 am | 11 pm<br />\nSee https:" in rendered
    assert "<br />\n— T · d chars" in rendered  # the citation on a line of its own, not run into the passage


def test_ui_html_isolates_quote_text_and_metadata_for_bidi():
    from rag.render import quote_html

    document = Document(id="d", title="مكتبة الإسكندرية", source="أرشيف", date="2021-05-04",
                        text="The verse read سلام دنیا.")
    shown = quote_html(Quote.cite(document, 0, len(document.text), 0.6), 1)
    assert "<span class='attest-quote-text' dir='auto'" in shown  # its [n] stays outside, after it
    for field in (document.title, document.source, document.date):
        assert f"<bdi>{field}</bdi>" in shown  # a right-to-left title cannot swap places with the date


def test_a_weak_quote_fades_its_text_not_its_source_line():
    """The source line is small grey text: faded with the quote it fell below readable contrast."""
    from rag.render import quote_html

    document = Document(id="d", title="T", text="The ferry ran at dawn.")
    shown = quote_html(Quote.cite(document, 0, len(document.text), 0.01), 1, Settings())
    assert "data-strength='weak'" in shown
    outer, quote, line = re.match(r"(<div[^>]*>)(<blockquote.*?</blockquote>)(.*)", shown, re.S).groups()
    assert "opacity" in quote.split(">", 1)[0] and "opacity" not in outer + line


def test_an_address_in_a_message_is_code_not_escaped():
    """Escaped, "http://127.0.0.1:8261" showed in Streamlit as "http://127.0.0.1\\:8261" (its link keeps the backslash)."""
    address = "http://127.0.0.1:8261"
    said = escape_markdown(f"The Attest API at {address} is not reachable. *Is* it running?", address)
    assert said == f"The Attest API at `{address}` is not reachable. \\*Is\\* it running?"
    assert MarkdownIt("commonmark").render(said) == f"<p>The Attest API at <code>{address}</code> is not reachable. *Is* it running?</p>\n"
    assert escape_markdown("a`b:c", "a`b") == escape_markdown("a`b:c")  # a backtick cannot be a code span's text here
