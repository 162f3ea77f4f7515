"""Int8 matrix products that give the same sums on every CPU.

ONNX Runtime multiplies the reading model's uint8 activations by its int8 weights with
VPMADDUBSW on x86 CPUs without VNNI (AVX2, and AVX-512 before VNNI). That instruction adds
each pair of products in 16 bits and saturates, so large activations against large weights
lose part of their sum; a VNNI CPU adds them exactly. The reader's scores, and so the
quotes chosen, would then depend on the CPU (docs/reader.md, Latency).

The same weights stored as uint8 (every value shifted by 128, zero point 128) are multiplied
by ONNX Runtime's uint8 x uint8 kernel, which widens to 16 bits before multiplying and never
saturates. The shift is exact, so the graph computes the sums a VNNI CPU computes. It is
made in memory, and only where this CPU's kernel is found to saturate: where it does not,
the int8 kernel is exact already and the faster of the two.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from rag.embed.model import native_int8

_SHIFT = 128


def product_graph(weights: np.ndarray) -> bytes:
    """A one-node graph: uint8 activations (zero point 0) times `weights` (int8, zero point 0)."""
    from onnx import TensorProto, helper, numpy_helper

    depth, width = weights.shape
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["a", "b", "a0", "b0"], ["y"])], "product",
        [helper.make_tensor_value_info("a", TensorProto.UINT8, [None, depth])],
        [helper.make_tensor_value_info("y", TensorProto.INT32, [None, width])],
        [numpy_helper.from_array(weights.astype(np.int8), "b"), numpy_helper.from_array(np.uint8(0), "a0"),
         numpy_helper.from_array(np.zeros(width, np.int8), "b0")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model.SerializeToString()


@lru_cache(maxsize=1)
def saturates() -> bool:
    """Whether ONNX Runtime's uint8 x int8 matrix product saturates on this CPU.

    Measured: 255 x 127 summed over 64 terms is exact only where the kernel adds its products
    in 32 bits. A CPU that reports VNNI has such a kernel, and is not probed (the probe
    imports onnx, which a one-shot `rag ask` would otherwise not load)."""
    if native_int8():
        return False
    from rag.embed.sessions import onnx_session

    depth = 64
    sums = onnx_session(product_graph(np.full((depth, 16), 127, np.int8))).run(
        None, {"a": np.full((4, depth), 255, np.uint8)})[0]
    return bool((sums != 255 * 127 * depth).any())


def unsigned_weights(graph: bytes | str | Path) -> bytes:
    """`graph` with the int8 weights of its MatMulInteger nodes stored as uint8 + 128.

    Weights and zero points are shifted together, so every product (a - a0)(w - w0) is
    unchanged. Other tensors (the uint8 embedding tables, fp32 parts) are left as they are."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load_from_string(graph) if isinstance(graph, bytes) else onnx.load(str(graph))
    tensors = {tensor.name: tensor for tensor in model.graph.initializer}
    shifted: set[str] = set()
    for node in model.graph.node:
        if node.op_type != "MatMulInteger" or len(node.input) < 4:
            continue
        for name in (node.input[1], node.input[3]):  # the weights and their zero points
            tensor = tensors.get(name)
            if tensor is None or name in shifted or tensor.data_type != onnx.TensorProto.INT8:
                continue
            values = numpy_helper.to_array(tensor).astype(np.int16) + _SHIFT
            tensor.CopyFrom(numpy_helper.from_array(values.astype(np.uint8), name))
            shifted.add(name)
    return model.SerializeToString()


def exact_graph(path: Path) -> bytes | Path:
    """The graph to load from `path`: as it is where int8 sums are exact here, else shifted."""
    return unsigned_weights(path) if saturates() else path
