"""The reading model: the shipped int8 file, its probe check, and its place in the answer path."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import numpy as np
import pytest

from rag.embed.reader import CARD_PATH, PROBE_TOLERANCE, READER_PATH, Reader, ReaderError, feeds, pair_tokenizer
from rag.embed.reader_input import FILL_TOKENS, MAX_TOKENS, TITLE_TOKENS, Passage, encode
from rag.quotes import QuoteModel, ReaderCalibration, select


def test_shipped_reader_is_small_and_reproduces_its_fp32_probes():
    assert READER_PATH.stat().st_size <= 25_000_000
    reader = Reader()
    # exact int8 sums on every CPU (rag.embed.int8): the drift left is the quantization's own,
    # well inside the load check's PROBE_TOLERANCE
    assert reader.drift <= 0.2
    card = json.loads(CARD_PATH.read_text())
    assert card["max_tokens"] == MAX_TOKENS and card["probes"]


def test_reader_prefers_the_sentence_that_answers():
    reader = Reader()
    question = "How many troops a month does Russia's volunteer recruitment system provide?"
    logits = reader.logits(question, [
        Passage("Russia", "The training may not exceed two consecutive months in duration."),
        Passage("Russia", "The volunteer recruitment system provides roughly 30,000 troops per month."),
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
    card["probes"][0]["passage"] = "Russia: The training may not exceed two months."  # the old card format
    (tmp_path / "reader.json").write_text(json.dumps(card))
    with pytest.raises(ReaderError, match="older format"):
        Reader(damaged, tmp_path / "reader.json")
    with pytest.raises(ReaderError, match="make train-reader"):
        Reader(tmp_path / "missing.onnx", tmp_path / "reader.json")


def test_pairs_are_cut_to_the_token_budget_keeping_the_question():
    question = "Who invented the atmospheric engine?"
    batch = feeds(encode(pair_tokenizer(), question, [Passage("Steam engine", "word " * 500, "context " * 100),
                                                      Passage("", "short")]))
    assert batch["input_ids"].shape[1] == MAX_TOKENS
    assert batch["attention_mask"][1].sum() < MAX_TOKENS  # no padding beyond the longest pair
    assert (batch["token_type_ids"][0] == 1).any()  # the passage survives truncation
    assert pair_tokenizer().decode(batch["input_ids"][0].tolist()).startswith("who invented the atmospheric engine?")


def test_a_long_title_cannot_crowd_out_the_sentence():
    """A paper's title is cut to TITLE_TOKENS; a long sentence is read whole (up to MAX_TOKENS)
    and then gets no context; a short one gets context up to FILL_TOKENS."""
    tokenizer = pair_tokenizer()
    title = "Vitamin D and mortality in older adults: a prospective cohort study of community-dwelling people"
    sentence = ("Low serum 25-hydroxyvitamin D concentrations were associated with a 1.4-fold higher risk of "
                "death from all causes over a median follow-up of eight years, after adjustment for age, sex, "
                "season, body mass index, smoking, physical activity and chronic disease.")
    long_pair, short_pair = encode(tokenizer, "Vitamin D deficiency raises mortality.", [
        Passage(title, sentence, "We followed three thousand adults."), Passage("Steam engine", "It pumped water.",
                                                                               "Newcomen built the engine " * 20)])
    text = tokenizer.decode(long_pair.ids)
    assert "chronic disease." in text and "followed" not in text  # whole sentence, no context
    assert len(tokenizer.encode(title, add_special_tokens=False).ids) > TITLE_TOKENS
    assert "community" not in text  # the title was cut, not the sentence
    short = tokenizer.decode(short_pair.ids, skip_special_tokens=False)
    assert short.split("[SEP]")[1].strip().startswith("steam engine : it pumped water. | ")
    assert len(short_pair.ids) <= FILL_TOKENS and short.rstrip().endswith("the engine [SEP]")


def test_long_and_short_pairs_are_read_apart_and_each_keeps_its_own_score():
    reader = Reader()
    question = "How many troops a month does Russia's volunteer recruitment system provide?"
    passages = [Passage("Russia", "The volunteer recruitment system provides roughly 30,000 troops per month."),
                Passage("Russia", "The call-up, announced in September after months of losses along the front "
                        "line and weeks of debate in parliament about the cost of the war, the size of the reserve, "
                        "the length of service and exemptions for students and workers, was the first since 1941."),
                Passage("Russia", "The training may not exceed two consecutive months in duration.")]
    together = reader.logits(question, passages)
    alone = [reader.logits(question, [p])[0] for p in passages]
    # int8 activations are scaled per run, nothing more: within the probe tolerance, same order
    assert abs(together - alone).max() < PROBE_TOLERANCE
    assert list(together.argsort()) == list(np.argsort(alone)) and together.argmax() == 0


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


def test_candidates_below_the_calibrated_prior_are_not_read_but_the_best_always_is():
    calibration = ReaderCalibration(reader_weight=0.3, prior_weight=0.7, bias=0.0, candidates=3,
                                    decline_below=0.1, gain_per_word=0.0, min_prior=0.01)
    assert calibration.to_read([0.002, 0.5, 0.02, 0.009, 0.3]) == [1, 4, 2]  # three at most, best first
    assert calibration.to_read([0.004, 0.001]) == [0]  # the best is read however low
    assert calibration.to_read([]) == []
    assert QuoteModel.load().reader.min_prior >= 0.0


def test_a_claim_reads_its_own_number_of_candidates():
    calibration = ReaderCalibration(reader_weight=0.3, prior_weight=0.7, bias=0.0, candidates=2,
                                    decline_below=0.1, gain_per_word=0.0, min_prior=0.01, claim_candidates=4)
    priors = [0.002, 0.5, 0.02, 0.009, 0.3, 0.05]
    assert calibration.to_read(priors) == [1, 4]
    assert calibration.to_read(priors, claim=True) == [1, 4, 5, 2]
    assert replace(calibration, claim_candidates=0).to_read(priors, claim=True) == [1, 4]  # 0: as for a question


def test_search_ranks_the_chunks_answering_reads_by_their_best_sentence(engine):
    """Reranked, a chunk the reader read comes before every chunk it did not, and the read
    ones are in order of their best sentence's quote probability; unread, search is the fused order."""
    from rag.answer import rerank, scored_sentences

    query = "Who was the Norse leader?"
    fused = engine.search(query, k=8)
    assert all(hit.reader is None for hit in fused)
    assert [hit.score for hit in fused] == sorted((hit.score for hit in fused), reverse=True)
    reranked = engine.search(query, k=8, read=True)
    read = [hit.reader for hit in reranked if hit.reader is not None]
    assert read and read == sorted(read, reverse=True)
    assert all(hit.reader is None for hit in reranked[len(read):])  # the unread keep their place after
    assert "Rollo" in reranked[0].text
    assert {hit.chunk_id for hit in reranked} <= {hit.chunk_id for hit in engine.search(query, k=20)}
    best = max(s.score for s in scored_sentences(query, [], engine.answer_parts(),
                                                 quote_chunks=engine.settings.answer.quote_chunks).sentences)
    assert reranked[0].reader == round(best, 4)
    assert rerank([], []) == []
    assert len(engine.search(query, k=2, read=True)) == 2  # k below the chunks answering reads still cuts to k


def test_a_claim_may_quote_more_than_a_question():
    calibration = ReaderCalibration(reader_weight=0.3, prior_weight=0.7, bias=0.0, candidates=2,
                                    decline_below=0.1, gain_per_word=0.003, claim_gain_per_word=0.001)
    assert calibration.gain(claim=False) == 0.003 and calibration.gain(claim=True) == 0.001
    assert replace(calibration, claim_gain_per_word=0.0).gain(claim=True) == 0.003  # 0: as for a question


def test_a_claim_has_its_own_decline_cutoff():
    calibration = ReaderCalibration(reader_weight=0.3, prior_weight=0.7, bias=0.0, candidates=2,
                                    decline_below=0.1, gain_per_word=0.003, claim_decline_below=0.2)
    assert calibration.cutoff(claim=False) == 0.1 and calibration.cutoff(claim=True) == 0.2
    assert replace(calibration, claim_decline_below=0.0).cutoff(claim=True) == 0.1  # 0: as for a question


def test_the_listwise_loss_asks_the_answer_to_outrank_its_own_question_s_other_sentences():
    """eval/train_reader.listwise: per answerable question, -log of the softmax mass on its
    answer sentences among its own pairs; an unanswerable question adds nothing to it."""
    import math

    import torch

    from eval.train_reader import listwise

    groups = [[("q1", None, 1.0), ("q1", None, 0.0)], [("q2", None, 0.0), ("q2", None, 0.0), ("q2", None, 0.0)]]
    labels = torch.tensor([1.0, 0.0, 0.0, 0.0, 0.0])
    right = listwise(torch.tensor([3.0, 0.0, 9.0, 9.0, 9.0]), labels, groups)
    wrong = listwise(torch.tensor([0.0, 3.0, -9.0, -9.0, -9.0]), labels, groups)
    assert right.item() == pytest.approx(math.log(1 + math.exp(-3)), rel=1e-5)  # q2's scores play no part
    assert wrong.item() == pytest.approx(math.log(1 + math.exp(3)), rel=1e-5)
    assert listwise(torch.zeros(3), torch.zeros(3), [groups[1]]).item() == 0.0


def test_none_of_these_is_the_answer_of_an_unanswerable_question():
    """With none_of_these, a fixed logit 0 competes in every question's softmax and is the
    answer of an unanswerable one: its best sentence must score below 0 (what declining
    needs), and an answerable question's answer must also beat it."""
    import math

    import torch

    from eval.train_reader import listwise

    groups = [[("q1", None, 1.0), ("q1", None, 0.0)], [("q2", None, 0.0), ("q2", None, 0.0)]]
    labels = torch.tensor([1.0, 0.0, 0.0, 0.0])
    loss = listwise(torch.tensor([3.0, 0.0, -1.0, 2.0]), labels, groups, none_of_these=True)
    answerable = math.log(math.exp(3) + math.exp(0) + 1) - 3  # the answer against its neighbour and "none"
    unanswerable = math.log(math.exp(-1) + math.exp(2) + 1)  # "none" (logit 0) against both sentences
    assert loss.item() == pytest.approx((answerable + unanswerable) / 2, rel=1e-5)
    low = listwise(torch.tensor([3.0, 0.0, -9.0, -9.0]), labels, groups, none_of_these=True)
    assert low.item() < loss.item()  # pushing the unanswerable question's sentences under 0 pays


def test_hard_negatives_are_the_sentences_the_reader_rates_highest_but_never_hold_the_answer(monkeypatch):
    """eval/train_reader.hardest (`--set hard_negatives=N`, off in the shipped recipe): the
    shipped reader picks the paragraph's N most answer-like other sentences and orders the
    retrieved ones; a sentence that holds the answer's text is hard but not wrong, so never
    a negative."""
    import random

    from eval import train_reader

    monkeypatch.setitem(train_reader.HYPER, "hard_negatives", 1)
    question = "When was the Treaty of Rome signed?"
    texts = ["The Treaty of Rome was signed in 1957.", "Six countries signed the treaty in Rome in March.",
             "Bananas are yellow.", "Cats sleep a lot.", "It was ratified by all six within 1957."]
    sentences = [(0, 0, text, "") for text in texts]
    elsewhere = [(question, Passage("Weather", "Dogs bark at the rain."), 0.0),
                 (question, Passage("Treaty of Paris", "The Treaty of Paris was signed in 1951."), 0.0)]
    pairs = train_reader.hardest(Reader(), question, "European Union law", sentences, [1, 2, 3, 4], ["1957"],
                                 elsewhere, 2, random.Random(0))
    same = [p.sentence for _, p, _ in pairs[:2]]
    assert same[0] == texts[1] and same[1] in texts[2:4]  # the hardest, then one drawn from the rest
    assert texts[4] not in [p.sentence for _, p, _ in pairs]
    assert [p.title for _, p, _ in pairs[2:]] == ["Treaty of Paris", "Weather"]
    assert all(label == 0.0 for _, _, label in pairs)


def test_shifted_weights_sum_exactly_on_this_cpu():
    # 255 x 127 over 64 terms: the sum that ONNX Runtime's AVX2 int8 kernel cuts short
    from rag.embed.int8 import product_graph, unsigned_weights
    from rag.embed.sessions import onnx_session

    rng = np.random.default_rng(0)
    weights = np.concatenate([np.full((64, 4), 127, np.int8), rng.integers(-127, 128, (64, 12), dtype=np.int8)], 1)
    activations = np.concatenate([np.full((2, 64), 255, np.uint8), rng.integers(0, 256, (6, 64), dtype=np.uint8)])
    exact = activations.astype(np.int64) @ weights.astype(np.int64)
    got = onnx_session(unsigned_weights(product_graph(weights))).run(None, {"a": activations})[0]
    assert (got == exact).all()


def test_the_shipped_weights_shift_without_changing_a_value():
    import onnx
    from onnx import numpy_helper

    from rag.embed.int8 import unsigned_weights

    def weights(model):
        tensors = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
        return {n.input[1]: (tensors[n.input[1]], tensors[n.input[3]]) for n in model.graph.node
                if n.op_type == "MatMulInteger"}

    before = weights(onnx.load(str(READER_PATH)))
    after = weights(onnx.load_from_string(unsigned_weights(READER_PATH)))
    assert before.keys() == after.keys() and len(before) == 38
    for name, (w, zero) in before.items():
        shifted, shifted_zero = after[name]
        assert w.dtype == np.int8 and shifted.dtype == np.uint8
        assert (shifted.astype(np.int16) - shifted_zero.astype(np.int16)
                == w.astype(np.int16) - zero.astype(np.int16)).all()


def test_the_shifted_reader_scores_its_probes_on_any_cpu(monkeypatch):
    # where this CPU sums exactly the engine loads the file as it is; the shifted graph must
    # work here too, for the CPUs that need it
    import rag.embed.reader as reader_module
    from rag.embed.int8 import unsigned_weights

    monkeypatch.setattr(reader_module, "exact_graph", unsigned_weights)
    assert Reader().drift <= 0.2


def test_a_table_row_is_read_whole_not_cut_at_its_bars():
    """ "|" marks where a pair's context starts; the " | " between a table row's cells (as ingest
    writes a CSV row or a mail's header line) is read as ";", so the row is one sentence and
    the row holding the asked year reads as the answer."""
    rows = [f"Year: {year} | Ship calls: {calls} | Cargo (tonnes): {cargo} | Repair spending (EUR): {spent}"
            for year, calls, cargo, spent in ((2016, 1204, 350000, 120000), (2017, 1180, 342000, 150000),
                                              (2018, 1099, 310500, 410000), (2019, 870, 250000, 5100000))]
    tokenizer = pair_tokenizer()
    (pair,) = encode(tokenizer, "What was the repair spending in 2018?", [Passage("figures", rows[2], "Before.")])
    assert pair.ids.count(tokenizer.token_to_id("|")) == 1  # the context mark alone
    logits = Reader().logits("What was the repair spending in 2018?", [Passage("figures", row) for row in rows])
    assert logits.argmax() == 2
