"""Choosing the document runtime: the fastest one that loads and agrees with torch fp32.

A fast runtime is used only after its vectors for the probe texts agree with torch fp32
(`reference`) within the bar for its precision; any failure or disagreement moves on to
the next, ending with torch, and says why in the log. A runtime the user named runs at
the asked precision and raises if it cannot load.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from rag.embed.model import native_bf16
from rag.embed.pooling import pool
from rag.embed.runtimes.ctranslate2 import CT2Encoder
from rag.embed.runtimes.openvino import OpenVINOEncoder
from rag.embed.runtimes.torch import TorchEncoder

log = logging.getLogger(__name__)

MIN_COSINE = 0.99999  # an fp32 backend other than torch must agree with torch fp32 this well
MIN_COSINE_BF16 = 0.9999  # a bf16 one (torch's own bf16 autocast is held to the same)
# int8 is judged on retrieval, not cosine (eval/perf/README.md, eval/perf/fidelity.py):
# this bar only catches a broken quantization
MIN_COSINE_INT8 = 0.97
RUNTIMES = ("auto", "ctranslate2", "openvino", "torch")
PROBES = [
    "Normans\nThe Normans were the people who in the 10th and 11th centuries gave their name to Normandy.",
    "Recruitment\nVolunteer recruitment provides roughly 30,000 troops per month, officials said.",
    "x",
]


def document_encoder(model, choice: str, precision: str, cache: Path, threads: int, reference):
    """The encoder for document text. `choice` is auto, ctranslate2, openvino or torch.

    auto tries the fast runtime for `precision` and then for each more exact precision
    (int8 → bf16 where native → fp32): OpenVINO for int8 and bf16, CTranslate2 for fp32,
    each used only when it loads and agrees with `reference` (torch fp32) on the probes.
    torch is the last resort (it has no int8 path here: int8 runs fp32). A runtime named
    by `choice` runs at `precision`; it raises if it cannot load, and gives way to torch
    if it disagrees. The encoder's `precision` says what it really runs."""
    if choice not in RUNTIMES:
        raise ValueError(f"encoder must be 'auto', 'ctranslate2', 'openvino' or 'torch', not {choice!r}")
    if choice != "auto":
        steps = [] if choice == "torch" else [(choice, precision)]
    else:
        exact = {"int8": ["int8", "bf16", "fp32"], "bf16": ["bf16", "fp32"], "fp32": ["fp32"]}[precision]
        # bf16 as a step down from int8 only where it is native (emulated it is slower than fp32)
        steps = [("ctranslate2" if p == "fp32" else "openvino", p) for p in exact
                 if p == precision or p != "bf16" or native_bf16()]
    for name, step in steps:
        try:
            encoder = (CT2Encoder(model, cache, threads, "int8" if step == "int8" else "float32")
                       if name == "ctranslate2" else OpenVINOEncoder(model, threads, step, cache))
            vectors, _ = pool(encoder.states(PROBES), [[] for _ in PROBES])
            cosine = float(np.min(np.sum(vectors * reference(PROBES), axis=1)))
        except Exception as err:  # noqa: BLE001 - any failure means: try the next one
            if choice != "auto":
                raise
            log.warning("%s %s document encoder unavailable: %s", name, step, err)
            continue
        bar = {"int8": MIN_COSINE_INT8, "bf16": MIN_COSINE_BF16 if name == "openvino" else MIN_COSINE
               }.get(step, MIN_COSINE)
        if cosine >= bar:
            return encoder
        log.warning("%s %s disagrees with torch fp32 (cosine %.6f < %s)", name, step, cosine, bar)
    if steps:
        log.warning("embedding documents with torch")
    return TorchEncoder(model, "fp32" if precision == "int8" else precision)
