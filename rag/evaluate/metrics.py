"""Answer-matching metrics with the official SQuAD normalisation."""

from __future__ import annotations

import re
import string

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = set(string.punctuation)


def normalize(text: str) -> str:
    """SQuAD's normalize_answer: lower, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def contains_answer(quote: str, answers: list[str]) -> bool:
    haystack = f" {normalize(quote)} "
    return any(f" {normalize(a)} " in haystack for a in answers if normalize(a))
