"""One settings object for the whole engine, read from RAG_* variables and passed explicitly.

Settings are grouped by what they govern (index, runtime, answer, api); each group reads
the same flat `RAG_<FIELD>` variables, so `RAG_MAX_QUOTES=2` sets `settings.answer.max_quotes`,
and a flat keyword works too: `Settings(max_quotes=2)`. Every field says what it does
(`rag config` lists them). Importing this module changes nothing in the process: the
offline flags of the model libraries are set where those libraries are first imported
(rag/embed/offline.py) and by the CLI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from urllib.parse import urlparse

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MODEL_CACHE = Path.home() / ".cache" / "attest"
REPO_EVAL_REPORTS = Path(__file__).resolve().parent.parent / "eval" / "reports"


class _Group(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")


class IndexSettings(_Group):
    """Where vectors live and how documents become chunks."""

    chroma_url: str = Field("", description="A Chroma server (e.g. http://127.0.0.1:8001) instead of embedded Chroma.")
    collection: str = Field("attest_chunks", description="The Chroma collection name.")
    chunk_words: int = Field(120, ge=10, description="Words per chunk (a cheap proxy for MiniLM's 256-token window).")
    sentence_vectors: Literal["contextual", "separate"] = Field(
        "contextual", description="Sentence vectors for quote scoring: pooled from the chunk's own pass "
                                  "(contextual) or each sentence embedded alone (separate, twice the tokens).")
    max_file_bytes: int = Field(20_000_000, description="A larger file is reported and skipped.")
    ingest_file_seconds: float = Field(
        60.0, description="Time budget to read, clean and chunk one file, in a worker process so no file can "
                          "stall the server; a file over it is reported and skipped. 0 = in-process, no budget.")
    ingest_seconds_per_mb: float = Field(30.0, description="Added to ingest_file_seconds per MB of the file.")
    ingest_max_memory_mb: int = Field(
        4096, ge=0, description="Memory the reading worker may take on top of what it holds once started; a file "
                                "that needs more (a zip bomb) is reported and skipped. 0 = no cap.")

    @field_validator("chroma_url")
    @classmethod
    def _server_url(cls, value: str) -> str:
        """An http(s) URL with a host: "chroma:8001" would otherwise be read as no host at all
        and quietly reach 127.0.0.1:8000 instead."""
        if value.strip():
            try:
                url = urlparse(value.strip())
                url.port  # noqa: B018 - raises ValueError on a port that is not a number
            except ValueError:
                url = None
            if url is None or url.scheme not in ("http", "https") or not url.hostname:
                raise ValueError("must be an http(s) URL with a host, like http://127.0.0.1:8001")
        return value.strip()


class RuntimeSettings(_Group):
    """How the models run on this machine."""

    precision: Literal["auto", "bf16", "fp32", "int8"] = Field(
        "auto", description="Document embedding: auto = int8 where the CPU has VNNI, else bf16 where native, "
                            "else fp32. Questions are always embedded in fp32.")
    encoder: Literal["auto", "ctranslate2", "openvino", "torch"] = Field(
        "auto", description="Runtime for document text: auto = OpenVINO for int8 and bf16, CTranslate2 for fp32, "
                            "each only when installed and agreeing with torch fp32; else torch.")
    fast_queries: bool = Field(True, description="Long-running processes embed questions with ONNX Runtime "
                                                 "(checked against torch at start-up); false keeps torch.")
    model_cache: Path = Field(MODEL_CACHE, description="Where converted and quantized model copies are kept.")
    batch_size: int = Field(4, ge=1, description="Chunks per embedding batch (eval/perf/results/ingest.md).")
    reader_threads: int = Field(2, ge=1, description="ONNX Runtime threads of the reading model.")
    serve_threads: int = Field(1, ge=0, description="Torch threads in `rag serve`; one keeps question latency "
                                                    "steady while the other core embeds uploads. 0 = torch's default.")


class AnswerSettings(_Group):
    """Retrieval, quoting, declining, and how answers are shown."""

    max_question_chars: int = Field(2000, ge=1, description="The longest question accepted (CLI, API, chat, MCP).")
    candidates: int = Field(20, ge=1, description="Chunks per retriever (dense and BM25) before fusion.")
    fusion: Literal["convex", "rrf"] = Field(
        "convex", description="convex = dense_weight x dense + (1 - dense_weight) x BM25, each min-max scaled per "
                              "question; rrf = reciprocal-rank fusion with rrf_k (docs/design.md).")
    dense_weight: float = Field(0.5, ge=0, le=1, description="The dense share of the convex mix.")
    rrf_k: int = Field(60, ge=1, description="The constant of reciprocal-rank fusion.")
    quote_chunks: int = Field(6, ge=1, description="Fused chunks whose sentences compete to be quoted.")
    max_quotes: int = Field(3, ge=1, description="Most quotes in one answer.")
    quote_words: int = Field(110, ge=1, description="Most words across the quotes of one answer.")
    decline_below: float | None = Field(
        None, description="Decline when no sentence that fits the question reaches this probability of holding "
                          "the answer. Unset = the calibrated value (rag/data/quote_model.json).")
    gain_per_word: float | None = Field(
        None, description="Add a further quote only when it raises the probability that the answer is shown by "
                          "this much per word. Unset = the calibrated value.")
    reader: bool = Field(True, description="The reading model rescores the best candidate sentences; false = the "
                                           "logistic quote model alone (the baseline it is measured against).")
    strength_strong: float = Field(0.5, description="A quote scoring at least this is shown as strong.")
    strength_medium: float = Field(0.2, description="At least this (and under strong) is medium; below is weak.")
    related_above: float = Field(
        0.02585, description="A decline lists a closest passage only when its score reaches this "
                             "(fitted by eval/related.py); 0 = all.")
    meta_chars: int = Field(200, description="Titles, sources and dates are shown on one line, cut to this many characters.")


class ApiSettings(_Group):
    """The HTTP API (`rag serve`) and the MCP server over HTTP."""

    api_token: str = Field("", description="When set, uploads and deletes need `Authorization: Bearer <token>`.")
    protect_reads: bool = Field(False, description="With a token, reads (ask, search, chat, documents, stats, "
                                                   "reports, /docs) need it too.")
    @field_validator("api_token")
    @classmethod
    def _header_safe(cls, value: str) -> str:
        """The token travels in an HTTP header: a non-ASCII character reaches the server as other
        text (headers are Latin-1), and a space at either end is stripped on the way, so such a
        token could never match; say so at start instead of refusing every request."""
        if any(not "!" <= ch <= "~" for ch in value):
            raise ValueError("use only visible ASCII characters (letters, digits, punctuation; no spaces): "
                             "it is sent in an Authorization header")
        return value

    @field_validator("protect_reads")
    @classmethod
    def _needs_a_token(cls, value: bool, info: ValidationInfo) -> bool:
        """Fail closed: reads asked to be protected, with no token to protect them by, would
        stay open to everyone while the setting says otherwise."""
        if value and not info.data.get("api_token"):
            raise ValueError("needs RAG_API_TOKEN set too; without a token reads would stay open to everyone")
        return value

    max_upload_bytes: int = Field(20_000_000, description="The largest upload (413 above).")
    max_body_bytes: int = Field(1_000_000, description="The largest other request body, counted as it streams "
                                                       "in, chunked bodies too.")
    cors_origins: str = Field("", description="Comma-separated origins whose browsers get CORS headers and may "
                                              "write; none by default, token or not.")
    body_seconds: float = Field(60.0, ge=0, description="The longest a request may take to send its whole body "
                                                        "once its headers are in (408 after); a client that "
                                                        "trickles or never ends a body holds nothing longer. "
                                                        "0 = no limit.")
    rate_limit: int = Field(0, ge=0, description="Requests per minute per client address; 0 = no limit.")
    allowed_hosts: str = Field("", description="Comma-separated Host names a server listening on loopback also "
                                                "answers to (a proxy here that passes the public name); others "
                                                "get 421, which stops DNS rebinding.")


GROUPS = {"index": IndexSettings, "runtime": RuntimeSettings, "answer": AnswerSettings, "api": ApiSettings}
_HOME = {name: group for group, model in GROUPS.items() for name in model.model_fields}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAG_", extra="forbid")

    data_dir: Path = Field(Path("data"), description="The index folder: SQLite store, BM25 index, embedded Chroma.")
    eval_reports_dir: Path = Field(
        default_factory=lambda data: REPO_EVAL_REPORTS if REPO_EVAL_REPORTS.is_dir() else data["data_dir"] / "reports",
        description="Folder of `rag eval run` reports served at /v1/eval/reports (the repo's eval/reports "
                    "in a checkout, else DATA_DIR/reports).")
    index: IndexSettings = Field(default_factory=IndexSettings, description=IndexSettings.__doc__)
    runtime: RuntimeSettings = Field(default_factory=RuntimeSettings, description=RuntimeSettings.__doc__)
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description=AnswerSettings.__doc__)
    api: ApiSettings = Field(default_factory=ApiSettings, description=ApiSettings.__doc__)

    @model_validator(mode="before")
    @classmethod
    def _flat_names(cls, data: Any) -> Any:
        """`Settings(max_quotes=2)` sets answer.max_quotes, as RAG_MAX_QUOTES does."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        for name in [n for n in data if n in _HOME]:
            group = data.setdefault(_HOME[name], {})
            if isinstance(group, dict):
                group[name] = data.pop(name)
            else:
                data[_HOME[name]] = group.model_copy(update={name: data.pop(name)})
        return data

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store.sqlite"

    @property
    def bm25_dir(self) -> Path:
        return self.data_dir / "bm25"


def described() -> list[tuple[str, str, Any, str]]:
    """(group, RAG_ variable, default, description) of every setting, for `rag config`."""
    def default(field) -> Any:
        return "(derived)" if field.default_factory is not None else field.default

    rows = [("storage", f"RAG_{n.upper()}", default(f), f.description or "")
            for n, f in Settings.model_fields.items() if n not in GROUPS]
    for group, model in GROUPS.items():
        rows += [(group, f"RAG_{n.upper()}", default(f), f.description or "") for n, f in model.model_fields.items()]
    return rows


def question_problem(question: str, settings: Settings, what: str = "question") -> str | None:
    """Why the API would refuse this question (or search query, `what`), or None: the CLI and
    LlamaIndex refuse it too, rather than decline a blank question."""
    if not question.strip():
        return f"the {what} is blank"
    limit = settings.answer.max_question_chars
    if len(question) > limit:
        return f"the {what} is {len(question):,} characters; the limit is {limit:,} (RAG_MAX_QUESTION_CHARS)"
    return None
