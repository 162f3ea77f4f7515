"""The quote model: the logistic weights over a sentence's features, and the calibration that
mixes in the reading model's score (rag/embed/reader.py). Both are fitted by eval/calibrate.py
and shipped in rag/data/quote_model.json; a file missing a feature's weight is refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

MODEL_PATH = Path(__file__).parents[1] / "data" / "quote_model.json"
FEATURES = ("coverage", "cosine", "rank", "answer_type", "coverage_gap", "cosine_gap", "novelty", "log_words")


def sigmoid(logit: float) -> float:
    """The probability of a log-odds (the inverse of `logit`), safe for any float."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


def logit(p: float) -> float:
    """The log-odds of a probability, kept finite at 0 and 1."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _own(claim: bool, for_claims, for_questions):
    """A claim's own setting when it has one (0: it is set as for a question)."""
    return for_claims if claim and for_claims else for_questions


@dataclass(frozen=True)
class ReaderCalibration:
    """How the reading model's score and the logistic model's probability combine."""

    reader_weight: float
    prior_weight: float  # on the logit of the logistic model's probability
    bias: float
    candidates: int  # sentences read per question: the logistic model's best
    decline_below: float
    gain_per_word: float  # a further sentence must raise P(answer shown) this much per word
    min_prior: float = 0.0  # of those, the ones below this logistic probability are not read (the best always is)
    claim_candidates: int = 0  # sentences read for a claim (a statement to check); 0: as for a question
    claim_gain_per_word: float = 0.0  # gain_per_word for a claim; 0: as for a question
    claim_decline_below: float = 0.0  # decline_below for a claim; 0: as for a question

    def to_read(self, priors: list[float], claim: bool = False) -> list[int]:
        """Indices of the sentences to read, best prior first. A claim may read more: its
        evidence sits in long abstracts and shares fewer of its words, so the logistic model
        ranks it lower (eval/claim_candidates.py measures how many pay)."""
        many = _own(claim, self.claim_candidates, self.candidates)
        ranked = sorted(range(len(priors)), key=lambda i: -priors[i])[:many]
        return [i for n, i in enumerate(ranked) if n == 0 or priors[i] >= self.min_prior]

    def gain(self, claim: bool) -> float:
        """The gain per word a further quote must bring. A claim may quote more: checking one
        needs the evidence, and its sentences are long (eval/claim_candidates.py)."""
        return _own(claim, self.claim_gain_per_word, self.gain_per_word)

    def cutoff(self, claim: bool) -> float:
        """The probability below which the best sentence is declined. A claim has its own, fitted
        to answer the same share of claims with evidence as questions with an answer
        (eval/claim_candidates.py): the probability is fitted on questions."""
        return _own(claim, self.claim_decline_below, self.decline_below)

    def probability(self, reader_logit: float, prior: float) -> float:
        return sigmoid(self.bias + self.reader_weight * reader_logit + self.prior_weight * logit(prior))


@dataclass(frozen=True)
class QuoteModel:
    """Logistic weights on the raw FEATURES plus the two calibrated cut-offs, and the
    calibration of the reading model on top of it (absent until eval/calibrate.py fits it)."""

    weights: dict[str, float]
    bias: float
    decline_below: float  # decline when no fitting sentence reaches this probability
    gain_per_word: float  # a further sentence must bring this much probability per word
    about: dict = field(default_factory=dict)  # how and on what it was fitted
    reader: ReaderCalibration | None = None

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> QuoteModel:
        data = json.loads(path.read_text())
        missing = set(FEATURES) - set(data["weights"])
        if missing:
            raise ValueError(f"{path}: no weight for {sorted(missing)}; rerun eval/calibrate.py")
        reader = ReaderCalibration(**data["reader"]) if data.get("reader") else None
        return cls(weights=data["weights"], bias=data["bias"], decline_below=data["decline_below"],
                   gain_per_word=data["gain_per_word"], about=data.get("about", {}), reader=reader)

    def gain(self, claim: bool) -> float:
        """The gain per word a further quote must bring; the logistic model has one for all."""
        return self.gain_per_word

    def cutoff(self, claim: bool) -> float:
        """The probability below which the best sentence is declined; one for all."""
        return self.decline_below

    def probability(self, features: dict[str, float]) -> float:
        return sigmoid(self.bias + sum(self.weights[name] * features[name] for name in FEATURES))
