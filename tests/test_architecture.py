"""The layering is a test: the import contracts in pyproject.toml (import-linter), no
private name imported from another module, and no block of code written twice in rag/."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rag"
BLOCK = 6  # lines: a block this long written twice is a function waiting to be named


def test_import_contracts_hold(monkeypatch):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True) == 0, "run `lint-imports` to see the broken contract"


def test_no_private_names_cross_module_boundaries():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private or any(part.startswith("_") and not part.startswith("__") for part in node.module.split(".")):
                    offenders.append(f"{path.relative_to(ROOT)}: from {node.module} import {', '.join(a.name for a in node.names)}")
    assert offenders == []


def _code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, stripped text) of lines that carry code: no blanks, comments or imports."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if text and not text.startswith(("#", "import ", "from ", '"""')) and text not in {")", "]", "}", "):"}:
            lines.append((number, text))
    return lines


def test_no_block_written_twice_in_rag():
    seen: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = _code_lines(path)
        for i in range(len(lines) - BLOCK + 1):
            window = tuple(text for _, text in lines[i:i + BLOCK])
            seen[window].append(f"{path.relative_to(ROOT)}:{lines[i][0]}")
    repeated = {places[0]: places[1:] for places in seen.values() if len(places) > 1}
    assert repeated == {}, f"blocks of {BLOCK}+ lines written twice: {repeated}"
