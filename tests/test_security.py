"""API security on real uvicorn: read protection, CORS off by default, rate limiting,
request size limits, upload names that cannot escape, and errors that never leak a trace."""

from __future__ import annotations

import httpx
import pytest
from fastapi import HTTPException
from hypothesis import given, settings as fuzz_settings, strategies as st

from rag.api.app import create_app
from rag.api.documents import safe_name
from rag.config import Settings
from tests.conftest import TOKEN, running

QUESTION = {"question": "Who was the first ruler of Normandy?"}


@pytest.fixture(scope="module")
def locked(engine):
    """Reads need the token too, CORS allows one origin, five requests a minute per client."""
    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN, protect_reads=True,
                        cors_origins="https://analyst.example", rate_limit=5)
    with running(create_app(settings, engine=engine)) as base:
        yield base


def test_reads_need_the_token_when_configured_and_rate_limit_applies(locked):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert httpx.get(f"{locked}/healthz").status_code == 200  # probes stay open
    assert httpx.post(f"{locked}/v1/ask", json=QUESTION).status_code == 401
    assert httpx.get(f"{locked}/v1/documents", headers={"Authorization": "Bearer nope"}).status_code == 403
    assert httpx.post(f"{locked}/v1/ask", json=QUESTION, headers=auth, timeout=60).json()["answered"]
    statuses = [httpx.get(f"{locked}/v1/stats", headers=auth).status_code for _ in range(6)]
    assert statuses[-1] == 429, statuses  # 3 spent above, so the limit of 5 trips within 6 more
    limited = httpx.get(f"{locked}/v1/stats", headers=auth)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "rate limit" in limited.json()["error"]
    assert httpx.get(f"{locked}/healthz").status_code == 200  # health is never limited


def test_cors_is_off_by_default_and_only_listed_origins_get_it(server, engine):
    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    response = httpx.options(f"{server}/v1/ask", headers=preflight)
    assert "access-control-allow-origin" not in response.headers
    response = httpx.get(f"{server}/v1/documents", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers

    settings = Settings(data_dir=engine.settings.data_dir, cors_origins="https://analyst.example")
    with running(create_app(settings, engine=engine)) as base:
        ok = httpx.options(f"{base}/v1/ask", headers={**preflight, "Origin": "https://analyst.example"})
        assert ok.headers.get("access-control-allow-origin") == "https://analyst.example"
        denied = httpx.get(f"{base}/v1/documents", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in denied.headers


def test_oversized_request_bodies_are_refused_before_reading(server):
    body = b'{"question": "' + b"a" * 1_300_000 + b'"}'  # over the limit (200 kB + 1 MB of form slack)
    response = httpx.post(f"{server}/v1/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "over" in response.json()["error"]


class _Exploding:
    """An engine whose every read fails with a message that must never reach a client."""

    def ask(self, *args, **kwargs):
        raise RuntimeError("secret internal path /srv/attest/data and a stack")

    search = ask


def test_an_internal_error_is_json_without_a_trace(tmp_path):
    app = create_app(Settings(data_dir=tmp_path), engine=_Exploding())
    with running(app) as base:
        for path, body in [("/v1/ask", QUESTION), ("/v1/search", {"query": "q", "k": 3})]:
            response = httpx.post(f"{base}{path}", json=body)
            assert response.status_code == 500
            assert response.json() == {"error": "internal error; the server log has the details"}
            assert "secret" not in response.text and "Traceback" not in response.text


@fuzz_settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.sampled_from([
    "../../etc/passwd.txt", "/etc/passwd.txt", "..\\..\\windows\\win.txt", "C:\\x\\report.md",
    "a/../../b.txt", "....//....//x.txt", ".hidden.md", "%2e%2e%2fescape.txt", "notes\x00.txt"])))
def test_upload_names_never_escape_the_upload_area(name):
    try:
        safe = safe_name(name)
    except HTTPException as err:
        assert err.status_code == 422
        return
    rest = safe.removeprefix("uploads/")
    assert safe.startswith("uploads/") and rest and "/" not in rest and "\\" not in rest
    assert not rest.startswith(".") and all(ch.isprintable() for ch in rest)


def test_upload_names_keep_colons_and_are_one_name_in_any_unicode_form():
    # a POSIX name with a colon is not a Windows drive: two such files must not collide
    assert safe_name("Q:A recap.md") == "uploads/Q:A recap.md" != safe_name("R:A recap.md")
    assert safe_name("C:\\Users\\me\\report.md") == "uploads/report.md"
    # "café" decomposed (as macOS file names are) and composed: one document, not two
    assert safe_name("cafe\u0301.txt") == safe_name("caf\u00e9.txt") == "uploads/caf\u00e9.txt"


def test_a_loopback_server_answers_only_to_loopback_host_names(engine):
    """DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends Host and Origin that
    agree, so only the Host name tells it from this server's own pages."""
    settings = Settings(data_dir=engine.settings.data_dir, allowed_hosts="attest.internal")
    with running(create_app(settings, engine=engine, host="127.0.0.1")) as base:
        rebound = {"Host": "evil.example:8000", "Origin": "http://evil.example:8000", "Sec-Fetch-Site": "same-origin"}
        refused = httpx.post(f"{base}/v1/ask", json=QUESTION, headers=rebound)
        assert refused.status_code == 421 and "RAG_ALLOWED_HOSTS" in refused.json()["error"]
        assert httpx.delete(f"{base}/v1/documents/x", headers=rebound).status_code == 421
        port = base.rsplit(":", 1)[1]
        for name in ("127.0.0.1", "localhost", "[::1]", "attest.internal", "LOCALHOST"):
            assert httpx.get(f"{base}/v1/stats", headers={"Host": f"{name}:{port}"}).status_code == 200, name
    with running(create_app(settings, engine=engine, host="0.0.0.0")) as base:  # it cannot know its names
        assert httpx.get(f"{base}/v1/stats", headers={"Host": "attest.example.com"}).status_code == 200
