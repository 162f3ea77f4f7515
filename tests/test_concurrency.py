"""Concurrent use through the real API: readers ask and search while a writer uploads and
deletes documents. Bounded by the writer's cycles; zero errors, every quote verifies."""

from __future__ import annotations

import threading
import time

import httpx

from rag.ingest.load import load_bytes
from tests.conftest import TOKEN

CYCLES = 6
QUESTIONS = ["Who was the first ruler of Normandy?", "When did the 1973 oil crisis begin?",
             "What colour is the lighthouse on Fenmoor island?", "How many ferries does Fenmoor run?",
             "Who won the 2018 FIFA World Cup?"]


def upload_body(cycle: int) -> bytes:
    return (f"# Fenmoor island notice {cycle}\n\nThe lighthouse on Fenmoor island was painted "
            f"{['red', 'green', 'white', 'yellow'][cycle % 4]} in cycle {cycle}. Fenmoor runs "
            f"{cycle + 2} ferries a day in summer.\n").encode()


def test_questions_keep_being_answered_during_uploads_and_deletes(server, engine):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    shipped = {d: engine.document(d).text for d in (d.id for d in engine.documents())}
    uploaded = {f"uploads/fenmoor-{c}.md": load_bytes(upload_body(c), f"uploads/fenmoor-{c}.md")[0].text
                for c in range(CYCLES)}
    errors: list[str] = []
    answers: list[dict] = []
    writes: list[str] = []
    done = threading.Event()

    def writer():
        with httpx.Client(base_url=server, headers=auth, timeout=120) as client:
            for cycle in range(CYCLES):
                seen = len(answers)
                name = f"fenmoor-{cycle}.md"
                response = client.post("/v1/documents", files={"files": (name, upload_body(cycle))})
                if response.status_code != 200 or not response.json()["ok"]:
                    errors.append(f"upload {name}: {response.status_code} {response.text[:200]}")
                writes.append(f"+{name}")
                if cycle % 2:  # delete every other one, keep the rest until the end
                    response = client.delete(f"/v1/documents/uploads/{name}")
                    errors.append(f"delete {name}: {response.status_code}") if response.status_code != 200 else None
                    writes.append(f"-{name}")
                # paced on the readers: each cycle overlaps at least one answer, however the
                # machine's cores happen to split between writing and answering
                deadline = time.monotonic() + 120
                while len(answers) <= seen and not errors and time.monotonic() < deadline:
                    time.sleep(0.05)
        done.set()

    def reader(offset: int):
        with httpx.Client(base_url=server, timeout=120) as client:
            i = offset
            while not done.is_set():
                question = QUESTIONS[i % len(QUESTIONS)]
                i += 1
                response = client.post("/v1/ask", json={"question": question})
                if response.status_code != 200:
                    errors.append(f"ask {question!r}: {response.status_code} {response.text[:200]}")
                    continue
                answers.append(response.json())
                hits = client.post("/v1/search", json={"query": question, "k": 5})
                if hits.status_code != 200:
                    errors.append(f"search {question!r}: {hits.status_code}")

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(t.is_alive() for t in threads), "the bounded run must finish"

    try:
        assert errors == []
        assert len(answers) >= CYCLES, f"only {len(answers)} answers while {len(writes)} writes ran"
        quotes = [q for a in answers for q in a["quotes"] + a.get("related", [])]
        texts = {**shipped, **uploaded}
        bad = [q for q in quotes if texts[q["document_id"]][q["start"]:q["end"]] != q["text"]]
        assert bad == [], bad[:3]
        assert any(q["document_id"].startswith("uploads/fenmoor") for q in quotes), \
            "readers should have seen uploads land"
        print(f"\nCONCURRENCY: {len(answers)} answers, {len(quotes)} quotes verified, "
              f"{len(writes)} writes ({' '.join(writes)}), errors {len(errors)}")
    finally:
        for cycle in range(CYCLES):
            httpx.delete(f"{server}/v1/documents/uploads/fenmoor-{cycle}.md", headers=auth)
    assert httpx.get(f"{server}/v1/stats").json()["documents"] == len(shipped)
