"""Submitting a disclosure request through the API (Art. 29) and following it by tracking code:
the web form's checks and messages, throttles, and nothing about the applicant in the status."""

import json
import re

import pytest

from tests.applicants import CREDIT_CODE
from workflow.models import DisclosureRequest

pytestmark = pytest.mark.django_db

SUBMIT = "/api/v1/requests/"
CJK = re.compile(r"[\u4e00-\u9fff]")
NAME, ID_NUMBER, PHONE = "王小明", "110101199003071233", "13912345678"  # check digit right
DESCRIPTION = "2026年第三季度城乡低保资金发放明细"


@pytest.fixture
def payload(org):
    return {
        "unit": org.civil.pk,
        "applicant_name": NAME,
        "id_number": ID_NUMBER,
        "phone": PHONE,
        "email": "wang@example.com",
        "description": DESCRIPTION,
    }


def _status(api, code):
    return api.get(f"/api/v1/requests/status/{code}/")


def test_submission_and_status_round_trip(api, payload):
    response = api.post(SUBMIT, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    request = DisclosureRequest.objects.get()
    assert body["tracking_code"] == request.tracking_code
    assert body["status"] == "submitted" and body["status_label"]
    assert (
        body["status_url"] == f"http://testserver/api/v1/requests/status/{request.tracking_code}/"
    )
    assert response["Location"] == body["status_url"]
    # The same request the web form makes: online, waiting for receipt (Art. 31(三)).
    assert request.channel == "online" and request.created_by is None
    assert request.received_on is None and request.applicant_kind == "natural_person"
    assert request.delivery_form == "electronic" and request.delivery_method == "email"
    assert request.processes.count() == 1

    status = _status(api, body["tracking_code"].lower())  # typed loosely
    assert status.status_code == 200
    assert status.json() == {
        "tracking_code": request.tracking_code,
        "unit": "民政局",
        "submitted_on": request.submitted_on.isoformat(),
        "received_on": None,
        "status": "submitted",
        "status_label": request.get_status_display(),
        "due_on": None,
        "calendar_unconfirmed": False,
        "answered_on": None,
    }
    text = json.dumps(status.json(), ensure_ascii=False)
    for private in (NAME, ID_NUMBER, PHONE, DESCRIPTION, "wang@example.com"):
        assert private not in text


def test_status_of_a_registered_request_has_its_due_date(api, registered):
    body = _status(api, registered.tracking_code).json()
    assert body["received_on"] == "2026-09-30" and body["due_on"] == registered.due_on.isoformat()
    assert "张三" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize("code", ["YSQ2026-ZZZZ-ZZZZ", "A" * 300, "a%00b", "%E4%BD%A0", "--"])
def test_unknown_and_malformed_codes_are_404(api, registered, code):
    response = _status(api, code)
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}


def _errors(response):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] and CJK.search(body["detail"])
    return body["errors"]


def test_missing_fields_are_400_with_chinese_messages(api, db):
    errors = _errors(api.post(SUBMIT, {}, format="json"))
    assert set(errors) == {"unit", "applicant_name", "id_number", "phone", "description"}
    for messages in errors.values():
        assert all(CJK.search(m) for m in messages), messages
    assert not DisclosureRequest.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"unit": 999999}, "unit", None),
        ({"unit": "1"}, "unit", None),  # a JSON number, not text
        ({"applicant_name": 12}, "applicant_name", None),
        ({"applicant_name": "   "}, "applicant_name", None),
        ({"phone": None}, "phone", None),
        ({"email": "not-an-address"}, "email", None),
        ({"applicant_kind": "robot"}, "applicant_kind", None),
        ({"description": "x" * 5001}, "description", None),
        ({"description": "名单<script>alert(1)</script>"}, "description", "请填写纯文本"),
        (
            {"applicant_kind": "legal_person", "id_number": CREDIT_CODE},
            "organisation_type",
            "请选择组织类型。",
        ),
        # An organisation is known by its unified social credit code, a person by the ID card.
        ({"applicant_kind": "legal_person"}, "id_number", "统一社会信用代码"),
        ({"id_number": "110101199003071234"}, "id_number", "校验码"),
        ({"phone": "1391234567"}, "phone", "手机号码"),
        ({"applicant_name": "a\x00b"}, "applicant_name", None),
        # 31 characters as sent: the schema's maxLength of 30 counts the spaces too.
        ({"phone": f"{PHONE:>31}"}, "phone", "30"),
        ({"email": f"{'wang@example.com':>255}"}, "email", "254"),
    ],
)
def test_invalid_payloads_are_400_beside_the_field(api, payload, change, field, message):
    errors = _errors(api.post(SUBMIT, {**payload, **change}, format="json"))
    assert field in errors, errors
    assert all(CJK.search(m) for m in errors[field]), errors[field]
    if message:
        assert any(message in m for m in errors[field]), errors[field]
    assert not DisclosureRequest.objects.exists()


def test_the_secrecy_bureau_takes_no_requests(api, org, payload):
    errors = _errors(api.post(SUBMIT, {**payload, "unit": org.secrecy.pk}, format="json"))
    assert list(errors) == ["unit"]


def test_a_legal_person_with_its_type_is_accepted(api, payload):
    data = {
        **payload,
        "applicant_kind": "legal_person",
        "organisation_type": "research",
        "id_number": CREDIT_CODE,
    }
    assert api.post(SUBMIT, data, format="json").status_code == 201
    assert DisclosureRequest.objects.get().organisation_type == "research"


@pytest.mark.parametrize(
    ("content", "content_type", "status"),
    [
        ("[1, 2]", "application/json", 400),
        ('"text"', "application/json", 400),
        ("{not json", "application/json", 400),
        ("unit=1", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bodies_that_are_not_a_json_object_are_refused(api, db, content, content_type, status):
    response = api.generic("POST", SUBMIT, content, content_type=content_type)
    assert response.status_code == status
    assert response.json()["detail"]


def test_an_oversized_body_is_413_json(api, db):
    body = json.dumps({"description": "x" * (6 * 1024 * 1024)})
    response = api.generic("POST", SUBMIT, body, content_type="application/json")
    assert response.status_code == 413 and response.json()["detail"]


def test_messages_follow_the_language_cookie(api, db):
    api.cookies["django_language"] = "en"
    body = api.post(SUBMIT, {}, format="json").json()
    assert body["detail"] == "Invalid input." and body["errors"]["phone"] == [
        "This field is required."
    ]


def test_a_logged_in_browser_needs_no_csrf_token(org, payload):
    """Submission is anonymous: a session cookie neither helps nor trips CSRF."""
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(org.users.drafter)
    response = browser.post(SUBMIT, payload, format="json")
    assert response.status_code == 201
    assert DisclosureRequest.objects.get().created_by is None


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates},
    }


def test_submissions_are_throttled_per_ip(api, payload, settings):
    _rates(settings, request_submit="2/hour")
    for _ in range(2):
        assert api.post(SUBMIT, payload, format="json").status_code == 201
    refused = api.post(SUBMIT, payload, format="json")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and CJK.search(refused.json()["detail"])
    assert DisclosureRequest.objects.count() == 2
    # Another address has its own budget.
    other = api.post(SUBMIT, payload, format="json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


def test_a_forged_forwarded_for_does_not_reset_the_budget(api, payload, settings):
    _rates(settings, request_submit="1/hour")
    assert api.post(SUBMIT, payload, format="json").status_code == 201
    forged = api.post(SUBMIT, payload, format="json", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert forged.status_code == 429


def test_status_lookups_are_throttled(api, registered, settings):
    _rates(settings, request_status="3/minute")
    for _ in range(3):
        assert _status(api, registered.tracking_code).status_code == 200
    assert _status(api, registered.tracking_code).status_code == 429


def test_staff_reads_are_throttled_per_user(org, token_client, settings):
    _rates(settings, user="2/minute")
    client = token_client(org.users.drafter)
    assert [client.get("/api/v1/items/").status_code for _ in range(3)] == [200, 200, 429]
    assert token_client(org.users.reviewer).get("/api/v1/items/").status_code == 200


@pytest.mark.redis
def test_throttle_counters_are_shared_through_redis(api, payload, settings):
    """Production keeps the counters in Redis: what one gunicorn worker counted, another sees."""
    import uuid

    from django.core.cache.backends.redis import RedisCache

    prefix = f"api-test-{uuid.uuid4().hex}"
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": settings.REDIS_URL, "KEY_PREFIX": prefix}
    }
    _rates(settings, request_submit="1/hour")
    assert api.post(SUBMIT, payload, format="json").status_code == 201
    another_worker = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": prefix})
    key = "throttle_request_submit_127.0.0.1"
    try:
        assert len(another_worker.get(key)) == 1
        assert api.post(SUBMIT, payload, format="json").status_code == 429
    finally:
        another_worker.delete_many([key, "throttle_anon_127.0.0.1"])
