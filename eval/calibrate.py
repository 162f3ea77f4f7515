"""Fit the quote model and calibrate its two cut-offs on SQuAD 2.0.

Run: python eval/calibrate.py [SQUAD_JSON] (or `make calibrate`). Candidate sentences and
their features are computed once per question by the answer step itself
(rag.answer.scored_sentences, the reading model left out).
Then, on half of the articles (the "tune" half) only:
1. a logistic regression learns, from each candidate sentence's FEATURES, whether it
   holds a gold answer (unanswerable questions give only negatives);
2. the decline cut-off is the highest probability that still answers 92% of the tune
   half's answerable questions;
3. gain_per_word is the smallest that keeps tune answers under 47 words on average.
The other half reports what that gives on articles it never saw; fitting on that half
and reporting on the tune half gives the cross-fitted figure over all ten. The shipped
model (rag/data/quote_model.json) is the tune-half fit. Writes eval/reports/calibration.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from rag.answer import scored_sentences
from rag.config import Settings
from rag.engine import Engine
from rag.evaluate.metrics import contains_answer
from rag.evaluate.squad import questions, write_articles
from rag.quotes import FEATURES, MODEL_PATH, QuoteModel, select

ANSWERED_TARGET = 0.92
WORDS_TARGET = 47.0  # mean words per answer on the tune half: 49 gave 51.3 held out (the bar is 50)
MAX_WORDS = Settings().answer.quote_words
GAINS = np.round(np.arange(0.001, 0.02, 0.00025), 5)
NEUTRAL = QuoteModel(weights=dict.fromkeys(FEATURES, 0.0), bias=0.0, decline_below=0.0, gain_per_word=0.0)


def features(engine: Engine, qs):
    """(question, sentences) with features computed as answering computes them (sentence
    cosines from the vectors stored at ingest), under the neutral model."""
    vectors = engine.embed_questions([q.question for q in qs])  # one batch, not a call per question
    parts = replace(engine.answer_parts(), model=NEUTRAL)
    return [(q, scored_sentences(q.question, [], parts, quote_chunks=engine.settings.answer.quote_chunks, read=False,
                                 vector=vector).sentences)
            for q, vector in zip(qs, vectors)]


def fit(rows) -> QuoteModel:
    """Logistic regression on standardised features, folded back onto the raw ones."""
    X = np.array([[s.features[f] for f in FEATURES] for _, sentences in rows for s in sentences])
    y = np.array([q.answerable and contains_answer(s.text, q.answers) for q, sentences in rows for s in sentences])
    scaler = StandardScaler().fit(X)
    regression = LogisticRegression(max_iter=5000).fit(scaler.transform(X), y)
    weights = regression.coef_[0] / scaler.scale_
    bias = float(regression.intercept_[0] - weights @ scaler.mean_)
    model = replace(NEUTRAL, weights={f: round(float(w), 6) for f, w in zip(FEATURES, weights)}, bias=round(bias, 6))
    threshold = threshold_for(rescore(rows, model))
    gain = next((g for g in GAINS if evaluate(rows, model, threshold, float(g))["words"] <= WORDS_TARGET), GAINS[-1])
    return replace(model, decline_below=threshold, gain_per_word=float(gain))


def rescore(rows, model: QuoteModel):
    """The rows with each sentence's probability under `model`."""
    return [(q, [replace(s, score=model.probability(s.features)) for s in sentences]) for q, sentences in rows]


def threshold_for(rows) -> float:
    bests = [max((s.score for s in sentences if s.fits), default=0.0) for q, sentences in rows if q.answerable]
    return round(float(np.quantile(bests, 1 - ANSWERED_TARGET)), 4) if bests else 0.0


def evaluate(rows, model: QuoteModel, threshold: float | None = None, gain: float | None = None) -> dict:
    """The engine's compose rule on precomputed sentences, scored as `rag eval` scores."""
    rows = rescore(rows, model)
    threshold = model.decline_below if threshold is None else threshold
    gain = model.gain_per_word if gain is None else gain
    answered = supported = declined = n_ans = n_un = 0
    words = []
    for q, sentences in rows:
        best = max((s.score for s in sentences if s.fits), default=0.0)
        quotes = select(sentences, 3, MAX_WORDS, gain) if best >= threshold else []
        if quotes:  # words per answer over every answer given, as `rag eval` counts them
            words.append(sum(len(x.text.split()) for x in quotes))
        if q.answerable:
            n_ans += 1
            answered += bool(quotes)
            supported += any(contains_answer(x.text, q.answers) for x in quotes)
        else:
            n_un += 1
            declined += not quotes
    return {"supported": round(supported / max(1, n_ans), 4), "answered": round(answered / max(1, n_ans), 4),
            "declined_unanswerable": round(declined / max(1, n_un), 4),
            "words": round(float(np.mean(words)), 1) if words else 0.0, "questions": len(rows)}


def without_fit_checks(rows):
    return [(q, [replace(s, fits=True) for s in sentences]) for q, sentences in rows]


def mean_of(a: dict, b: dict) -> dict:
    return {k: round((a[k] + b[k]) / 2, 4) for k in a if k != "questions"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("squad", nargs="?", type=Path, default=Path("../shared/datasets/squad2/squad2-dev-part.json"),
                        help="SQuAD 2.0 JSON (default: the shared dev part, relative to the repo root)")
    squad = parser.parse_args().squad
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        write_articles(squad, corpus)
        engine = Engine(Settings(data_dir=Path(tmp) / "data", precision="fp32"), model=NEUTRAL)
        engine.ingest(corpus)
        qs = questions(squad)
        article, current = {}, ""
        for q in qs:  # unanswerable questions belong to the article of their paragraph
            current = q.gold_document_ids[0] if q.gold_document_ids else current
            article[q.id] = current
        tune_articles = set(sorted(set(article.values()))[::2])
        rows = features(engine, qs)
    tune = [r for r in rows if article[r[0].id] in tune_articles]
    held = [r for r in rows if article[r[0].id] not in tune_articles]

    model = fit(tune)
    reverse = fit(held)
    results = {"model": {"weights": model.weights, "bias": model.bias, "decline_below": model.decline_below,
                         "gain_per_word": model.gain_per_word},
               "tune_articles": sorted(tune_articles),
               "tune": evaluate(tune, model), "held_out": evaluate(held, model), "all": evaluate(rows, model),
               "never_decline": evaluate(rows, model, threshold=-1.0),
               "cross_fitted": mean_of(evaluate(held, model), evaluate(tune, reverse))}
    # the same steps without the fit checks (negation, numbers), held out
    loose_tune, loose_held = without_fit_checks(tune), without_fit_checks(held)
    results["held_out_without_fit_checks"] = evaluate(loose_held, fit(loose_tune))
    for name in ("tune", "held_out", "all", "never_decline", "cross_fitted", "held_out_without_fit_checks"):
        print(f"{name:28s}", json.dumps(results[name]), flush=True)
    print("model", json.dumps(results["model"]))

    about = {"fitted_by": "eval/calibrate.py", "date": date.today().isoformat(),
             "data": "SQuAD 2.0 dev (part), CC BY-SA 4.0, Rajpurkar, Jia and Liang 2018",
             "tune_articles": sorted(tune_articles), "held_out": results["held_out"],
             "cross_fitted": results["cross_fitted"]}
    reader = json.loads(MODEL_PATH.read_text()).get("reader")  # refit by eval/calibrate_reader.py next
    MODEL_PATH.write_text(json.dumps({"features": list(FEATURES), "weights": model.weights, "bias": model.bias,
                                      "decline_below": model.decline_below, "gain_per_word": model.gain_per_word,
                                      "about": about, **({"reader": reader} if reader else {})}, indent=1) + "\n")
    out = Path("eval/reports/calibration.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
