"""What the follow-ups that ask again cost, against rag/answer.py before they stopped repeating work.

"Tell me more", "Go on", "What happened next?" and "Which came first?" on an index of
corpus/, after first questions taken from the conversation sets (each asked once, its quotes
sent back as citations, as the API's clients do); "Which came first?" after two of them that
each gave a date. Every turn is answered by rag/answer.py at
commit BASELINE and by the current one, on the same engine, interleaved (the order flips each
round), and their answers compared byte for byte; then every question of
eval/datasets/conversations-*.jsonl likewise. The engine's retrievals (BM25 look-ups of earlier
quotes apart) and the reading model's runs and passages are counted per turn.

    python eval/perf/followups.py [--data-dir DIR] [--rounds 3]   # → results/followups.{md,json}

With --resolution it times instead the resolution of every question of the tune-side sets
(rag.followup.resolve, as rag/answer.py calls it), with rag/followup/casing.py as it was at
CASING_BASELINE, as it is now, and with no recasing at all, interleaved; the resolved queries
of before and now are compared:

    python eval/perf/followups.py --resolution   # → results/followups-resolution.{md,json}
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from eval.harness import module_at  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.followup import resolve, rewrite  # noqa: E402
from rag.types import Answer, Turn  # noqa: E402

BASELINE = "56b6d34"  # rag/answer.py before "Tell me more" stopped scoring twice
CASING_BASELINE = "f72211e"  # rag/followup/casing.py before it read the texts once for all turns' phrases
RESOLUTION_SETS = ["conversations-tune2", "conversations-tune", "conversations-report", "conversations-probe",
                   "conversations-probe2"]  # never the held-out set
SETS = ["conversations-report", "conversations-tune"]
FOLLOW_UPS = ["Tell me more", "Go on", "What happened next?"]
COMPARE = "Which came first?"


class Counted:
    """The engine's retrievals and reading-model runs, counted on the real objects."""

    def __init__(self, engine: Engine):
        self.retrievals = self.reads = self.passages = 0
        retrieve, reader = engine.retrieve, engine.reader()
        logits = reader.logits

        def counted_retrieve(query, k, mode="hybrid", vector=None):
            self.retrievals += mode != "bm25"  # BM25 alone: finding an earlier answer's quotes, not answering
            return retrieve(query, k, mode, vector)

        def counted_logits(question, passages):
            self.reads += 1
            self.passages += len(passages)
            return logits(question, passages)

        engine.retrieve = counted_retrieve
        reader.logits = counted_logits

    def take(self) -> tuple[int, int, int]:
        got = (self.retrievals, self.reads, self.passages)
        self.retrievals = self.reads = self.passages = 0
        return got


def turns(question: str, answer: Answer) -> list[Turn]:
    return [Turn(role="user", content=question),
            Turn(role="assistant", content="\n".join(q.text for q in answer.quotes),
                 citations=[q.model_dump() for q in answer.quotes])]


def resolution(engine: Engine, rounds: int, out: Path) -> None:
    """Follow-up resolution alone, per casing version (see the module doc)."""
    before = module_at(CASING_BASELINE, "rag/followup/casing.py")
    versions = {"before": (lambda turns, texts: [before.recased(turn, texts) for turn in turns], before.texts_to_read),
                "now": (rewrite.recased_turns, rewrite.texts_to_read),
                "no recasing": (lambda turns, texts: list(turns), rewrite.texts_to_read)}
    parts = engine.answer_parts()

    def search(text: str, k: int):
        return [(c, d) for _, c, d in parts.retrieve(text, k, "bm25", None)]

    items = [json.loads(line) for name in RESOLUTION_SETS
             for line in (ROOT / "eval" / "datasets" / f"{name}.jsonl").open()]
    asked = [(item["question"], [Turn(**turn) for turn in item["history"]]) for item in items]
    seconds: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[str]] = {}
    try:
        for round_ in range(rounds + 1):  # the first round warms up, untimed
            order = list(versions)[round_ % 3:] + list(versions)[:round_ % 3]
            for version in order:
                rewrite.recased_turns, rewrite.texts_to_read = versions[version]
                started = time.perf_counter()
                queries[version] = [resolve(q, h, parts.quoted, parts.document_text, search).query for q, h in asked]
                if round_:
                    seconds[version].append(time.perf_counter() - started)
    finally:
        rewrite.recased_turns, rewrite.texts_to_read = versions["now"]
    median = {version: float(np.median(times)) for version, times in seconds.items()}
    same = sum(a == b for a, b in zip(queries["before"], queries["now"]))
    result = {"casing_baseline": CASING_BASELINE, "questions": len(asked), "rounds": rounds,
              "ms_per_question": {v: round(m * 1000 / len(asked), 2) for v, m in median.items()},
              "ratio_to_before": {v: round(m / median["before"], 3) for v, m in median.items()},
              "recasing_share": {v: round(1 - median["no recasing"] / median[v], 3) for v in ("before", "now")},
              "queries_identical": same}
    lines = [f"`python eval/perf/followups.py --resolution`: `rag.followup.resolve` on the {len(asked)} questions "
             f"of {', '.join(RESOLUTION_SETS)}, with their histories, on one engine; median of {rounds} interleaved "
             f"rounds. Before: rag/followup/casing.py at {CASING_BASELINE}.", "",
             "| casing | ms per question | ratio to before | recasing's share of resolving |", "|---|---|---|---|"]
    for version in versions:
        share = result["recasing_share"].get(version)
        lines.append(f"| {version} | {result['ms_per_question'][version]} | {result['ratio_to_before'][version]} "
                     f"| {'' if share is None else f'{share:.0%}'} |")
    lines += ["", f"Resolved queries identical, before and now: {same} of {len(asked)}."]
    out.mkdir(parents=True, exist_ok=True)
    (out / "followups-resolution.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "followups-resolution.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", default="", help="an existing index of corpus/ (default: a temporary one)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--firsts", type=int, default=24, help="first questions to follow up")
    parser.add_argument("--out", type=Path, default=ROOT / "eval" / "perf" / "results")
    parser.add_argument("--resolution", action="store_true", help="time follow-up resolution alone, per casing")
    args = parser.parse_args()
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="attest-followups-"))
    engine = Engine(Settings(data_dir=data_dir))
    if not engine.count_documents():
        engine.ingest(ROOT / "corpus")
    if args.resolution:
        return resolution(engine, args.rounds, args.out)
    engine.serving(engine.settings.runtime.reader_threads)
    counted = Counted(engine)
    versions = {"before": module_at(BASELINE, "rag/answer.py").answer, "now": None}

    def ask(version: str, question: str, history: list[Turn]) -> Answer:
        if versions[version] is None:
            return engine.ask(question, history)
        return versions[version](question, history, engine.answer_parts(), engine.settings.answer)

    items = [json.loads(line) for name in SETS for line in (ROOT / "eval" / "datasets" / f"{name}.jsonl").open()]
    firsts = list(dict.fromkeys(item["history"][0]["content"] for item in items if item["history"]))[:args.firsts]
    answered = [(q, a) for q in firsts if (a := engine.ask(q)).answered]
    cases = [(f, turns(q, a)) for q, a in answered for f in FOLLOW_UPS]
    # "Which came first?" after two answers that each gave a date (else it is an ordinary follow-up)
    pairs = [turns(q, a) + turns(q2, a2) for (q, a), (q2, a2) in combinations(answered, 2)]
    cases += [(COMPARE, history) for history in pairs if resolve(COMPARE, history, engine.quoted).compared][:24]

    ms: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    costs: dict[str, dict[str, list[tuple[int, int, int]]]] = defaultdict(lambda: defaultdict(list))
    differ: list[str] = []
    for round_ in range(args.rounds):
        for i, (question, history) in enumerate(cases):
            got = {}
            for version in (("before", "now") if (round_ + i) % 2 == 0 else ("now", "before")):
                counted.take()
                started = time.perf_counter()
                got[version] = ask(version, question, history).model_dump_json()
                ms[question][version].append((time.perf_counter() - started) * 1000)
                costs[question][version].append(counted.take())
            if round_ == 0 and got["before"] != got["now"]:
                differ.append(f"{question} after {history[0].content}")
    same_sets = 0
    for item in items:  # the conversation sets: the same answers, question by question
        history = [Turn(**turn) for turn in item["history"]]
        pair = [ask(version, item["question"], history).model_dump_json() for version in ("before", "now")]
        same_sets += pair[0] == pair[1]
        if pair[0] != pair[1]:
            differ.append(f"{item['id']}: {item['question']}")

    rows = {}
    for question in [*FOLLOW_UPS, COMPARE]:
        rows[question] = {version: {
            "p50_ms": round(float(np.percentile(ms[question][version], 50)), 1),
            "retrievals": float(np.mean([c[0] for c in costs[question][version]])),
            "reader_runs": float(np.mean([c[1] for c in costs[question][version]])),
            "passages_read": float(np.mean([c[2] for c in costs[question][version]]))}
            for version in ("before", "now")}
        rows[question]["turns"] = len(ms[question]["now"])
    result = {"baseline_commit": BASELINE, "chunks": engine.stats().chunks, "rounds": args.rounds,
              "follow_up_turns": len(cases), "conversation_set_questions": len(items),
              "conversation_set_identical": same_sets, "differing": differ, "rows": rows}
    lines = [f"`python eval/perf/followups.py`: {len(cases)} follow-up turns after {len(answered)} answered first "
             f"questions of the conversation sets, {args.rounds} rounds, before (rag/answer.py at {BASELINE}) and now "
             f"interleaved on one engine over {result['chunks']} chunks; retrievals and reading-model runs are means "
             "per turn (BM25 look-ups of earlier quotes not counted).", "",
             "| turn | timed turns | p50 ms before | p50 ms now | retrievals before / now "
             "| reader runs before / now | passages read before / now |", "|---|---|---|---|---|---|---|"]
    for question, row in rows.items():
        b, n = row["before"], row["now"]
        lines.append(f"| {question} | {row['turns']} | {b['p50_ms']} | {n['p50_ms']} | {b['retrievals']:.2f} / "
                     f"{n['retrievals']:.2f} | {b['reader_runs']:.2f} / {n['reader_runs']:.2f} "
                     f"| {b['passages_read']:.1f} / {n['passages_read']:.1f} |")
    lines += ["", f"Answers identical, byte for byte: {len(cases) - sum(' after ' in d for d in differ)} of "
                  f"{len(cases)} follow-up turns; {same_sets} of {len(items)} conversation-set questions."]
    lines += [f"- differs: {d}" for d in differ]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "followups.json").write_text(json.dumps(result, indent=1) + "\n")
    (args.out / "followups.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), file=sys.stdout)


if __name__ == "__main__":
    main()
