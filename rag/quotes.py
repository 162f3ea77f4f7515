"""Choose the sentences that answer, merge neighbours, and cut them as Quotes.

This is the only place a Quote is born, through `Quote.cite(document, start, end)`,
which slices the stored text; so every quote equals `document.text[start:end]`.

Each candidate sentence gets a probability of holding the answer from a logistic model
over eight named features (IDF-weighted coverage of the question's terms, cosine to the
question, the retrieval rank of its chunk, whether it holds the kind of thing asked for,
how far it trails the best coverage and cosine, its share of new terms, its length up to
60 words). The weights are fitted on half of SQuAD 2.0 by eval/calibrate.py and shipped in
rag/data/quote_model.json. A sentence may answer only if it fits the question: a question
that negates ("Who did not ...") needs a sentence that negates too, and the numbers and the
names the question gives (those the corpus knows) must be in the sentence's document, and a
question about "the term X" needs X said in the sentence or the one before it.
Headings are never quoted: those ingest recorded, else those the text looks like.

When the reading model is on (rag/embed/reader.py), it reads the sentences the logistic model
ranks highest, and each read sentence's probability becomes a logistic calibration of the
reader's score and the logistic model's probability, fitted by eval/calibrate.py on
questions the reader never trained on; unread sentences are never quoted. Further
sentences are then added by how much they raise the probability that the answer is shown;
a table row only where it answers on its own.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import numpy as np

from rag.index import fold, terms
from rag.ingest.tables import in_named_table, line_at
from rag.embed.reader_input import Passage
from rag.retrieve import Candidate
from rag.typed import opens_as_question, proper_names
from rag.types import Chunk, Document, Quote, same_title

MODEL_PATH = Path(__file__).parent / "data" / "quote_model.json"
FEATURES = ("coverage", "cosine", "rank", "answer_type", "coverage_gap", "cosine_gap", "novelty", "log_words")

LONGEST = 60  # words: log_words is clipped to the lengths fitted on (nearly all SQuAD sentences)

SAME_PARAGRAPH = re.compile(r"[^\S\n]*\n?[^\S\n]*")  # spaces and at most one line break: never a paragraph break
_SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)\]]*$")
_LIST_ITEM = re.compile(r"[-*•–]\s+\S")  # a bulleted list item (a numbered "1. Introduction" is often a heading)
_TIME = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})s?\b|\b(january|february|march|april|may|june|july|"
                   r"august|september|october|november|december|century|centuries|decade)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                     r"hundred|thousand|million|billion|dozen|several|half)\b", re.I)
_NAME = re.compile(r"\b[A-Z][\w-]+")
_ASKS = [("time", re.compile(r"\b(when|what year|which year|what century|what decade|what date)\b", re.I)),
         ("number", re.compile(r"\bhow (many|much|long|far|old|large|big|often|high|fast)\b|"
                               r"\bwhat (percentage|percent|number|amount)\b", re.I)),
         ("name", re.compile(r"\b(who|whom|whose|where)\b", re.I))]
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


def sigmoid(logit: float) -> float:
    """The probability of a log-odds (the inverse of `logit`), safe for any float."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def logit(p: float) -> float:
    """The log-odds of a probability, kept finite at 0 and 1."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _own(claim: bool, for_claims, for_questions):
    """A claim's own setting when it has one (0: it is set as for a question)."""
    return for_claims if claim and for_claims else for_questions


@dataclass(frozen=True)
class ReaderCalibration:
    """How the reading model's score and the logistic model's probability combine."""

    reader_weight: float
    prior_weight: float  # on the logit of the logistic model's probability
    bias: float
    candidates: int  # sentences read per question: the logistic model's best
    decline_below: float
    gain_per_word: float  # a further sentence must raise P(answer shown) this much per word
    min_prior: float = 0.0  # of those, the ones below this logistic probability are not read (the best always is)
    claim_candidates: int = 0  # sentences read for a claim (a statement to check); 0: as for a question
    claim_gain_per_word: float = 0.0  # gain_per_word for a claim; 0: as for a question
    claim_decline_below: float = 0.0  # decline_below for a claim; 0: as for a question

    def to_read(self, priors: list[float], claim: bool = False) -> list[int]:
        """Indices of the sentences to read, best prior first. A claim may read more: its
        evidence sits in long abstracts and shares fewer of its words, so the logistic model
        ranks it lower (eval/claim_candidates.py measures how many pay)."""
        many = _own(claim, self.claim_candidates, self.candidates)
        ranked = sorted(range(len(priors)), key=lambda i: -priors[i])[:many]
        return [i for n, i in enumerate(ranked) if n == 0 or priors[i] >= self.min_prior]

    def gain(self, claim: bool) -> float:
        """The gain per word a further quote must bring. A claim may quote more: checking one
        needs the evidence, and its sentences are long (eval/claim_candidates.py)."""
        return _own(claim, self.claim_gain_per_word, self.gain_per_word)

    def cutoff(self, claim: bool) -> float:
        """The probability below which the best sentence is declined. A claim has its own, fitted
        to answer the same share of claims with evidence as questions with an answer
        (eval/claim_candidates.py): the probability is fitted on questions."""
        return _own(claim, self.claim_decline_below, self.decline_below)

    def probability(self, reader_logit: float, prior: float) -> float:
        return sigmoid(self.bias + self.reader_weight * reader_logit + self.prior_weight * logit(prior))


@dataclass(frozen=True)
class QuoteModel:
    """Logistic weights on the raw FEATURES plus the two calibrated cut-offs, and the
    calibration of the reading model on top of it (absent until eval/calibrate.py fits it)."""

    weights: dict[str, float]
    bias: float
    decline_below: float  # decline when no fitting sentence reaches this probability
    gain_per_word: float  # a further sentence must bring this much probability per word
    about: dict = field(default_factory=dict)  # how and on what it was fitted
    reader: ReaderCalibration | None = None

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> QuoteModel:
        data = json.loads(path.read_text())
        missing = set(FEATURES) - set(data["weights"])
        if missing:
            raise ValueError(f"{path}: no weight for {sorted(missing)}; rerun eval/calibrate.py")
        reader = ReaderCalibration(**data["reader"]) if data.get("reader") else None
        return cls(weights=data["weights"], bias=data["bias"], decline_below=data["decline_below"],
                   gain_per_word=data["gain_per_word"], about=data.get("about", {}), reader=reader)

    def gain(self, claim: bool) -> float:
        """The gain per word a further quote must bring; the logistic model has one for all."""
        return self.gain_per_word

    def cutoff(self, claim: bool) -> float:
        """The probability below which the best sentence is declined; one for all."""
        return self.decline_below

    def probability(self, features: dict[str, float]) -> float:
        return sigmoid(self.bias + sum(self.weights[name] * features[name] for name in FEATURES))


def asks_for(question: str) -> str:
    return next((kind for kind, pattern in _ASKS if pattern.search(question)), "other")


def holds(kind: str, question: str, text: str) -> float:
    """1 when the sentence holds the kind of thing asked for, 0 when not, 0.5 when unknown."""
    if kind == "time":
        return float(bool(_TIME.search(text)))
    if kind == "number":
        return float(bool(_NUMBER.search(text)))
    if kind == "name":
        asked = {w.lower() for w in _NAME.findall(question)}
        return float(any(w.lower() not in asked for w in _NAME.findall(text)[1:]))
    return 0.5


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
TRANSCRIPTS = (".srt", ".vtt")


def is_transcript(document: Document) -> bool:
    return document.path.lower().endswith(TRANSCRIPTS)


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


def is_heading(text: str, title: str = "") -> bool:
    """A short line with no sentence end, or the document's own title however long (a news
    headline of thirteen words is not a sentence to quote). A table row as ingest writes one
    ("Ship: Aurora | Built: 1911") and a bulleted item ("- Founded 1911") are no headings: they
    are often the only place a figure is given."""
    return (len(text.split()) <= 12 and not _SENTENCE_END.search(text) and " | " not in text
            and not _LIST_ITEM.match(text)) or same_title(text, title)


# Formats in which ingest writes every line as content (rag/ingest/subtitles.py, tables.py,
# workbook.py): a short line there is a turn of speech ("Ann: we closed it", captions carry no
# punctuation) or a one-value row ("Year: 2018"), never a heading to leave out. A workbook's
# sheet names are read too: a name alone is rarely what a question asks for.
_ALL_CONTENT = (*TRANSCRIPTS, ".csv", ".tsv", ".xlsx")


def has_headings(document: Document) -> bool:
    return not document.path.lower().endswith(_ALL_CONTENT)


@dataclass(frozen=True)
class Sentence:
    """A candidate sentence of a retrieved chunk. Immutable: each step (scoring, reading)
    returns new Sentences (`dataclasses.replace`), so a list handed to a step is never
    changed under its caller, and its features cannot be edited in place."""

    document: Document
    start: int
    end: int
    chunk_rank: int
    chunk_id: str = ""
    index: int = 0  # position in chunk.sentences, the row of its stored vector
    previous: tuple[int, int] | None = None  # the span read as context before it
    features: Mapping[str, float] = field(default_factory=dict)
    fits: bool = True  # may answer (see `fits`); one that does not can still be shown as related
    names_asked: bool = True  # mentions itself the numbers and names the question gives (`select`)
    score: float = 0.0  # probability that it holds the answer

    def __post_init__(self) -> None:
        # a read-only copy: the caller's dict may change later, this sentence's features do not
        object.__setattr__(self, "features", MappingProxyType(dict(self.features)))

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    @property
    def words(self) -> int:
        return len(self.text.split())


def coverage(query_terms: set[str], sentence_terms: set[str], idf: dict[str, float], unknown_idf: float) -> float:
    """Share of the question's IDF mass found in the sentence; unseen terms weigh the most."""
    total = sum(idf.get(t, unknown_idf) for t in query_terms)
    if total == 0:
        return 0.0
    return sum(idf.get(t, unknown_idf) for t in query_terms & sentence_terms) / total


def _previous(chunk: Chunk, document: Document, index: int, start: int) -> tuple[int, int]:
    """The sentence before, or for a chunk's first sentence the text before it back to the
    paragraph's start (the reader keeps at most its last CONTEXT_CHARS)."""
    if index > 0:
        return chunk.sentences[index - 1]
    return document.text.rfind("\n", 0, start) + 1, start


def candidate_sentences(hits: list[tuple[Candidate, Chunk, Document]], first_rank: int = 0) -> list[Sentence]:
    """The sentences of the hits (headings left out: `in_a_heading`), each with its
    chunk's rank, counted from first_rank (the hits may continue a list whose first ones are
    taken already). A table row is never a heading, though it has one value ("Year: 2018")."""
    sentences = [Sentence(document, start, end, rank, chunk.id, index, _previous(chunk, document, index, start))
                 for rank, (_, chunk, document) in enumerate(hits, start=first_rank)
                 for index, (start, end) in enumerate(chunk.sentences)]
    return [sentence for sentence in sentences if not in_a_heading(sentence)]


def in_a_heading(sentence: Sentence) -> bool:
    """Is the sentence a heading, which is never quoted? Where ingest recorded the headings its
    source marks (Document.headings), exactly those and a line repeating the title; only a
    document with none recorded (plain text, PDF, JSONL, a format that marks none) is guessed
    at from its text (`is_heading`)."""
    document = sentence.document
    if document.headings:
        return document.in_heading(sentence.start, sentence.end) or same_title(sentence.text, document.title)
    return has_headings(document) and is_heading(sentence.text, document.title) and not is_row(sentence)


def is_row(sentence: Sentence) -> bool:
    """Is this sentence a table row as ingest writes one: a whole line holding " | ", or a row
    of a named table with one value ("Year: 2018", tables.in_named_table)? (A row whose cell
    holds sentences of its own is read and quoted as prose is.)"""
    return line_at(sentence.document.text, sentence.start, sentence.end) == (sentence.start, sentence.end) and \
        (" | " in sentence.text or in_named_table(sentence.document.text, sentence.start))


def reader_passage(sentence: Sentence) -> Passage:
    """The sentence with the text before it as its context; a table row has none: the row
    above is another record, and read as context it lent its answer to the row below ("Who
    skippered Betty?" read Clio's row after Betty's as answering)."""
    if sentence.previous is None or is_row(sentence):
        return Passage(sentence.document.title, sentence.text, "")
    return Passage(sentence.document.title, sentence.text, sentence.document.text[slice(*sentence.previous)])


def read(sentences: list[Sentence], question: str, reader, calibration: ReaderCalibration, *,
         claim: bool, also: Collection[int] = ()) -> list[Sentence]:
    """The sentences after the reading model read those the logistic model ranks highest:
    each keeps its logistic probability as the feature "prior"; a read one gets the feature
    "reader" (its logit) and the calibrated mix of both as its probability; the unread get
    probability 0 and cannot be quoted. `claim` is `is_claim(question)`: a claim may read more.
    `also`: indices read whatever their prior (the sentences that define what a "What is X?"
    question asks about, rag/definitions.py)."""
    ranked = calibration.to_read([s.score for s in sentences], claim=claim)
    ranked += [i for i in also if i not in ranked]
    logits = reader.logits(question, [reader_passage(sentences[i]) for i in ranked])
    read_logits = {i: float(score) for i, score in zip(ranked, logits)}
    out = []
    for i, sentence in enumerate(sentences):
        features = {**sentence.features, "prior": sentence.score}
        if i in read_logits:
            features["reader"] = read_logits[i]
            out.append(replace(sentence, features=features,
                               score=calibration.probability(read_logits[i], sentence.score)))
        else:
            out.append(replace(sentence, features=features, score=0.0))
    return out


def score_sentences(sentences: list[Sentence], query: str, idf: Mapping[str, float],
                    cosines: np.ndarray | None, model: QuoteModel, asked: str | None = None) -> list[Sentence]:
    """The sentences with their features, whether each fits the question, and its
    probability. `asked` is what the fit checks hold the sentence to when it differs from
    the query (a follow-up whose query only guessed the topic must not require that guess)."""
    asked = asked or query
    claim = is_claim(asked)  # once per question, not per sentence
    query_terms = set(terms(query))
    unknown_idf = max(idf.values(), default=1.0)
    kind = asks_for(query)
    term = term_asked(asked)
    found: dict[str, bool] = {}  # per document: names and numbers of the question present
    features: list[dict[str, float]] = []
    fitting: list[bool] = []
    naming: list[bool] = []  # a table row on its own, as a further row must answer (select)
    for i, sentence in enumerate(sentences):
        text = sentence.text
        own = set(terms(text))
        features.append({
            "coverage": coverage(query_terms, own | set(terms(sentence.document.title)), idf, unknown_idf),
            "cosine": float(cosines[i]) if cosines is not None else 0.0,
            "rank": 1.0 / (1 + sentence.chunk_rank),
            "answer_type": holds(kind, query, text),
            "novelty": len(own - query_terms) / max(1, len(own)),
            "log_words": math.log(min(max(1, sentence.words), LONGEST)),
        })
        if sentence.document.id not in found:
            found[sentence.document.id] = document_fits(asked, sentence.document.text, idf, claim)
        fitting.append(found[sentence.document.id] and fits(asked, text, claim, is_transcript(sentence.document))
                       and (not term or says_term(term, sentence)))
        naming.append(not is_row(sentence) or document_fits(asked, text, idf, claim))
    for name in ("coverage", "cosine"):  # the gaps need every sentence's value first
        best = max((f[name] for f in features), default=0.0)
        for f in features:
            f[f"{name}_gap"] = f[name] - best
    return [replace(sentence, features=f, fits=fit, names_asked=named, score=model.probability(f))
            for sentence, f, fit, named in zip(sentences, features, fitting, naming)]


def _adjacent(a: Sentence, b: Sentence) -> bool:
    if a.document.id != b.document.id or a.end > b.start:
        return False
    return SAME_PARAGRAPH.fullmatch(a.document.text, a.end, b.start) is not None


def distinct(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences best first, each text once: the best scoring copy of a sentence stands for
    the others (a sentence copied into another file is no new evidence, and is shown once).
    The only place answers and declines drop repeated text."""
    kept: dict[str, Sentence] = {}
    for sentence in sorted(sentences, key=lambda s: -s.score):  # stable: ties keep retrieval order
        kept.setdefault(sentence.text, sentence)
    return list(kept.values())


def select(sentences: list[Sentence], max_quotes: int, max_words: int, gain_per_word: float,
           joint: bool = False, alone_above: float = 0.0) -> list[Quote]:
    """The best fitting sentence, then others that bring at least gain_per_word of
    probability per word, while max_words last. With `joint`, what a sentence brings is how
    much it raises the probability that the answer is shown, 1 - prod(1 - p), over the
    sentences chosen before it (so a second weak sentence beside a strong one brings little).
    A further quote that is a table row must answer on its own: reach `alone_above` (the
    decline cut-off) and name what the question names (`Sentence.names_asked`). A row is
    short, so the gain per word asks little of it, and the rows of a table share their
    column names, so every row of the table that answers was probable enough to follow it."""
    ranked = distinct([s for s in sentences if s.fits])
    chosen: list[Sentence] = []
    words = 0
    missed = 1.0  # probability that no chosen sentence holds the answer
    for sentence in ranked:
        brings = sentence.score * missed if joint else sentence.score
        if chosen and (words + sentence.words > max_words or brings < gain_per_word * sentence.words):
            continue
        if chosen and is_row(sentence) and (sentence.score < alone_above or not sentence.names_asked):
            continue
        chosen.append(sentence)
        words += sentence.words
        missed *= 1.0 - sentence.score
        if len(chosen) >= max_quotes * 2:
            break
    return merge(chosen, max_quotes)


def merge(chosen: list[Sentence], max_quotes: int) -> list[Quote]:
    """Adjacent sentences of one paragraph become one quote; order stays by best score. Two
    chosen sentences on either side of a paragraph break stay two quotes, so the better one
    is never shown behind the end of the paragraph before it."""
    groups: list[list[Sentence]] = []
    for sentence in chosen:
        for group in groups:
            ordered = sorted(group + [sentence], key=lambda s: s.start)
            if all(_adjacent(x, y) for x, y in zip(ordered, ordered[1:])):
                group.append(sentence)
                break
        else:
            groups.append([sentence])
    quotes = []
    for group in groups[:max_quotes]:
        ordered = sorted(group, key=lambda s: s.start)
        quotes.append(Quote.cite(ordered[0].document, ordered[0].start, ordered[-1].end,
                                 max(s.score for s in group)))
    return quotes
