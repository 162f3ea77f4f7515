"""Worst-case read/clean/chunk times for pathological inputs, against ordinary prose of
the same size in the same run (issue 22, item 1).

Each input is a Markdown file of SIZE bytes built from one repeated unit (one long word,
comma-joined SHA-1 hashes, a URL with a hex path, unclosed images, links and comments, ...).
Two numbers per input: `parse_s`, the time of the pure steps in this process (load →
clean → chunk, what a file costs), and `stall_ms`, the longest this process's main
thread waited for a 10 ms tick while the same file was parsed by the ingest worker
process (what a server's other requests would feel). Ratios are against the prose
baseline; before the fix the worst inputs here did not finish at 1 KB.

    python eval/perf/pathological.py [--sizes 1000000,20000000] [--inputs NAME,...] [--out eval/perf/results]
"""

from __future__ import annotations

import argparse
import json
import platform
import threading
import time
from pathlib import Path

from rag.ingest.worker import ParseWorker, parse

SHA1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
UNITS = {
    "prose (baseline)": "The ferry leaves the harbour at nine, and the bridge opened in 1932. ",
    "one long word": "a",
    "comma-joined SHA-1 hashes": SHA1 + ",",
    "URL with a hex path": "0123456789abcdef",
    "hex words and .png": SHA1 + ".png ",
    "unclosed markdown images": "![",
    "image addresses that never close": "![a](",
    "unclosed links": "[",
    "unclosed HTML comments": "<!--",
    "dots": ". ",
}


def build(unit: str, size: int) -> bytes:
    prefix = "https://cdn.example.org/" if unit == UNITS["URL with a hex path"] else ""
    return (prefix + unit * (size // len(unit) + 1))[:size].encode()


def stall_while(worker: ParseWorker, raw: bytes) -> tuple[float, str]:
    """Longest wait for a 10 ms tick in this thread while the worker parses raw."""
    outcome = {}

    def run():
        try:
            worker.parse(raw, "input.md")
            outcome["result"] = "ok"
        except Exception as err:  # a budget overrun is a result here, not a crash
            outcome["result"] = str(err)[:80]

    thread = threading.Thread(target=run)
    thread.start()
    worst, last = 0.0, time.perf_counter()
    while thread.is_alive():
        time.sleep(0.01)
        now = time.perf_counter()
        worst, last = max(worst, now - last - 0.01), now
    thread.join()
    return worst * 1000, outcome["result"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000,20000000")
    parser.add_argument("--out", default="eval/perf/results")
    parser.add_argument("--budget", type=float, default=600.0, help="worker seconds per file")
    parser.add_argument("--inputs", default="", help="comma-separated input names (default all; "
                        "vs_prose is empty unless 'prose (baseline)' is among them)")
    args = parser.parse_args()
    chosen = {n for n in args.inputs.split(",") if n} if args.inputs else set(UNITS)
    worker = ParseWorker(args.budget, 120)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        baseline = None
        for name, unit in UNITS.items():
            if name not in chosen:
                continue
            raw = build(unit, size)
            start = time.perf_counter()
            parsed = parse(raw, "input.md", 120)
            seconds = time.perf_counter() - start
            if name == "prose (baseline)":
                baseline = seconds
            stall, result = stall_while(worker, raw)
            chunks = sum(len(c) for c in parsed.chunks.values())
            rows.append({"input": name, "bytes": size, "parse_s": round(seconds, 3),
                         "vs_prose": round(seconds / baseline, 2) if baseline else None, "stall_ms": round(stall, 1),
                         "chunks": chunks, "worker": result})
            print(json.dumps(rows[-1]), flush=True)
    worker.close()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"pathological-{args.sizes.replace(',', '-')}"
    (out / f"{stem}.json").write_text(json.dumps({"machine": platform.processor() or platform.machine(),
                                                       "rows": rows}, indent=2))
    lines = ["# Pathological inputs: read, clean and chunk", "",
             f"`python eval/perf/pathological.py --sizes {args.sizes}` on {platform.machine()}, "
             "a shared 2-core machine (best effort, one run). `parse_s`: load → clean → chunk in "
             "process; `vs_prose`: against ordinary prose of the same size in the same run; "
             "`stall_ms`: longest wait of this process's main thread for a 10 ms tick while the "
             "ingest worker process parsed the same file.", "",
             "| input | bytes | parse_s | vs prose | stall_ms | chunks |", "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['input']} | {r['bytes']:,} | {r['parse_s']} | {r['vs_prose']} | {r['stall_ms']} | {r['chunks']} |"
              for r in rows]
    (out / f"{stem}.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
