"""Fine-tune MiniLM-L6 as the reading model: does this sentence answer the question?

Run: python eval/train_reader.py (or `make train-reader`). Resumable: checkpoints go to
~/.cache/attest/reader-train (outside git); a rerun continues from the last one, and
`--fresh` starts over. The result is shipped as one int8 ONNX file (rag/data/reader.onnx)
with probe pairs and their fp32 scores (rag/data/reader.json) that the runtime checks on
load, plus what it was trained on and the held-out figures it produced.

Data (fixed seed, every choice recorded in rag/data/reader.json):
- SQuAD 2.0 train, the first eight of its first ten articles, and three of the five
  articles of the tune half of the SQuAD 2.0 dev part; the other two tune articles and
  the last two train articles are kept for calibration (eval/calibrate.py fits the quote
  probability and its cut-offs there, on reader scores the reader never trained on), and
  the other five dev articles are never read here: they are the report half;
- SciFact train claims whose id hashes to the train half (sha1 of the claim id, even);
  the odd half is for reporting;
- WikiQA is evaluation-only (licence) and never read.
Pairs: a question with the sentence holding its answer (positive); the other sentences of
its paragraph or abstract, and sentences retrieved by BM25 from other paragraphs and
documents (negatives); unanswerable questions and claims with no rationale give negatives
only.
Loss: per pair, binary cross-entropy (does it answer?), plus, per question over its own
pairs, the softmax cross-entropy of its answer sentences (the answer must outrank its
neighbours: what quoting needs), where a fixed logit 0, "none of these", competes too and is
the answer of an unanswerable question (its best sentence must score below it: what
declining needs). A batch is four questions with all their pairs.
Device: a CUDA GPU when torch sees one (bf16 autocast there too), else the CPU; the answer
path never needs one.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag.embed.reader_input import FILL_TOKENS, MAX_TOKENS, QUESTION_TOKENS, TITLE_TOKENS, Passage, encode  # noqa: E402
from rag.embed.reader import feeds, pair_tokenizer  # noqa: E402
from rag.embed.wheel import model_dir  # noqa: E402
from rag.evaluate import scifact  # noqa: E402
from rag.evaluate.squad import slug  # noqa: E402
from rag.ingest.sentences import sentence_spans  # noqa: E402

SHARED = REPO.parent / "shared" / "datasets"
SQUAD_TRAIN = SHARED / "squad2" / "squad2-train-first10.json"
SQUAD_DEV = SHARED / "squad2" / "squad2-dev-part.json"
SCIFACT = SHARED / "scifact"
CHECKPOINTS = Path(os.environ.get("ATTEST_TRAIN_DIR", Path.home() / ".cache" / "attest" / "reader-train"))
OUT_DIR = REPO / "rag" / "data"
HYPER = {"seed": 13, "epochs": 2.0, "lr": 5e-5, "scifact_repeat": 3, "warmup": 0.06, "weight_decay": 0.01,
         "max_tokens": MAX_TOKENS, "fill_tokens": FILL_TOKENS, "title_tokens": TITLE_TOKENS,
         "question_tokens": QUESTION_TOKENS, "same_paragraph_negatives": 4, "retrieved_negatives": 3,
         "unanswerable_negatives": 5, "bf16_autocast": True, "groups_per_batch": 4, "listwise_weight": 1.0,
         "none_of_these": True, "topical_unanswerable": 0.0, "freeze_word_embeddings": False,
         "hard_negatives": 0, "keep_every": 1}


def dev_tune_articles() -> set[str]:
    """The tune half of the dev part: every other article by sorted slug."""
    titles = [a["title"] for a in json.loads(SQUAD_DEV.read_text())["data"]]
    return set(sorted(slug(t) for t in titles)[::2])


CALIBRATION_DEV = {"harvard-university", "normans"}  # tune-half articles the reader never reads


def train_articles() -> set[str]:
    """The SQuAD train articles the reader learns from: all but the last two."""
    return {slug(a["title"]) for a in json.loads(SQUAD_TRAIN.read_text())["data"][:8]}


def calibration_articles() -> tuple[set[str], set[str]]:
    """(train articles, dev articles) kept from the reader for calibration."""
    train = {slug(a["title"]) for a in json.loads(SQUAD_TRAIN.read_text())["data"]} - train_articles()
    return train, CALIBRATION_DEV


class Pool:
    """Every sentence of the training sources, searchable by BM25, for retrieved negatives."""

    def __init__(self):
        self.sentences: list[tuple[str, str, str, str]] = []  # (group, title, sentence, previous)

    def add(self, group: str, title: str, text: str) -> list[tuple[int, int, str, str]]:
        spans = sentence_spans(text)
        out = []
        for i, (s, e) in enumerate(spans):
            prev = text[spans[i - 1][0]:spans[i - 1][1]] if i else ""
            self.sentences.append((group, title, text[s:e], prev))
            out.append((s, e, text[s:e], prev))
        return out

    def build(self):
        import bm25s

        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize([s[2] for s in self.sentences], stopwords="en", show_progress=False),
                             show_progress=False)

    def search(self, queries: list[str], k: int) -> np.ndarray:
        import bm25s

        ids, _ = self.retriever.retrieve(bm25s.tokenize(queries, stopwords="en", show_progress=False), k=k,
                                         show_progress=False, n_threads=2)
        return ids


def squad_examples(path: Path, articles: set[str] | None, pool: Pool, rng: random.Random):
    """(question, group, sentences, positive indices, answers) per SQuAD question."""
    items = []
    for article in json.loads(path.read_text())["data"]:
        if articles is not None and slug(article["title"]) not in articles:
            continue
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            group = f"squad/{slug(article['title'])}/{p}"
            sentences = pool.add(group, title, paragraph["context"])
            for qa in paragraph["qas"]:
                answers = [a for a in qa.get("answers", [])] if not qa.get("is_impossible") else []
                positives = {i for i, (s, e, _, _) in enumerate(sentences)
                             for a in answers if s <= a["answer_start"] < e}
                items.append((qa["question"], group, title, sentences, positives, [a["text"] for a in answers]))
    return items


def scifact_examples(pool: Pool, half: str):
    corpus = {}
    with open(SCIFACT / "corpus.jsonl") as f:
        for line in f:
            row = json.loads(line)
            corpus[row["_id"]] = row
    rationales = [json.loads(line) for line in open(SCIFACT / "rationales-train.jsonl")]
    items = []
    for r in rationales:
        if scifact.half(r["id"]) != half or r["doc_id"] not in corpus:
            continue
        doc = corpus[r["doc_id"]]
        group = f"scifact/{r['doc_id']}"
        sentences = pool.add(group, doc["title"], doc["text"])
        wanted = [doc["text"].find(s) for s in r["sentences"]]
        positives = {i for i, (s, e, _, _) in enumerate(sentences) for w in wanted if w >= 0 and s <= w < e}
        items.append((r["claim"], group, doc["title"], sentences, positives, r["sentences"]))
    return items


def holds_answer(text: str, answers: list[str]) -> bool:
    """Whether a sentence holds an answer's exact text: never a negative, wherever it sits."""
    return any(a and a in text for a in answers)


def groups_from(items, pool: Pool, rng: random.Random) -> list[list[tuple[str, Passage, float]]]:
    """Per question, its pairs: the answer sentences, then the negatives. A share
    (`topical_unanswerable`) of the answerable questions is asked a second time of the
    retrieved sentences alone, none of which answers: topical but unanswerable there, as an
    open corpus asks when the answer is elsewhere or nowhere (a separate seed, so the other
    pairs are those of the run without it)."""
    hits = pool.search([q for q, *_ in items], k=20)
    reader = None
    if HYPER["hard_negatives"]:
        from rag.embed.reader import Reader

        reader = Reader(threads=2)  # the shipped int8 reader mines the negatives
    groups = []
    topical = random.Random(HYPER["seed"] + 1)
    for (question, group, title, sentences, positives, answers), found in zip(items, hits):
        # retrieved sentences of other paragraphs and documents that hold no answer, best first
        elsewhere = [(question, Passage(t, text, prev), 0.0)
                     for g, t, text, prev in (pool.sentences[int(j)] for j in found)
                     if g != group and not holds_answer(text, answers)]
        if positives and topical.random() < HYPER["topical_unanswerable"] and elsewhere:
            groups.append(elsewhere[:HYPER["unanswerable_negatives"]])
        pairs = []
        groups.append(pairs)
        for i in positives:
            pairs.append((question, Passage(title, sentences[i][2], sentences[i][3]), 1.0))
        others = [i for i in range(len(sentences)) if i not in positives]
        n_same = HYPER["same_paragraph_negatives"] if positives else HYPER["unanswerable_negatives"]
        if reader is not None:
            pairs += hardest(reader, question, title, sentences, others, answers, elsewhere, n_same, rng)
            continue
        for i in rng.sample(others, min(n_same, len(others))):
            pairs.append((question, Passage(title, sentences[i][2], sentences[i][3]), 0.0))
        pairs += elsewhere[:HYPER["retrieved_negatives"]]
    return groups


def hardest(reader, question, title, sentences, others, answers, elsewhere, n_same, rng):
    """Negatives the shipped reader scores highest: `hard_negatives` of the paragraph's other
    sentences (the rest of n_same drawn at random) and the retrieved sentences of other
    paragraphs it ranks first among the BM25 top 20. A sentence of the paragraph that holds an
    answer's text elsewhere is left out: hard, but not wrong."""
    clean = [i for i in others if not holds_answer(sentences[i][2], answers)]
    same = [Passage(title, sentences[i][2], sentences[i][3]) for i in clean]
    scores = reader.logits(question, same + [p for _, p, _ in elsewhere]) if same or elsewhere else []
    by_score = sorted(range(len(clean)), key=lambda j: -scores[j])
    n_hard = min(HYPER["hard_negatives"], n_same)
    chosen = by_score[:n_hard]
    rest = by_score[n_hard:]
    chosen += rng.sample(rest, min(n_same - len(chosen), len(rest)))
    far = sorted(range(len(elsewhere)), key=lambda j: -scores[len(clean) + j])[:HYPER["retrieved_negatives"]]
    return [(question, same[j], 0.0) for j in chosen] + [elsewhere[j] for j in far]


def build_data(seed: int):
    rng = random.Random(seed)
    pool = Pool()
    train_items = squad_examples(SQUAD_TRAIN, train_articles(), pool, rng)
    train_items += squad_examples(SQUAD_DEV, dev_tune_articles() - CALIBRATION_DEV, pool, rng)
    train_items += scifact_examples(pool, "train") * HYPER["scifact_repeat"]  # a small second domain, seen more than once
    pool.build()
    groups = groups_from(train_items, pool, rng)
    rng.shuffle(groups)
    groups = groups[::HYPER["keep_every"]]  # a share of the questions, for a learning curve
    pairs = [pair for g in groups for pair in g]
    return groups, {"questions": len(train_items), "groups": len(groups), "pairs": len(pairs),
                    "positives": int(sum(p[2] for p in pairs))}


def batch_tensors(batch) -> dict:
    """The batch's pairs as the answer path encodes and pads them, as torch tensors."""
    import torch

    pairs = [encode(pair_tokenizer(), question, [p])[0] for question, p, _ in batch]
    return {name: torch.from_numpy(array) for name, array in feeds(pairs).items()}


def listwise(logits, labels, groups, none_of_these: bool = False):
    """Mean over the batch's questions of -log(softmax mass on their answer sentences) within
    the question's own pairs: the answer must outrank its neighbours. With none_of_these, a
    fixed logit 0 ("none of these answers") competes too and is the answer of an
    unanswerable question, whose best sentence must then score below 0: the decline is a
    question-level choice, as answering makes it. Without it, unanswerable questions add
    nothing."""
    import torch

    losses, at = [], 0
    for g in groups:
        n = len(g)
        scores, positive = logits[at:at + n], labels[at:at + n] > 0.5
        if none_of_these:
            scores = torch.cat([scores, scores.new_zeros(1)])
            positive = torch.cat([positive, positive.new_tensor([not positive.any()])])
        if positive.any():
            losses.append(torch.logsumexp(scores, 0) - torch.logsumexp(scores[positive], 0))
        at += n
    return torch.stack(losses).mean() if losses else logits.sum() * 0.0


def model_path() -> str:
    return str(model_dir())


def train(fresh: bool, limit_minutes: float | None) -> Path:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.manual_seed(HYPER["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"  # a GPU only shortens training
    groups, about = build_data(HYPER["seed"])
    print(f"data: {about}", flush=True)
    CHECKPOINTS.mkdir(parents=True, exist_ok=True)
    state_file = CHECKPOINTS / "state.pt"
    model = AutoModelForSequenceClassification.from_pretrained(model_path(), num_labels=1)
    if HYPER["freeze_word_embeddings"]:  # only the word pieces of the training questions would move
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    model.to(device)
    steps_per_epoch = math.ceil(len(groups) / HYPER["groups_per_batch"])
    total = int(steps_per_epoch * HYPER["epochs"])
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=HYPER["lr"],
                                  weight_decay=HYPER["weight_decay"])
    schedule = get_linear_schedule_with_warmup(optimizer, int(total * HYPER["warmup"]), total)
    step = 0
    if state_file.exists() and not fresh:
        state = torch.load(state_file, weights_only=False, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        step = state["step"]
        print(f"resumed at step {step}/{total}", flush=True)
    model.train()
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started, seen, running = time.time(), 0, []
    while step < total:
        i = (step % steps_per_epoch) * HYPER["groups_per_batch"]
        chosen = groups[i:i + HYPER["groups_per_batch"]]
        batch = [pair for g in chosen for pair in g]
        enc = {name: tensor.to(device) for name, tensor in batch_tensors(batch).items()}
        labels = torch.tensor([y for _, _, y in batch], device=device)
        with torch.autocast(device, dtype=torch.bfloat16, enabled=HYPER["bf16_autocast"]):
            logits = model(**enc).logits.squeeze(-1)
        ranking = listwise(logits.float(), labels, chosen, HYPER["none_of_these"])
        loss = loss_fn(logits.float(), labels) + HYPER["listwise_weight"] * ranking
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        step += 1
        seen += len(batch)
        running.append(loss.item())
        if step % 50 == 0 or step == total:
            rate = seen / (time.time() - started)
            print(f"step {step}/{total} loss {np.mean(running[-50:]):.4f} {rate:.0f} pairs/s", flush=True)
        if step % 200 == 0 or step == total:
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                        "schedule": schedule.state_dict(), "step": step}, state_file.with_suffix(".tmp"))
            os.replace(state_file.with_suffix(".tmp"), state_file)
        if limit_minutes and time.time() - started > limit_minutes * 60:
            print("time limit reached; rerun to resume", flush=True)
            sys.exit(3)
    final = CHECKPOINTS / "final"
    model.save_pretrained(final)
    AutoTokenizer.from_pretrained(model_path()).save_pretrained(final)
    about.update({"train_seconds": round(time.time() - started), "steps": total})
    (final / "about.json").write_text(json.dumps({"data": about, "hyper": HYPER}, indent=1))
    return final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="ignore checkpoints and start over")
    parser.add_argument("--minutes", type=float, default=None, help="stop (resumably) after this long")
    parser.add_argument("--data-only", action="store_true", help="build the pairs, print counts, stop")
    parser.add_argument("--no-export", action="store_true", help="keep the checkpoint; leave rag/data as it is")
    parser.add_argument("--then-evaluate", type=Path, metavar="JSON",
                        help="read the checkpoint on held-out data (eval/reader_seeds.py) and write the figures here")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                        help="change a hyper-parameter for this run, e.g. --set keep_every=2")
    args = parser.parse_args()
    for item in args.set:
        key, _, value = item.partition("=")
        if key not in HYPER:
            parser.error(f"unknown hyper-parameter {key!r}; known: {', '.join(HYPER)}")
        try:
            HYPER[key] = json.loads(value)
        except json.JSONDecodeError:
            parser.error(f"--set {item}: the value must be JSON (2, 0.5, true, \"text\")")
    if args.data_only:
        groups, about = build_data(HYPER["seed"])
        print(about)
        for p in groups[0]:
            print(p)
        return
    final = train(args.fresh, args.minutes)
    if args.then_evaluate:
        from eval.reader_seeds import evaluate

        args.then_evaluate.write_text(json.dumps(evaluate(final), indent=1) + "\n")
    if not args.no_export:
        from eval.export_reader import export

        export(final)


if __name__ == "__main__":
    main()
