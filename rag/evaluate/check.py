"""`rag eval check ANSWERS.jsonl`: check another system's cited quotes against a corpus.

Each line is `{question, answer, citations: [{document_id, text, start?, end?}]}`. Every
citation gets one verdict: `verbatim` (its text is in the cited document; offsets, when
given, are checked too), `misattributed` (verbatim, but in another document), `stitched`
(not verbatim anywhere, but made of two or more fragments that each are) or `unsupported`
(with the closest span of the cited document and its similarity). Whitespace may differ;
every other character must match, so only `verbatim` means the words are the source's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from rag.evaluate.models import CheckReport, CitationCheck, Closest, EvalInputError, Fragment, Span
from rag.types import Document

VERDICTS = ("verbatim", "misattributed", "stitched", "unsupported")
MIN_FRAGMENT_WORDS = 4  # shorter runs ("of the", a name) occur everywhere and prove nothing
_CLAUSE = re.compile(r"[^.!?,;:\n]+(?:[.!?,;:]+['\"”’)\]]*|\n|$)")
_SEPARATOR = re.compile(r"[\W_]+")  # "…", "[...]", "—" between stitched fragments: not words


def _pattern(words: list[str]) -> re.Pattern:
    return re.compile(r"\s+".join(map(re.escape, words)))


@dataclass
class Corpus:
    """Documents by id, searched for verbatim text (whitespace-insensitive)."""

    documents: dict[str, Document]

    def find(self, text: str, document_id: str) -> tuple[int, int] | None:
        document = self.documents.get(document_id)
        words = text.split()
        if document is None or not words:
            return None
        at = document.text.find(text)
        if at >= 0:
            return at, at + len(text)
        match = _pattern(words).search(document.text)
        return match.span() if match else None

    def holders(self, text: str) -> list[tuple[str, int, int]]:
        """Every document holding `text`, with its first span."""
        return [(d, *span) for d in self.documents if (span := self.find(text, d))]

    def first_holder(self, words: list[str], prefer: str) -> tuple[str, int, int] | None:
        text = " ".join(words)
        for document_id in dict.fromkeys([prefer] * (prefer in self.documents) + list(self.documents)):
            span = self.find(text, document_id)
            if span:
                return document_id, *span
        return None


def fragments(corpus: Corpus, text: str, prefer: str) -> list[Fragment] | None:
    """Cover `text` left to right with the longest runs of words found verbatim in the
    corpus (each at least MIN_FRAGMENT_WORDS long); None when some stretch is not found.
    Tokens without a word character ("…", "—") may stand between fragments."""
    tokens = [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)
              if not _SEPARATOR.fullmatch(m.group())]
    out, i = [], 0
    while i < len(tokens):
        lo, hi, found = i + MIN_FRAGMENT_WORDS, len(tokens), None
        if lo > hi:
            return None
        while lo <= hi:  # a prefix that occurs makes every shorter prefix occur: bisect
            mid = (lo + hi) // 2
            holder = corpus.first_holder([t for t, _, _ in tokens[i:mid]], prefer)
            if holder:
                found, lo = (mid, holder), mid + 1
            else:
                hi = mid - 1
        if not found:
            return None
        end, (document_id, start, stop) = found
        out.append(Fragment(text=text[tokens[i][1]:tokens[end - 1][2]], document_id=document_id,
                            start=start, end=stop))
        i = end
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def closest(document: Document, text: str) -> Closest:
    """The run of whole clauses (split at . ! ? , ; :) most like `text` by difflib's ratio,
    windows up to one clause longer than the citation; shared words shortlist the windows."""
    units = [m.span() for m in _CLAUSE.finditer(document.text) if m.group().strip()]
    longest = min(len([c for c in _CLAUSE.findall(text) if c.strip()]) + 1, 6)
    target, wanted = text.strip().lower(), _words(text)
    shortlist = []
    for size in range(1, longest + 1):
        for i in range(len(units) - size + 1):
            start, end = units[i][0], units[i + size - 1][1]
            words = _words(document.text[start:end])
            shortlist.append((2 * len(wanted & words) / (len(wanted) + len(words) or 1), start, end))
    best = (0.0, 0, 0)
    for _, start, end in sorted(shortlist, reverse=True)[:50]:
        ratio = SequenceMatcher(None, target, document.text[start:end].strip().lower(), autojunk=False).ratio()
        best = max(best, (ratio, start, end))
    ratio, start, end = best
    span = document.text[start:end]
    start, end = start + len(span) - len(span.lstrip()), end - (len(span) - len(span.rstrip()))
    return Closest(text=document.text[start:end], start=start, end=end, similarity=round(ratio, 3))


def check_citation(corpus: Corpus, citation: dict) -> CitationCheck:
    cited, text = str(citation.get("document_id", "")), str(citation.get("text", ""))
    span = corpus.find(text, cited)
    if span:
        offsets_match = None
        if citation.get("start") is not None or citation.get("end") is not None:
            start, end = citation.get("start"), citation.get("end")
            document = corpus.documents[cited]
            # offsets are whole code points inside the document: -25 or 0.9 only look right when sliced
            exact = all(type(v) is int for v in (start, end)) and 0 <= start <= end <= len(document.text)
            offsets_match = exact and document.text[start:end] == text
        return CitationCheck(document_id=cited, text=text, verdict="verbatim", found_start=span[0],
                             found_end=span[1], offsets_match=offsets_match)
    holders = corpus.holders(text)
    if holders:
        return CitationCheck(document_id=cited, text=text, verdict="misattributed",
                             found_in=[Span(document_id=d, start=s, end=e) for d, s, e in holders])
    pieces = fragments(corpus, text, cited)
    if pieces and len(pieces) >= 2:
        return CitationCheck(document_id=cited, text=text, verdict="stitched", fragments=pieces)
    if cited not in corpus.documents:
        return CitationCheck(document_id=cited, text=text, verdict="unsupported",
                             reason=f"no document {cited!r} in the index")
    return CitationCheck(document_id=cited, text=text, verdict="unsupported",
                         closest=closest(corpus.documents[cited], text) if text.strip() else None)


def load_answers(path: Path) -> list[dict]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise EvalInputError(f"{path}:{number}: not valid JSON ({err.msg})") from None
        if not isinstance(record, dict) or not isinstance(record.get("citations", []), list):
            raise EvalInputError(f"{path}:{number}: each line needs an object with a list 'citations'")
        out.append(record)
    return out


def check(corpus: Corpus, answers: list[dict]) -> CheckReport:
    rows = []
    for n, answer in enumerate(answers, start=1):
        for m, citation in enumerate(answer.get("citations", []), start=1):
            if not isinstance(citation, dict):  # one bad citation is its row's verdict, not the run's end
                rows.append(CitationCheck(document_id="", text=str(citation)[:200], verdict="unsupported",
                                          reason="a citation must be an object {document_id, text, start?, end?}",
                                          answer=n, citation=m, question=answer.get("question", "")))
                continue
            rows.append(check_citation(corpus, citation).model_copy(
                update={"answer": n, "citation": m, "question": answer.get("question", "")}))
    counts = {v: sum(r.verdict == v for r in rows) for v in VERDICTS}
    counts["offsets_mismatch"] = sum(r.offsets_match is False for r in rows)
    return CheckReport(answers=len(answers), citations=len(rows), counts=counts, citations_checked=rows)


def corpus_from_store(store) -> Corpus:
    return Corpus({i: store.get(i) for i in store.document_ids()})


def corpus_from_folder(folder: Path) -> Corpus:
    """Documents exactly as ingest would store them (same loaders, ids and cleaned text),
    without embedding: a check needs the stored text, not the vectors."""
    from rag.ingest.load import LoadError, load_bytes
    from rag.ingest.folder import corpus_files

    base = folder if folder.is_dir() else folder.parent
    documents = {}
    for path in corpus_files(folder):
        try:
            loaded = load_bytes(path.read_bytes(), path.relative_to(base).as_posix())
        except LoadError:
            continue  # not a corpus file (notes, images): nothing to cite
        documents.update({d.id: d for d in loaded})
    return Corpus(documents)


def check_answers(answers_path: Path, corpus: Path | None = None, data_dir: Path | None = None) -> CheckReport:
    """Check a JSONL of answers against a corpus folder (read as ingest would, no embedding)
    or, without one, against the index in `data_dir` (the default data dir when None)."""
    if not answers_path.is_file():
        raise EvalInputError(f"no answers file at {answers_path}: give a JSONL of {{question, answer, citations}}")
    answers = load_answers(answers_path)
    if corpus:
        if not corpus.exists():
            raise EvalInputError(f"no corpus at {corpus}")
        return check(corpus_from_folder(corpus), answers)
    from rag.config import Settings
    from rag.store import Store

    settings = Settings(**({"data_dir": data_dir} if data_dir else {}))
    if not settings.store_path.is_file():
        raise EvalInputError(f"no index at {settings.data_dir}: pass --corpus DIR or --data-dir of an ingested index")
    return check(corpus_from_store(Store(settings.store_path)), answers)
