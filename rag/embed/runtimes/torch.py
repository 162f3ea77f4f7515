"""The torch runtime: token states from the loaded sentence-transformers model.

The reference every other runtime is checked against (fp32), and the last resort when no
faster one loads. bf16 runs under CPU autocast.
"""

from __future__ import annotations

import contextlib

from rag.embed.states import TokenStates, own_tokenizer, tokenize


class TorchEncoder:
    name = "torch"
    workers = 1  # one batch at a time, under the embedder's lock

    def __init__(self, model, precision: str = "fp32"):
        self.model, self.precision, self.tokenizer = model, precision, own_tokenizer(model)  # fp32 or bf16

    def states(self, texts: list[str]) -> TokenStates:
        import torch

        batch = tokenize(self.tokenizer, texts, self.model.max_seq_length, "pt")
        offsets = batch.pop("offset_mapping").numpy()
        context = (torch.autocast("cpu", dtype=torch.bfloat16) if self.precision == "bf16"
                   else contextlib.nullcontext())
        with torch.inference_mode(), context:
            hidden = self.model[0].auto_model(**batch).last_hidden_state.float().numpy()
        return TokenStates(hidden, batch["attention_mask"].numpy().astype(bool), offsets)
