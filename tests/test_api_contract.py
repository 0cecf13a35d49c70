"""The API against its own OpenAPI document, with schemathesis: every operation with generated valid and invalid
input, as a write-token holder, on the standing world. Required: no server error, every status code, content
type, header and body as documented. Examples are derandomised so CI is reproducible; `make fuzz` runs many
more with fresh randomness."""

import os
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lotse.api import services as tokens
from lotse.api.management.commands.api_schema import schema_text
from tests.portfolio_world import build_portfolio

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("LOTSE_FUZZ_EXAMPLES", "15"))
# Real records, so that generated requests also reach existing resources, not only 404s.
REAL = {"slug": "astadt", "key": "A-1", "ozg_id": "T-1"}


@pytest.fixture
def app(world: Any) -> Any:
    """Django's WSGI app inside the test's transaction (the test client does the same: no connection closing)."""
    build_portfolio(world)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations() -> list[str]:
    import json

    spec = json.loads(schema_text())
    return [f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item]


@pytest.mark.parametrize("label", operations())
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_operation_conforms_to_its_schema(app: Any, world: Any, label: str, mode: GenerationMode) -> None:
    import json

    schema = schemathesis.openapi.from_dict(json.loads(schema_text()))
    schema.app = app  # WSGI transport: requests go straight into Django
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    _token, raw = tokens.token_create(user=world.users["coordinator_a"], name="fuzz", scope="write")
    auth = {"Authorization": f"Bearer {raw}"}

    @settings(
        max_examples=EXAMPLES,
        derandomize=not os.environ.get("LOTSE_FUZZ_RANDOM"),
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    def run(case: Any, real: bool) -> None:
        if real and case.path_parameters:
            case.path_parameters = {k: REAL.get(k, v) for k, v in case.path_parameters.items()}
        response = case.call(headers=auth)
        case.validate_response(response, checks=CHECKS)

    run()
