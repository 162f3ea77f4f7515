"""Calibrate the reading model's quote probability, decline cut-off and word budget.

Run: python eval/calibrate_reader.py (or `make calibrate`, after eval/calibrate.py).
Only questions the reader never trained on are used: the two SQuAD train articles and the
two tune-half dev articles eval/train_reader.py keeps back (its `calibration_articles`).
The corpus is those articles plus the whole SQuAD 2.0 dev part, so candidates come from
an open corpus as in the reports. With the engine's own code per question (retrieval, the
logistic model's probability, the reader's score on every candidate sentence):
1. how many sentences to read: the fewest whose best-by-prior set still holds the answer
   sentence for nearly as many questions as reading them all, at most MOST_CANDIDATES
   (what the latency budget allows), and the logistic probability below which one of those is
   left unread, the highest at which steps 2-3 still support and decline as many questions as
   reading them all, give or take QUESTIONS_GIVEN_UP (the reader's time grows with the
   sentences it reads);
2. a logistic regression on (reader logit, logit of the prior) → the quote probability;
3. the decline cut-off answering 92% of answerable questions, and the smallest
   gain_per_word (added probability of showing the answer, per word) that keeps answers
   under WORDS_TARGET words on average.
Writes the "reader" section of rag/data/quote_model.json and eval/reports/reader_calibration.json.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.train_reader import SQUAD_DEV, SQUAD_TRAIN, calibration_articles, slug  # noqa: E402
from rag.answer import scored_sentences  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.metrics import contains_answer  # noqa: E402
from rag.evaluate.squad import article_markdown, questions_of  # noqa: E402
from rag.quotes import (MODEL_PATH, QuoteModel, ReaderCalibration, figures_found, fits, logit,  # noqa: E402
                        names_found, reader_passage, select)

ANSWERED_TARGET = 0.92
WORDS_TARGET = 42.0  # mean words per answer here; the report bar is 45
READ_ALL = 40
CANDIDATE_CHOICES = (4, 6, 8, 10, 12, 16)
MOST_CANDIDATES = 8  # the latency budget: /v1/ask p50 <= 40 ms on 2 cores (eval/perf/query.py)
GAINS = np.round(np.concatenate([np.arange(0.0005, 0.01, 0.00025), np.arange(0.01, 0.05, 0.001)]), 5)
CLAIM_KEYS = ("claim_candidates", "claim_gain_per_word", "claim_decline_below")  # eval/claim_candidates.py sets these


def corpus_and_questions(folder: Path):
    train_keep, dev_keep = calibration_articles()
    qs = []
    for path, keep in ((SQUAD_TRAIN, train_keep), (SQUAD_DEV, None)):
        for article in json.loads(path.read_text())["data"]:
            name = slug(article["title"])
            if keep is not None and name not in keep:
                continue
            (folder / f"{name}.md").write_text(article_markdown(article))
            if name in train_keep or name in dev_keep:
                qs += questions_of(article)
    return qs


def collect(engine: Engine, qs):
    """Per question: its READ_ALL best sentences by the logistic model, as answering scores
    them, each read by the reader (prior probability and reader logit), and their labels."""
    reader = engine.reader()
    parts = engine.answer_parts()
    rows = []
    for q in qs:
        scored = scored_sentences(q.question, [], parts, quote_chunks=engine.settings.answer.quote_chunks, read=False)
        sentences = sorted(scored.sentences, key=lambda s: -s.score)[:READ_ALL]
        logits = reader.logits(q.question, [reader_passage(s) for s in sentences])
        labels = [q.answerable and contains_answer(s.text, q.answers) for s in sentences]
        idf = parts.idf()
        sentences = [replace(s, features={**s.features, "prior": s.score, "reader": float(score),
                                          # each fit check on its own, for the ablation
                                          "check_negation": float(fits(q.question, s.text)),
                                          "check_numbers": float(figures_found(q.question, s.document.text)),
                                          "check_names": float(names_found(q.question, s.document.text, idf,
                                                                           figures=False))})
                     for s, score in zip(sentences, logits)]
        rows.append((q, sentences, labels))
    return rows


CHECKS = ("check_negation", "check_numbers", "check_names")


def with_checks(rows, checks: tuple[str, ...]):
    """The rows with `fits` recomputed from the named checks only."""
    return [(q, [replace(s, fits=all(s.features[c] for c in checks)) for s in sentences], labels)
            for q, sentences, labels in rows]


def choose_candidates(rows) -> int:
    answerable = [labels for q, _, labels in rows if q.answerable and any(labels)]
    reach = {n: float(np.mean([any(labels[:n]) for labels in answerable])) for n in CANDIDATE_CHOICES}
    enough = next(n for n in CANDIDATE_CHOICES if reach[n] >= reach[CANDIDATE_CHOICES[-1]] - 0.01)
    return min(enough, MOST_CANDIDATES), reach


MIN_PRIORS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04)
QUESTIONS_GIVEN_UP = 1  # answerable questions supported, and unanswerable ones declined, at most, for speed


def choose_min_prior(rows, candidates: int) -> tuple[ReaderCalibration, dict]:
    """The highest logistic probability below which a candidate is left unread while the
    fitted answer step supports and declines as many questions as reading every candidate,
    give or take QUESTIONS_GIVEN_UP of each: the reader's time grows with the sentences it
    reads. Judged end to end, not by how often the answer sentence is read: a low-prior
    sentence left unread is rarely one the reader would have quoted. Returns the calibration
    fitted with it, and the table."""
    n_answerable = sum(q.answerable for q, _, _ in rows)
    n_unanswerable = len(rows) - n_answerable
    table, fitted_with = {}, {}
    for p in MIN_PRIORS:
        fitted_with[p] = fit(rows, candidates, p)
        chosen = [fitted_with[p].to_read([s.features["prior"] for s in sentences]) for _, sentences, _ in rows]
        reached = [any(labels[i] for i in c) for c, (q, _, labels) in zip(chosen, rows) if q.answerable and any(labels)]
        fitted = evaluate(rows, fitted_with[p])
        table[p] = {"reach": round(float(np.mean(reached)), 4), "mean_read": round(float(np.mean([len(c) for c in chosen])), 2),
                    "supported": fitted["supported"], "declined_unanswerable": fitted["declined_unanswerable"]}
    full = table[0.0]
    best = max(p for p in MIN_PRIORS
               if table[p]["supported"] >= full["supported"] - (QUESTIONS_GIVEN_UP + 0.5) / n_answerable
               and table[p]["declined_unanswerable"]
               >= full["declined_unanswerable"] - (QUESTIONS_GIVEN_UP + 0.5) / n_unanswerable)
    return fitted_with[best], table


def fit(rows, candidates: int, min_prior: float = 0.0) -> ReaderCalibration:
    from sklearn.linear_model import LogisticRegression

    X = np.array([[s.features["reader"], logit(s.features["prior"])]
                  for _, sentences, _ in rows for s in sentences[:candidates]])
    y = np.array([label for _, _, labels in rows for label in labels[:candidates]])
    regression = LogisticRegression(max_iter=2000).fit(X, y)
    calibration = ReaderCalibration(reader_weight=round(float(regression.coef_[0][0]), 6),
                                    prior_weight=round(float(regression.coef_[0][1]), 6),
                                    bias=round(float(regression.intercept_[0]), 6), candidates=candidates,
                                    decline_below=0.0, gain_per_word=0.0, min_prior=min_prior)
    threshold, gain = cutoff_and_gain(rescore(rows, calibration), Settings().answer.quote_words)
    return replace(calibration, decline_below=threshold, gain_per_word=gain)


def cutoff_and_gain(scored_rows, max_words: int, digits: int | None = 4) -> tuple[float, float]:
    """For rows already scored: the decline cut-off answering ANSWERED_TARGET of answerable
    questions (rounded to `digits`, as rag/data/quote_model.json stores it), and the smallest
    gain per word keeping answers under WORDS_TARGET words with that cut-off."""
    bests = [max((s.score for s in sentences if s.fits), default=0.0)
             for q, sentences, _ in scored_rows if q.answerable]
    threshold = float(np.quantile(bests, 1 - ANSWERED_TARGET))
    threshold = round(threshold, digits) if digits is not None else threshold
    gain = next((float(g) for g in GAINS
                 if outcomes(scored_rows, [(threshold, float(g))] * len(scored_rows), max_words)["words"]
                 <= WORDS_TARGET), float(GAINS[-1]))
    return threshold, gain


def rescore(rows, calibration: ReaderCalibration):
    """The rows with each sentence's probability under `calibration` (0 when it is not read)."""
    out = []
    for q, sentences, labels in rows:
        read = set(calibration.to_read([s.features["prior"] for s in sentences]))
        out.append((q, [replace(s, score=calibration.probability(s.features["reader"], s.features["prior"])
                                if i in read else 0.0) for i, s in enumerate(sentences)], labels))
    return out


def evaluate(rows, calibration: ReaderCalibration, max_words: int = Settings().answer.quote_words) -> dict:
    return outcomes(rescore(rows, calibration), [(calibration.decline_below, calibration.gain_per_word)] * len(rows),
                    max_words)


def outcomes(rows, settings: list[tuple[float, float]], max_words: int) -> dict:
    """The answers made of scored `rows`, each with its own (decline cut-off, gain per word)."""
    answered = supported = first = declined = n_ans = n_un = 0
    words = []
    for (q, sentences, _), (decline_below, gain_per_word) in zip(rows, settings):
        best = max((s.score for s in sentences if s.fits), default=0.0)
        quotes = select(sentences, 3, max_words, gain_per_word, joint=True) if best >= decline_below else []
        if quotes:
            words.append(sum(len(x.text.split()) for x in quotes))
        if q.answerable:
            n_ans += 1
            answered += bool(quotes)
            supported += any(contains_answer(x.text, q.answers) for x in quotes)
            first += bool(quotes) and contains_answer(quotes[0].text, q.answers)
        else:
            n_un += 1
            declined += not quotes
    return {"supported": round(supported / max(1, n_ans), 4), "answered": round(answered / max(1, n_ans), 4),
            "first_quote_of_answered": round(first / max(1, answered), 4),
            "declined_unanswerable": round(declined / max(1, n_un), 4),
            "words": round(float(np.mean(words)), 1) if words else 0.0, "questions": len(rows)}


def calibration_rows():
    """`collect`'s rows for the calibration questions, asked of a fresh index of their corpus."""
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        qs = corpus_and_questions(corpus)
        engine = Engine(Settings(data_dir=Path(tmp) / "data", precision="fp32"))
        engine.ingest(corpus)
        return collect(engine, qs)


def main() -> None:
    rows = calibration_rows()
    candidates, reach = choose_candidates(rows)
    calibration, by_min_prior = choose_min_prior(rows, candidates)
    min_prior = calibration.min_prior
    results = {"questions": len(rows), "candidates_reach": reach, "min_prior": by_min_prior,
               "calibration": calibration.__dict__,
               "fitted": evaluate(rows, calibration), "ablation (each refitted)": {}}
    for dropped in (None, *CHECKS, "all"):
        kept = () if dropped == "all" else tuple(c for c in CHECKS if c != dropped)
        variant = with_checks(rows, kept)
        results["ablation (each refitted)"][f"without {dropped}" if dropped else "all checks"] = \
            evaluate(variant, fit(variant, candidates, min_prior))
    print(json.dumps(results, indent=1))
    data = json.loads(MODEL_PATH.read_text())
    # what a claim reads and quotes is measured on SciFact claims by eval/claim_candidates.py: kept
    earlier = data.get("reader") or {}
    data["reader"] = {**calibration.__dict__, **{key: earlier.get(key, 0) for key in CLAIM_KEYS}}
    MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n")
    QuoteModel.load()  # the file still loads
    out = REPO / "eval" / "reports" / "reader_calibration.json"
    out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
