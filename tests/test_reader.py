"""The reading model: the shipped int8 file, its probe check, and its place in the answer path."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from rag.embed.reader import CARD_PATH, READER_PATH, Reader, ReaderError, encode_pairs
from rag.embed.reader_input import MAX_TOKENS, passage
from rag.quotes import QuoteModel, ReaderCalibration, select


def test_shipped_reader_is_small_and_reproduces_its_fp32_probes():
    assert READER_PATH.stat().st_size <= 25_000_000
    reader = Reader()
    assert reader.drift <= 0.75
    card = json.loads(CARD_PATH.read_text())
    assert card["max_tokens"] == MAX_TOKENS and card["probes"]


def test_reader_prefers_the_sentence_that_answers():
    reader = Reader()
    question = "How many troops a month does Russia's volunteer recruitment system provide?"
    logits = reader.logits(question, [
        passage("Russia", "The training may not exceed two consecutive months in duration."),
        passage("Russia", "The volunteer recruitment system provides roughly 30,000 troops per month."),
    ])
    assert logits[1] > logits[0]


def test_a_damaged_model_file_is_refused(tmp_path):
    damaged = tmp_path / "reader.onnx"
    shutil.copy(READER_PATH, damaged)
    card = json.loads(CARD_PATH.read_text())
    card["probes"][0]["fp32_logit"] += 5.0  # as if the weights no longer matched the card
    (tmp_path / "reader.json").write_text(json.dumps(card))
    with pytest.raises(ReaderError, match="drifts"):
        Reader(damaged, tmp_path / "reader.json")
    with pytest.raises(ReaderError, match="make train-reader"):
        Reader(tmp_path / "missing.onnx", tmp_path / "reader.json")


def test_pairs_are_cut_to_the_token_budget_keeping_the_question():
    question = "Who invented the atmospheric engine?"
    feeds = encode_pairs(question, [passage("Steam engine", "word " * 500, "context " * 100), "short"])
    assert feeds["input_ids"].shape[1] == MAX_TOKENS
    assert feeds["attention_mask"][1].sum() < MAX_TOKENS  # no padding beyond the longest pair
    assert (feeds["token_type_ids"][0] == 1).any()  # the passage survives truncation


def test_passage_puts_context_after_the_sentence():
    text = passage("Steam engine", "It was used for pumping water.", "Newcomen built the atmospheric engine.")
    assert text.startswith("Steam engine: It was used for pumping water. | Newcomen")


def test_engine_answers_through_the_reader(engine):
    assert engine.calibration is not None, "the shipped quote model carries the reader's calibration"
    answer = engine.ask("Who was the Norse leader?")
    assert answer.answered and "Rollo" in answer.quotes[0].text
    for quote in answer.quotes:
        assert engine.document(quote.document_id).text[quote.start:quote.end] == quote.text
        assert 0.0 <= quote.score <= 1.0
    baseline = engine.ask("Who was the Norse leader?", read=False)
    assert baseline.answered  # the logistic model alone still answers


def test_a_second_quote_must_raise_the_chance_the_answer_is_shown(engine):
    """Jointly, a weak sentence beside a strong one brings little: it is left out."""
    model = QuoteModel.load()
    assert isinstance(model.reader, ReaderCalibration)
    from rag.quotes import candidate_sentences

    found = candidate_sentences(engine.retrieve("Who was the Norse leader?", 4))
    first = found[0]
    second = next(s for s in found if s.document.id != first.document.id or abs(s.start - first.end) > 200)
    first, second = replace(first, score=0.95), replace(second, score=0.2)
    gain = 0.1 / second.words  # alone the second brings 0.2, beside the first only 0.2 * 0.05
    assert len(select([first, second], 3, 500, gain_per_word=gain, joint=False)) == 2
    assert len(select([first, second], 3, 500, gain_per_word=gain, joint=True)) == 1
