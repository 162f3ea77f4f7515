"""The reading model with int8 sums that saturate and with exact ones, side by side.

Run: python eval/int8_kernels.py [squad|scifact|wikiqa|team ...]
On an x86 CPU without VNNI, ONNX Runtime's uint8 x int8 kernel saturates some sums
(rag/embed/int8.py); the reader then loads its weights shifted to uint8, whose kernel sums
exactly. This script answers every question of eval/reader_report.py's datasets twice from
the same index in the same run, interleaved per question: with the file as shipped (int8
weights, this CPU's own kernel) and as the engine now loads it. On a CPU whose kernel does
not saturate both are the same graph and the script says so. Beside them it lists the
committed reports' Attest figures (eval/reports/reader-<dataset>.json), measured on CPUs
with VNNI, which sum exactly: the exact run should reproduce them.
Writes eval/reports/int8_kernels.json after each dataset (a rerun of some datasets on the
same CPU keeps the others).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.harness import ingested  # noqa: E402
from eval.reader_report import DATASETS, METRICS, REPORTS  # noqa: E402
from rag.config import Settings  # noqa: E402
from rag.embed.int8 import saturates  # noqa: E402
from rag.embed.reader import READER_PATH  # noqa: E402
from rag.embed.sessions import onnx_session  # noqa: E402
from rag.engine import Engine  # noqa: E402
from rag.evaluate.run import ask_all, score  # noqa: E402

OUT = REPORTS / "int8_kernels.json"


def cpu() -> str:
    """This CPU's model name where Linux says it, else the architecture."""
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
        return next(line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.machine()


def _changed(a: list, b: list) -> dict:
    """How many questions got a different answer: declined on one side only, another first quote."""
    declined = sum(x.answer.answered != y.answer.answered for x, y in zip(a, b))
    first = sum(x.answer.answered and y.answer.answered and
                (x.answer.quotes[0].document_id, x.answer.quotes[0].start) !=
                (y.answer.quotes[0].document_id, y.answer.quotes[0].start) for x, y in zip(a, b))
    return {"answered_on_one_side": declined, "another_first_quote": first}


def run(name: str, limit: int | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, splits = DATASETS[name](Path(tmp))
        engine = ingested(Engine(Settings(data_dir=Path(tmp) / "data")), corpus)
        engine.serving()
        engine.ask("warm up")
        reader = engine.reader()
        sessions = {"as shipped": onnx_session(READER_PATH, engine.settings.runtime.reader_threads),
                    "exact": reader.session}

        def system(label):
            def ask(question, history):
                reader.session = sessions[label]
                return engine.ask(question, history=history)
            return ask

        committed = REPORTS / f"reader-{name}.json"
        committed = json.loads(committed.read_text())["splits"] if committed.exists() else {}
        out = {}
        for split, questions in splits.items():
            answers = ask_all(questions[:limit], {label: system(label) for label in sessions})
            out[split] = {label: {k: v for k, v in score(engine, *got).metrics.values().items() if k in METRICS}
                          for label, got in answers.items()}
            out[split]["committed (VNNI)"] = {k: v for k, v in committed.get(split, {}).get("Attest", {}).items()
                                              if not k.startswith("latency")}
            out[split]["changed"] = _changed(answers["as shipped"][0], answers["exact"][0])
            reader.session = sessions["exact"]
            print(name, split, json.dumps(out[split], indent=1), flush=True)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("datasets", nargs="*", choices=[[], *DATASETS], default=list(DATASETS))
    parser.add_argument("--limit", type=int, default=None, help="first N questions per split (a smoke run)")
    args = parser.parse_args()
    if not saturates():
        print("this CPU's int8 kernel sums exactly: the shipped and the exact graphs are the same here")
        return
    report = json.loads(OUT.read_text()) if OUT.exists() and not args.limit else {"datasets": {}}
    if report.get("cpu") != cpu():  # a dataset rerun on another CPU starts the report afresh
        report = {"cpu": cpu(), "saturates": True, "datasets": {}}
    for name in args.datasets or list(DATASETS):
        report["datasets"][name] = run(name, args.limit)
        if not args.limit:
            OUT.write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
