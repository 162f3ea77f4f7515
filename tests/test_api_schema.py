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
