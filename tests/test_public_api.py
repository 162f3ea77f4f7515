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


def test_split_modules_keep_the_names_callers_import():
    """rag/ingest/load.py and rag/cli/ were split by job; callers still import from them."""
    import tomllib
    from pathlib import Path

    import rag.cli
    import rag.ingest.load

    for name in rag.ingest.load.__all__:
        assert getattr(rag.ingest.load, name) is not None
    assert callable(rag.cli.main) and callable(rag.cli.parser)
    scripts = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["rag"].partition(":")
    assert getattr(__import__(module, fromlist=[function]), function) is rag.cli.main
