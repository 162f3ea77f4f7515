"""What reading a first question as meant costs (rag/meant.py), against embedding it.

Every question of eval/datasets/typed_questions.jsonl and of both SQuAD files in
../shared/datasets/squad2/ is read by `meant` against the written words of an index: corpus/'s
(the shipped corpus), SQuAD's contexts (both files), and SQuAD's with 300,000 made-up words
added (a large index's names and typos). Baseline in the same run: the question's embedding
(Embedder.embed_query, as answering does it). Also timed: the words grouped for `near` (once
per index build) and, for comparison, a scan of every written word per slip, as follow-ups did
before rag/vocabulary.py.

    python eval/perf/typed.py   # → results/typed.{md,json}
"""

from __future__ import annotations

import json
import random
import string
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from conversations import documents  # noqa: E402

from rag.embed import Embedder  # noqa: E402
from rag.meant import meant  # noqa: E402
from rag.vocabulary import Vocabulary, vocabulary  # noqa: E402

SQUAD = ROOT.parent / "shared" / "datasets" / "squad2"
RESULTS = ROOT / "eval" / "perf" / "results"


class Scanned(Vocabulary):
    """Every written word a candidate for every slip: the scan `near` replaces."""

    def near(self, low: str) -> list[str]:
        return [w for w in self.forms if abs(len(w) - len(low)) <= 1]


def squad() -> tuple[list[str], list[str]]:
    texts, questions = [], []
    for name in ("squad2-dev-part.json", "squad2-train-first10.json"):
        for article in json.loads((SQUAD / name).read_text())["data"]:
            for paragraph in article["paragraphs"]:
                texts.append(f"{article['title']}\n{paragraph['context']}")
                questions += [q["question"] for q in paragraph["qas"]]
    return texts, questions


def timed(questions: list[str], written: Vocabulary, rounds: int = 3) -> np.ndarray:
    """Microseconds per question, the best of `rounds` for each."""
    best = np.full(len(questions), np.inf)
    for _ in range(rounds):
        for i, question in enumerate(questions):
            start = time.perf_counter()
            meant(question, written)
            best[i] = min(best[i], (time.perf_counter() - start) * 1e6)
    return best


def main() -> int:
    typed = [json.loads(line)["question"] for line in (ROOT / "eval/datasets/typed_questions.jsonl").open()]
    contexts, squad_questions = squad()
    questions = typed + squad_questions
    rng = random.Random(7)
    made_up = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, 12))) for _ in range(300_000)]
    indexes = {"corpus/": vocabulary(d.text for d in documents().values()),
               "SQuAD contexts": vocabulary(contexts),
               "SQuAD + 300,000 made-up words": vocabulary([*contexts, " ".join(made_up)])}
    start = time.perf_counter()
    meant("what infectss them", vocabulary(["insects"]))  # the first slip: the English word lists, once a process
    english_ms = (time.perf_counter() - start) * 1e3
    embedder = Embedder("fp32", 32)
    embedder.embed_query("warm-up")
    sample = questions[::20]
    embed_us = np.array([min(_embed_us(embedder, q) for _ in range(3)) for q in sample])
    rows = {}
    for name, written in indexes.items():
        start = time.perf_counter()
        written.near("warm")  # the groups, made once per index build
        grouped_ms = (time.perf_counter() - start) * 1e3
        us = timed(questions, written)
        scan = timed(sample, Scanned(written.forms), rounds=1)
        longest = " ".join(rng.choices(made_up, k=200))[:2000]  # the API's longest question, of made-up words
        start = time.perf_counter()
        meant(longest, written)
        rows[name] = {"words": len(written), "grouped_ms": round(grouped_ms, 1),
                      "longest_ms": round((time.perf_counter() - start) * 1e3, 1),
                      "mean_us": round(float(us.mean()), 1), "p99_us": round(float(np.percentile(us, 99)), 1),
                      "max_us": round(float(us.max()), 1), "scan_mean_us": round(float(scan.mean()), 1),
                      "share_of_embedding": round(float(us.mean() / embed_us.mean()), 4)}
    result = {"questions": len(questions), "embed_query_mean_us": round(float(embed_us.mean()), 1),
              "english_lists_ms": round(english_ms, 1), "indexes": rows}
    (RESULTS / "typed.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [f"# A first question read as meant (rag/meant.py), {len(questions):,} questions", "",
             f"Baseline: embedding the question, {embed_us.mean() / 1e3:.2f} ms on average (every 20th question). "
             f"Once a process, on its first slip: the English word lists (english.py), {english_ms:.0f} ms. "
             "On 2 cores shared with other work.", "",
             "| index's words | words | groups made once (ms) | mean µs | p99 µs | max µs | share of embedding "
             "| scanning every word, mean µs | 2,000 characters of made-up words, ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [f"| {name} | {r['words']:,} | {r['grouped_ms']} | {r['mean_us']} | {r['p99_us']} | {r['max_us']} | "
              f"{r['share_of_embedding']:.1%} | {r['scan_mean_us']} | {r['longest_ms']} |" for name, r in rows.items()]
    (RESULTS / "typed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


def _embed_us(embedder: Embedder, question: str) -> float:
    start = time.perf_counter()
    embedder.embed_query(question)
    return (time.perf_counter() - start) * 1e6


if __name__ == "__main__":
    raise SystemExit(main())
