"""What the eval scripts share: a server process that is healthy before it is measured,
temporary folders and indexes, SQuAD 2.0 turned into a BEIR folder with its corpus, and a
module as an earlier commit had it (the baseline a change is measured against, same run).

Every helper fails loudly (a process that dies or never answers its health URL, a corpus
file that does not ingest) rather than letting a script measure something half started.
Scripts run as `python eval/...py`, so they put the repo root on sys.path to import this.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent
SQUAD_DEV_PART = ROOT.parent / "shared/datasets/squad2/squad2-dev-part.json"


def wait_healthy(url: str, process: subprocess.Popen | None = None, timeout_s: float = 300.0,
                 what: str = "the server") -> None:
    """Poll `url` until it answers 200; raise when `process` exits first or time runs out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not answer {url} within {timeout_s:.0f} s")


def start(command: list[str], health_url: str, env: dict[str, str] | None = None,
          timeout_s: float = 300.0) -> subprocess.Popen:
    """Start `command` (output discarded) and return it once `health_url` answers."""
    process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(health_url, process, timeout_s, what=Path(command[0]).name + " " + " ".join(command[1:3]))
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen, timeout_s: float = 30.0) -> None:
    """SIGTERM, then wait; kill only if it will not stop."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rag_serve(port: int, env: dict[str, str]) -> subprocess.Popen:
    """`rag serve` on 127.0.0.1:port with RAG_* settings from env, healthy."""
    return start([sys.executable, "-m", "rag.cli", "serve", "--port", str(port)],
                 f"http://127.0.0.1:{port}/healthz", env)


@contextmanager
def serving(port: int, env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """`rag serve` for the length of a with-block: (base URL, process); stopped on the way out."""
    process = rag_serve(port, env)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)


def chroma_run(folder: Path, port: int) -> subprocess.Popen:
    """A local `chroma run` server over folder, healthy (its heartbeat answers)."""
    chroma = Path(sys.executable).with_name("chroma")
    return start([str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                 f"http://127.0.0.1:{port}/api/v2/heartbeat", {"ANONYMIZED_TELEMETRY": "False"}, timeout_s=60)


@contextmanager
def temporary_folder(prefix: str = "attest-eval-") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        yield Path(tmp)


def ingested(engine, corpus: Path):
    """The engine after ingesting corpus; any file that fails stops the script, named."""
    report = engine.ingest(corpus)
    if report.failed:
        raise SystemExit(f"corpus files failed to ingest: {report.failed}")
    return engine


def squad_beir(squad: Path, folder: Path):
    """SQuAD 2.0 as a BEIR folder (paragraphs = documents, answerable questions = queries)
    under folder/beir, its corpus written to folder/corpus: (corpus folder, questions, graded qrels)."""
    from rag.evaluate import beir
    from rag.evaluate.squad import write_beir

    beir_folder = write_beir(squad, folder / "beir")
    corpus = beir.write_corpus(beir_folder, folder / "corpus").parent
    dataset, graded = beir.questions(beir_folder)
    return corpus, dataset, graded


def module_at(commit: str, path: str) -> ModuleType:
    """The module at `path` (e.g. "rag/answer.py") as `commit` had it, imported beside today's
    code under its own name; what it imports is today's."""
    source = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    name = f"{Path(path).stem}_{commit}"
    file = Path(tempfile.mkdtemp()) / f"{name}.py"
    file.write_text(source)
    spec = importlib.util.spec_from_file_location(name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module
