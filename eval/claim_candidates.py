"""How many sentences should the reading model read for a claim, and how much may it quote? Measured on SciFact's tune half.

Run: python eval/claim_candidates.py [--data DIR] → the "claim_candidates" and
"claim_gain_per_word" of the reader calibration in rag/data/quote_model.json, and
eval/reports/claim_candidates.json.

eval/calibrate_reader.py chooses how many sentences to read for a question, on SQuAD, under
the latency budget. A claim ("Vitamin D lowers mortality.") is checked against long
abstracts whose evidence shares fewer of its words, so the logistic model ranks the
rationale lower and fewer are reached. Here the whole answer path runs on the train half of
the SciFact claims (SHA-1 of the claim id, as everywhere; the report half is never read),
corpus = all 5,183 abstracts, once per candidate count, and the fewest that quote a rationale
within POINT of the best count are kept. Then, with that count, once per gain per word (the
question's, and fractions of it: a further quote must bring less): a fact-checker needs the
evidence, and an abstract's sentences are long, so the question's gain stops most claims at
one quote. The largest gain within POINT of the best is kept, the fewest words that quote
nearly as much. --data reuses an index of that corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rag.answer import answer  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate import scifact  # noqa: E402
from rag.evaluate.run import measure as measure_system  # noqa: E402
from rag.quotes import MODEL_PATH, QuoteModel  # noqa: E402

RATIONALES = REPO.parent / "shared" / "datasets" / "scifact" / "rationales-train.jsonl"
OUT = REPO / "eval" / "reports" / "claim_candidates.json"
CHOICES = (8, 10, 12, 16)  # 8: as many as for a question
GAINS = (1.0, 2 / 3, 1 / 2, 1 / 4)  # times the question's gain per word
POINT = 0.01


def measure(engine: Engine, claims, candidates: int, gain: float = 0.0) -> dict:
    """The answer path with `candidates` sentences read per claim and a further quote needing
    `gain` per word (0: the question's), scored by `rag eval`'s own scoring
    (rag.evaluate.run.measure)."""
    parts = engine.answer_parts()
    parts = replace(parts, calibration=replace(parts.calibration, claim_candidates=candidates,
                                               claim_gain_per_word=gain))
    run = measure_system(engine, claims, lambda question, history: answer(question, history, parts,
                                                                          engine.settings.answer))
    metrics = run.metrics.values()
    return {"supported": metrics["supported"], "declined_unverifiable": metrics["declined_unanswerable"],
            "words_per_answer": metrics["words_per_answer"], "latency_p50_ms": metrics["latency_p50_ms"],
            "faithfulness": metrics["faithfulness"], "claim_document_pairs": sum(q.answerable for q in claims),
            "unverifiable_pairs": sum(not q.answerable for q in claims)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="an index of the SciFact abstracts to reuse")
    args = parser.parse_args()
    claims = scifact.questions(RATIONALES, "train")
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        if data is None:
            data = Path(tmp) / "data"
            engine = Engine(Settings(data_dir=data))
            engine.ingest(scifact.write_corpus(RATIONALES, Path(tmp) / "corpus").parent)
            engine.close()
        with Engine(Settings(data_dir=data)) as engine:
            engine.serving()
            table = {n: measure(engine, claims, n) for n in CHOICES}
            best = max(row["supported"] for row in table.values())
            chosen = min(n for n, row in table.items() if row["supported"] >= best - POINT)
            question_gain = engine.calibration.gain_per_word
            gains = {g: measure(engine, claims, chosen, g) for g in (round(question_gain * share, 6) for share in GAINS)}
    best_gain = max(row["supported"] for row in gains.values())
    gain = max(g for g, row in gains.items() if row["supported"] >= best_gain - POINT)
    results = {"claims": "SciFact train half (tune)", "rule": f"fewest within {POINT} of the best supported",
               "chosen": chosen, "by_candidates": table,
               "gain_rule": f"largest gain per word within {POINT} of the best supported, with {chosen} read",
               "chosen_gain_per_word": gain, "by_gain_per_word": gains}
    print(json.dumps(results, indent=1))
    model = json.loads(MODEL_PATH.read_text())
    model["reader"]["claim_candidates"] = chosen
    model["reader"]["claim_gain_per_word"] = gain
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    QuoteModel.load()  # the file still loads
    OUT.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
