"""The embedding package's shape: it imports only the settings from the rest of rag/, and
importing it (or running the reading model) never loads torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "transformers", "sentence_transformers", "onnxruntime", "openvino", "ctranslate2", "nncf")


def run_python(code: str, env: dict[str, str] | None = None) -> dict:
    """`code` in a fresh interpreter at the repository root; it prints one JSON line."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_rag_embed_loads_no_model_library():
    code = ("import json, sys, rag.embed; "
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    assert run_python(code) == []


def test_the_reading_model_runs_without_torch_and_offline():
    """The reader (and the token counter) use the tokenizer and ONNX Runtime only; the
    offline flags are set by the package itself before the tokenizer library loads."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TOKENIZERS_PARALLELISM")}
    code = """
import json, os, sys
from rag.embed.offline import FLAGS
for name in FLAGS:
    os.environ.pop(name, None)  # whatever else set them on import, the package sets them itself
from rag.embed import Reader, count_tokens
from rag.embed.reader_input import Passage
before = "tokenizers" in sys.modules
logits = Reader().logits("Who were the Normans?", [Passage("Normans", "The Normans gave their name to Normandy.")])
print(json.dumps({"torch": "torch" in sys.modules, "tokenizers_before": before, "logits": len(logits),
                  "tokens": count_tokens("Who were the Normans?"),
                  "flags": {name: os.environ.get(name) for name in FLAGS}}))
"""
    got = run_python(code, env)
    assert got["torch"] is False and got["tokenizers_before"] is False and got["logits"] == 1
    assert got["tokens"] == 6
    assert got["flags"] == {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def test_offline_flags_keep_a_value_the_user_set(monkeypatch):
    from rag.embed import ensure_offline

    monkeypatch.setenv("TOKENIZERS_PARALLELISM", "true")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    ensure_offline()
    assert os.environ["TOKENIZERS_PARALLELISM"] == "true" and os.environ["HF_HUB_OFFLINE"] == "1"


def test_embed_package_imports_only_config():
    """Every import counts, lazy ones inside functions included (grimp reads them all); its
    loops and layers are checked with the rest of rag/ (tests/test_architecture.py)."""
    graph = grimp.build_graph("rag", cache_dir=None)
    embed = {m for m in graph.modules if m == "rag.embed" or m.startswith("rag.embed.")}
    assert {"rag.embed.embedder", "rag.embed.runtimes.choose", "rag.embed.reader"} <= embed
    outside = {imported for m in embed for imported in graph.find_modules_directly_imported_by(m)} - embed
    assert outside == {"rag.config"}  # the package sits below everything but the settings


def test_the_old_top_level_modules_are_gone():
    for name in ("embed.py", "encoders.py", "query_encoder.py", "query_cache.py", "reader.py", "reader_input.py"):
        assert not (ROOT / "rag" / name).exists(), name


def test_bm25s_public_stop_words_are_the_list_its_tokenizer_uses():
    """rag.index reads bm25s.stopwords.STOPWORDS_EN; bm25s.tokenize(stopwords="en") resolves
    "en" to this same list, so the BM25 analysis is unchanged."""
    from bm25s.stopwords import STOPWORDS_EN
    from bm25s.tokenization import _infer_stopwords

    from rag.index import terms

    assert tuple(_infer_stopwords("en")) == tuple(STOPWORDS_EN) and "the" in STOPWORDS_EN
    assert terms("the Normans and their dukes") == ["norman", "duke"]
