"""An experiment, not shipped: would MiniLM fine-tuned on the reader's training questions retrieve better?

Run: python eval/embedder_tuning.py [--full-vocabulary] (about 30 minutes on 2 cores: 854 s to train,
the rest to embed every passage twice).
Writes eval/reports/embedder_tuning.json; docs/reader.md ("Where it stops, and why") says
what it found. The shipped embedder is the wheel's MiniLM, unchanged.

Training: a copy of the wheel's MiniLM as a bi-encoder, the question's mean-pooled vector
against its passage's, every other passage in the batch a negative (no two pairs of one
passage in a batch), on the reader's own training data (eval/train_reader.py): answerable
questions of its SQuAD articles → "title\\nparagraph", and SciFact train-half claims → the
chunk of the abstract holding a rationale, seen three times. Word embeddings stay frozen
unless --full-vocabulary, so words unseen in training keep their place. WikiQA is never
trained on.

Measured for the wheel's model and the tuned one in the same run, with documents embedded
by the model being measured (tuning changes stored vectors too):
- SciFact report half (claim–abstract pairs, with evidence or not), all 5,183 abstracts
  chunked as ingest chunks them: nDCG@10 of
  documents by their best chunk, dense alone and hybrid (BM25 + dense, 20 each, convex 0.5:
  the shipped fusion);
- SQuAD dev part, report and calibration articles, every paragraph of both SQuAD files a
  passage: the same, and how often the answer sentence has the highest cosine of its
  paragraph's sentences (what the logistic model's sentence cosine sees);
- WikiQA dev and train answerable questions (evaluation only), every summary a passage.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "eval"))

import train_reader  # its articles, splits and paths: the same data the reader trains on

from rag.embed.wheel import model_dir
from rag.evaluate import scifact, wikiqa
from rag.evaluate.metrics import ranking_metrics
from rag.index import LexicalIndex
from rag.ingest.chunk import chunk_document
from rag.ingest.sentences import sentence_spans
from rag.retrieve import fuse
from rag.types import Document

SCIFACT = train_reader.SCIFACT / "rationales-train.jsonl"
WIKIQA = [train_reader.SHARED / "wikiqa" / name for name in ("WikiQA-dev.tsv.gz", "WikiQA-train.tsv.gz")]
HYPER = {"seed": 13, "epochs": 1, "lr": 2e-5, "batch": 32, "scale": 20.0, "warmup": 0.06, "weight_decay": 0.01,
         "scifact_repeat": 3, "question_tokens": 64, "passage_tokens": 256}
OUT = REPO / "eval" / "reports" / "embedder_tuning.json"


class Passages:
    """Passages by id: their text (title + text, as ingest embeds a chunk), document and sentences."""

    def __init__(self):
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.document: dict[str, str] = {}
        self.sentences: dict[str, list[str]] = {}

    def add(self, id_: str, title: str, text: str, document: str, sentences: list[str] | None = None) -> None:
        self.ids.append(id_)
        self.texts.append(f"{title}\n{text}")
        self.document[id_] = document
        self.sentences[id_] = sentences if sentences is not None else [text[s:e] for s, e in sentence_spans(text)]


def squad_passages() -> tuple[Passages, dict[str, list], list[tuple[str, str]]]:
    """Every paragraph of both SQuAD files; questions of the report and calibration
    articles as (question, paragraph id, answer sentence indices); training pairs."""
    passages, sets, pairs = Passages(), {"report": [], "calibration": []}, []
    tune = train_reader.dev_tune_articles()
    calibration = set().union(*train_reader.calibration_articles())
    trained = train_reader.train_articles() | (tune - calibration)
    for path in (train_reader.SQUAD_TRAIN, train_reader.SQUAD_DEV):
        for article in json.loads(path.read_text())["data"]:
            name, title = train_reader.slug(article["title"]), article["title"].replace("_", " ")
            which = ("calibration" if name in calibration else
                     "report" if path == train_reader.SQUAD_DEV and name not in tune else None)
            for p, paragraph in enumerate(article["paragraphs"]):
                id_ = f"{name}/{p}"
                passages.add(id_, title, paragraph["context"], id_)
                spans = sentence_spans(paragraph["context"])
                for qa in paragraph["qas"]:
                    if qa.get("is_impossible") or not qa.get("answers"):
                        continue
                    if name in trained:
                        pairs.append((qa["question"], passages.texts[-1]))
                    elif which:
                        start = qa["answers"][0]["answer_start"]
                        sets[which].append((qa["question"], id_, {i for i, (s, e) in enumerate(spans) if s <= start < e}))
    return passages, sets, pairs


def scifact_passages() -> tuple[Passages, list, list[tuple[str, str]]]:
    """The abstracts chunked as ingest chunks them; report-half claims with their gold
    abstracts; training pairs (train-half claim → a chunk holding a rationale)."""
    passages, by_document = Passages(), {}
    for line in (train_reader.SCIFACT / "corpus.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        document = Document(id=str(row["_id"]), title=row["title"], text=row["text"])
        for chunk in chunk_document(document):
            passages.add(chunk.id, document.title, chunk.text, document.id)
            by_document.setdefault(document.id, []).append(passages.texts[-1])
    pairs = []
    for line in SCIFACT.open(encoding="utf-8"):
        r = json.loads(line)
        chunks = by_document.get(str(r["doc_id"]), [])
        if scifact.half(r["id"]) == "train" and chunks:
            holding = [c for c in chunks if train_reader.holds_answer(c, r["sentences"])] or chunks[:1]
            pairs.append((r["claim"], holding[0]))
    report = [(q.question, set(q.gold_document_ids)) for q in scifact.questions(SCIFACT, "report") if q.gold_document_ids]
    return passages, report, pairs


def wikiqa_passages() -> tuple[Passages, list]:
    passages, questions, summaries = Passages(), {}, {}
    for path in WIKIQA:
        for row in wikiqa.rows(path):
            title, sentences = summaries.setdefault(row["DocumentID"], (row["DocumentTitle"], []))
            if row["Sentence"] not in sentences:
                sentences.append(row["Sentence"])
            q = questions.setdefault(row["QuestionID"], (row["Question"], row["DocumentID"], set()))
            if row["Label"] == "1":
                q[2].add(sentences.index(row["Sentence"]))
    for id_, (title, sentences) in summaries.items():
        passages.add(id_, title, " ".join(sentences), id_, sentences)  # WikiQA's own sentences: its labels index them
    return passages, [q for q in questions.values() if q[2]]


def train(pairs: list[tuple[str, str]], full_vocabulary: bool):
    import torch
    from sentence_transformers import SentenceTransformer

    rng = random.Random(HYPER["seed"])
    torch.manual_seed(HYPER["seed"])
    model = SentenceTransformer(str(model_dir()), device="cpu")
    tokenizer, encoder = model.tokenizer, model[0].auto_model
    if not full_vocabulary:
        encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    params = [p for p in encoder.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=HYPER["lr"], weight_decay=HYPER["weight_decay"])
    batches = distinct_batches(pairs * HYPER["epochs"], HYPER["batch"], rng)
    total, warm = len(batches), max(1, int(HYPER["warmup"] * len(batches)))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / total))

    def vectors(texts, tokens):
        batch = tokenizer(texts, padding=True, truncation=True, max_length=tokens, return_tensors="pt")
        states = encoder(**batch).last_hidden_state.float()
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return torch.nn.functional.normalize((states * mask).sum(1) / mask.sum(1), dim=-1)

    encoder.train()
    started = time.time()
    for step, batch in enumerate(batches, 1):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            questions = vectors([q for q, _ in batch], HYPER["question_tokens"])
            passages = vectors([p for _, p in batch], HYPER["passage_tokens"])
        loss = torch.nn.functional.cross_entropy(questions @ passages.T * HYPER["scale"], torch.arange(len(batch)))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        if step % 50 == 0 or step == total:
            print(f"step {step}/{total} loss {loss.item():.3f} {time.time() - started:.0f} s", flush=True)
    encoder.eval()
    return model, round(time.time() - started)


def distinct_batches(pairs, size: int, rng: random.Random) -> list[list]:
    """Shuffled batches in which no passage appears twice (its twin would be a false negative):
    a pair whose passage the batch already holds closes it; a batch of one (no negative) is dropped."""
    pairs = pairs[:]
    rng.shuffle(pairs)
    batches, current, seen = [], [], set()
    for pair in pairs:
        if pair[1] in seen or len(current) == size:
            batches.append(current)
            current, seen = [], set()
        current.append(pair)
        seen.add(pair[1])
    return [b for b in batches + [current] if len(b) > 1]


def retrieval(model, passages: Passages, vectors: np.ndarray, queries: list[tuple[str, set[str]]],
              lexicon: LexicalIndex) -> dict:
    """Mean nDCG@10 of documents by their best passage (`vectors`, as `model` embeds
    them), dense alone and hybrid as shipped."""
    asked = model.encode([q for q, _ in queries], batch_size=64, normalize_embeddings=True)
    dense_rows, hybrid_rows = [], []
    for (question, gold), vector in zip(queries, asked):
        scores = vectors @ vector
        top = np.argsort(-scores)[:20]
        dense = [(passages.ids[i], float(scores[i])) for i in top]
        relevant = dict.fromkeys(gold, 1.0)
        dense_rows.append(ranking_metrics(documents(passages, [c for c, _ in dense]), relevant)["ndcg@10"])
        hybrid = fuse(dense, lexicon.search(question, 20))
        hybrid_rows.append(ranking_metrics(documents(passages, [c.chunk_id for c in hybrid]), relevant)["ndcg@10"])
    return {"questions": len(queries), "dense_ndcg@10": round(float(np.mean(dense_rows)), 4),
            "hybrid_ndcg@10": round(float(np.mean(hybrid_rows)), 4)}


def documents(passages: Passages, ranked: list[str]) -> list[str]:
    return list(dict.fromkeys(passages.document[c] for c in ranked))


def sentence_first(model, passages: Passages, queries: list[tuple[str, str, set[int]]]) -> float:
    """How often the answer sentence has the highest cosine among its passage's sentences."""
    asked = model.encode([q for q, _, _ in queries], batch_size=64, normalize_embeddings=True)
    wanted = sorted({p for _, p, _ in queries})
    flat = [(p, s) for p in wanted for s in passages.sentences[p]]
    vectors = model.encode([s for _, s in flat], batch_size=64, normalize_embeddings=True)
    by_passage: dict[str, list[np.ndarray]] = {}
    for (p, _), v in zip(flat, vectors):
        by_passage.setdefault(p, []).append(v)
    hits = [int(np.argmax(np.stack(by_passage[p]) @ v)) in answer for (_, p, answer), v in zip(queries, asked)]
    return round(float(np.mean(hits)), 4)


def measure(model, data: dict) -> dict:
    def embedded(passages: Passages) -> np.ndarray:  # once per corpus and model, whatever asks of it
        return model.encode(passages.texts, batch_size=64, normalize_embeddings=True)

    abstracts, claims, lexicon = data["scifact"]
    out = {"scifact_report": retrieval(model, abstracts, embedded(abstracts), claims, lexicon)}
    squad, sets, lexicon = data["squad"]
    vectors = embedded(squad)
    for which, queries in sets.items():
        out[f"squad_{which}"] = {**retrieval(model, squad, vectors, [(q, {p}) for q, p, _ in queries], lexicon),
                                 "answer_sentence_first": sentence_first(model, squad, queries)}
    wiki, queries, lexicon = data["wikiqa"]
    out["wikiqa"] = {**retrieval(model, wiki, embedded(wiki), [(q, {d}) for q, d, _ in queries], lexicon),
                     "answer_sentence_first": sentence_first(model, wiki, queries)}
    return out


def lexicon_of(passages: Passages, folder: Path) -> LexicalIndex:
    lexicon = LexicalIndex(folder)
    lexicon.build(passages.ids, passages.texts, "experiment")
    return lexicon


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full-vocabulary", action="store_true", help="also tune the word-piece embeddings")
    options = parser.parse_args()
    from sentence_transformers import SentenceTransformer

    squad, sets, squad_pairs = squad_passages()
    abstracts, claims, claim_pairs = scifact_passages()
    wiki, wiki_queries = wikiqa_passages()
    pairs = squad_pairs + claim_pairs * HYPER["scifact_repeat"]
    print(f"{len(squad_pairs)} SQuAD and {len(claim_pairs)} SciFact training pairs", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = {"scifact": (abstracts, claims, lexicon_of(abstracts, Path(tmp) / "scifact")),
                "squad": (squad, sets, lexicon_of(squad, Path(tmp) / "squad")),
                "wikiqa": (wiki, wiki_queries, lexicon_of(wiki, Path(tmp) / "wikiqa"))}
        tuned, seconds = train(pairs, options.full_vocabulary)
        results = {"hyper": {**HYPER, "full_vocabulary": options.full_vocabulary},
                   "training_pairs": {"squad": len(squad_pairs), "scifact": len(claim_pairs)},
                   "training_seconds": seconds,
                   "wheel": measure(SentenceTransformer(str(model_dir()), device="cpu"), data),
                   "tuned": measure(tuned, data)}
    print(json.dumps(results, indent=1))
    OUT.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
