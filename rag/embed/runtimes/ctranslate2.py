"""The CTranslate2 runtime: token states from a converted copy of the model (rag/embed/copies.py).

It runs as one single-threaded replica per core, each taking its own batch, so `states`
may be called from `workers` threads at once (eval/perf/README.md compares this with one
replica using every core).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.embed.copies import ctranslate2_copy
from rag.embed.states import TokenStates, own_tokenizer, tokenize


class CT2Encoder:
    name = "ctranslate2"

    def __init__(self, model, cache: Path, threads: int, compute_type: str = "float32"):
        self.tokenizer, self.max_length = own_tokenizer(model), model.max_seq_length
        self.precision = "int8" if compute_type.startswith("int8") else "fp32"
        self.workers = max(1, threads)  # a single-threaded replica per thread
        self.encoder = loaded(str(ctranslate2_copy(cache)), self.workers, compute_type)

    def states(self, texts: list[str]) -> TokenStates:
        batch = tokenize(self.tokenizer, texts, self.max_length, "np")
        mask = batch["attention_mask"].astype(bool)
        ids = [row[:n].tolist() for row, n in zip(batch["input_ids"], mask.sum(1))]
        hidden = np.asarray(self.encoder.forward_batch(ids).last_hidden_state, dtype=np.float32)
        return TokenStates(hidden, mask, batch["offset_mapping"])


@lru_cache(maxsize=4)
def loaded(path: str, workers: int, compute_type: str):
    """One loaded copy per process. Making it sets the process's OpenMP thread count to
    its intra_threads (1), which torch shares: torch's count is put back afterwards."""
    import ctranslate2
    import torch

    threads = torch.get_num_threads()
    try:
        return ctranslate2.Encoder(path, device="cpu", compute_type=compute_type,
                                   inter_threads=workers, intra_threads=1)
    finally:
        torch.set_num_threads(threads)
