"""One pass per chunk (rag/embed/runtimes/, rag/embed/pooling.py): chunk vectors equal sentence-transformers', each
sentence gets a vector pooled from the same pass, and a sentence past the model's window
is embedded on its own. Real MiniLM, real CTranslate2 and torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.embed import Embedder
from rag.embed.pooling import pool
from rag.embed.runtimes import choose, openvino

TITLE = "Normans\n"
SENTENCES = ["The Normans were the people who gave their name to Normandy, a region in France.",
             "They were descended from Norse raiders and pirates from Denmark, Iceland and Norway.",
             "Their leader Rollo agreed to swear fealty to King Charles III of West Francia."]


def spans_of(text: str, sentences: list[str]) -> list[tuple[int, int]]:
    return [(text.index(s), text.index(s) + len(s)) for s in sentences]


@pytest.fixture(scope="module", params=[("ctranslate2", "fp32"), ("openvino", "bf16"), ("openvino", "fp32"),
                                        ("openvino", "int8"), ("ctranslate2", "int8"),
                                        ("torch", "fp32"), ("torch", "bf16")], ids=lambda p: "-".join(p))
def embedder(request, tmp_path_factory):
    """bf16 runs as bf16 where the CPU has it natively and as fp32 elsewhere."""
    name, precision = request.param
    embedder = Embedder(precision, 5, name, tmp_path_factory.mktemp("models"))
    assert embedder.document_encoder.name == name  # no silent fallback here
    return embedder


def test_chunk_vectors_are_sentence_transformers_vectors(embedder):
    long_text = TITLE + " ".join(["The duchy grew strong under many dukes."] * 60) + " It ended in 1204."
    texts = [TITLE + " ".join(SENTENCES), "x", long_text, "Ünïcödé — “quoted” text…"] * 3  # more than a batch
    vectors, pooled = embedder.embed_chunks(texts, [[] for _ in texts])
    reference = Embedder("fp32", 16, "torch").embed(texts)  # sentence-transformers fp32
    bar = {"bf16": choose.MIN_COSINE_BF16, "int8": choose.MIN_COSINE_INT8}.get(embedder.precision, choose.MIN_COSINE)
    assert np.min(np.sum(vectors * reference, axis=1)) >= bar
    assert all(p.shape == (0, 384) for p in pooled)


def test_sentence_vectors_come_from_the_chunk_pass(embedder):
    text = TITLE + " ".join(SENTENCES)
    _, (pooled,) = embedder.embed_chunks([text], [spans_of(text, SENTENCES)])
    assert pooled.shape == (3, 384) and np.allclose(np.linalg.norm(pooled, axis=1), 1, atol=1e-5)
    alone = embedder.embed(SENTENCES)
    chunk = embedder.embed([text])[0]
    # each is its own sentence read in context: near that sentence alone, not the chunk's vector
    assert np.all(np.sum(pooled * alone, axis=1) > 0.5) and np.all(pooled @ chunk < 0.99)
    question = embedder.embed(["Where did the Norse raiders come from?"])[0]
    assert int(np.argmax(pooled @ question)) == 1


def test_a_sentence_past_the_window_is_embedded_alone(embedder):
    tail = "It ended in 1204 when King Philip II took Normandy."
    text = TITLE + " ".join(["The duchy grew strong under many dukes."] * 60) + " " + tail
    _, (pooled,) = embedder.embed_chunks([text], [spans_of(text, [tail])])
    assert float(pooled[0] @ embedder.embed([tail])[0]) >= 0.9999


def test_int8_model_is_quantized_once_and_reused(tmp_path):
    """The NNCF-quantized copy is written to the model cache once (int8 matrix products in
    it) and a later process loads it instead of quantizing again."""
    first = Embedder("int8", 4, "openvino", tmp_path).document_encoder
    (copy,) = tmp_path.glob("all-MiniLM-L6-v2-ov-int8-*")
    made = (copy / "model.xml").stat().st_mtime_ns
    assert "FakeQuantize" in (copy / "model.xml").read_text() or "i8" in (copy / "model.xml").read_text()
    openvino.compile_model.cache_clear()
    again = Embedder("int8", 4, "openvino", tmp_path).document_encoder
    assert (copy / "model.xml").stat().st_mtime_ns == made and list(tmp_path.glob("all-MiniLM-L6-v2-ov-int8-*")) == [copy]
    texts = [TITLE + " ".join(SENTENCES)]
    assert np.allclose(pool(first.states(texts), [[]])[0], pool(again.states(texts), [[]])[0], atol=1e-5)


def test_auto_steps_to_a_more_exact_precision_when_int8_fails(monkeypatch, tmp_path):
    """A fake failure of the quantization: auto goes on to bf16 (where native) or fp32 with a
    fast runtime, not straight to torch, and the embedder says which precision it runs."""
    from rag.embed import native_bf16

    def broken(*args, **kwargs):
        raise RuntimeError("no NNCF here")

    monkeypatch.setattr(openvino, "int8_model", broken)
    embedder = Embedder("int8", 4, "auto", tmp_path)
    expected = ("openvino", "bf16") if native_bf16() else ("ctranslate2", "fp32")
    assert (embedder.document_encoder.name, embedder.precision) == expected
    with pytest.raises(RuntimeError):
        Embedder("int8", 4, "openvino", tmp_path).document_encoder  # noqa: B018  (asked for it by name)


def test_auto_falls_back_to_torch_when_a_fast_encoder_fails(monkeypatch, tmp_path):
    """The one fake here: CTranslate2 and OpenVINO made to fail, to see `auto` keep torch."""
    def broken(*args, **kwargs):
        raise RuntimeError("no CTranslate2 here")

    monkeypatch.setattr(choose, "CT2Encoder", broken)
    assert Embedder("fp32", 16, "auto", tmp_path).document_encoder.name == "torch"
    with pytest.raises(RuntimeError):
        Embedder("fp32", 16, "ctranslate2", tmp_path).document_encoder  # noqa: B018  (asked for it by name)
    monkeypatch.setattr(choose, "OpenVINOEncoder", broken)
    assert Embedder("bf16", 16, "auto", tmp_path).document_encoder.name == "torch"
    int8 = Embedder("int8", 16, "auto", tmp_path)
    assert int8.document_encoder.name == "torch" and int8.precision == "fp32"  # torch has no int8 path
    with pytest.raises(ValueError):
        choose.document_encoder(None, "onnx", "fp32", tmp_path, 1, None)


@pytest.mark.parametrize("sentence_vectors", ["contextual", "separate"])
def test_both_sentence_vector_modes_answer(sentence_vectors, tmp_path):
    """Ingest one real article each way; the same question is answered from the same place."""
    from rag.config import Settings
    from rag.engine import Engine

    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "normans.md").write_text((Path(__file__).parent.parent / "corpus" / "wikipedia" / "normans.md").read_text())
    engine = Engine(Settings(data_dir=tmp_path / "data", precision="fp32", sentence_vectors=sentence_vectors))
    assert not engine.ingest(tmp_path / "corpus").failed
    answer = engine.ask("Who was the leader of the Norse raiders who settled in Normandy?")
    assert answer.answered and "Rollo" in answer.quotes[0].text
    store = engine._store  # white-box: the stored sentence vectors themselves
    stored = store.sentence_vectors(store.all_chunk_ids(), 384)
    assert stored and all(np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-2) for v in stored.values())  # kept as float16
