"""The API as other tools drive it: the official openai client's calls beyond chat (models,
errors, fields it may send), and rag.api.client's errors, on the real uvicorn `server`."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai import OpenAI

from rag.api.client import ApiError, request

QUESTION = "How much did the Riverside library renovation cost?"
MESSAGES = [{"role": "user", "content": QUESTION}]


@pytest.fixture
def client(server) -> OpenAI:
    return OpenAI(base_url=f"{server}/v1", api_key="unused", max_retries=0)


def test_models_retrieve_names_the_one_model(client):
    assert client.models.retrieve("attest").id == "attest"
    with pytest.raises(openai.NotFoundError) as err:
        client.models.retrieve("gpt-4o")
    assert "'attest'" in err.value.message


def test_a_malformed_request_says_what_is_wrong_in_the_message(client, server):
    """An OpenAI client shows only `error`; the field and the problem are in it."""
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.chat.completions.create(model="attest", messages=MESSAGES, n=2)
    # OpenAI's error object, so the exception's own text says why (it said only "Error code: 422")
    assert "body.n: Input should be less than or equal to 1" in str(err.value)
    assert err.value.body["param"] == "body.n" and err.value.body["type"] == "invalid_request_error"
    with pytest.raises(ApiError, match=r"422: invalid request: body.max_quotes: .*less than or equal to 10"):
        request(server, "POST", "/v1/ask", json={"question": QUESTION, "max_quotes": 11})


@pytest.mark.parametrize("path,body,field", [
    ("/v1/ask", {"question": QUESTION, "document": ["fixtures/"]}, "body.document"),  # a scope misspelt
    ("/v1/ask", {"question": QUESTION, "max_quote": 1}, "body.max_quote"),
    ("/v1/search", {"query": QUESTION, "limit": 3}, "body.limit"),
])
def test_a_misspelt_field_is_refused_not_ignored(server, path, body, field):
    response = httpx.post(f"{server}{path}", json=body, timeout=60)
    assert response.status_code == 422
    assert f"{field}: Extra inputs are not permitted" in response.json()["error"]


def test_fields_an_openai_client_may_send_are_accepted_or_refused_clearly(client):
    # tools offered with "auto", sampling limits, a legacy function message: accepted, the reply still quotes
    completion = client.chat.completions.create(
        model="some-other-model", temperature=0.1, max_tokens=5, seed=3, response_format={"type": "text"},
        tools=[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}],
        tool_choice="auto", messages=[{"role": "function", "name": "lookup", "content": "ignored"}, *MESSAGES])
    assert completion.choices[0].finish_reason == "stop" and completion.model == "attest"
    assert "4.2 million euros" in completion.model_extra["citations"][0]["text"]
    # what the reply can never be: JSON content, or a tool call the client requires
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.chat.completions.create(model="attest", messages=MESSAGES, response_format={"type": "json_object"})
    assert "body.response_format" in err.value.message and "citations" in err.value.message
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.chat.completions.create(model="attest", messages=MESSAGES, tool_choice="required", tools=[
            {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}])
    assert "body.tool_choice" in err.value.message and "never calls a tool" in err.value.message


def test_a_base_url_without_v1_is_pointed_at_it(server):
    client = OpenAI(base_url=server, api_key="unused", max_retries=0)
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="attest", messages=MESSAGES)
    assert "no endpoint /chat/completions" in err.value.message and "/v1" in err.value.message
    with pytest.raises(openai.NotFoundError) as err:  # what Attest does not serve, asked the OpenAI way
        OpenAI(base_url=f"{server}/v1", api_key="unused", max_retries=0).embeddings.create(input="x", model="attest")
    assert "no endpoint /v1/embeddings" in err.value.message


def test_a_stream_whose_answer_fails_ends_in_an_error_the_client_raises(client, engine, monkeypatch):
    """A fake failure (the one fake here): no real part can be made to fail on demand after the
    stream's first chunk. The client raises the error event's message, not a cut-off read."""
    from rag.api.openai_chat import STREAM_FAILED

    def broken(*args, **kwargs):
        raise RuntimeError("the index went away")

    monkeypatch.setattr(engine, "ask", broken)
    stream = client.chat.completions.create(model="attest", messages=MESSAGES, stream=True)
    with pytest.raises(openai.APIError, match=STREAM_FAILED):
        for _ in stream:
            pass


def test_a_blank_last_user_message_is_refused_not_read_as_the_one_before(client):
    earlier = [*MESSAGES, {"role": "assistant", "content": "roughly 4.2 million euros"}]
    for blank in ("", "  \n", [{"type": "text", "text": " "}]):
        with pytest.raises(openai.UnprocessableEntityError) as err:
            client.chat.completions.create(model="attest", messages=[*earlier, {"role": "user", "content": blank}])
        assert err.value.body["message"] == "messages[2], the last user message (the question), is blank"
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.chat.completions.create(model="attest", messages=[{"role": "assistant", "content": "hello"}])
    assert "at least one user message" in err.value.message


def test_chat_errors_are_in_openai_shape_from_guards_too_and_other_paths_keep_theirs(engine, server):
    """The token check runs before any route: its 401 on chat is reshaped as a route's 422 is;
    /v1/ask keeps Attest's `{"error": "..."}`, and rag.api.client reads both."""
    from rag.api.app import create_app
    from rag.config import Settings
    from tests.conftest import TOKEN, running

    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN, protect_reads=True)
    with running(create_app(settings, engine=engine)) as base:
        locked = OpenAI(base_url=f"{base}/v1", api_key="wrong-token", max_retries=0)
        with pytest.raises(openai.PermissionDeniedError) as err:
            locked.models.list()
        assert err.value.body["type"] == "permission_error" and err.value.message.startswith("Error code: 403 - ")
        missing = httpx.post(f"{base}/v1/chat/completions", json={"messages": MESSAGES})
        assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"
        assert "Bearer" in missing.json()["error"]["message"]
    asked = httpx.post(f"{server}/v1/ask", json={"question": ""})
    assert isinstance(asked.json()["error"], str)
    with pytest.raises(ApiError, match="422: invalid request: body.n: "):
        request(server, "POST", "/v1/chat/completions", json={"messages": MESSAGES, "n": 3})


def test_an_unexpected_error_on_chat_is_in_openai_shape(client, engine, monkeypatch):
    """A fake failure, as above: the 500 handler runs outside the middleware, and reshapes too."""
    def broken(*args, **kwargs):
        raise RuntimeError("the index went away")

    monkeypatch.setattr(engine, "ask", broken)
    with pytest.raises(openai.InternalServerError) as err:
        client.chat.completions.create(model="attest", messages=MESSAGES)
    assert err.value.body["type"] == "server_error" and "server log" in err.value.message
    assert "index went away" not in err.value.message
