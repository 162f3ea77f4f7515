"""Load benchmark: N concurrent clients for a fixed time against the real API.

Starts `rag serve` (its own process) on an index of the shipped corpus, then runs N
client threads for D seconds per endpoint: /healthz (the HTTP floor, measured in the
same run), /v1/search and /v1/ask. Reports requests/s, p50/p95/p99 and errors (any
non-200 or transport error); every /v1/ask answer's quotes are checked against the
document text the API serves. Exit code 1 on any error.

    python eval/perf/load.py [--clients 1,4] [--seconds 20] [--data-dir data]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from eval.harness import serving  # noqa: E402


def run_clients(base: str, path: str, bodies: list[dict | None], clients: int, seconds: float) -> dict:
    times: list[float] = []
    errors: list[str] = []
    answers: list[dict] = []
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            i = n
            while time.perf_counter() < stop:
                body = bodies[i % len(bodies)]
                i += clients
                started = time.perf_counter()
                try:
                    r = http.get(path) if body is None else http.post(path, json=body)
                    ok, detail = r.status_code == 200, f"{r.status_code}"
                except httpx.HTTPError as err:
                    ok, detail, r = False, type(err).__name__, None
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    times.append(elapsed)
                    if not ok:
                        errors.append(detail)
                    elif path == "/v1/ask" and len(answers) < 200:
                        answers.append(r.json())

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    result = {"endpoint": path, "clients": clients, "seconds": round(wall, 1), "requests": len(times),
              "rps": round(len(times) / wall, 1), "p50_ms": round(float(np.percentile(times, 50)), 1),
              "p95_ms": round(float(np.percentile(times, 95)), 1), "p99_ms": round(float(np.percentile(times, 99)), 1),
              "errors": len(errors)}
    if answers:
        result["unfaithful_quotes"] = verify(base, answers)
    return result


def verify(base: str, answers: list[dict]) -> int:
    bad, texts = 0, {}
    with httpx.Client(base_url=base, timeout=30) as http:
        for answer in answers:
            for quote in answer["quotes"]:
                doc = quote["document_id"]
                if doc not in texts:
                    texts[doc] = http.get(f"/v1/documents/{doc}").json()["text"]
                bad += texts[doc][quote["start"]:quote["end"]] != quote["text"]
    return bad


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", default="1,4", help="client counts, run one after another")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--data-dir", default="data")
    parser.add_argument("--port", type=int, default=8773)
    parser.add_argument("--out", default="eval/perf/results")
    args = parser.parse_args()
    env = dict(os.environ, RAG_DATA_DIR=args.data_dir)
    subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(ROOT / "corpus")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with serving(args.port, {"RAG_DATA_DIR": args.data_dir}) as (base, _):
        questions = [json.loads(line) for line in (ROOT / "eval/datasets/corpus_questions.jsonl").open()]
        asks = [{"question": q["question"], "history": q["history"]} for q in questions]
        searches = [{"query": q["question"], "k": 5} for q in questions]
        for body in asks[:5]:
            httpx.post(f"{base}/v1/ask", json=body, timeout=30)  # warm-up
        rows = []
        for clients in [int(c) for c in str(args.clients).split(",")]:
            rows += [run_clients(base, "/healthz", [None], clients, args.seconds / 2),
                     run_clients(base, "/v1/search", searches, clients, args.seconds),
                     run_clients(base, "/v1/ask", asks, clients, args.seconds)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "load.json").write_text(json.dumps(rows, indent=2))
    lines = ["| endpoint | clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['endpoint']} | {r['clients']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} | "
              f"{r['p99_ms']} | {r['errors']} |" for r in rows]
    (out / "load.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    failed = sum(r["errors"] + r.get("unfaithful_quotes", 0) for r in rows)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
