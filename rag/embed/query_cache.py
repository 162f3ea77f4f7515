"""A saved copy of the ONNX question encoder: a one-shot `rag ask` embeds its question with
ONNX Runtime and the tokenizer alone, without importing torch or sentence-transformers.

A copy is written only after the torch-free path (this module) agreed with torch on the
probe questions (rag/embed/query_onnx.py), by a process that had the model loaded anyway.
Its file name carries the model files' and onnxruntime's identity, so another model or
runtime never loads a stale copy; a missing or unreadable copy means: use torch.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

from rag.embed.sessions import onnx_session
from rag.embed.wheel import load_tokenizer, model_dir

log = logging.getLogger(__name__)


def copy_path(cache: Path) -> Path:
    """Where the copy for this model and this onnxruntime lives (or would live)."""
    from importlib.metadata import version

    model = model_dir()
    identity = hashlib.sha256()
    for name in ("model.safetensors", "tokenizer.json", "sentence_bert_config.json"):
        stat = (model / name).stat()
        identity.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    identity.update(version("onnxruntime").encode())
    return Path(cache) / f"minilm-question-{identity.hexdigest()[:16]}.onnx"


class SavedQueryEncoder:
    """MiniLM question vectors (mean-pooled, normalised) from an ONNX graph and tokenizer.json."""

    def __init__(self, graph: bytes | Path, threads: int = 1):
        import json

        model = model_dir()
        self.tokenizer = load_tokenizer()
        self.tokenizer.no_padding()
        max_length = json.loads((model / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.tokenizer.enable_truncation(max_length)
        self.session = onnx_session(graph, threads)

    def encode(self, text: str) -> np.ndarray:
        encoding = self.tokenizer.encode(text)
        feeds = {"input_ids": encoding.ids, "attention_mask": encoding.attention_mask,
                 "token_type_ids": encoding.type_ids}
        feeds = {k: np.asarray([v], dtype=np.int64) for k, v in feeds.items()}
        return self.session.run(None, feeds)[0][0].astype(np.float32)


def load(cache: Path) -> SavedQueryEncoder | None:
    """The saved copy, or None when there is none (or it cannot be read)."""
    try:
        path = copy_path(cache)
        return SavedQueryEncoder(path) if path.is_file() else None
    except Exception as err:  # noqa: BLE001 - a bad copy only means: use torch
        log.warning("saved question encoder unusable, using torch: %s", err)
        return None


def save(graph: bytes, cache: Path, reference, probes: list[str], min_cosine: float) -> Path | None:
    """Write the copy when this torch-free path agrees with `reference(text)` on every probe."""
    try:
        encoder = SavedQueryEncoder(graph)
        cosine = min(float(encoder.encode(t) @ reference(t)) for t in probes)
        if cosine < min_cosine:
            log.warning("saved question encoder disagrees with torch (cosine %.6f): not saved", cosine)
            return None
        path = copy_path(cache)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(graph)
        os.replace(partial, path)  # readers see the whole file or none
        return path
    except Exception as err:  # noqa: BLE001 - saving is an optimisation, never an error
        log.warning("could not save the question encoder: %s", err)
        return None
