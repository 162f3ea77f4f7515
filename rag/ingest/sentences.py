"""Split stored text into sentences, by offsets only.

Invariant: every span returned indexes the stored text (`text[start:end]`), starts and
ends on non-space characters, and spans never overlap. A sentence is at most MAX_SPAN_CHARS
characters (a run with no spaces is cut inside the run), so no quote built from them can
grow with a pathological file; Punkt sees at most MAX_SEGMENT_CHARS at a time, so its cost
per line is bounded too.

Sentences come from the NLTK Punkt model that llama-index-core ships (offline), applied line
by line, taught the abbreviations it lacks ("e.g.", "i.e.", "et al.": ABBREVIATIONS). A quote
is made of whole sentences, so a wrong break is a quote cut in half. Punkt also ends a
sentence after initials before a capitalised word ("W. E. B. | Du Bois", "the U.S. |
Billboard 200"); such a break is undone when what follows reads as the rest of a name
(`_joins_initials`), as is one after "etc." before a lower-case word, and one that leaves
only punctuation behind (the ")." after "and others.").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

Span = tuple[int, int]
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"\S+")
_INITIALS = re.compile(r"(?:[A-Z]\.\s?)*[A-Z]\.$")  # "J.", "W. E. B.", "U.S.", "D.C."
_INITIAL_START = re.compile(r"[A-Z]\.(?:\s|[A-Z]\.)")  # "A. Hobson", "J.S. Bach"
_FIRST_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Words that open sentences: after two or more initials, one of these starts a new sentence
# ("Washington, D.C. The following month"); a capitalised word the text never writes in lower
# case ("U.S. Billboard", "J.S. Bach") goes on the name. After one letter, only more initials
# do ("J. A. Hobson"): "Alfred B. Street" and "the Wii U. Officially" look alike.
_OPENERS = frozenset("""a an the this that these those there then thus however but and or so yet as at by for from
in on of to with within without after before during when while since although though because if unless once
he she it they we i you his her its their our my your him them us who whom whose what which where why how
some many most much more few several all both each every no not none one two three four five six seven eight
nine ten first second third later earlier today today's also still even such other another""".split())
_FALLBACK = re.compile(r"[^.!?]+(?:[.!?]+['\"”’)\]]*|$)")
# Abbreviations the English Punkt model does not know, so that it ended sentences at "(e.g. |
# customs)" and "Verhaak et al. | found". Knowing one, Punkt breaks after it only before a word
# that opens sentences. Lower case, without the final point. Not "etc.", which ends sentences
# as often as not ("shift work, etc. | As a result"): a break after it is undone only before
# a lower-case word (`_ETC`).
ABBREVIATIONS = frozenset({"e.g", "i.e", "al", "cf", "viz", "approx", "ca", "fig", "figs", "sq", "spp",
                           "ssp", "subsp", "var", "lit", "est", "resp", "vol", "vols", "pp"})
_ETC = re.compile(r"\betc\.\)?$")
_ALPHANUMERIC = re.compile(r"[^\W_]")
MAX_SPAN_CHARS = 2000
MAX_SEGMENT_CHARS = 20_000  # longest text given to Punkt at once; a longer line is cut at a space


@lru_cache(maxsize=1)
def sentence_splitter():
    """llama-index-core's bundled NLTK cache holds punkt_tab (elsewhere NLTK's own paths, such
    as NLTK_DATA, are searched: a training machine without llama-index); fall back to a regex
    if absent. The folder is found without importing llama_index.core, whose imports would
    slow every start."""
    try:
        import importlib.util

        import nltk

        try:
            spec = importlib.util.find_spec("llama_index.core")
        except ModuleNotFoundError:  # no llama_index package at all
            spec = None
        if spec is not None:
            cache = str(Path(spec.submodule_search_locations[0]) / "_static" / "nltk_cache")
            if cache not in nltk.data.path:
                nltk.data.path.append(cache)
        punkt = nltk.tokenize.PunktTokenizer("english")
        punkt._params.abbrev_types.update(ABBREVIATIONS)  # no public setter; the learned set is a plain set
        return punkt
    except Exception:  # pragma: no cover - only when the bundled data is missing
        return None


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _split_long(text: str, span: Span, max_words: int) -> list[Span]:
    words = [m.span() for m in _WORD.finditer(text, span[0], span[1])]
    return [(words[i][0], words[min(i + max_words, len(words)) - 1][1])
            for i in range(0, len(words), max_words)]


def _split_chars(text: str, span: Span, limit: int = MAX_SPAN_CHARS) -> list[Span]:
    """Pieces of at most limit characters, cut at spaces, or inside a longer word."""
    pieces: list[Span] = []
    start = end = -1
    for word in _WORD.finditer(text, span[0], span[1]):
        a, b = word.span()
        if start >= 0 and b - start > limit:
            pieces.append((start, end))
            start = -1
        while b - a > limit:
            pieces.append((a, a + limit))
            a += limit
        if start < 0:
            start = a
        end = b
    if start >= 0:
        pieces.append((start, end))
    return pieces


def _segments(text: str, start: int, end: int, limit: int = MAX_SEGMENT_CHARS):
    """[start, end) in pieces of at most limit characters, cut at the last space before
    the limit (or inside a longer run): Punkt's work per call stays bounded."""
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        cut = cut if cut > start else start + limit
        yield start, cut
        start = cut
    yield start, end


def _line_sentences(punkt, line_text: str) -> list[Span]:
    """Punkt's sentences of one segment; the plain splitter where Punkt is missing or gives
    up (its own regex guard raises TimeoutError on pathological runs)."""
    if punkt is not None:
        try:
            return list(punkt.span_tokenize(line_text))
        except TimeoutError:
            pass
    return [m.span() for m in _FALLBACK.finditer(line_text)]


class _LowerWords:
    """The words a text writes in lower case, found once and only when first asked."""

    def __init__(self, text: str):
        self.text = text
        self._words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        if self._words is None:
            self._words = set(re.findall(r"\b[a-z][\w'’-]*", self.text))
        return word in self._words


def _joins_initials(segment: str, before: Span, after: Span, lower: _LowerWords) -> bool:
    """Whether the sentence at `after` continues a name that the one at `before` breaks off
    at its initials. Only the ends that meet are looked at, so a run of breaks costs no more
    than its length."""
    end = before[1]
    while end > before[0] and segment[end - 1].isspace():
        end -= 1
    tail = max(before[0], end - 24)
    found = _INITIALS.search(segment, tail, end)
    if found is None or (found.start() > before[0] and segment[found.start() - 1] not in " \t(\u00a0"):
        return False
    head = segment[after[0]:after[0] + 40].lstrip()
    if _INITIAL_START.match(head):  # "J. | A. Hobson"
        return True
    if found.end() - found.start() <= 2:  # one letter may end a sentence: "World War I.", "the Wii U."
        return False
    if head[:1].islower():  # "the U.S. | economy"
        return True
    word = _FIRST_WORD.match(head)
    return word is not None and word.group()[0].isupper() and word.group().lower() not in _OPENERS \
        and word.group().lower() not in lower


def _goes_on_after_etc(segment: str, before: Span, after: Span) -> bool:
    """"(…, etc.) | but they can refer": a lower-case word after "etc." goes on with the sentence."""
    return _ETC.search(segment, max(before[0], before[1] - 8), before[1]) is not None \
        and segment[after[0]:after[0] + 1].islower()


_LIST_NUMBER = re.compile(r"\s*(?:\d{1,3}|[IVXivx]{1,4}|[A-Za-z])[.)]\s*")


def _only_punctuation(segment: str, span: Span) -> bool:
    """"(Funded by the Medical Research Council and others. | )." : nothing to quote alone."""
    return _ALPHANUMERIC.search(segment, span[0], span[1]) is None


def _list_number(segment: str, span: Span) -> bool:
    """"1. | Summary": a heading's or list item's number is not a sentence of its own."""
    return _LIST_NUMBER.fullmatch(segment, span[0], span[1]) is not None


_QUOTED_END = re.compile(r"[!?][.…]*['\"”’)\]]*\s*$")  # "And how!" / "Why not?" / "Stop!..."
SHORT_QUOTED_WORDS = 3  # a piece of a quotation this short is not quoted alone ("Certainly!")


def _goes_on_after_exclamation(segment: str, before: Span, after: Span) -> bool:
    """"\"And how!\" | he said.": a lower-case word after "!" or "?" (and a closing quote)
    goes on with the sentence; a new sentence would start with a capital."""
    return _QUOTED_END.search(segment, before[0], before[1]) is not None and segment[after[0]:after[0] + 1].islower()


class _Quotation:
    """Whether an offset of a segment lies inside a quotation: more “ than ” before it, or
    an odd number of straight double quotes. Asked at increasing offsets, so each character
    is counted once."""

    def __init__(self, segment: str):
        self.segment, self.at, self.curly, self.straight = segment, 0, 0, 0

    def inside(self, offset: int) -> bool:
        piece = self.segment[self.at:offset]
        self.curly += piece.count("“") - piece.count("”")
        self.straight += piece.count('"')
        self.at = max(self.at, offset)
        return self.curly > 0 or self.straight % 2 == 1


def _short_in_quotation(segment: str, before: Span, after: Span, quotation: _Quotation) -> bool:
    """"rise... | Certainly! | And how!... | You've": a break inside a quotation that leaves
    a piece of a few words is undone; that piece alone is no answer to quote."""
    if not quotation.inside(after[0]):
        return False
    return min(len(_WORD.findall(segment, *before)), len(_WORD.findall(segment, *after))) <= SHORT_QUOTED_WORDS


def _join_breaks(segment: str, spans: list[Span], lower: _LowerWords) -> list[Span]:
    """Punkt's sentences with the breaks undone that cut a name after its initials or a
    sentence after "etc.", that leave punctuation alone (its closing bracket) behind, that
    part a list item's number from its text, that cut a quotation's "!" or "?" from the
    lower-case words after it, or that leave a piece of a quotation of a few words."""
    joined: list[Span] = []
    quotation = _Quotation(segment)
    for span in spans:
        if joined and (_joins_initials(segment, joined[-1], span, lower) or _list_number(segment, joined[-1])
                       or _goes_on_after_etc(segment, joined[-1], span) or _only_punctuation(segment, span)
                       or _goes_on_after_exclamation(segment, joined[-1], span)
                       or _short_in_quotation(segment, joined[-1], span, quotation)):
            joined[-1] = (joined[-1][0], span[1])
        else:
            joined.append(span)
    return joined


def sentence_spans(text: str, max_words: int = 120) -> list[Span]:
    """Sentences of the stored text; a sentence longer than max_words is cut at word breaks."""
    punkt = sentence_splitter()
    lower = _LowerWords(text)
    spans: list[Span] = []
    for line in _LINE.finditer(text):
        for base, stop in _segments(text, *line.span()):
            segment = text[base:stop]
            for start, end in _join_breaks(segment, _line_sentences(punkt, segment), lower):
                span = _trim(text, base + start, base + end)
                if span is None:
                    continue
                parts = _split_long(text, span, max_words) if len(
                    _WORD.findall(text, span[0], span[1])) > max_words else [span]
                for part in parts:
                    spans.extend(_split_chars(text, part) if part[1] - part[0] > MAX_SPAN_CHARS else [part])
    return spans
