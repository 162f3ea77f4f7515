"""Several seeds a side: is a reader recipe better than the shipped one, or only luckier?

One training run of a recipe moves the held-out figures by up to two points from the next
run (docs/reader.md, "Another seed"), so single runs cannot tell recipes apart. This trains
every (recipe, seed) with eval/train_reader.py (`--no-export`: the shipped file is not
touched), in parallel where a GPU holds them all, and reads each checkpoint in fp32 on
data no reader trained on:

- the calibration articles (tuning data, what a choice may be made on): the answer sentence
  first within its paragraph; the AUC of the best sentence's logit, answerable against
  SQuAD's unanswerable questions; and the AUC of an answerable question's best logit over its
  own paragraph against its best over the BM25 top five of the other paragraphs of these
  articles, none holding the answer (`topical_auc`): the decline an open corpus asks for
  when the answer is elsewhere or nowhere, as with WikiQA's unanswerable questions;
- the report halves (SQuAD dev report articles, SciFact report claims), kept as yardsticks
  only.

Run: python eval/reader_seeds.py --recipe shipped= --recipe topical=topical_unanswerable=0.3
     --seeds 13,14,15,16 (a GPU makes this minutes; on this 2-core CPU it is 40 minutes a run).
Output: eval/reports/reader_seeds.json, each run's figures and each recipe's mean and spread.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.export_reader import _auc, ranking, squad_items  # noqa: E402
from eval.train_reader import (SQUAD_DEV, SQUAD_TRAIN, Pool, calibration_articles, dev_tune_articles,  # noqa: E402
                               holds_answer, scifact_examples, squad_examples)
from rag.embed.reader import feeds, pair_tokenizer  # noqa: E402
from rag.embed.reader_input import Passage, encode  # noqa: E402
from rag.evaluate.squad import slug  # noqa: E402

OUT = REPO / "eval" / "reports" / "reader_seeds.json"
TOPICAL_NEGATIVES = 5


class TorchReader:
    """A training checkpoint read in fp32, on the GPU where there is one."""

    def __init__(self, checkpoint: Path):
        import torch
        from transformers import AutoModelForSequenceClassification

        self.torch = torch
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        self.model = AutoModelForSequenceClassification.from_pretrained(checkpoint).eval().to(self.device)

    def logits(self, question: str, passages: list[Passage]) -> np.ndarray:
        pairs = encode(pair_tokenizer(), question, passages)
        enc = {k: self.torch.from_numpy(v).to(self.device) for k, v in feeds(pairs).items()}
        with self.torch.no_grad():
            return self.model(**enc).logits.reshape(-1).float().cpu().numpy()


def topical(reader, items, pool: Pool) -> dict:
    """Each answerable question's best logit over its paragraph against its best over the
    other paragraphs' BM25 top five that hold no answer text (see the module doc)."""
    answerable = [item for item in items if item[4] and item[3]]
    hits = pool.search([item[0] for item in answerable], k=20)
    own, elsewhere = [], []
    for (question, group, title, sentences, _, answers), found in zip(answerable, hits):
        others = [Passage(t, text, prev) for g, t, text, prev in (pool.sentences[int(j)] for j in found)
                  if g != group and not holds_answer(text, answers)][:TOPICAL_NEGATIVES]
        if not others:
            continue
        logits = reader.logits(question, [Passage(title, s[2], s[3]) for s in sentences] + others)
        own.append(float(logits[:len(sentences)].max()))
        elsewhere.append(float(logits[len(sentences):].max()))
    return {"questions": len(own), "topical_auc": round(_auc(own, elsewhere), 4),
            "elsewhere_above_0": round(float(np.mean(np.array(elsewhere) > 0)), 4)}


def evaluate(checkpoint: Path) -> dict:
    reader = TorchReader(checkpoint)
    train_keep, dev_keep = calibration_articles()
    pool = Pool()
    calibration = squad_items(pool, dev_keep) + squad_items(pool, train_keep, SQUAD_TRAIN)
    pool.build()  # the calibration articles alone: "elsewhere" stays on their topics
    titles = {slug(a["title"]) for a in json.loads(SQUAD_DEV.read_text())["data"]}
    spare = Pool()
    out = {"calibration": {**ranking(reader, calibration), **topical(reader, calibration, pool)},
           "squad_report_half": ranking(reader, squad_items(spare, titles - dev_tune_articles())),
           "scifact_report_half": ranking(reader, scifact_examples(spare, "report"))}
    about = checkpoint / "about.json"
    if about.exists():
        out["train_seconds"] = json.loads(about.read_text())["data"].get("train_seconds")
    return out


def run_one(recipe: str, sets: list[str], seed: int, root: Path) -> subprocess.Popen:
    folder = root / f"{recipe}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(REPO / "eval" / "train_reader.py"), "--fresh", "--no-export", "--set", f"seed={seed}"]
    for item in sets:
        cmd += ["--set", item]
    env = {**os.environ, "ATTEST_TRAIN_DIR": str(folder), "OMP_NUM_THREADS": "2", "TOKENIZERS_PARALLELISM": "false"}
    log = open(folder / "train.log", "w")
    return subprocess.Popen(cmd + ["--then-evaluate", str(folder / "figures.json")], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def summary(runs: list[dict]) -> dict:
    out = {}
    for recipe in sorted({r["recipe"] for r in runs}):
        mine = [r for r in runs if r["recipe"] == recipe and "figures" in r]
        row = {}
        for part, key in (("calibration", "first"), ("calibration", "auc"), ("calibration", "topical_auc"),
                          ("squad_report_half", "first"), ("squad_report_half", "auc"), ("scifact_report_half", "first")):
            values = [r["figures"][part][key] for r in mine if key in r["figures"][part]]
            if values:
                row[f"{part}.{key}"] = {"mean": round(float(np.mean(values)), 4),
                                        "min": min(values), "max": max(values), "n": len(values)}
        out[recipe] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", action="append", required=True, metavar="NAME=KEY=JSON,...",
                        help="a recipe: its name, then train_reader --set items separated by commas")
    parser.add_argument("--seeds", default="13,14,15,16")
    parser.add_argument("--parallel", type=int, default=8, help="runs at once (one GPU holds eight)")
    parser.add_argument("--root", type=Path, default=Path.home() / ".cache" / "attest" / "reader-seeds")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    recipes = {}
    for spec in args.recipe:
        name, _, sets = spec.partition("=")
        recipes[name] = [s for s in sets.split(",") if s]
    jobs = [(name, sets, int(seed)) for seed in args.seeds.split(",") for name, sets in recipes.items()]
    started, running, runs = time.time(), [], []
    while jobs or running:
        while jobs and len(running) < args.parallel:
            name, sets, seed = jobs.pop(0)
            running.append((name, sets, seed, run_one(name, sets, seed, args.root)))
        time.sleep(5)
        for job in [j for j in running if j[3].poll() is not None]:
            running.remove(job)
            name, sets, seed, process = job
            figures = args.root / f"{name}-{seed}" / "figures.json"
            run = {"recipe": name, "sets": sets, "seed": seed, "returncode": process.returncode}
            if figures.exists():
                run["figures"] = json.loads(figures.read_text())
            runs.append(run)
            print(json.dumps(run), flush=True)
            report = {"seconds": round(time.time() - started), "device": _device(), "runs": runs,
                      "summary": summary(runs)}
            args.out.write_text(json.dumps(report, indent=1) + "\n")  # after every run: a cut-off sweep keeps its runs
    print(json.dumps(summary(runs), indent=1))


def _device() -> str:
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"


if __name__ == "__main__":
    main()
