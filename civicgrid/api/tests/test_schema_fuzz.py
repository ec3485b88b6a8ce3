"""The whole REST API against its own OpenAPI schema, with inputs generated
from it (schemathesis): no input may cause a server error, and every answer —
errors included — must match what the schema says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi import checks

CHECKS = [
    schemathesis.checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _served_schema() -> schemathesis.schemas.BaseSchema:
    """The schema as /api/schema/ serves it (generating it reads no data)."""
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _served_schema()


@pytest.fixture
def dispatcher_token(db, bring, staff) -> str:
    """A street with appeals in several states, and its dispatcher's token."""
    for state in ("received", "dispatched", "replied", "closed"):
        bring(state)
    from civicgrid.api.testing import token_for

    return token_for(staff["dispatcher"])


@pytest.fixture
def ledger_people_rows(street) -> None:
    """A household with a member and a visit, so the ledger's people endpoints
    answer with rows (the dispatcher reads them masked, and may not write)."""
    from civicgrid.ledger.tests.conftest import (
        make_building,
        make_household,
        make_person,
    )

    household = make_household(make_building(street.grids["e1"]))
    make_person(household, phone="13900000099")


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Called straight through WSGI, each request would close the database
    connection when it finishes — and with it the test's transaction. Django's
    own test client holds these signals back the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_breaks_the_api_and_answers_match_the_schema(
    case, dispatcher_token, ledger_people_rows, keep_connection
):
    response = case.call(headers={"Authorization": f"Token {dispatcher_token}"})
    case.validate_response(response, checks=CHECKS)
