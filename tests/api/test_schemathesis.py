"""Schemathesis against the whole API: every operation of /api/schema/ is called with generated
valid and invalid input through the real WSGI application, and each answer must not be a server
error and must match the schema (status code documented, content type, body, headers). Invalid
input must be refused with a 4xx.

Runs in the normal test suite, on SQLite and PostgreSQL, against a small catalogue and a few
requests. Generation is bounded (MAX_EXAMPLES) so the module takes well under two minutes. Path
parameters are sometimes replaced by ids and codes that exist, so that the 200 answers are
checked too and not only the 404s.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.pagination import DB_INT_MAX

MAX_EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    ignored_auth,  # staff endpoints answer 401 once the token is taken away or spoiled
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

# Ids and codes that exist, filled in by the `world` fixture before any case is generated.
REAL: dict[str, list] = {"id": [], "tracking_code": [], "unit": []}


def _valid(name: str, value) -> bool:
    # Only a value that already fits the schema is swapped for a real one: swapping an invalid
    # value (id 0, a number for a code) would turn a negative case into a valid request.
    if name == "tracking_code":
        return isinstance(value, str)
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= DB_INT_MAX


def _with_real(values: dict | None, names: tuple[str, ...]):
    choices = [values]
    for name in names:
        if isinstance(values, dict) and _valid(name, values.get(name)) and REAL[name]:
            choices += [{**values, name: real} for real in REAL[name]]
    return st.sampled_from(choices)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # Often ask for something that exists (a published entry, a visible item or request, a real
    # tracking code) rather than a random id, which is almost surely a 404.
    return _with_real(path_parameters, ("id", "tracking_code"))


@schema.hook
def flatmap_body(context, body):
    # Likewise address submissions to a real unit, so that they can succeed (201).
    return _with_real(body, ("unit",))


@pytest.fixture
def _test_transaction_survives_requests():
    """Django closes "old" database connections at the start and end of each request; inside
    the test's transaction that would close it. Django's test client switches this off the same
    way for its own requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, req, publish, registered, settings, _test_transaction_survives_requests):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            scope: "100000/minute" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        },
    }
    settings.API_FEED_SETTLE_SECONDS = 0
    entry = publish(attachment=True)
    on_request = publish(title="依申请公开的目录条目", attribute="on_request")
    token, _ = Token.objects.get_or_create(user=org.users.supervisor)
    REAL.update(
        # The district's supervisor may open every item and request of the district.
        id=[entry.pk, on_request.pk, registered.pk],
        tracking_code=[registered.tracking_code],
        unit=[org.civil.pk],
    )
    yield {"Authorization": f"Token {token.key}"}
    for values in REAL.values():
        values.clear()


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the working tree
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, world):
    case.call_and_validate(headers=world, checks=CHECKS)
