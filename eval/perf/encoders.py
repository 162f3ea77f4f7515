"""Encoder options measured against the fp32 sentence-transformers baseline, in one run.

Same 240 chunks (120 words) for every option; speed as a ratio to the baseline and
fidelity as the minimum and mean cosine to the fp32 vectors. Options: ONNX Runtime fp32,
ONNX Runtime dynamic int8 (needs the `onnx` package: `pip install onnx`), torch dynamic
int8 on the Linear layers, and bf16 autocast. Not used by the product unless it wins on
both speed and fidelity (see eval/perf/README.md).

    python eval/perf/encoders.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from rag.embed import _model

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
        order = np.argsort([len(t) for t in chunks])
        out = np.zeros((len(chunks), 384), np.float32)
        for i in range(0, len(chunks), 32):
            idx = order[i:i + 32]
            enc = tokenizer([chunks[j] for j in idx], padding=True, truncation=True, max_length=256,
                            return_tensors="np")
            out[idx] = session.run(None, {"ids": enc["input_ids"], "mask": enc["attention_mask"],
                                          "types": enc["token_type_ids"]})[0]
        return out

    return {"onnxruntime fp32": lambda: run(folder / "fp32.onnx"),
            "onnxruntime int8 (dynamic, per-channel)": lambda: run(folder / "int8.onnx")}


def main() -> None:
    model, chunks = _model(), texts()
    encode = lambda m=model: m.encode(chunks, batch_size=32, normalize_embeddings=True)  # noqa: E731
    encode()  # warm-up
    reference, base = timed(encode)
    options = {}
    try:
        options.update(onnx_options(model, chunks))
    except ImportError as err:
        print(f"skipping ONNX options: {err}")

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
