"""MiniLM as plain torch modules of the three inputs, for exporting graphs to other runtimes.

ONNX Runtime (the question encoder) and OpenVINO (a document runtime) both trace the
loaded BERT through these wrappers, so their graphs take `INPUTS` positionally and
compute what sentence-transformers computes. Importing this module imports torch: only
code that already has the model loaded imports it.
"""

from __future__ import annotations

import torch


class LastHidden(torch.nn.Module):
    """BERT's last hidden states as a plain module of the three inputs, for export."""

    def __init__(self, bert):
        super().__init__()
        self.bert = bert

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                         token_type_ids=token_type_ids).last_hidden_state


class MeanPooled(LastHidden):
    """BERT + sentence-transformers' mean pooling + L2 normalisation in one graph."""

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = super().forward(input_ids, attention_mask, token_type_ids)
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)
