"""POST /v1/responses as the official openai client drives it, on the real uvicorn `server`:
the same quote-only output as chat completions, citations as annotations with exact offsets,
the event stream the client's helpers read, follow-ups (input turns and previous_response_id),
and refusals in OpenAI's shape."""

from __future__ import annotations

import httpx
import openai
import pytest
from openai import OpenAI

from rag.types import NO_ANSWER

QUESTION = "How much did the Riverside library renovation cost?"
FIRST = "What do volunteers run in the basement of the Riverside library?"
FOLLOW_UP = "How long can that session last?"


@pytest.fixture
def client(server) -> OpenAI:
    return OpenAI(base_url=f"{server}/v1", api_key="unused", max_retries=0)


def test_the_output_is_the_chat_rendering_with_each_quote_cited_at_its_offsets(client, server):
    response = client.responses.create(model="some-model", input=QUESTION, instructions="Answer in French.")
    chat = client.chat.completions.create(model="attest", messages=[{"role": "user", "content": QUESTION}])
    assert response.output_text == chat.choices[0].message.content and "4.2 million euros" in response.output_text
    assert (response.status, response.model, response.instructions) == ("completed", "attest", "Answer in French.")
    [message] = response.output
    assert (message.type, message.role, message.status) == ("message", "assistant", "completed")
    cited = response.model_extra["citations"]
    assert cited == chat.model_extra["citations"] and response.model_extra["answer"]["answered"]
    annotations = message.content[0].annotations
    assert len(annotations) == len(cited)
    for n, (note, quote) in enumerate(zip(annotations, cited), start=1):
        assert note.type == "url_citation" and note.title
        shown = response.output_text[note.start_index:note.end_index]
        assert shown.startswith("> ") and shown.endswith(f"[{n}]")  # the block quote it cites, marker and all
        assert (note.document_id, note.start, note.end) == (quote["document_id"], quote["start"], quote["end"])
        stored = httpx.get(note.url.split("#")[0], timeout=30).json()["text"]  # the url is the stored text
        assert note.url.endswith(f"#char={note.start},{note.end}")
        assert stored[note.start:note.end] == quote["text"]
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
    # a list of messages with input_text parts reads the same
    parts = client.responses.create(model="attest", input=[
        {"role": "system", "content": "ignored"},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": QUESTION}]}])
    assert parts.output_text == response.output_text


def test_a_question_the_corpus_does_not_answer_is_declined(client):
    response = client.responses.create(model="attest", input="Who won the 2018 FIFA World Cup?")
    assert response.output_text.startswith(NO_ANSWER)
    assert response.output[0].content[0].annotations == [] and response.model_extra["citations"] == []


def test_a_stream_sends_the_events_the_client_helpers_read(client):
    whole = client.responses.create(model="attest", input=QUESTION)
    kinds, deltas, noted = [], [], []
    for event in client.responses.create(model="attest", input=QUESTION, stream=True):
        kinds.append(event.type)
        if event.type == "response.output_text.delta":
            deltas.append(event.delta)
        if event.type == "response.output_text.annotation.added":
            noted.append(event.annotation)
        if event.type == "response.completed":
            final = event.response
    assert kinds[:4] == ["response.created", "response.in_progress", "response.output_item.added",
                         "response.content_part.added"]
    assert kinds[-4:] == ["response.output_text.done", "response.content_part.done", "response.output_item.done",
                          "response.completed"]
    assert "".join(deltas) == whole.output_text == final.output_text
    assert [n.start_index for n in noted] == [a.start_index for a in whole.output[0].content[0].annotations]
    assert final.model_extra["citations"] == whole.model_extra["citations"]
    # the streaming helper assembles the same response
    with client.responses.stream(model="attest", input=QUESTION) as stream:
        text = "".join(e.delta for e in stream if e.type == "response.output_text.delta")
        done = stream.get_final_response()
    assert text == done.output_text == whole.output_text
    assert done.output[0].content[0].annotations[0].document_id == "fixtures/riverside-library"


def test_a_follow_up_reads_the_input_turns_or_the_previous_response(client):
    first = client.responses.create(model="attest", input=FIRST)
    assert "volunteers" in first.output_text.lower()
    # the previous response named by id: its conversation is kept by the server
    second = client.responses.create(model="attest", input=FOLLOW_UP, previous_response_id=first.id)
    assert "three hours" in second.output_text and second.previous_response_id == first.id
    # the earlier turns sent as input, the reply's output as the client returned it (annotations and all)
    listed = client.responses.create(model="attest", input=[
        {"role": "user", "content": FIRST}, *[item.to_dict() for item in first.output],
        {"role": "user", "content": FOLLOW_UP}])
    assert listed.output_text == second.output_text
    assert listed.model_extra["answer"]["query"] == second.model_extra["answer"]["query"] != FOLLOW_UP
    # a third turn continues the chain; the kept response can be fetched again
    third = client.responses.create(model="attest", input="Tell me more", previous_response_id=second.id)
    assert third.status == "completed"
    assert client.responses.retrieve(second.id).output_text == second.output_text


def test_previous_response_id_unknown_or_not_stored_is_a_404(client):
    with pytest.raises(openai.NotFoundError) as err:
        client.responses.create(model="attest", input=FOLLOW_UP, previous_response_id="resp_nope")
    assert err.value.body["type"] == "not_found_error" and "'resp_nope'" in err.value.message
    unkept = client.responses.create(model="attest", input=FIRST, store=False)
    with pytest.raises(openai.NotFoundError):
        client.responses.create(model="attest", input=FOLLOW_UP, previous_response_id=unkept.id, stream=True)
    with pytest.raises(openai.NotFoundError):
        client.responses.retrieve(unkept.id)


@pytest.mark.parametrize("options,field,why", [
    ({"tools": [{"type": "web_search"}]}, "body.tools", "no hosted tool (web_search)"),
    ({"text": {"format": {"type": "json_schema", "name": "x", "schema": {}}}}, "body.text", "never JSON"),
    ({"text": {"format": "json"}}, "body.text", 'text.format is an object such as {"type": "text"}'),
    ({"background": True}, "body.background", "no background"),
    ({"reasoning": {"effort": "high"}}, "body.reasoning", "no reasoning"),
    ({"tool_choice": "required"}, "body.tool_choice", "never calls a tool"),
    ({"conversation": "conv_1"}, "body.conversation", "previous_response_id"),
])
def test_what_attest_cannot_do_is_refused_saying_why(client, options, field, why):
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.responses.create(model="attest", input=QUESTION, **options)
    assert err.value.body["param"] == field and why in err.value.message


def test_options_it_can_ignore_are_accepted(client):
    response = client.responses.create(
        model="attest", input=QUESTION, temperature=0.2, max_output_tokens=16, reasoning={"effort": None},
        tool_choice="auto", tools=[{"type": "function", "name": "lookup", "parameters": {"type": "object"}}],
        metadata={"ticket": "42"}, include=["message.output_text.logprobs"], truncation="auto")
    assert "4.2 million euros" in response.output_text and response.metadata == {"ticket": "42"}


@pytest.mark.parametrize("input_,said", [
    ("  ", "input, the last user message (the question), is blank"),
    ([{"role": "assistant", "content": "hello"}], "the input items need at least one user message"),
    ([{"role": "user", "content": [{"type": "input_image", "image_url": "x"}]}],
     'input[0].content[0] is not a text part ({"type": "input_text"'),
    ([{"role": "robot", "content": QUESTION}], "body.input.0.role"),
    ([{"role": "user", "content": ["not a part"]}], "input[0].content[0] is not a text part"),
    ("x" * 2001, "over 2,000 characters (RAG_MAX_QUESTION_CHARS)"),
    ([{"role": "assistant", "content": [{"type": "output_text", "text": "x", "annotations": [
        {"type": "url_citation", "document_id": "d", "start": -1, "end": 2}]}]},
      {"role": "user", "content": QUESTION}], "body.input.0.content.0.annotations.0.start"),
])
def test_malformed_input_is_a_422_naming_it(client, input_, said):
    with pytest.raises(openai.UnprocessableEntityError) as err:
        client.responses.create(model="attest", input=input_)
    assert said in err.value.message


def test_a_stream_whose_answer_fails_ends_in_an_error_the_client_raises(client, engine, monkeypatch):
    """A fake failure (the one fake here): no real part can be made to fail on demand after the
    stream began. The stream says `response.failed`, then an `error` event the client raises."""
    from rag.api.openai_messages import STREAM_FAILED

    def broken(*args, **kwargs):
        raise RuntimeError("the index went away")

    monkeypatch.setattr(engine, "ask", broken)
    kinds = []
    with pytest.raises(openai.APIError, match=STREAM_FAILED):
        for event in client.responses.create(model="attest", input=QUESTION, stream=True):
            kinds.append(event.type)
    assert kinds == ["response.created", "response.in_progress", "response.failed"]


def test_responses_need_the_token_as_every_read_does(engine):
    from rag.api.app import create_app
    from rag.config import Settings
    from tests.conftest import TOKEN, running

    settings = Settings(data_dir=engine.settings.data_dir, api_token=TOKEN, protect_reads=True)
    with running(create_app(settings, engine=engine)) as base:
        wrong = OpenAI(base_url=f"{base}/v1", api_key="wrong", max_retries=0)
        with pytest.raises(openai.PermissionDeniedError):
            wrong.responses.create(model="attest", input=QUESTION)
        missing = httpx.post(f"{base}/v1/responses", json={"input": QUESTION})
        assert missing.status_code == 401 and missing.json()["error"]["type"] == "authentication_error"
        allowed = OpenAI(base_url=f"{base}/v1", api_key=TOKEN, max_retries=0)
        assert "4.2 million euros" in allowed.responses.create(model="attest", input=QUESTION).output_text


def test_the_kept_responses_are_bounded_by_count_and_by_size():
    from rag.api.response_store import RecentResponses
    from rag.types import Turn

    kept = RecentResponses(most=3, chars=10_000)
    for n in range(5):
        kept.keep(f"resp_{n}", {"id": f"resp_{n}"}, [Turn(role="user", content="q")] * 60)
    assert len(kept) == 3 and kept.get("resp_1") is None and len(kept.get("resp_4").turns) == 50
    kept.get("resp_2")  # used: the least recently used goes first
    kept.keep("resp_5", {"id": "resp_5"}, [])
    assert kept.get("resp_3") is None and kept.get("resp_2") is not None
    kept.keep("resp_big", {"id": "resp_big"}, [Turn(role="user", content="x" * 10_000)])
    assert len(kept) == 1 and kept.get("resp_big") is not None  # the newest stays even alone over the size
