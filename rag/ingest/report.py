"""What one ingest did: the documents added, updated and removed, the files unchanged, failed
(with why) or kept by --prune, the chunks written, and each format's outcomes, for the
CLI's summary and the API's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # file → reason
    kept: dict[str, str] = field(default_factory=dict)  # file --prune left in place → why
    chunks: int = 0
    formats: dict[str, dict[str, int]] = field(default_factory=dict)  # ".docx" → {"ingested": 1, ...}

    def count(self, name: str, outcome: str) -> None:
        """One file's outcome (ingested, unchanged, failed) under its format."""
        by_outcome = self.formats.setdefault(Path(name).suffix.lower() or "(none)", {})
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1

    def recount(self, name: str, was: str, now: str) -> None:
        """One file's outcome changed after it was counted."""
        by_outcome = self.formats.get(Path(name).suffix.lower() or "(none)", {})
        if by_outcome.get(was):
            by_outcome[was] -= 1
            if not by_outcome[was]:
                del by_outcome[was]
            self.count(name, now)

    def formats_line(self) -> str:
        """"by format: .docx 2 ingested, .md 11 unchanged, .epub 1 failed" (one line)."""
        if not self.formats:
            return "by format: no files found (notes such as README, and hidden or _ names, are never read)"
        return "by format: " + ", ".join(
            f"{suffix} " + " ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
            for suffix, outcomes in sorted(self.formats.items()))

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def as_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "removed": self.removed, "failed": self.failed, "kept": self.kept, "chunks": self.chunks,
                "formats": self.formats}
