"""Fast embedding of one question: the same MiniLM graph run by ONNX Runtime.

For a single short question torch spends most of its time in per-module Python overhead;
ONNX Runtime runs the same weights without it (timings: eval/perf/README.md). The graph
is exported from the loaded model in memory, once per process, checked against torch on
probe questions, and used only by long-running processes (`rag serve`, `rag chat`,
evals) that ask for it, since the export costs more than one question saves. Documents
are embedded in batches by rag/embed/runtimes/. Any failure (onnxruntime missing, export
error, a probe below the fidelity bar) leaves torch in charge and says why.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import numpy as np
import torch  # already loaded: this module is imported after the model

from rag.embed.export import MeanPooled
from rag.embed.sessions import onnx_session
from rag.embed.wheel import INPUTS

log = logging.getLogger(__name__)

MIN_COSINE = 0.99999  # every probe question must agree with torch at least this well
PROBES = [
    "How many troops a month does volunteer recruitment provide?",
    "Who were the Normans?",
    "What caused the 1973 oil crisis and how long did it last in the United States?",
    "x",
]


class OnnxQueryEncoder:
    def __init__(self, model, threads: int = 1, lock=None):
        self.tokenizer = model.tokenizer
        self.max_length = model.max_seq_length
        sample = self.tokenizer(["hello world"], return_tensors="pt")
        graph = io.BytesIO()
        with lock or contextlib.nullcontext(), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(MeanPooled(model[0].auto_model), tuple(sample[k] for k in INPUTS), graph,
                              input_names=list(INPUTS), output_names=["vector"], opset_version=17,
                              dynamic_axes={k: {0: "batch", 1: "tokens"} for k in INPUTS}, dynamo=False)
        self.graph = graph.getvalue()  # kept for rag/embed/query_cache.py's saved copy
        self.session = onnx_session(self.graph, threads)

    def encode(self, text: str) -> np.ndarray:
        batch = self.tokenizer([text], return_tensors="np", truncation=True, max_length=self.max_length)
        feeds = {k: batch[k].astype(np.int64) for k in INPUTS}
        return self.session.run(None, feeds)[0][0].astype(np.float32)

    def agreement(self, reference) -> float:
        """The lowest cosine between this encoder and `reference(text)` over the probes."""
        return min(float(self.encode(t) @ reference(t)) for t in PROBES)


def build(model, threads: int, reference, lock=None) -> OnnxQueryEncoder | None:
    """An ONNX encoder that agrees with torch, or None (and a log line saying why).
    `lock` guards the torch model while the export traces it."""
    try:
        encoder = OnnxQueryEncoder(model, threads, lock)
        cosine = encoder.agreement(reference)
    except Exception as err:  # noqa: BLE001 - any failure means: keep torch
        log.warning("fast query encoder unavailable, using torch: %s", err)
        return None
    if cosine < MIN_COSINE:
        log.warning("fast query encoder disagrees with torch (cosine %.6f), using torch", cosine)
        return None
    return encoder
