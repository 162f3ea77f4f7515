"""Mean pooling of token states into L2-normalised vectors: sentence-transformers' pooling.

A chunk runs through the model once; its token states are pooled over all tokens for the
chunk's vector (the same numbers as `SentenceTransformer.encode`) and over each sentence's
tokens for that sentence's vector, so sentences cost no second pass.
"""

from __future__ import annotations

import numpy as np

from rag.embed.states import TokenStates


def pool(states: TokenStates, spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean-pooled, L2-normalised vectors: one per text over all its tokens, and one per
    character span over the tokens inside it. A span with no token inside (cut off by
    the model's 256-token window) gets a row of NaN for the caller to fill."""
    hidden, mask, offsets = states
    counts = mask.sum(1, keepdims=True).clip(min=1)
    texts = normalise((hidden * mask[..., None]).sum(1) / counts)
    pooled = []
    for i, text_spans in enumerate(spans):
        starts, ends = offsets[i, :, 0], offsets[i, :, 1]
        real = mask[i] & (ends > starts)
        inside = np.array([real & (starts >= s) & (ends <= e) for s, e in text_spans], dtype=np.float32)
        inside = inside.reshape(len(text_spans), hidden.shape[1])
        n = inside.sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled.append(normalise((inside @ hidden[i]) / n))
    return texts, pooled


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows divided by their L2 norm, as float32 (a zero row becomes NaN)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)).astype(np.float32)
