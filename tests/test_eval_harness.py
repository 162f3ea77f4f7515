"""eval/harness.py: a process is handed over only once its health URL answers (and a process
that dies first is an error naming it), SQuAD becomes a BEIR folder with its corpus, and no
eval script reads sys.argv at import or imports a private name from rag (rag.embed aside)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from eval.harness import ingested, squad_beir, start, stop, wait_healthy
from rag.config import Settings
from rag.engine import Engine
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
SQUAD = {"data": [{"title": "Glacier_cave", "paragraphs": [
    {"context": "A glacier cave is a cave formed within the ice of a glacier.",
     "qas": [{"id": "a1", "question": "Where does a glacier cave form?", "is_impossible": False,
              "answers": [{"text": "within the ice of a glacier", "answer_start": 32}]},
             {"id": "a2", "question": "Who named the cave?", "is_impossible": True, "answers": []}]},
    {"context": "Ice caves are often called glacier caves.",
     "qas": [{"id": "a3", "question": "What are ice caves often called?", "is_impossible": False,
              "answers": [{"text": "glacier caves", "answer_start": 27}]}]}]}]}


def test_a_process_is_returned_healthy_and_stopped(tmp_path):
    (tmp_path / "healthz").write_text("ok")
    port = free_port()
    process = start([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                     "--directory", str(tmp_path)], f"http://127.0.0.1:{port}/healthz", timeout_s=60)
    try:
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").text == "ok"
    finally:
        stop(process)
    assert process.poll() is not None


def test_a_process_that_dies_first_is_named_at_once():
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="exited with code 3"):
        start([sys.executable, "-c", "raise SystemExit(3)"], f"http://127.0.0.1:{free_port()}/healthz")
    assert time.monotonic() - started < 30


def test_no_answer_in_time_is_an_error():
    with pytest.raises(RuntimeError, match="did not answer"):
        wait_healthy(f"http://127.0.0.1:{free_port()}/healthz", timeout_s=1)


def test_squad_becomes_beir_with_its_corpus_and_ingests(tmp_path):
    path = tmp_path / "squad.json"
    path.write_text(json.dumps(SQUAD))
    corpus, dataset, graded = squad_beir(path, tmp_path)
    assert [q.id for q in dataset] == ["a1", "a3"]  # answerable questions only
    assert graded == {"a1": {"glacier-cave/0": 1.0}, "a3": {"glacier-cave/1": 1.0}}
    engine = ingested(Engine(Settings(data_dir=tmp_path / "data", precision="fp32")), corpus)
    assert engine.document("glacier-cave/0").text == SQUAD["data"][0]["paragraphs"][0]["context"]


def test_scripts_read_no_argv_at_import_and_no_private_rag_names():
    for script in sorted((ROOT / "eval").rglob("*.py")):
        source = script.read_text()
        top_level = [line for line in source.splitlines() if line and not line[0].isspace()]
        assert not [line for line in top_level if "sys.argv" in line], script
        private = re.findall(r"from (rag(?:\.\w+)*) import ([^\n]*)", source)
        # the embedding modules are being made a package (issue 20); their names move with it
        assert not [(m, names) for m, names in private if not m.startswith(("rag.embed", "rag.encoders"))
                    and re.search(r"(^|, )_\w", names)], script


@pytest.mark.parametrize("script", ["eval/fusion.py", "eval/calibrate.py", "eval/perf/load.py",
                                    "eval/perf/scale.py", "eval/perf/fidelity.py", "eval/reader_report.py",
                                    "eval/embedder_tuning.py", "eval/probability_forms.py",
                                    "eval/int8_kernels.py", "eval/reader_seeds.py", "eval/train_reader.py",
                                    "eval/cleaning.py", "eval/perf/followups.py"])
def test_scripts_using_the_harness_start(script):
    done = subprocess.run([sys.executable, script, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_module_as_an_earlier_commit_had_it_is_imported_beside_today_s():
    """The baseline a change is measured against in the same run (eval/cleaning.py)."""
    from eval.harness import module_at
    from rag.ingest import clean

    before = module_at("bd3198e", "rag/ingest/clean.py")
    assert before is not clean and before.__name__ == "clean_bd3198e"
    appeal = "Support independent journalism. Donate today."  # one the rules before bd3198e's change kept
    assert appeal in before.clean_text(appeal) and appeal not in clean.clean_text(appeal)


def test_the_shipped_probability_form_is_the_engine_s():
    """eval/probability_forms.py's first form, with the calibration's weights, gives the
    probability the answer path gives (ReaderCalibration.probability)."""
    from types import SimpleNamespace

    import numpy as np

    from eval.probability_forms import FORMS
    from rag.quotes import ReaderCalibration, sigmoid

    form = FORMS["reader, prior (shipped)"]
    calibration = ReaderCalibration(reader_weight=0.35, prior_weight=0.63, bias=-1.0, candidates=8,
                                    decline_below=0.15, gain_per_word=0.002)
    candidates = [SimpleNamespace(features={"prior": 0.6, "reader": 1.0}),
                  SimpleNamespace(features={"prior": 0.2, "reader": 2.5})]  # best prior first, as collected
    for sentence in candidates:
        mixed = calibration.bias + np.dot([calibration.reader_weight, calibration.prior_weight],
                                          form(None, sentence, candidates))
        assert sigmoid(mixed) == pytest.approx(calibration.probability(sentence.features["reader"],
                                                                       sentence.features["prior"]))


def test_embedder_tuning_batches_never_hold_one_passage_twice():
    """A passage's twin in its batch would be taught as a negative of its own question."""
    import random

    from eval.embedder_tuning import distinct_batches

    pairs = [(f"q{i}", f"p{i % 5}") for i in range(60)]
    batches = distinct_batches(pairs, 4, random.Random(0))
    assert all(1 < len(b) <= 4 and len({p for _, p in b}) == len(b) for b in batches)
    kept = [q for b in batches for q, _ in b]
    assert len(set(kept)) == len(kept) and set(kept) <= {q for q, _ in pairs}
