# Attest: `make run` installs, ingests corpus/ and serves API + UI; `make test` installs and tests.
PYTHON ?= python3.11
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
API_PORT ?= 8000
UI_PORT  ?= 8501
export HF_HUB_OFFLINE = 1
export ANONYMIZED_TELEMETRY = False

.PHONY: install ingest run serve ui test eval eval-reader bench calibrate train-reader clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0   # the CPU build from local disk, never CUDA
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

ingest: install
	$(BIN)/rag ingest corpus/ --prune

serve: install
	$(BIN)/rag serve --host $(HOST) --port $(API_PORT)

ui: install
	$(BIN)/rag ui --host $(HOST) --port $(UI_PORT) --api-url http://$(HOST):$(API_PORT)

# The main job: install, ingest corpus/, then the API in the background and, once it is
# healthy, the UI in front (scripts/run.sh: fails fast on a busy port, says how to set a token).
run: ingest
	sh scripts/run.sh $(BIN) $(HOST) $(API_PORT) $(UI_PORT)

test: install
	$(BIN)/python -m pytest -q

eval: install
	$(BIN)/rag eval run eval/datasets/corpus_questions.jsonl --corpus corpus/

# Benchmarks (eval/perf/README.md): ingest vs the fp32 baseline, load on the API, scaling curve.
bench: install
	$(BIN)/python eval/perf/ingest.py
	$(BIN)/python eval/perf/encoders.py
	$(BIN)/python eval/perf/fidelity.py
	$(BIN)/python eval/perf/query.py
	$(BIN)/python eval/perf/load.py --data-dir data
	$(BIN)/python eval/perf/scale.py --sizes 10000,100000,1000000 --chroma-server 10000,100000
	$(BIN)/python eval/perf/scope.py --chroma-server

# Choices fitted on SQuAD 2.0: the fusion rule (eval/reports/fusion.md), the logistic quote
# model, then the reading model's quote probability, decline threshold and word budget, and
# on SciFact's tune half what it reads, quotes and declines for a claim.
calibrate: install
	$(BIN)/python eval/fusion.py
	$(BIN)/python eval/calibrate.py
	$(BIN)/python eval/calibrate_reader.py
	$(BIN)/python eval/claim_candidates.py

# Fine-tune the reading model (resumable; checkpoints in ~/.cache/attest/reader-train),
# export it to rag/data/reader.onnx, then recalibrate on questions it never read.
train-reader: install
	$(BIN)/python eval/train_reader.py
	$(BIN)/python eval/calibrate_reader.py
	$(BIN)/python eval/claim_candidates.py

# The reading model against its baselines on SQuAD, SciFact, WikiQA and the team set.
eval-reader: install
	$(BIN)/python eval/reader_report.py squad scifact wikiqa team

clean:
	rm -rf data .pytest_cache
