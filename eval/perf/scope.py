"""What asking within chosen documents costs when the scope is large: 1 to 4,000 documents
named by id, and folder prefixes, against the unscoped question in the same run.

The index is scale.py's: two real articles (so questions have answers) plus 5,000 synthetic
documents of 10 chunks (real vocabulary, random unit vectors) in folders of 1,000. In one
process, question by question, every scope is timed in turn (interleaved, so load from
elsewhere hits all alike): resolving its names (`Engine.scope`, as each question does),
retrieval given the question's vector, and the whole `Engine.ask` (reading model on).
Every scoped hit and quote is checked to lie in the scope, and for the first --check questions
retrieval and the answer are compared with Chroma's `document_id` filter alone (the way every
scope took before `Retriever.dense` chose one). With --chroma-server the same is run against a
local `chroma run`.

    python eval/perf/scope.py [--docs 5000] [--rounds 100] [--check 20] [--chroma-server]  # → results/scope.{md,json}
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from eval.harness import chroma_run, stop  # noqa: E402
from eval.perf.scale import CHUNKS_PER_DOC, build, percentiles, questions_and_real_text  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.retrieve import Retriever  # noqa: E402

FOLDER_DOCS = 1000


def scopes(engine: Engine, sizes: list[int], rng: np.random.Generator) -> dict[str, list[str] | None]:
    """Named scopes: none, n documents by id (the real ones first, then synthetic ones at
    random), and folder prefixes with the real documents beside them."""
    synthetic = sorted(engine.scope(["synthetic/"]).document_ids)
    real = sorted(d.id for d in engine.documents() if not d.id.startswith("synthetic/"))
    out: dict[str, list[str] | None] = {"unscoped (baseline)": None}
    for n in sizes:
        picked = real[:n] + [str(s) for s in rng.choice(synthetic, max(0, n - len(real)), replace=False)]
        out[f"{n:,} document{'s' * (n > 1)} by id"] = picked
    for prefix in (f"synthetic/{0:03d}/", "synthetic/"):
        out[f"prefix {prefix} + {len(real)} ids"] = [prefix, *real]
    return out


def measure(engine: Engine, named: dict[str, list[str] | None], questions: list[str], rounds: int) -> dict:
    """p50/p95 of resolve, retrieve and ask per scope, interleaved question by question; and
    how many scoped hits or quotes fell outside their scope (must be 0)."""
    k = engine.settings.answer.quote_chunks
    vectors = {q: engine.embed_query(q) for q in questions}
    times = {name: {"resolve": [], "retrieve": [], "ask": []} for name in named}
    outside = {name: 0 for name in named}
    empty = {name: 0 for name in named}
    for r in range(rounds + 3):  # the first 3 rounds warm up
        q = questions[r % len(questions)]
        for name, names in named.items():
            t0 = time.perf_counter()
            scope = None if names is None else engine.scope(names)
            t1 = time.perf_counter()
            hits = engine.retrieve(q, k, vector=vectors[q], scope=scope)
            t2 = time.perf_counter()
            answer = engine.ask(q, documents=names)
            t3 = time.perf_counter()
            if r < 3:
                continue
            for key, ms in (("resolve", t1 - t0), ("retrieve", t2 - t1), ("ask", t3 - t2)):
                times[name][key].append(ms * 1000)
            if scope is not None:
                ids = [c.document_id for _, c, _ in hits] + [x.document_id for x in [*answer.quotes, *answer.related]]
                outside[name] += sum(not scope.holds(i) for i in ids)
            empty[name] += not hits
    base = {key: percentiles(times["unscoped (baseline)"][key]) for key in ("resolve", "retrieve", "ask")}
    rows = {}
    for name in named:
        row = {key: percentiles(ms) for key, ms in times[name].items()}
        for key in ("retrieve", "ask"):
            row[key]["p50_ratio"] = round(row[key]["p50_ms"] / base[key]["p50_ms"], 2)
            row[key]["p95_ratio"] = round(row[key]["p95_ms"] / base[key]["p95_ms"], 2)
        names = named[name]
        row["documents"] = None if names is None else len(engine.scope(names).document_ids)
        row["outside_scope"], row["no_hits"] = outside[name], empty[name]
        rows[name] = row
    return rows


def filtered_only(retriever: Retriever, vector: np.ndarray, n: int, scope=None) -> list[tuple[str, float]]:
    """Dense retrieval as it was before Retriever.dense chose its way: Chroma's filter, always."""
    return retriever.vectors.search(vector, n, None if scope is None else scope.document_ids)


def agreement(engine: Engine, named: dict[str, list[str] | None], questions: list[str]) -> dict:
    """Per scope, on how many questions retrieval (chunk ids in order) and Engine.ask are the
    same as with Chroma's filter alone, patched in for the comparison; and the largest
    difference in a fused score."""
    k, out = engine.settings.answer.quote_chunks, {}
    for name, names in named.items():
        if names is None:
            continue
        same_hits = same_answers = 0
        largest = 0.0
        for q in questions:
            vector, scope = engine.embed_query(q), engine.scope(names)
            runs = []
            for patch in (mock.patch.object(Retriever, "dense", Retriever.dense),
                          mock.patch.object(Retriever, "dense", filtered_only)):
                with patch:
                    runs.append((engine.retrieve(q, k, vector=vector, scope=scope), engine.ask(q, documents=names)))
            (new_hits, new_answer), (old_hits, old_answer) = runs
            same_hits += [c.id for _, c, _ in new_hits] == [c.id for _, c, _ in old_hits]
            same_answers += new_answer == old_answer
            largest = max([largest] + [abs(a.score - b.score) for (a, _, _), (b, _, _) in zip(new_hits, old_hits)])
        out[name] = {"questions": len(questions), "same_retrieval": same_hits, "same_answer": same_answers,
                     "largest_score_difference": largest}
    return out


def run(mode: str, docs: int, rounds: int, sizes: list[int], questions: list[str], real: Path,
        checked: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"attest-scope-{mode}-"))
    helper = None
    try:
        settings = Settings(data_dir=folder / "data", precision="fp32")
        if mode == "chroma-server":
            helper = chroma_run(folder / "chroma-server", 8773)
            settings = Settings(data_dir=folder / "data", precision="fp32", chroma_url="http://127.0.0.1:8773")
        print(f"building {docs:,} documents ({mode})", file=sys.stderr, flush=True)
        build_s = build(settings, docs * CHUNKS_PER_DOC, real, folder_docs=FOLDER_DOCS)
        with Engine(settings) as engine:
            engine.serving(1)
            named = scopes(engine, sizes, np.random.default_rng(11))
            rows = measure(engine, named, questions, rounds)
            for name, check in (agreement(engine, named, questions[:checked]) if checked else {}).items():
                rows[name]["agreement"] = check
            chunks = engine.stats().chunks
        result = {"vector_store": mode, "chunks": chunks, "build_s": round(build_s, 1), "rounds": rounds, "rows": rows}
        print(json.dumps(result), file=sys.stderr, flush=True)
        return result
    finally:
        if helper:
            stop(helper)
        shutil.rmtree(folder, ignore_errors=True)


def write(results: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scope.json").write_text(json.dumps(results, indent=2))
    lines = []
    for result in results:
        lines += [f"### {result['vector_store']}: {result['chunks']:,} chunks, {result['rounds']} questions per scope "
                  f"(built in {result['build_s']} s)", "",
                  "| scope | documents | resolve p50 ms | retrieve p50 / p95 ms | ratio p50 / p95 | "
                  "Engine.ask p50 / p95 ms | ratio p50 / p95 | outside scope | same as filter alone: retrieval, answer |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for name, r in result["rows"].items():
            check = r.get("agreement")
            same = f"{check['same_retrieval']}/{check['questions']}, {check['same_answer']}/{check['questions']}" if check else "–"
            lines.append(f"| {name} | {r['documents'] or 'all'} | {r['resolve']['p50_ms'] if r['documents'] else '–'} | "
                         f"{r['retrieve']['p50_ms']} / {r['retrieve']['p95_ms']} | "
                         f"{r['retrieve']['p50_ratio']} / {r['retrieve']['p95_ratio']} | "
                         f"{r['ask']['p50_ms']} / {r['ask']['p95_ms']} | {r['ask']['p50_ratio']} / {r['ask']['p95_ratio']} | "
                         f"{r['outside_scope']} | {same} |")
        lines.append("")
    (out / "scope.md").write_text("\n".join(lines))
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=5000, help="synthetic documents (10 chunks each)")
    parser.add_argument("--sizes", default="1,10,100,1000,4000", help="scopes of this many documents by id")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--check", type=int, default=20, help="questions compared with Chroma's filter alone")
    parser.add_argument("--chroma-server", action="store_true", help="also run against a local `chroma run`")
    parser.add_argument("--out", default="eval/perf/results")
    args = parser.parse_args()
    questions, real = questions_and_real_text()
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        results = [run(mode, args.docs, args.rounds, sizes, questions, real, args.check)
                   for mode in ["embedded"] + (["chroma-server"] if args.chroma_server else [])]
    finally:
        shutil.rmtree(real, ignore_errors=True)
    write(results, Path(args.out))


if __name__ == "__main__":
    main()
