"""Fast embedding of one question: the same MiniLM graph run by ONNX Runtime.

For a single short question torch spends most of its time in per-module Python overhead:
measured on 2 cores with one thread, p50 16 ms with sentence-transformers and 6 ms with
ONNX Runtime fp32 on the same weights, at cosine 0.9999995 (eval/perf/README.md). The
graph is exported from the loaded model in memory (about 1.5 s, once per process), checked
against torch on probe questions, and used only by long-running processes (`rag serve`,
`rag chat`, evals) that ask for it. Documents are embedded in batches by rag/encoders.py.
Any failure (onnxruntime missing, export error, a probe below the fidelity bar) leaves
torch in charge and says why.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings

import numpy as np
import torch  # already loaded: this module is imported after the model

log = logging.getLogger(__name__)

MIN_COSINE = 0.99999  # every probe question must agree with torch at least this well
PROBES = [
    "How many troops a month does volunteer recruitment provide?",
    "Who were the Normans?",
    "What caused the 1973 oil crisis and how long did it last in the United States?",
    "x",
]
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class OnnxQueryEncoder:
    def __init__(self, model, threads: int = 1, lock=None):
        import onnxruntime as ort

        self.tokenizer = model.tokenizer
        self.max_length = model.max_seq_length
        sample = self.tokenizer(["hello world"], return_tensors="pt")
        graph = io.BytesIO()
        with lock or contextlib.nullcontext(), torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(MeanPooled(model[0].auto_model), tuple(sample[k] for k in _INPUTS), graph,
                              input_names=list(_INPUTS), output_names=["vector"], opset_version=17,
                              dynamic_axes={k: {0: "batch", 1: "tokens"} for k in _INPUTS}, dynamo=False)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.graph = graph.getvalue()  # kept for rag/query_cache.py's saved copy
        self.session = ort.InferenceSession(self.graph, options, providers=["CPUExecutionProvider"])

    def encode(self, text: str) -> np.ndarray:
        batch = self.tokenizer([text], return_tensors="np", truncation=True, max_length=self.max_length)
        feeds = {k: batch[k].astype(np.int64) for k in _INPUTS}
        return self.session.run(None, feeds)[0][0].astype(np.float32)

    def agreement(self, reference) -> float:
        """The lowest cosine between this encoder and `reference(text)` over the probes."""
        return min(float(self.encode(t) @ reference(t)) for t in PROBES)


class LastHidden(torch.nn.Module):
    """BERT's last hidden states as a plain module of the three inputs, for export."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state


class MeanPooled(LastHidden):
    """BERT + sentence-transformers' mean pooling + L2 normalisation in one graph."""

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = super().forward(input_ids, attention_mask, token_type_ids)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)


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
