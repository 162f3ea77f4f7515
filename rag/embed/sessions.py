"""ONNX Runtime sessions, made one way for every graph this package runs on ONNX Runtime.

The question encoders and the reading model each run one small graph per call from API
threads; a session gets its own intra-op threads and no inter-op pool, and stays quiet
in the log except for errors.
"""

from __future__ import annotations

from pathlib import Path


def onnx_session(graph: bytes | str | Path, threads: int = 1):
    """An ONNX Runtime CPU session for `graph` (the model's bytes or its file)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    source = str(graph) if isinstance(graph, Path) else graph
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])
