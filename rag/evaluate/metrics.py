"""Answer matching after SQuAD's normalisation (whole words), and document-level retrieval
metrics (recall@k, MRR@k, nDCG@k) over a ranked list of document ids."""

from __future__ import annotations

import math
import re
import unicodedata

_ARTICLES = re.compile(r"\b(a|an|the)\b")
# Inside a number a point, comma or colon is part of it ("3.5", "1,000", "10:30"), so it is
# dropped and the digits stay one word, as SQuAD's normalisation drops every punctuation mark:
# then "3" is not found in "3.5" nor "1,000" in "1,000,000".
_IN_NUMBER = re.compile(r"(?<=\d)[.,:](?=\d)")


def _spaced(ch: str) -> str:
    """A punctuation mark or symbol becomes a space, a format character nothing."""
    category = unicodedata.category(ch)
    return "" if category == "Cf" else " " if category[0] in "PS" else ch


def normalize(text: str) -> str:
    """SQuAD's normalize_answer (lower case, no punctuation, no articles, single spaces), with
    two differences. Any other punctuation mark or symbol, ASCII or not, separates words
    instead of gluing them, so "Rollo" is found in "Rollo's" and "1919" in "1919–20" (SQuAD's
    rule reads "rollos" and "1919–20", and whole-word matching then missed them). Invisible
    format characters (joiners, soft hyphens, direction marks) are ignored: a gold answer and
    the stored text may carry them differently without reading differently."""
    text = _IN_NUMBER.sub("", text.lower())
    text = "".join(map(_spaced, text))
    return " ".join(_ARTICLES.sub(" ", text).split())


def contains_answer(quote: str, answers: list[str]) -> bool:
    """Whether the quote holds one of the answers as whole words, after normalize()."""
    haystack = f" {normalize(quote)} "
    return any(f" {wanted} " in haystack for wanted in map(normalize, answers) if wanted)


# retrieval, at document level ------------------------------------------------
def recall_at(ranked: list[str], relevant: dict[str, float], k: int) -> float:
    """Share of the relevant documents found in the first k."""
    wanted = {d for d, grade in relevant.items() if grade > 0}
    return len(wanted & set(ranked[:k])) / len(wanted) if wanted else 0.0


def mrr_at(ranked: list[str], relevant: dict[str, float], k: int = 10) -> float:
    return next((1.0 / rank for rank, d in enumerate(ranked[:k], start=1) if relevant.get(d, 0) > 0), 0.0)


def ndcg_at(ranked: list[str], relevant: dict[str, float], k: int = 10) -> float:
    """Linear gain over log2 discount, as pytrec_eval (and so BEIR) computes it."""
    dcg = sum(relevant.get(d, 0) / math.log2(rank + 1) for rank, d in enumerate(ranked[:k], start=1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg else 0.0


RECALL_KS = (1, 5, 10)


def ranking_metrics(ranked: list[str], relevant: dict[str, float]) -> dict[str, float]:
    """recall@1/5/10, MRR@10 and nDCG@10 of one ranked list of document ids."""
    return {**{f"recall@{k}": recall_at(ranked, relevant, k) for k in RECALL_KS},
            "mrr@10": mrr_at(ranked, relevant, 10), "ndcg@10": ndcg_at(ranked, relevant, 10)}


def mean_metrics(rows: list[dict[str, float]]) -> dict[str, float]:
    """Each metric averaged over the rows (one row per query), to 4 places."""
    return {name: round(sum(r[name] for r in rows) / len(rows), 4) for name in rows[0]}
