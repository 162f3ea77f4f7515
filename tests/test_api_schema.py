"""A bounded schemathesis run over /openapi.json: no generated request may get a 5xx.

schemathesis' own pytest plugin does not load under pytest 9, so the operations are
driven here with hypothesis directly; the cases are schemathesis' generated ones.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from rag.api.app import create_app
from rag.config import Settings

EXAMPLES_PER_OPERATION = 15


def test_no_server_errors(engine):
    app = create_app(Settings(data_dir=engine.settings.data_dir, api_token="schema-token"), engine=engine)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    seen: list[tuple[str, int]] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def run(case):
            response = case.call()
            seen.append((f"{case.method} {case.path}", response.status_code))
            assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}"

        run()
    operations = {name for name, _ in seen}
    print(f"schemathesis: {len(seen)} cases over {len(operations)} operations, "
          f"{sum(code >= 500 for _, code in seen)} 5xx")
    assert len(operations) >= 10


def test_the_docs_page_describes_every_endpoint_field_and_error_as_sent(server):
    """/docs showed no endpoint descriptions, request fields without a word, and FastAPI's
    `{"detail": ...}` as the 422 body, where the API sends `{"error", "details"}`."""
    import httpx

    from rag.api.openai_errors import OPENAI_PATHS
    from rag.api.schemas import ErrorBody

    schema = httpx.get(f"{server}/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("description"), (method, path)
            assert all(p.get("description") for p in operation.get("parameters", [])), (method, path)
            body = "OpenAIErrorBody" if path.startswith(OPENAI_PATHS) else "ErrorBody"  # OpenAI's shape there
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": f"#/components/schemas/{body}"}, (method, path, status)
    for name in ("AskRequest", "SearchRequest", "ChatRequest", "ChatMessage", "Body_upload_v1_documents_post"):
        fields = schema["components"]["schemas"][name]["properties"]
        assert all(field.get("description") for field in fields.values()), name
    malformed = httpx.post(f"{server}/v1/ask", json={"question": ""})
    unknown = httpx.get(f"{server}/v1/documents/no/such/document")
    assert (malformed.status_code, unknown.status_code) == (422, 404)
    assert ErrorBody.model_validate(malformed.json()).details[0].field == "body.question"
    assert ErrorBody.model_validate(unknown.json()).error == "no document 'no/such/document'"
