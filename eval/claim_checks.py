"""Do the fit checks, made for questions, pay for claims? Measured on SciFact's tune half.

Run: python eval/claim_checks.py → eval/reports/claim_checks.json

A fit check that blocks a document for a claim turns the answer into a decline. It pays when
it blocks the abstracts of claims they cannot verify ("not enough info" in SciFact) far more
often than the abstracts that hold a claim's rationale. For each check, on the train half of
the claims (SHA-1 of the claim id, as everywhere; the report half is never read here), the
share of claim–abstract pairs it blocks, with evidence and without:
- numbers: every figure of the claim is in the abstract;
- names, as for questions: every known capitalised name is in the abstract, verbatim;
- names, as for claims: each known term of each such name is in the abstract;
- negation, as for questions: a negated claim needs a negated sentence (for pairs with
  evidence, among the rationale sentences; without, among all the abstract's sentences).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag.evaluate import scifact  # noqa: E402
from rag.index import terms  # noqa: E402
from rag.ingest.chunk import sentence_spans  # noqa: E402
from rag.quotes import figures_found, fits, names_found  # noqa: E402

SCIFACT = REPO.parent / "shared" / "datasets" / "scifact"
OUT = REPO / "eval" / "reports" / "claim_checks.json"


def main() -> None:
    corpus, vocabulary = {}, set()
    for line in (SCIFACT / "corpus.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        corpus[str(row["_id"])] = row
        vocabulary.update(terms(f"{row['title']} {row['text']}"))
    pairs = scifact.questions(SCIFACT / "rationales-train.jsonl", "train")
    out = {}
    for answerable in (True, False):
        rows = [q for q in pairs if q.answerable is answerable and q.gold_document_ids[0] in corpus]
        blocked = {"numbers": 0, "names as for questions": 0, "names as for claims": 0, "negation as for questions": 0}
        for q in rows:
            doc = corpus[q.gold_document_ids[0]]
            text = f"{doc['title']}\n{doc['text']}"
            sentences = q.answers or [doc["text"][s:e] for s, e in sentence_spans(doc["text"])]
            blocked["numbers"] += not figures_found(q.question, text)
            blocked["names as for questions"] += not names_found(q.question, text, vocabulary, False, claim=False)
            blocked["names as for claims"] += not names_found(q.question, text, vocabulary, False, claim=True)
            blocked["negation as for questions"] += not any(fits(q.question, s, claim=False) for s in sentences)
        out["with evidence" if answerable else "not enough info"] = {
            "pairs": len(rows), **{check: round(n / len(rows), 3) for check, n in blocked.items()}}
    print(json.dumps(out, indent=1))
    OUT.write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
