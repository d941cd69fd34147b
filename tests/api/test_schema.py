"""The OpenAPI 3 document at /api/schema/: valid, bilingual, and declaring the errors each
operation can answer (schemathesis then checks the API against it, test_schemathesis.py)."""

import pytest
import yaml
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("/api/v1/catalogue/", "get"),
    ("/api/v1/catalogue/{id}/", "get"),
    ("/api/v1/categories/", "get"),
    ("/api/v1/units/", "get"),
    ("/api/v1/requests/", "get"),
    ("/api/v1/requests/", "post"),
    ("/api/v1/requests/{id}/", "get"),
    ("/api/v1/requests/status/{tracking_code}/", "get"),
    ("/api/v1/items/", "get"),
    ("/api/v1/items/{id}/", "get"),
    ("/api/v1/feed/", "get"),
}
PUBLIC = {
    ("/api/v1/catalogue/", "get"),
    ("/api/v1/catalogue/{id}/", "get"),
    ("/api/v1/categories/", "get"),
    ("/api/v1/units/", "get"),
    ("/api/v1/requests/", "post"),
    ("/api/v1/requests/status/{tracking_code}/", "get"),
}


@pytest.fixture
def schema(api):
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_a_valid_openapi_3_document(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3.0 JSON schema
    assert schema["openapi"].startswith("3.0")


def test_yaml_is_the_default_and_says_the_same(api, schema):
    for response in (api.get("/api/schema/"), api.get("/api/schema/", {"format": "yaml"})):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.oai.openapi;")
        assert yaml.safe_load(response.content) == schema


def test_title_servers_and_tags(schema):
    assert "政府信息公开" in schema["info"]["title"] and "Disclosure" in schema["info"]["title"]
    assert "公开目录" in schema["info"]["description"]
    assert "catalogue" in schema["info"]["description"]
    assert schema["servers"][0]["url"].startswith("http")
    assert {t["name"] for t in schema["tags"]} == {"catalogue", "requests", "items", "feed"}


def test_every_operation_is_documented_with_its_errors(schema):
    found = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    assert found == OPERATIONS
    for path, method in OPERATIONS:
        operation = schema["paths"][path][method]
        codes = set(operation["responses"])
        assert "429" in codes, (path, method)
        assert operation["tags"], (path, method)
        if (path, method) in PUBLIC:
            assert operation.get("security", [{}]) == [{}], (path, method)
            assert "401" not in codes
        else:
            assert {"tokenAuth": []} in operation["security"], (path, method)
            assert "401" in codes, (path, method)
        if "{" in path:
            assert "404" in codes, (path, method)


def test_public_entries_have_no_original_text(schema):
    components = schema["components"]["schemas"]
    for name in ("CatalogueEntry", "CatalogueEntryDetail", "RequestStatus"):
        fields = set(components[name]["properties"])
        assert not fields & {"body", "interpretation", "applicant_name", "description"}, name
