"""`rag` as a user types it: global options after the command, a clear message for a
missing or empty index, no library progress bars, and a one-shot `rag ask` without torch."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest

from rag.cli import main, parser
from rag.store import Store

QUESTION = "Who was the first ruler of Normandy?"


@pytest.mark.parametrize("argv", [
    ["--data-dir", "X", "ingest", "corpus/"],
    ["ingest", "corpus/", "--data-dir", "X"],
    ["ask", "--data-dir", "X", "q"],
])
def test_global_options_before_or_after_the_command(argv):
    args = parser().parse_args(argv)
    assert args.data_dir == "X"


def test_option_before_the_command_is_kept():
    args = parser().parse_args(["--data-dir", "X", "--chroma-url", "http://h:1", "search", "q"])
    assert (args.data_dir, args.chroma_url) == ("X", "http://h:1")


@pytest.mark.parametrize("command", [["ask", "q"], ["search", "q"], ["show", "doc"]])
def test_missing_index_says_where_it_looked(tmp_path, capsys, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert f"no index at {tmp_path / 'data'}" in err and "rag ingest" in err
    assert not (tmp_path / "data").exists()  # looking does not create an empty index


def test_empty_index_says_so(tmp_path, capsys):
    Store(tmp_path / "store.sqlite")
    assert main(["ask", "q", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"the index at {tmp_path} is empty (0 documents)" in err


@pytest.mark.parametrize("argv, says", [
    (["search", "-k", "0", "q"], "0 is outside 1 to 100"),
    (["ask", "--max-quotes", "-1", "q"], "-1 is outside 1 to 10"),
])
def test_out_of_range_options_are_refused_as_the_api_refuses_them(argv, says, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2 and says in capsys.readouterr().err


def test_bad_input_is_refused_before_an_index_is_touched(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["ingest", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err and not (tmp_path / "data").exists()
    monkeypatch.setenv("RAG_MAX_QUOTES", "abc")
    assert main(["stats"]) == 2
    assert "RAG_MAX_QUOTES = 'abc'" in capsys.readouterr().err
    monkeypatch.delenv("RAG_MAX_QUOTES")
    monkeypatch.setenv("RAG_PROTECT_READS", "true")  # a setting's own check: its words, not pydantic's prefix
    assert main(["stats"]) == 2
    assert "rag: RAG_PROTECT_READS = 'true': needs RAG_API_TOKEN set too" in capsys.readouterr().err
    monkeypatch.delenv("RAG_PROTECT_READS")
    assert main(["ask", "x" * 2001]) == 2  # the question is checked before the index
    assert "the limit is 2,000" in capsys.readouterr().err


def test_ask_prints_no_progress_bars_and_later_asks_skip_torch(engine, tmp_path):
    env = {**os.environ, "RAG_MODEL_CACHE": str(tmp_path / "models"), "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)
    data = str(engine.settings.data_dir)
    first = subprocess.run([sys.executable, "-m", "rag.cli", "ask", QUESTION, "--data-dir", data],
                           capture_output=True, text=True, env=env, timeout=600)
    assert first.returncode == 0 and "[1]" in first.stdout
    assert re.search(r" · (strong|medium|weak) \(\d\.\d\d\)", first.stdout)
    assert "Loading weights" not in first.stderr and "it/s" not in first.stderr
    assert list((tmp_path / "models").glob("minilm-question-*.onnx"))
    code = ("import sys; from rag.cli import main; code = main(['ask', sys.argv[1], '--data-dir', sys.argv[2]]); "
            "print('TORCH', 'torch' in sys.modules); sys.exit(code)")
    second = subprocess.run([sys.executable, "-c", code, QUESTION, data],
                            capture_output=True, text=True, env=env, timeout=600)
    assert second.returncode == 0 and "TORCH False" in second.stdout
    assert second.stdout.split("TORCH")[0] == first.stdout  # the same answer



def test_output_cut_short_by_a_pipe_is_no_traceback(engine, monkeypatch):
    """`rag show ID | head -1`: the reader leaves early; the CLI ends quietly, not with a
    BrokenPipeError traceback. Here stdout is a pipe whose reading end is already closed."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w") as gone:
        monkeypatch.setattr(sys, "stdout", gone)
        document = engine.documents(limit=1)[0].id
        assert main(["show", document, "--data-dir", str(engine.settings.data_dir)]) == 0


def test_rag_ui_serves_the_app_and_python_m_runs_the_cli():
    """`rag ui` finds ui/app.py from inside the rag/cli/ package (a real Streamlit answers its
    health check), and `python -m rag.cli` is the `rag` command."""
    import httpx

    from tests.conftest import free_port

    help_text = subprocess.run([sys.executable, "-m", "rag.cli", "--help"], capture_output=True, text=True,
                               check=True).stdout
    assert help_text.startswith("usage: rag ") and "ingest" in help_text
    port = free_port()
    ui = subprocess.Popen([sys.executable, "-m", "rag.cli", "ui", "--port", str(port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(120):
            assert ui.poll() is None, ui.stderr.read()  # a missing app.py ends streamlit at once
            try:
                if httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok":
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail("rag ui never answered its health check")
    finally:
        ui.terminate()
        ui.wait(timeout=30)
    # stopping `rag ui` stops the UI: a Streamlit child of it lived on, holding the port
    time.sleep(1)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)


def test_a_search_query_is_held_to_what_the_api_takes(engine, capsys):
    """`rag search ""` listed chunks for nothing, and a query over the limit was searched, where
    POST /v1/search refuses both (422)."""
    data = str(engine.settings.data_dir)
    assert main(["search", "  ", "--data-dir", data]) == 2
    assert "rag search: the query is blank" in capsys.readouterr().err
    assert main(["search", "y" * 2001, "--data-dir", data]) == 2
    assert "the query is 2,001 characters; the limit is 2,000" in capsys.readouterr().err


def test_verify_of_a_mistyped_data_dir_makes_no_index(tmp_path, capsys):
    """`rag verify --data-dir typo` made an empty index there and reported it "ok"."""
    typo = tmp_path / "typo"
    assert main(["verify", "--data-dir", str(typo)]) == 2
    assert f"no index at {typo}" in capsys.readouterr().err and not typo.exists()
    Store(tmp_path / "empty" / "store.sqlite")  # an empty index is still one to check
    assert main(["verify", "--data-dir", str(tmp_path / "empty")]) == 0


def test_documents_lists_the_ids_that_doc_and_show_take(engine, capsys):
    data = str(engine.settings.data_dir)
    stored = [d.id for d in engine.documents()]
    assert main(["documents", "--data-dir", data]) == 0
    out = capsys.readouterr()
    assert [line.split("\t")[0] for line in out.out.splitlines()] == stored and not out.err
    assert main(["documents", "--limit", "1", "--data-dir", data]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].split("\t")[0] == stored[0] and f"1 of {len(stored)} documents shown" in out.err
    assert main(["documents", "normans", "--json", "--data-dir", data]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["total"] == 1 and listed["documents"][0]["id"] == "wikipedia/normans"
    assert main(["show", "nowhere", "--data-dir", data]) == 2
    assert "rag show: no document 'nowhere'; `rag documents`" in capsys.readouterr().err  # where the fix is found
    assert main(["show", "normans", "--data-dir", data]) == 2  # the id's last part, as people first try it
    assert "rag show: no document 'normans'; ids holding it: wikipedia/normans" in capsys.readouterr().err


def test_chat_says_how_a_follow_up_was_read(engine, capsys, monkeypatch):
    typed = iter(["How much did the Riverside library renovation cost?", "When did it reopen?", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(typed))
    assert main(["chat", "--data-dir", str(engine.settings.data_dir)]) == 0
    said = [line for line in capsys.readouterr().out.splitlines() if "Read with the conversation as:" in line]
    assert len(said) == 1 and "Riverside" in said[0], said


@pytest.mark.parametrize("command", [["serve"], ["mcp", "--http"], ["ui"]])
def test_a_port_already_taken_is_said_at_once(tmp_path, capsys, command):
    """uvicorn said it only once the engine had loaded, twenty seconds on, and exited 3."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        started = time.monotonic()
        assert main([*command, "--port", str(port), "--data-dir", str(tmp_path)]) == 2
    assert time.monotonic() - started < 5
    assert f"rag {command[0]}: port {port} on 127.0.0.1 is already in use: stop what uses it, or choose another " \
           f"--port" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*command, "--port", "70000"])
    assert "70000 is outside 1 to 65535" in capsys.readouterr().err


def test_chat_from_a_here_doc_shows_each_question_after_its_prompt(engine):
    typed = "How much did the Riverside library renovation cost?\nWhen did it reopen?\n"
    done = subprocess.run([sys.executable, "-m", "rag.cli", "chat", "--data-dir", str(engine.settings.data_dir)],
                          input=typed, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "> How much did the Riverside library renovation cost?" in lines and "> When did it reopen?" in lines
    assert lines.index("> When did it reopen?") > lines.index("> How much did the Riverside library renovation cost?") + 1


def test_serve_over_a_missing_index_says_so_and_serves(tmp_path):
    """`rag serve --data-dir typo` served an empty index without a word: every answer a decline."""
    import httpx

    from tests.conftest import free_port

    port, typo = free_port(), tmp_path / "typo"
    serve = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--port", str(port), "--data-dir", str(typo)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        said = serve.stderr.readline()
        assert said.startswith(f"rag serve: no index at {typo}") and "every question declines" in said, said
        for _ in range(600):
            assert serve.poll() is None
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        assert httpx.get(f"http://127.0.0.1:{port}/v1/stats").json()["documents"] == 0
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_ingest_shows_its_own_progress_bar_and_no_library_one(tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "harbour.txt").write_text("The harbour was dredged in 1911 by the Aurora.\n")
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_DISABLE_PROGRESS_BARS", None)
    done = subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(tmp_path / "corpus"),
                           "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0 and "added 1" in done.stdout
    assert "ingest:" in done.stderr and "Loading weights" not in done.stderr, done.stderr


def test_search_indents_every_line_of_a_chunk_under_its_header(engine, capsys):
    assert main(["search", "Normans", "-k", "3", "--data-dir", str(engine.settings.data_dir)]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith("[1] ")
    assert all(line.startswith(("[", "    ")) or not line for line in shown), shown
