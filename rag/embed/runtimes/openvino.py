"""The OpenVINO runtime: token states from a graph converted from the loaded model.

The graph (dynamic batch and length) is converted in memory once per process and
compiled for throughput, one stream per core, so `states` may be called from `workers`
threads at once. bf16 runs where the CPU has it natively. int8 is that graph with its
matrix products quantized once by NNCF (post-training, calibrated on Wikipedia passages
shipped in rag/data/calibration.txt) and cached as a copy (rag/embed/copies.py); the rest
of it runs in bf16 where native.
"""

from __future__ import annotations

import logging
import queue
from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.config import MODEL_CACHE
from rag.embed.copies import build_once, openvino_int8_path
from rag.embed.model import native_bf16
from rag.embed.states import TokenStates, own_tokenizer, tokenize
from rag.embed.wheel import INPUTS

log = logging.getLogger(__name__)

# Wikipedia text, like the corpora it embeds: calibrating on other text (Python's docs)
# made int8 agree less with fp32 on Wikipedia chunks (eval/perf/README.md)
CALIBRATION = Path(__file__).parents[2] / "data" / "calibration.txt"


class OpenVINOEncoder:
    name = "openvino"

    def __init__(self, model, threads: int, precision: str = "bf16", cache: Path = MODEL_CACHE):
        self.tokenizer, self.max_length, self.precision = own_tokenizer(model), model.max_seq_length, precision
        compiled = compile_model(model, max(1, threads), precision, cache)
        # one infer request per stream; `states` may be called from `workers` threads at once
        self.workers = max(1, int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
        self._requests = queue.SimpleQueue()
        for _ in range(self.workers):
            self._requests.put(compiled.create_infer_request())

    def states(self, texts: list[str]) -> TokenStates:
        batch = tokenize(self.tokenizer, texts, self.max_length, "np")
        request = self._requests.get()
        try:  # the request reuses its output buffer: copy before handing it back
            hidden = np.array(request.infer([batch[k] for k in INPUTS])[0], dtype=np.float32)
        finally:
            self._requests.put(request)
        return TokenStates(hidden, batch["attention_mask"].astype(bool), batch["offset_mapping"])


@lru_cache(maxsize=4)
def compile_model(model, threads: int, precision: str, cache: Path):
    """MiniLM converted from the loaded torch model (dynamic batch and length) and compiled
    for throughput: one stream per core, bf16 inside where asked for and native. int8 is
    the converted model quantized once (`int8_model`) and run with bf16 where native."""
    import openvino as ov

    core = ov.Core()
    graph = core.read_model(int8_model(model, cache)) if precision == "int8" else convert(model)
    inside = "bf16" if precision == "bf16" or (precision == "int8" and native_bf16()) else "f32"
    return core.compile_model(graph, "CPU", {
        "PERFORMANCE_HINT": "THROUGHPUT", "INFERENCE_NUM_THREADS": threads,
        "INFERENCE_PRECISION_HINT": inside})


def convert(model):
    """The loaded BERT as an OpenVINO graph of `INPUTS` (dynamic batch and length)."""
    import warnings

    import openvino as ov
    import torch

    from rag.embed.export import LastHidden

    sample = model.tokenizer(["hello world", "a second, longer sample"], padding=True, return_tensors="pt")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ov.convert_model(LastHidden(model[0].auto_model), example_input=tuple(sample[k] for k in INPUTS))


def int8_model(model, cache: Path) -> Path:
    """The OpenVINO model with int8 weights and activations in its matrix products,
    quantized once with NNCF (calibrated on CALIBRATION) and cached in `cache`."""
    text = CALIBRATION.read_text(encoding="utf-8")
    path = openvino_int8_path(cache, text)
    if path.exists():
        return path

    import nncf  # slow to import: only when quantizing
    import openvino as ov

    passages = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    tokenizer = own_tokenizer(model)
    batches = [tokenize(tokenizer, passages[i:i + 4], model.max_seq_length, "np")
               for i in range(0, len(passages), 4)]
    log.warning("quantizing MiniLM to int8 for this machine's model cache, once (~10 s): %s", path.parent)
    nncf.set_log_level(logging.ERROR)
    quantized = nncf.quantize(convert(model), nncf.Dataset(batches, lambda b: tuple(b[k] for k in INPUTS)),
                              model_type=nncf.ModelType.TRANSFORMER, subset_size=len(batches))

    def save(folder: Path) -> None:  # fp32 for what stays unquantized (not save_model's fp16 default)
        folder.mkdir()
        ov.save_model(quantized, folder / path.name, compress_to_fp16=False)

    build_once(path.parent, path.name, save)
    return path
