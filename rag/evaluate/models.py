"""The eval's typed results: `EvalReport` (one `rag eval run`), `CheckReport` (one
`rag eval check`) and `ReportSummary` (one row of GET /v1/eval/reports).

The JSON of these models is the contract between the eval, its report files, the API and
the Eval page: nobody guesses a report's shape. Every section but `metrics` has a default,
so a report written by an older version still reads. Per-question records (`results`) are
kept out of the summary JSON (report.py writes them to a separate file); `failures` is a
bounded sample of them that the summary keeps.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rag.types import Answer


class EvalInputError(ValueError):
    """A dataset, answers file, corpus or index that cannot be evaluated; the message says
    which file and what to do. The CLI prints it and exits 2."""


class Metrics(BaseModel):
    """One system's answer metrics (definitions in `EvalReport.definitions`); None = not
    measurable on this dataset (e.g. `supported` without gold answers)."""

    model_config = ConfigDict(extra="allow")

    questions: int | None = None
    quotes: int | None = None
    faithfulness: float | None = None
    supported: float | None = None
    answered: float | None = None
    first_quote: float | None = None
    declined_unanswerable: float | None = None
    decline_precision: float | None = None
    attribution: float | None = None
    words_per_answer: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None

    def values(self) -> dict[str, float | int | None]:
        """Every metric by name, extras (from other versions) included."""
        return self.model_dump()


class Violation(BaseModel):
    """A quote whose cited document is missing or whose text differs from stored_text[start:end]."""

    question_id: str
    document_id: str
    start: int
    end: int


class QuestionRecord(BaseModel):
    """One question as asked and answered; `supported` is None without gold answers."""

    id: str
    kind: str = ""
    question: str
    answerable: bool
    gold: list[str] = Field(default_factory=list)
    gold_document_ids: list[str] = Field(default_factory=list)
    answer: Answer
    supported: bool | None = None

    def failed(self) -> bool:
        """A wrong outcome: a decline or an unsupported answer to an answerable question,
        or an answer to an unanswerable one."""
        if not self.answerable:
            return self.answer.answered
        return not self.answer.answered or self.supported is False


class SystemRun(BaseModel):
    """One system over a dataset: its metrics, faithfulness violations and per-question records."""

    metrics: Metrics
    violations: list[Violation] = Field(default_factory=list)
    results: list[QuestionRecord] = Field(default_factory=list)


class EvalReport(BaseModel):
    """One eval run: Attest's metrics at the top, the baselines beside them, retrieval per mode."""

    system: str = "Attest"
    dataset: str = ""
    created: str = ""
    settings: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="How the run was made: dataset path, corpus, limit, baselines.")
    embedding: dict[str, str] = Field(default_factory=dict)
    metrics: Metrics
    violations: list[Violation] = Field(default_factory=list)
    baselines: dict[str, Metrics] = Field(default_factory=dict)
    baseline_violations: dict[str, list[Violation]] = Field(default_factory=dict)
    by_kind: dict[str, dict[str, dict[str, float | int | None]]] = Field(
        default_factory=dict, description="Per system, per kind of follow-up: questions, supported, declined.")
    retrieval: dict[str, dict[str, float | int]] = Field(
        default_factory=dict, description="Per mode (bm25, dense, hybrid): recall@k, MRR@10, nDCG@10, queries.")
    definitions: dict[str, str] = Field(default_factory=dict)
    not_ingested: list[str] = Field(default_factory=list, description="Corpus files skipped, with the reason.")
    failures: list[QuestionRecord] = Field(
        default_factory=list, description="A bounded sample of wrong outcomes, in dataset order.")
    results: list[QuestionRecord] = Field(
        default_factory=list, exclude=True, description="Every question's record; written beside the summary.")

    def by_system(self) -> dict[str, dict[str, float | int | None]]:
        """Metrics side by side: this system first, then the baselines."""
        return {self.system: self.metrics.values(), **{n: m.values() for n, m in self.baselines.items()}}

    def gate_metrics(self) -> dict[str, float | int | None]:
        """Metrics --fail-under can name: Attest's, plus `<mode>.<metric>` for retrieval (hybrid.ndcg@10)."""
        out = self.metrics.values()
        for mode, values in self.retrieval.items():
            out.update({f"{mode}.{name}": v for name, v in values.items()})
        return out


class ReportSummary(BaseModel):
    """One report in the folder, as GET /v1/eval/reports lists it (newest first)."""

    name: str
    dataset: str = ""
    created: str
    questions: int | None = None
    systems: list[str]
    faithfulness: float | None = None
    supported: float | None = None


Verdict = Literal["verbatim", "misattributed", "stitched", "unsupported"]


class Span(BaseModel):
    document_id: str
    start: int
    end: int


class Fragment(Span):
    text: str


class Closest(BaseModel):
    """The run of whole clauses of the cited document most like an unsupported citation."""

    text: str
    start: int
    end: int
    similarity: float


class CitationCheck(BaseModel):
    """One citation's verdict; the optional fields belong to one verdict each (None = absent)."""

    answer: int = 0
    citation: int = 0
    question: str = ""
    document_id: str
    text: str
    verdict: Verdict
    found_start: int | None = None
    found_end: int | None = None
    offsets_match: bool | None = None
    found_in: list[Span] | None = None
    fragments: list[Fragment] | None = None
    closest: Closest | None = None
    reason: str | None = None


class CheckReport(BaseModel):
    """`rag eval check`: every citation of every answer, with counts per verdict."""

    answers: int
    citations: int
    counts: dict[str, int]
    citations_checked: list[CitationCheck]

    def all_verbatim(self) -> bool:
        """Every citation verbatim, and every offset given points at its text."""
        return self.counts.get("verbatim", 0) == self.citations and not self.counts.get("offsets_mismatch", 0)

    def to_json(self, indent: int = 2) -> str:
        return self.model_dump_json(indent=indent, exclude_none=True)
