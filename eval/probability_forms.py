"""Which evidence the quote probability takes: each form fitted end to end on the calibration articles.

Run: python eval/probability_forms.py → eval/reports/probability_forms.json (about 10 minutes).
The questions, corpus and per-sentence evidence are eval/calibrate_reader.py's (the four
calibration articles, 947 questions, against the whole SQuAD dev part). Each form is a
logistic regression on its features over the candidates the shipped calibration reads,
then fitted as calibrate_reader fits the shipped one: the decline cut-off answering 92% of
answerable questions and the gain per word keeping answers under 42 words. Each is fitted
on all questions; then, to see what it does to questions it was not fitted on, on each half
of the questions (SHA-1 of the question) and measured on the other, and on three articles
and measured on the fourth (pooled over the four). Halves share articles, so they flatter a
form that fits an article's questions; only the two dev articles hold unanswerable
questions. The shipped form is `ReaderCalibration.probability`: the reader's logit and the
logit of the logistic model's probability.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.calibrate_reader import calibration_rows, cutoff_and_gain, outcomes  # noqa: E402
from eval.train_reader import SQUAD_DEV, SQUAD_TRAIN, calibration_articles, slug  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.evaluate.squad import questions_of  # noqa: E402
from rag.quotes import QuoteModel, asks_for, logit, sigmoid  # noqa: E402

OUT = REPO / "eval" / "reports" / "probability_forms.json"


def _prior(s) -> float:
    return logit(s.features["prior"])


def _best(sentences) -> float:
    return logit(sentences[0].features["prior"])  # collect sorts them by prior


FORMS = {  # name → features of a sentence, given its question's candidates
    "reader, prior (shipped)": lambda q, s, ss: [s.features["reader"], _prior(s)],
    "reader, prior against the best candidate's": lambda q, s, ss: [s.features["reader"], _prior(s) - _best(ss)],
    "reader alone": lambda q, s, ss: [s.features["reader"]],
    "reader, prior, best candidate's prior": lambda q, s, ss: [s.features["reader"], _prior(s), _best(ss)],
    "reader, prior, answer type (when / how many)": lambda q, s, ss: [
        s.features["reader"], _prior(s),
        (s.features["answer_type"] - 0.5) * (asks_for(q.question) in ("time", "number"))],
}


def scored(rows, form, regression, read):
    """The rows with each read sentence's probability under the fitted form (0 when unread)."""
    def probability(q, s, ss) -> float:
        return float(sigmoid(regression.intercept_[0] + np.dot(regression.coef_[0], form(q, s, ss))))

    return [(q, [replace(s, score=probability(q, s, ss) if i in read(ss) else 0.0) for i, s in enumerate(ss)], labels)
            for q, ss, labels in rows]


def fit(rows, form, read, candidates: int, max_words: int):
    from sklearn.linear_model import LogisticRegression

    X = np.array([form(q, s, ss) for q, ss, _ in rows for s in ss[:candidates]])
    y = np.array([label for _, _, labels in rows for label in labels[:candidates]])
    regression = LogisticRegression(max_iter=3000).fit(X, y)
    return (regression, *cutoff_and_gain(scored(rows, form, regression, read), max_words, digits=None))


def held_out(rows, groups: list[int], form, read, candidates: int, max_words: int) -> dict:
    """Each group's rows answered by the form fitted on the other groups' rows, pooled."""
    checked, settings = [], []
    for g in sorted(set(groups)):
        fitted_on = [r for r, k in zip(rows, groups) if k != g]
        regression, cut, gain = fit(fitted_on, form, read, candidates, max_words)
        mine = [r for r, k in zip(rows, groups) if k == g]
        checked += scored(mine, form, regression, read)
        settings += [(cut, gain)] * len(mine)
    return outcomes(checked, settings, max_words)


def article_of() -> dict[str, str]:
    """The calibration article of each calibration question, by question id."""
    train_keep, dev_keep = calibration_articles()
    out = {}
    for path in (SQUAD_TRAIN, SQUAD_DEV):
        for article in json.loads(path.read_text())["data"]:
            if slug(article["title"]) in train_keep | dev_keep:
                out.update({q.id: slug(article["title"]) for q in questions_of(article)})
    return out


def compare(rows) -> dict:
    calibration = QuoteModel.load().reader
    max_words = Settings().answer.quote_words

    def read(ss):
        return set(calibration.to_read([s.features["prior"] for s in ss]))

    halves = [int(hashlib.sha1(q.question.encode()).hexdigest(), 16) % 2 for q, _, _ in rows]
    by_id = article_of()
    names = sorted(set(by_id.values()))
    articles = [names.index(by_id[q.id]) for q, _, _ in rows]
    out = {}
    for name, form in FORMS.items():
        regression, cut, gain = fit(rows, form, read, calibration.candidates, max_words)
        out[name] = {"weights": [round(float(w), 4) for w in regression.coef_[0]],
                     "bias": round(float(regression.intercept_[0]), 4), "decline_below": round(cut, 4),
                     "gain_per_word": gain,
                     "fitted and measured on all": outcomes(scored(rows, form, regression, read),
                                                           [(cut, gain)] * len(rows), max_words),
                     "each half fitted on the other": held_out(rows, halves, form, read, calibration.candidates,
                                                               max_words),
                     "each article fitted on the other three": held_out(rows, articles, form, read,
                                                                        calibration.candidates, max_words)}
        print(name, json.dumps(out[name]), flush=True)
    return out


def main() -> None:
    import argparse

    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    rows = calibration_rows()
    OUT.write_text(json.dumps({"questions": len(rows), "forms": compare(rows)}, indent=1) + "\n")


if __name__ == "__main__":
    main()
