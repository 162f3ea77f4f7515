"""What a claim reads, quotes and declines, fitted on SciFact's tune half; and which fit checks pay for claims.

Run: python eval/claim_candidates.py [--data DIR] → the "claim_candidates",
"claim_gain_per_word" and "claim_decline_below" of the reader calibration in
rag/data/quote_model.json, and eval/reports/claim_candidates.json.

eval/calibrate_reader.py fits the reader for questions, on SQuAD, under the latency budget.
A claim ("Vitamin D lowers mortality.") is checked against long abstracts whose evidence
shares fewer of its words, so the logistic model ranks the rationale lower and fewer are
reached. Here the whole answer path runs on the train half of the SciFact claims (SHA-1 of
the claim id, as everywhere; the report half is never read), corpus = all 5,183 abstracts:
1. once per candidate count, each with its own decline cut-off (below), keeping the fewest
   that quote a rationale within POINT of the best count;
2. with that count, once per gain per word (the question's, and fractions of it: a further
   quote must bring less): a fact-checker needs the evidence, and an abstract's sentences are
   long, so the question's gain stops most claims at one quote. The largest gain within POINT
   of the best is kept, the fewest words that quote nearly as much;
3. the decline cut-off answers the same share of claims with evidence as the question's
   answers of answerable questions (ANSWERED_TARGET): the quote probability is fitted on
   questions, and a claim's best sentence scores differently;
4. the fit checks, each variant with its own cut-off: the numbers check (shipped), the names
   check as for questions, the names check by each term of a name (claims until stop 22),
   the negation check as for questions, none. Reported, not chosen here: the rule is code
   (quotes.document_fits, quotes.fits).
The reader trained on these claims, so their sentences score higher than unseen claims'
would: the cut-off fitted here answers fewer unseen claims than ANSWERED_TARGET.
--data reuses an index of that corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.calibrate_reader import ANSWERED_TARGET  # noqa: E402
from rag.answer import Scored, reply, scored_sentences  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate import scifact  # noqa: E402
from rag.evaluate.run import measure as measure_system  # noqa: E402
from rag.index import terms  # noqa: E402
from rag.quotes import MODEL_PATH, QuoteModel, figures_found, fits, names_found  # noqa: E402
from rag.typed import proper_names  # noqa: E402

RATIONALES = REPO.parent / "shared" / "datasets" / "scifact" / "rationales-train.jsonl"
OUT = REPO / "eval" / "reports" / "claim_candidates.json"
CHOICES = (8, 10, 12, 16)  # 8: as many as for a question
GAINS = (1.0, 2 / 3, 1 / 2, 1 / 4)  # times the question's gain per word
POINT = 0.01


def score_all(engine: Engine, claims, candidates: int) -> tuple[dict[str, Scored], float]:
    """Each claim's sentences as answering scores them with `candidates` read, and the p50
    time that took."""
    parts = engine.answer_parts()
    parts = replace(parts, calibration=replace(parts.calibration, claim_candidates=candidates))
    scored, times = {}, []
    for q in claims:
        if q.question not in scored:
            start = time.perf_counter()
            scored[q.question] = scored_sentences(q.question, [], parts,
                                                  quote_chunks=engine.settings.answer.quote_chunks)
            times.append(time.perf_counter() - start)
    return scored, round(float(np.percentile(times, 50)) * 1000, 1)


def cutoff(claims, scored: dict[str, Scored]) -> float:
    """The probability that answers ANSWERED_TARGET of the claim–abstract pairs with evidence."""
    bests = [max((s.score for s in scored[q.question].sentences if s.fits), default=0.0)
             for q in claims if q.answerable]
    return round(float(np.quantile(bests, 1 - ANSWERED_TARGET)), 4)


def measure(engine: Engine, claims, scored: dict[str, Scored], decline: float, gain: float = 0.0) -> dict:
    """The answers made of `scored` with decline cut-off `decline` and a further quote needing
    `gain` per word (0: the question's), scored by `rag eval`'s own scoring
    (rag.evaluate.run.measure)."""
    options, model = engine.settings.answer, engine.answer_parts().model

    def answer(question, history):
        one = scored[question]
        calibration = replace(one.calibration, claim_decline_below=decline, claim_gain_per_word=gain)
        return reply(replace(one, calibration=calibration), model, options)

    metrics = measure_system(engine, claims, answer).metrics.values()
    # 0 (no cut-off answers that many: some claims have no fitting sentence) means the question's
    used = replace(engine.calibration, claim_decline_below=decline).cutoff(claim=True)
    return {"decline_below": used, "supported": metrics["supported"], "answered": metrics["answered"],
            "declined_unverifiable": metrics["declined_unanswerable"],
            "decline_precision": metrics["decline_precision"], "words_per_answer": metrics["words_per_answer"],
            "faithfulness": metrics["faithfulness"], "claim_document_pairs": sum(q.answerable for q in claims),
            "unverifiable_pairs": sum(not q.answerable for q in claims)}


def names_by_terms(claim: str, document_text: str, vocabulary) -> bool:
    """The names check claims had until stop 22: each known term of each capitalised name in
    the document, in any order."""
    own = set(terms(document_text))
    return all(own.issuperset(stems) for stems in map(terms, proper_names(claim))
               if stems and all(t in vocabulary for t in stems))


def with_check(scored: dict[str, Scored], check) -> dict[str, Scored]:
    """`scored` with each sentence's fit recomputed by check(claim, sentence), for the claims
    that quotes.is_claim takes for claims (the rest are checked as questions)."""
    return {claim: replace(one, sentences=[replace(s, fits=check(claim, s)) for s in one.sentences])
            if one.claim else one for claim, one in scored.items()}


def cache(check):
    """check(claim, document), worked out once per claim and document."""
    seen: dict[tuple[str, str], bool] = {}

    def once(claim: str, document) -> bool:
        key = (claim, document.id)
        if key not in seen:
            seen[key] = check(claim, document)
        return seen[key]
    return once


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
            calibration = engine.calibration
            table, cached = {}, {}
            for n in CHOICES:
                cached[n], p50 = score_all(engine, claims, n)
                table[n] = {**measure(engine, claims, cached[n], cutoff(claims, cached[n])), "latency_p50_ms": p50}
            best = max(row["supported"] for row in table.values())
            chosen = min(n for n, row in table.items() if row["supported"] >= best - POINT)
            scored, decline = cached[chosen], table[chosen]["decline_below"]
            gains = {g: measure(engine, claims, scored, decline, g)
                     for g in (round(calibration.gain_per_word * share, 6) for share in GAINS)}
            best_gain = max(row["supported"] for row in gains.values())
            gain = max(g for g, row in gains.items() if row["supported"] >= best_gain - POINT)
            vocabulary = engine.answer_parts().idf()
            # per claim and document: each check reads the whole abstract, once
            numbers = cache(lambda c, d: figures_found(c, d.text))
            by_terms = cache(lambda c, d: names_by_terms(c, d.text, vocabulary))
            verbatim = cache(lambda c, d: names_found(c, d.text, vocabulary))
            checks = {
                "numbers (shipped)": lambda c, s: numbers(c, s.document),
                "numbers and names by terms (claims until stop 22)":
                    lambda c, s: numbers(c, s.document) and by_terms(c, s.document),
                "numbers and names verbatim (as for questions)": lambda c, s: verbatim(c, s.document),
                "numbers and negation (as for questions)":
                    lambda c, s: numbers(c, s.document) and fits(c, s.text, claim=False),
                "none": lambda c, s: True}
            by_check = {}
            for name, check in checks.items():
                variant = with_check(scored, check)
                by_check[name] = measure(engine, claims, variant, cutoff(claims, variant), gain)
            by_check["numbers, the question's cut-off"] = measure(engine, claims, scored, calibration.decline_below,
                                                                  gain)
    results = {"claims": "SciFact train half (tune)", "answered_target": ANSWERED_TARGET,
               "rule": f"fewest within {POINT} of the best supported, each with its own cut-off",
               "chosen": chosen, "by_candidates": table,
               "gain_rule": f"largest gain per word within {POINT} of the best supported, with {chosen} read",
               "chosen_gain_per_word": gain, "by_gain_per_word": gains,
               "chosen_decline_below": decline, "checks (each with its own cut-off)": by_check}
    print(json.dumps(results, indent=1))
    model = json.loads(MODEL_PATH.read_text())
    model["reader"].update(claim_candidates=chosen, claim_gain_per_word=gain, claim_decline_below=decline)
    MODEL_PATH.write_text(json.dumps(model, indent=1) + "\n")
    QuoteModel.load()  # the file still loads
    OUT.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
