"""Whether a sentence may answer the question at all, whatever its probability: not a
speaker's question, negated where the question negates (a claim excepted), in a document
that mentions the numbers and the names the question gives, and saying the word a question
about "the term X" asks about. Also whether the question is a claim to check (`is_claim`).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rag.index import fold, terms
from rag.quotes.candidates import Sentence
from rag.typed import opens_as_question, proper_names

_NEGATION = re.compile(r"\b(not|never|no|none|without|neither|nor|cannot|fail(s|ed)?)\b|n't\b", re.I)
_FIGURE = re.compile(r"\b\d[\d,.]*\b")
_DASH = "[-\u2010-\u2015\u2212]"  # hyphen, non-breaking hyphen, figure dash, en and em dash, minus
_DASHES = re.compile(_DASH)
_DASH_OR_SPACE = rf"(?:\s*{_DASH}\s*|\s+)"
_RELATIVE = r"who|who's|when|where|which"  # ask at the start, but inside a statement they relate ("cells which express")
_ASKING = re.compile(r"\?\s*$|^\W*((in|at|on|by|for|from|to|with|of|and|but|so|then|since|until|after|before|during|"
                     r"according to)\s+)?(is|are|was|were|am|do|does|did|can|could|will|would|should|shall|may|"
                     r"might|must|has|have|had|name|list|tell|explain|describe|give|show|find|define|identify|"
                     rf"{_RELATIVE})\b|\b(what|whats|what's|whatever|whom|whose|why|how)\b", re.I)
_RELATIVE_WORD = re.compile(rf"\b({_RELATIVE})\b", re.I)


def is_claim(text: str) -> bool:
    """A statement to check ("Vitamin D lowers mortality."), not a question: no question
    mark, not opened by an auxiliary, a request or a question word, and no "what", "why" or
    "how" anywhere. "who", "when", "where" and "which" inside a sentence ending in a full stop
    relate ("Participants who quit smoking ..."); without the full stop they ask, as in a
    search query ("the war ended when"). An auxiliary after an opening phrase asks too ("In 1972,
    did Norway join", typed without its mark)."""
    text = text.strip()
    if _ASKING.search(text) or opens_as_question(text):
        return False
    return text.endswith(".") or _RELATIVE_WORD.search(text) is None


# A speaker's turn that is a question ("Tom Reyes: Who paid for the survey?", "Q: ..."): in an
# interview it is the reporter's and echoes the one asked. A question in prose is left to fit:
# "Is there a route of at most 2000 km through Germany's 15 largest cities?" states an instance.
_SPEAKER = r"^\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*:\s"
_A_QUESTION = re.compile(_SPEAKER + r".*\?['\"”’)\]]*$", re.S)
# Captions made by speech recognition write no question mark ("Tom Reyes: who paid for the
# survey"): in a transcript, a short unpunctuated turn asks when it opens as only a question
# does. Openings that also start statements are not enough: a subject after "who" or "why"
# ("who we hired was ...", "why we left is simple"), "what" before "is"/"was" ("what is clear
# is ..."), and "had", "should", "were" before a subject ("had we known ...").
_SUBJECT = (r"(?:you|we|they|he|she|it|i|there|anyone|anybody|someone|somebody|the|your|his|her|their|"
            r"this|that|these|those)")
_AUXILIARY = r"(?:do|does|did|is|are|was|were|can|could|would|will|have|has|had|should)"
_INVERTS = r"(?:do|does|did|is|are|was|can|could|would|will|have|has)"
_OPENS_A_QUESTION = re.compile(
    _SPEAKER + rf"\s*(?i:(?:(?:and|so|but|okay|ok|well|now|right)\s+)?(?:who(?:se)?\s+(?!{_SUBJECT}\b)\w"
    rf"|(?:why|when|where|whom|how(?:\s+(?:much|many|long|far|old|often))?)\s+{_AUXILIARY}\b"
    rf"|what\s+(?:do|does|did|can|could|will|would|have|has)\b|{_INVERTS}(?:n't)?\s+{_SUBJECT}\b))")
_UNPUNCTUATED = re.compile(r"[^.!?…;:'\"”’)\]]$")
ASKING_WORDS = 25  # an interviewer's question is short; a longer turn opened so may go on to answer


def _asks(sentence: str, transcript: bool) -> bool:
    """A speaker's question: marked, or in a transcript unmarked and opened as a question."""
    if _A_QUESTION.search(sentence):
        return True
    return (transcript and bool(_UNPUNCTUATED.search(sentence)) and len(sentence.split()) <= ASKING_WORDS
            and _OPENS_A_QUESTION.match(sentence) is not None)


def fits(question: str, sentence: str, claim: bool | None = None, transcript: bool = False) -> bool:
    """Can this sentence answer at all? Not if it is a speaker's question ("Tom Reyes: Who paid
    for the survey?" quoted for "Who paid for the survey?"; in a transcript, also "Tom Reyes:
    who paid for the survey"). A negated question needs a negated sentence: one
    that does not negate states the opposite of what was asked. A claim is answered by
    evidence either way: a sentence that contradicts it is what a fact-checker needs.
    `claim` is `is_claim(question)` when the caller has it (scoring works it out once per
    question; eval/claim_candidates.py sets it to measure both rules)."""
    if _asks(sentence.strip(), transcript):
        return False  # a speaker's question states nothing: it is the reporter's, and echoes the one asked
    claim = is_claim(question) if claim is None else claim
    return claim or not _NEGATION.search(question) or bool(_NEGATION.search(sentence))


# "the word Norman", "the term Islamism": a question about the word itself
_TERM = re.compile(r"\bthe\s+(?:word|term|name|phrase|expression)\s+[\"'“‘]?([\w'’-]+)[\"'”’]?(?:\s+(\w+))?", re.I)
# "the name given to ...", "the term used for ...", "the expression set called ...": the word after
# "the name" describes the name asked for, it is not the name; so are irregular participles
_PARTICIPLES = frozenset("given taken chosen known shown written spoken made held set put said".split())
# "Where does the word come from?" names no word: a verb follows "the word" (a follow-up's
# rewrite puts the term there first, rag/followup/referents.py)
_VERB_AFTER = frozenset("come comes came mean means meant derive derives originate originates first originally refer "
                        "refers appear appears describe describes stand stands is was are were has had".split())
_DESCRIBING = frozenset("to for by of called that which".split())


def term_asked(question: str) -> str:
    """The word a question asks about as a word ("When was the term Islamism first used?" →
    "Islamism"), else "": not a function word ("the name of the king"), a verb ("When was
    the term added to the dictionary?") nor what describes the term asked for ("What is the
    name given to the input string?", "the expression set called ...")."""
    asked = _TERM.search(question)
    word = asked[1] if asked else ""
    if not terms(word) or word.lower() in _PARTICIPLES | _VERB_AFTER:
        return ""
    if word.lower().endswith(("ed", "ing")) and not _said_as_word(asked, question):
        return ""
    return "" if asked[2] and asked[2].lower() in _DESCRIBING else word


def _said_as_word(asked: re.Match, question: str) -> bool:
    """Is a word ending like a participle ("offshoring", "Viking", "gerrymandered") the term
    itself, not what describes it ("the term used for ...") nor the question's verb ("When was
    the term added?")? So when it is quoted or capitalised, or a verb of "the word" follows it,
    or it ends the question and no "was" stands before it that would make it a passive."""
    quoted = asked.group(0)[asked.start(1) - asked.start(0) - 1] in "\"'“‘"
    if quoted or asked[1][0].isupper() or (asked[2] and asked[2].lower() in _VERB_AFTER):
        return True
    passive = asked[1].lower().endswith("ed") and _BE.search(question[:asked.start()])
    return not asked[2] and not passive


_BE = re.compile(r"\b(?:is|was|are|were|be|been|being)\b", re.I)


def says_term(term: str, sentence: Sentence) -> bool:
    """Does the sentence, or the text read before it (where its "it" is: "Its name originated
    from the Latin word ..." after "Imperialism is ..."), say the word asked about? A word of
    the same stem is another word: "National Islamic Front" does not tell when "Islamism" was
    first used, though both stem to "islam"."""
    before = sentence.document.text[slice(*sentence.previous)] if sentence.previous else ""
    return _mentions(f"{before} {sentence.text}", term)


def figures_found(question: str, document_text: str) -> bool:
    """Does the document mention every number the question names?"""
    return all(figure in document_text for figure in _FIGURE.findall(question))


def names_found(question: str, document_text: str, vocabulary: Collection[str], figures: bool = True) -> bool:
    """Does the document mention every number the question names (unless figures=False),
    and every name it gives that the corpus knows? (A misspelt or unknown name is no
    evidence either way.) Only for questions: a claim's names are not checked (see
    `document_fits`)."""
    if figures and not figures_found(question, document_text):
        return False
    for name in proper_names(question):
        stems = terms(name)
        if stems and all(t in vocabulary for t in stems) and not _mentions(document_text, name):
            return False
    return True


def document_fits(question: str, document_text: str, vocabulary: Collection[str], claim: bool) -> bool:
    """May this document answer at all? Every number asked for must be in it, and for a
    question every known name. A claim's names are not checked: scientific evidence names
    things its own way (the claim's "DBP" or "HIV-positive" is the abstract's "diastolic
    blood pressure" or "positive for HIV"); on SciFact's tune half the check cost quoted
    rationales and declined no more claims without evidence (eval/claim_candidates.py)."""
    return figures_found(question, document_text) if claim else names_found(question, document_text, vocabulary)


def _mentions(text: str, name: str) -> bool:
    """Case-insensitive, and accent-insensitive as the lexical terms are ("Jeronimo" is
    found in "Jerónimo"); the text is folded only when the plain search fails. A hyphen is
    any dash or a space: a question types "Church-Turing" where the text writes
    "Church–Turing" (en dash, Wikipedia's style for such pairs). The parts alone do not
    count: SQuAD's unanswerable "Seven-Day War" would be found in a text about the Six-Day
    War that says "seven" somewhere."""
    parts = [part for part in _DASHES.split(name) if part]
    if not parts:
        return False
    for haystack, words in ((text, parts), (fold(text), [fold(part) for part in parts])):
        if re.search(_DASH_OR_SPACE.join(map(re.escape, words)), haystack, re.I) is not None:
            return True
    return False
