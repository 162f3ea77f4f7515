"""Checks eval/datasets/conversations-tune3.jsonl, a set written directly as lines (no builder):
every answer is verbatim in its gold document's stored text and absent from the history, every
assistant turn other than the decline text is a verbatim span of some corpus document, only an
unanswerable follow-up has no answers, and ids are unique. It checks single-question sets too
(eval/datasets/typed_questions.jsonl), whose unanswerable questions name no gold document. The stored text is what `rag`
ingests (eval/conversations.documents), so a check here is a check against what is quoted.
Run: python eval/conversations_tune3.py (prints the problems; exits 1 if there are any).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conversations import ROOT, documents  # noqa: E402

from rag.evaluate.run import load_dataset  # noqa: E402
from rag.types import NO_ANSWER  # noqa: E402

PATH = ROOT / "eval" / "datasets" / "conversations-tune3.jsonl"


def problems(path: Path = PATH, docs: dict | None = None) -> list[str]:
    """One line per broken record; empty when the set holds."""
    docs = documents() if docs is None else docs
    found, seen = [], set()
    for q in load_dataset(path):
        if q.id in seen:
            found.append(f"{q.id}: id used twice")
        seen.add(q.id)
        if not q.answerable and not q.gold_document_ids and not q.answers:
            continue  # a single question the corpus does not answer names no document (corpus_questions' form)
        gold = [docs[d] for d in q.gold_document_ids if d in docs]
        if len(gold) != len(q.gold_document_ids) or not gold:
            found.append(f"{q.id}: gold document {q.gold_document_ids} is not in corpus/")
            continue
        if q.answerable != bool(q.answers):
            found.append(f"{q.id}: answerable is {q.answerable} but it has {len(q.answers)} answers")
        history = " ".join(turn["content"] for turn in q.history).casefold()
        for answer in q.answers:
            if answer not in gold[0].text:
                found.append(f"{q.id}: answer {answer!r} is not in {gold[0].id}")
            if answer.casefold() in history:
                found.append(f"{q.id}: answer {answer!r} is already in the history")
        for turn in q.history:
            if turn["role"] == "assistant" and turn["content"] != NO_ANSWER \
                    and not any(turn["content"] in d.text for d in docs.values()):
                found.append(f"{q.id}: assistant turn {turn['content'][:60]!r}... is in no corpus document")
    return found


def main(path: Path = PATH) -> int:
    found = problems(path)
    print("\n".join(found) or f"{path.name}: every answer and assistant turn holds", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
