"""Encoder options measured against the fp32 sentence-transformers baseline, in one run.

Same 240 chunks (120 words) for every option; speed as a ratio to the baseline and
fidelity as the minimum and mean cosine to the fp32 vectors. Options: CTranslate2 fp32
(the product's fp32 document encoder) and int8, ONNX Runtime fp32 and dynamic int8,
OpenVINO fp32, bf16 and int8 (NNCF post-training quantization, calibrated on rag/data/
calibration.txt, which shares two of these three articles), torch dynamic int8 on the
Linear layers, and bf16 autocast. Not used by the product unless it wins on both speed
and fidelity (see eval/perf/README.md).

    python eval/perf/encoders.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from rag.embed import load_model

ROOT = Path(__file__).resolve().parents[2]


def texts() -> list[str]:
    out = []
    for path in sorted((ROOT / "corpus/wikipedia").glob("*.md"))[:3]:
        words = path.read_text().split()
        out += [" ".join(words[i:i + 120]) for i in range(0, len(words), 120)]
    return out[:240]


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def onnx_options(model, chunks):
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tokenizer, bert = model.tokenizer, model[0].auto_model.eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, ids, mask, types):
            hidden = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            m = mask.unsqueeze(-1).float()
            return torch.nn.functional.normalize((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9), dim=-1)

    folder = Path(tempfile.mkdtemp())
    sample = tokenizer(chunks[:2], padding=True, truncation=True, max_length=256, return_tensors="pt")
    axes = {"b": 0, "s": 1}
    torch.onnx.export(Pooled(bert), (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                      str(folder / "fp32.onnx"), input_names=["ids", "mask", "types"], output_names=["v"],
                      dynamic_axes={n: {0: "b", 1: "s"} for n in ("ids", "mask", "types")} | {"v": {0: "b"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(folder / "fp32.onnx"), str(folder / "int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    del axes

    def run(path):
        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

        def one_batch(texts):
            enc = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="np")
            return session.run(None, {"ids": enc["input_ids"], "mask": enc["attention_mask"],
                                      "types": enc["token_type_ids"]})[0]

        return batched(chunks, 32, one_batch)

    return {"onnxruntime fp32": lambda: run(folder / "fp32.onnx"),
            "onnxruntime int8 (dynamic, per-channel)": lambda: run(folder / "int8.onnx")}


def batched(chunks, batch: int, run, workers: int = 1) -> np.ndarray:
    """Length-sorted batches through `run(texts) -> vectors` (on `workers` threads at
    once), back in input order."""
    from concurrent.futures import ThreadPoolExecutor

    order = np.argsort([len(t) for t in chunks])
    out = np.zeros((len(chunks), 384), np.float32)
    batches = [order[i:i + batch] for i in range(0, len(chunks), batch)]
    with ThreadPoolExecutor(workers) as pool:
        for idx, vectors in zip(batches, pool.map(lambda idx: run([chunks[j] for j in idx]), batches)):
            out[idx] = vectors
    return out


def through(encoder, chunks, workers: int):
    """A timed option: the chunks' pooled vectors from a rag/embed/runtimes/ encoder."""
    from rag.embed.pooling import pool

    return lambda: batched(chunks, 16, lambda texts: pool(encoder.states(texts), [[] for _ in texts])[0], workers)


def ct2_options(model, chunks):
    import ctranslate2

    from rag.embed.copies import ctranslate2_copy
    from rag.embed.runtimes.ctranslate2 import CT2Encoder

    cache = Path(tempfile.mkdtemp())
    threads = torch.get_num_threads()
    options = {}
    for compute_type in ("float32", "int8_float32"):
        encoder = CT2Encoder(model, cache, threads, compute_type)  # a single-threaded replica per thread
        options[f"ctranslate2 {compute_type}, {encoder.workers} replicas x 1 thread"] = (
            through(encoder, chunks, encoder.workers))
    one = CT2Encoder(model, cache, threads)  # the same, but one replica using every thread
    one.encoder = ctranslate2.Encoder(str(ctranslate2_copy(cache)), device="cpu", compute_type="float32",
                                      intra_threads=threads)
    options[f"ctranslate2 float32, 1 replica x {threads} threads"] = through(one, chunks, 1)
    return options


def openvino_options(model, chunks):
    from rag.embed.runtimes.openvino import OpenVINOEncoder

    threads, cache = torch.get_num_threads(), Path(tempfile.mkdtemp())
    options = {}
    for precision in ("fp32", "bf16", "int8"):  # int8: NNCF-quantized once into `cache`
        encoder = OpenVINOEncoder(model, threads, precision, cache)  # a throughput stream per core
        options[f"openvino {precision}, {encoder.workers} streams"] = through(encoder, chunks, encoder.workers)
    return options


def main() -> None:
    model, chunks = load_model(), texts()
    encode = lambda m=model: m.encode(chunks, batch_size=32, normalize_embeddings=True)  # noqa: E731
    encode()  # warm-up
    reference, base = timed(encode)
    options = ct2_options(model, chunks)
    for extra in (onnx_options, openvino_options):
        try:
            options.update(extra(model, chunks))
        except ImportError as err:
            print(f"skipping {extra.__name__}: {err}")

    def bf16():
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return encode()

    options["torch bf16 autocast"] = bf16
    rows = [{"option": "baseline: sentence-transformers fp32", "ratio": 1.0, "cos_min": 1.0, "cos_mean": 1.0}]
    for name, fn in options.items():
        fn()
        vectors, seconds = timed(fn)
        cos = np.sum(vectors * reference, axis=1)
        rows.append({"option": name, "ratio": round(base / seconds, 3), "cos_min": round(float(cos.min()), 5),
                     "cos_mean": round(float(cos.mean()), 5)})
        print(rows[-1], flush=True)
    quantized = torch.ao.quantization.quantize_dynamic(model[0].auto_model, {torch.nn.Linear}, dtype=torch.qint8)
    original, model[0].auto_model = model[0].auto_model, quantized
    applied = any(isinstance(m, torch.ao.nn.quantized.dynamic.Linear) for m in model.modules())
    try:
        encode()
        vectors, seconds = timed(encode)
    finally:
        model[0].auto_model = original
    cos = np.sum(vectors * reference, axis=1)
    rows.append({"option": "torch dynamic int8 (Linear)" + ("" if applied else " - NOT applied by encode"), "ratio": round(base / seconds, 3),
                 "cos_min": round(float(cos.min()), 5), "cos_mean": round(float(cos.mean()), 5)})
    print(rows[-1])
    out = ROOT / "eval/perf/results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "encoders.json").write_text(json.dumps({"chunks": len(chunks), "baseline_chunks_per_s":
                                                   round(len(chunks) / base, 1), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
