"""Calibrate the decline threshold (and check the quote weights) on SQuAD 2.0.

Run: python eval/calibrate.py [SQUAD_JSON]. Candidate sentences and their features are
computed once per question with the engine's own code; the threshold is then chosen on
half of the articles (the highest that still answers 92% of their answerable questions)
and reported on the other half, so the published numbers are not fitted to what they
measure. The word budget and keep ratio are swept the same way: `chosen` is the row with
the most support on the tune half within 50 words per answer. Writes
eval/reports/calibration.json.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.engine import Engine
from rag.evaluate.metrics import contains_answer
from rag.evaluate.squad import questions, write_articles
from rag.quotes import Weights, candidate_sentences, score_sentences, select

SQUAD = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/squad2/squad2-dev-part.json")
ANSWERED_TARGET = 0.92
WORDS_TARGET = 50  # mean words per answer


def features(engine: Engine, qs):
    """(question, sentences) with coverage, cosine, rank and answer type filled in, by the
    engine's own code (sentence cosines from the vectors stored at ingest)."""
    vectors = engine.embedder.embed([q.question for q in qs])
    rows = []
    for q, vector in zip(qs, vectors):
        sentences = candidate_sentences(engine.retrieve(q.question, engine.settings.quote_chunks, vector=vector))
        cosines = engine.sentence_cosines(sentences, vector) if sentences else None
        score_sentences(sentences, q.question, engine.lexicon.idf, cosines, engine.weights)
        rows.append((q, sentences))
    return rows


def evaluate(rows, weights: Weights, budget: int, threshold: float) -> dict:
    answered = supported = declined = n_ans = n_un = 0
    words = []
    for q, sentences in rows:
        for s in sentences:
            s.score = weights.score(s)
        best = max((s.score for s in sentences), default=0.0)
        quotes = select(sentences, 3, budget, weights) if best >= threshold else []
        if quotes:  # words per answer over every answer given, as `rag eval` counts them
            words.append(sum(len(x.text.split()) for x in quotes))
        if q.answerable:
            n_ans += 1
            if quotes:
                answered += 1
                supported += any(contains_answer(x.text, q.answers) for x in quotes)
        else:
            n_un += 1
            declined += not quotes
    return {"supported": round(supported / max(1, n_ans), 4), "answered": round(answered / max(1, n_ans), 4),
            "declined_unanswerable": round(declined / max(1, n_un), 4),
            "words": round(float(np.mean(words)), 1) if words else 0.0, "questions": len(rows)}


def threshold_for(rows, weights: Weights) -> float:
    bests = [max((weights.score(s) for s in sentences), default=0.0) for q, sentences in rows if q.answerable]
    return round(float(np.quantile(bests, 1 - ANSWERED_TARGET)), 4) if bests else 0.0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_articles(SQUAD, corpus)
        engine = Engine(Settings(data_dir=Path(tmp) / "data", precision="fp32"))
        engine.ingest(corpus)
        qs = questions(SQUAD)
        article, current = {}, ""
        for q in qs:  # unanswerable questions belong to the article of their paragraph
            current = q.gold_document_ids[0] if q.gold_document_ids else current
            article[q.id] = current
        tune_articles = set(sorted(set(article.values()))[::2])
        rows = features(engine, qs)
        tune = [r for r in rows if article[r[0].id] in tune_articles]
        held = [r for r in rows if article[r[0].id] not in tune_articles]
        budget = engine.settings.quote_words
        results = {}
        for name, weights in [("default", engine.weights),
                              ("no_answer_type", replace(engine.weights, answer_type=0.0)),
                              ("no_cosine", replace(engine.weights, cosine=0.0)),
                              ("lexical_only", replace(engine.weights, cosine=0.0, answer_type=0.0))]:
            threshold = threshold_for(tune, weights)
            results[name] = {"weights": asdict(weights), "budget": budget, "threshold": threshold,
                             "tune": evaluate(tune, weights, budget, threshold),
                             "held_out": evaluate(held, weights, budget, threshold),
                             "all": evaluate(rows, weights, budget, threshold),
                             "never_decline": evaluate(rows, weights, budget, -1.0)}
            print(name, json.dumps(results[name]), flush=True)
        # the word budget and keep ratio: chosen on the tune half like the threshold
        sweep = []
        for words in (60, 70, 75, 80, 90, 100):
            for keep in (0.7, 0.75, 0.8, 0.85, 0.9):
                weights = replace(engine.weights, keep_ratio=keep)
                threshold = threshold_for(tune, weights)
                row = {"budget": words, "keep_ratio": keep, "threshold": threshold,
                       "tune": evaluate(tune, weights, words, threshold),
                       "held_out": evaluate(held, weights, words, threshold),
                       "never_decline": evaluate(rows, weights, words, -1.0)}
                print("sweep", json.dumps(row), flush=True)
                sweep.append(row)
        results["budget_sweep"] = sweep
        within = [row for row in sweep if row["tune"]["words"] <= WORDS_TARGET]
        results["chosen"] = max(within, key=lambda row: row["tune"]["supported"]) if within else None
        print("chosen (most support on the tune half within the word target)", json.dumps(results["chosen"]))
        out = Path("eval/reports/calibration.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
