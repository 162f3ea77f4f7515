"""The public surface: every name in rag.__all__ resolves, and `import rag` stays light."""

import subprocess
import sys

import rag


def test_every_public_name_resolves():
    for name in rag.__all__:
        assert getattr(rag, name) is not None


def test_import_rag_loads_no_model_or_store():
    code = "import sys, rag, rag.types; print(sorted(m for m in ('torch', 'chromadb', 'fastapi') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
