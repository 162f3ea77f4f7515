"""Token states, what every document runtime returns, and the tokenizing they share.

A runtime turns a batch of texts into MiniLM's last hidden layer with the attention mask
and each token's character span, so pooling can read any span of a text from one pass.
Document runtimes tokenize with their own copy of the tokenizer, one call at a time: a
fast tokenizer changes its padding state per call, so sharing it with the question
encoder (other threads, other settings) could fail with "Already borrowed".
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import NamedTuple

import numpy as np


class TokenStates(NamedTuple):
    hidden: np.ndarray  # (texts, tokens, dims) float32, last hidden layer
    mask: np.ndarray  # (texts, tokens) bool: real tokens, special ones included
    offsets: np.ndarray  # (texts, tokens, 2) character span of each token in its text; (0, 0) for specials


_TOKENIZER_LOCK = threading.Lock()


def tokenize(tokenizer, texts: list[str], max_length: int, tensors: str):
    """Padded, truncated token ids with character offsets, as `tensors` ("pt" or "np")."""
    with _TOKENIZER_LOCK:
        return tokenizer(texts, padding=True, truncation=True, max_length=max_length,
                         return_offsets_mapping=True, return_tensors=tensors)


@lru_cache(maxsize=2)
def own_tokenizer(model):
    """A private copy of the loaded model's tokenizer, for document runtimes only."""
    import copy

    return copy.deepcopy(model.tokenizer)
