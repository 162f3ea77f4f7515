"""One settings object for the whole engine, read from RAG_* variables and passed explicitly.

Setting HF_HUB_OFFLINE here keeps every import path offline: nothing downloads weights.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_CACHE = Path.home() / ".cache" / "attest"  # converted model copies (CTranslate2)
REPO_EVAL_REPORTS = Path(__file__).resolve().parent.parent / "eval" / "reports"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    data_dir: Path = Path("data")
    chroma_url: str = ""  # e.g. http://127.0.0.1:8001: a Chroma server instead of embedded
    collection: str = "attest_chunks"
    eval_reports_dir: Path = Field(
        default_factory=lambda data: REPO_EVAL_REPORTS if REPO_EVAL_REPORTS.is_dir() else data["data_dir"] / "reports",
        description="Folder of `rag eval run` reports served at /v1/eval/reports (the repo's eval/reports "
                    "in a checkout, else DATA_DIR/reports).")

    # embedding
    # document text: auto = int8 where the CPU has VNNI, else bf16 where native, else fp32
    # (rag/embed.py auto_precision); int8 embeds questions in fp32
    precision: Literal["auto", "bf16", "fp32", "int8"] = "auto"
    # long-running processes (serve, chat, evals) embed questions with ONNX Runtime:
    # 2.5x faster per question, cosine >= 0.99999 to torch (rag/query_encoder.py)
    fast_queries: bool = True
    # document text (rag/encoders.py): auto = OpenVINO for int8 and bf16, CTranslate2 for
    # fp32, each only when installed and agreeing with torch fp32; else torch. Or name one:
    # ctranslate2, openvino, torch
    encoder: Literal["auto", "ctranslate2", "openvino", "torch"] = "auto"
    # sentence vectors for quote scoring: contextual = pooled from the chunk's own pass
    # (one pass per chunk), separate = each sentence embedded alone (twice the tokens)
    sentence_vectors: Literal["contextual", "separate"] = "contextual"
    model_cache: Path = MODEL_CACHE
    batch_size: int = 4  # measured on 2 cores: OpenVINO bf16 ingest 4 > 8 > 16; CTranslate2 4 ≈ 8 > 16 (eval/perf/results/ingest.md)

    # chunking (words are a cheap proxy for MiniLM's 256-token window)
    chunk_words: int = 120
    max_file_bytes: int = 20_000_000
    # time budget of one file to be read, cleaned and chunked (in a worker process, so no
    # file can stall the server): ingest_file_seconds plus ingest_seconds_per_mb for each
    # MB of the file; every step is linear, so only a runaway parser overruns it. A file
    # over it is reported by name and skipped. 0 = read in-process, no budget (debugging)
    ingest_file_seconds: float = 60.0
    ingest_seconds_per_mb: float = 30.0

    # retrieval and answering
    candidates: int = 20  # per retriever, before fusion
    # fusion of dense and BM25 candidates: convex = dense_weight * dense + (1 - dense_weight)
    # * BM25, each min-max normalised per question (eval/fusion.py: nDCG@10 0.921 vs 0.893
    # for rrf on SQuAD paragraphs); rrf = reciprocal-rank fusion with rrf_k
    fusion: Literal["convex", "rrf"] = "convex"
    dense_weight: float = 0.5
    rrf_k: int = 60
    quote_chunks: int = 6  # fused chunks whose sentences compete to be quoted
    max_quotes: int = 3
    quote_words: int = 110  # most words across the quotes of one answer
    # Unset = the values calibrated with the quote model (rag/data/quote_model.json, by
    # eval/calibrate.py): decline when no sentence that fits the question reaches this
    # probability of holding the answer; add a further sentence only when it brings this
    # much probability per word (on SQuAD: under 50 words per answer on average)
    decline_below: float | None = None
    gain_per_word: float | None = None
    # the reading model (rag/reader.py) rescores the best candidate sentences; false = the
    # logistic quote model alone (the baseline it is measured against)
    reader: bool = True
    reader_threads: int = 2  # ONNX Runtime threads of the reading model
    # How answers are shown (rag/render.py, the UI, the chat API). Quote.score is the
    # quote probability (with the reading model); these cut-offs name its strength.
    strength_strong: float = Field(0.5, description="A quote scoring at least this is shown as strong.")
    strength_medium: float = Field(0.2, description="At least this (and under strong) is medium; below is weak.")
    related_above: float = Field(
        0.02585, description="A decline lists a closest passage only when its score reaches this "
                            "(measured on eval/datasets/related_passages.jsonl by eval/related.py); 0 = all.")
    meta_chars: int = Field(200, description="Titles, sources and dates are shown on one line, cut to this many characters.")

    # API
    # torch threads in `rag serve`: one keeps query latency steady when the other core is
    # busy (measured under load: embed p95 38 ms with 1 thread, 970 ms with 2); 0 = torch's default
    serve_threads: int = 1
    api_token: str = ""
    protect_reads: bool = False
    max_question_chars: int = 2000
    max_upload_bytes: int = 20_000_000
    # bytes of any request body that is not an upload (ask, search, chat), counted while the
    # body streams in, so a chunked body without Content-Length is held to it too
    max_body_bytes: int = 1_000_000
    # browsers on other origins get no CORS headers unless listed here (comma-separated);
    # writes (upload, delete) sent by a browser from any other origin are refused unless
    # listed here too, token or not
    cors_origins: str = ""
    # requests per minute per client address, 0 = no limit (put a proxy in front for more)
    rate_limit: int = 0

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store.sqlite"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"
