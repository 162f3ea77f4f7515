"""rag.answer.answer() is the whole answer step: on a real index (MiniLM, Chroma, BM25) of two
shipped articles it gives the answers recorded in tests/fixtures/answer_golden.json (quotes,
offsets, scores, confidence, resolved query, related passages), with the reading model and
without, for questions and follow-ups; Engine.ask is that function; and its steps return new
values without changing what they were given.

The golden file was written by `python -m tests.test_answer_function` from Engine.ask before
the answer step moved into rag/answer.py; rewrite it only for an intended change of answers.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from pathlib import Path

import pytest

from rag.config import Settings
from rag.engine import Engine
from rag.types import Turn

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "fixtures" / "answer_golden.json"
ARTICLES = ["steam-engine.md", "1973-oil-crisis.md"]
DATASETS = {"corpus_questions": ["oil-1", "oil-2", "oil-3", "oil-4", "ste-1", "ste-2", "no-1", "no-3", "mt-1", "mt-3"],
            "conversations-tune": ["oc-1", "oc-2", "oc-5", "oc-9"]}
SCORE_TOLERANCE = 1e-4  # the embedding's last bits may differ on another CPU; spans must not
# The reader's int8 sums are exact on every CPU (rag.embed.int8), but its fp32 parts and the
# rounding of its activations to uint8 differ in their last bits between AVX2 and AVX-512
# (docs/reader.md, Latency). Spans, order and declines must not.
READ_TOLERANCE = 0.01


def questions() -> list[tuple[str, str, list[Turn]]]:
    out = []
    for name, ids in DATASETS.items():
        rows = {row["id"]: row for row in map(json.loads, (ROOT / "eval" / "datasets" / f"{name}.jsonl")
                                              .read_text().splitlines()) if row}
        out += [(f"{name}/{i}", rows[i]["question"], [Turn(**t) for t in rows[i]["history"]]) for i in ids]
    return out


def build(data: Path, corpus: Path) -> Engine:
    corpus.mkdir(parents=True, exist_ok=True)
    for name in ARTICLES:
        shutil.copy(ROOT / "corpus" / "wikipedia" / name, corpus / name)
    engine = Engine(Settings(data_dir=data, precision="fp32"))
    assert not engine.ingest(corpus).failed
    return engine


def record(ask) -> dict:
    """{question id: {"read": answer, "logistic": answer}} as JSON values."""
    return {key: {label: ask(question, history, read).model_dump(mode="json")
                  for label, read in (("read", True), ("logistic", False))}
            for key, question, history in questions()}


@pytest.fixture(scope="module")
def golden_engine(tmp_path_factory) -> Engine:
    return build(tmp_path_factory.mktemp("golden-data"), tmp_path_factory.mktemp("golden-corpus"))


def _same(got, want, where: str, tolerance: float = SCORE_TOLERANCE) -> None:
    if isinstance(want, dict):
        assert got.keys() == want.keys(), where
        for key in want:
            _same(got[key], want[key], f"{where}.{key}", READ_TOLERANCE if key == "read" else tolerance)
    elif isinstance(want, list):
        assert len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{where}[{i}]", tolerance)
    elif isinstance(want, float) and not isinstance(got, bool):
        assert got == pytest.approx(want, abs=tolerance), where
    else:
        assert got == want, where


def test_answer_gives_the_recorded_answers(golden_engine):
    from rag.answer import answer

    parts, options = golden_engine.answer_parts(), golden_engine.settings.answer
    got = record(lambda q, h, read: answer(q, h, parts, options, read=read))
    want = json.loads(GOLDEN.read_text())
    assert any(a["read"]["answered"] for a in want.values()) and any(not a["read"]["answered"] for a in want.values())
    _same(got, want, "answers")


def test_engine_ask_is_the_answer_function(golden_engine):
    from rag.answer import answer

    parts, options = golden_engine.answer_parts(), golden_engine.settings.answer
    for _, question, history in questions()[:4] + questions()[-3:]:
        for read in (True, False):
            assert golden_engine.ask(question, history, read=read) == answer(question, history, parts, options,
                                                                             read=read)


def test_scored_sentences_are_what_the_answer_quotes(golden_engine):
    """Calibration fits on scored_sentences(): its best fitting sentence is the first quote."""
    from rag.answer import scored_sentences

    parts = golden_engine.answer_parts()
    question = "Who invented the atmospheric engine?"
    for read in (True, False):
        scored = scored_sentences(question, [], parts, quote_chunks=golden_engine.settings.answer.quote_chunks, read=read)
        assert (scored.calibration is not None) == read and scored.query == question
        best = max((s for s in scored.sentences if s.fits), key=lambda s: s.score)
        quote = golden_engine.ask(question, read=read).quotes[0]
        assert (quote.document_id, quote.start) == (best.document.id, best.start)
        assert ("reader" in best.features) == read and ("prior" in best.features) == read


def _state(sentence) -> tuple:
    return sentence.document.id, sentence.start, sentence.end, sentence.fits, sentence.score, dict(sentence.features)


def test_the_steps_return_new_sentences_and_change_none_they_are_given(golden_engine):
    from rag.quotes import candidate_sentences, read, score_sentences

    question = "Who invented the atmospheric engine?"
    vector = golden_engine.embed_query(question)
    found = candidate_sentences(golden_engine.retrieve(question, 4, vector=vector))
    before = [_state(s) for s in found]
    scored = score_sentences(found, question, golden_engine._lexicon.idf,
                             golden_engine.sentence_cosines(found, vector), golden_engine._model)
    assert [_state(s) for s in found] == before and all(not s.features for s in found)
    assert all(s.features and 0 < s.score < 1 for s in scored)
    calibration = golden_engine.calibration
    before = [_state(s) for s in scored]
    rescored = read(scored, question, golden_engine.reader(), calibration, claim=False)
    assert [_state(s) for s in scored] == before and all("prior" not in s.features for s in scored)
    read_ones = {i for i, s in enumerate(rescored) if "reader" in s.features}
    assert read_ones == set(calibration.to_read([s.score for s in scored])) and 0 < len(read_ones) <= calibration.candidates
    assert [s.features["prior"] for s in rescored] == [s.score for s in scored]
    assert all(s.score == 0.0 for s in rescored if "reader" not in s.features)
    with pytest.raises(dataclasses.FrozenInstanceError):
        scored[0].score = 1.0
    with pytest.raises(TypeError):
        scored[0].features["coverage"] = 1.0


if __name__ == "__main__":  # write the golden file from this checkout's Engine.ask
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        engine = build(Path(tmp) / "data", Path(tmp) / "corpus")
        answers = record(lambda q, h, read: engine.ask(q, h, read=read))
    (Path(sys.argv[1]) if len(sys.argv) > 1 else GOLDEN).write_text(json.dumps(answers, indent=1) + "\n")
