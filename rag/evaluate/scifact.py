"""SciFact rationales (`rationales-*.jsonl` beside a BEIR `corpus.jsonl`) as Attest data.

Each claim–document pair is one eval question: the claim is asked against every abstract,
its gold document is the abstract and its gold answers are the rationale sentences of all
its evidence sets (a pair with two sets is one line each in the file, asked once), so
"supported" means a quote contains a rationale sentence. Claims that cite an abstract
without evidence either way (SciFact's "not enough info": in `queries-<split>.jsonl` and
`qrels/<split>.tsv` beside the rationales, absent from them) are unanswerable questions:
the corpus holds nothing that supports or refutes them, and answering should decline.
Claims split into halves by the SHA-1 of the claim id (`half`), the same split the reading
model is trained on (eval/train_reader.py trains on "train" only).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from rag.evaluate.squad import EvalQuestion

KEYS = {"claim", "doc_id", "sentences"}


def half(claim_id: str) -> str:
    return "train" if int(hashlib.sha1(str(claim_id).encode()).hexdigest(), 16) % 2 == 0 else "report"


def is_scifact(path: Path) -> bool:
    if not (path.is_file() and path.suffix == ".jsonl" and (path.parent / "corpus.jsonl").is_file()):
        return False
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    try:
        return KEYS <= set(json.loads(first))
    except (json.JSONDecodeError, TypeError):
        return False


def questions(path: Path, which: str | None = None) -> list[EvalQuestion]:
    """The claim–abstract pairs with rationales, then the unverifiable claims (see the module
    doc) when their queries and qrels lie beside `path`; `which` keeps one half."""
    pairs: dict[str, EvalQuestion] = {}
    with_evidence = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        with_evidence.add(str(r["id"]))
        if which and half(r["id"]) != which:
            continue
        key = f"{r['id']}-{r['doc_id']}"
        if key in pairs:  # another evidence set of the same pair: one question, any set's sentence counts
            seen = pairs[key].answers
            seen += [s for s in r["sentences"] if s not in seen]
            continue
        pairs[key] = EvalQuestion(id=key, question=r["claim"], answers=list(dict.fromkeys(r["sentences"])),
                                  answerable=True, gold_document_ids=[str(r["doc_id"])])
    return list(pairs.values()) + unverifiable(path, with_evidence, which)


def unverifiable(path: Path, with_evidence: set[str], which: str | None = None) -> list[EvalQuestion]:
    split = path.stem.removeprefix("rationales-")
    queries, qrels = path.parent / f"queries-{split}.jsonl", path.parent / "qrels" / f"{split}.tsv"
    if not (queries.is_file() and qrels.is_file()):
        return []
    claims = {str(r["_id"]): r["text"] for r in map(json.loads, queries.read_text(encoding="utf-8").splitlines())}
    with qrels.open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and row[0] in claims]
    return [EvalQuestion(id=f"{claim}-{doc}", question=claims[claim], answers=[], answerable=False,
                         gold_document_ids=[doc])
            for claim, doc, *_ in rows if claim not in with_evidence and (not which or half(claim) == which)]


def write_corpus(path: Path, folder: Path) -> Path:
    """The abstracts of the BEIR corpus beside `path` as one Attest JSONL file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "scifact.jsonl"
    with (path.parent / "corpus.jsonl").open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as handle:
        for line in source:
            if line.strip():
                row = json.loads(line)
                handle.write(json.dumps({"id": str(row["_id"]), "title": row.get("title", ""),
                                         "text": row["text"]}) + "\n")
    return out
