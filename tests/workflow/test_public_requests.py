"""The public pages: the online request form (Art. 29) and the status lookup by tracking code."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.applicants import CREDIT_CODE
from workflow.models import DisclosureRequest, RequestAttachment
from workflow.services.intake import request_register

pytestmark = pytest.mark.django_db

NAME = "王小明"
ID_NUMBER = "110101199003071233"  # with its check digit (workflow.validators)
PHONE = "13912345678"
DESCRIPTION = "2026年第三季度城乡低保资金发放明细"
MARKUP_ERROR = "markup such as <tags> is not accepted"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture(autouse=True)
def _no_captcha(settings):
    # These tests are about the form's fields; the CAPTCHA has its own
    # (tests/security/test_request_form.py).
    settings.REQUEST_FORM_CAPTCHA = False


@pytest.fixture
def form_data(org):
    return {
        "unit": org.civil.pk,
        "applicant_kind": "natural_person",
        "organisation_type": "",
        "applicant_name": NAME,
        "id_number": ID_NUMBER,
        "contact_person": "",
        "phone": PHONE,
        "email": "wang@example.com",
        "address": "测试区幸福路1号",
        "description": DESCRIPTION,
        "document_number": "测民发〔2026〕12号",
        "delivery_form": "electronic",
        "delivery_method": "email",
    }


def media_files():
    root = Path(django_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


def test_pages_are_public_and_the_form_uploads_files(client, org):
    page = client.get(reverse("public:apply"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert reverse("public:status") in html
    units = [u.name for u in page.context["form"].fields["unit"].queryset]
    assert units == sorted(units) and "民政局" in units
    assert "区保密局" not in units  # the secrecy bureau takes no requests
    assert client.get(reverse("public:status")).status_code == 200


def test_valid_submission_creates_a_request_and_shows_the_code(client, org, form_data):
    response = client.post(reverse("public:apply"), form_data)
    assert response.status_code == 302
    assert response.url == reverse("public:applied")
    request = DisclosureRequest.objects.get()
    assert request.tracking_code not in response.url
    assert request.receiving_unit == org.civil
    assert request.status == "submitted"
    assert request.channel == "online"
    assert request.created_by is None
    assert request.received_on is None
    assert request.applicant_name == NAME and request.email == "wang@example.com"
    assert request.processes.count() == 1
    assert client.session["applied_code"] == request.tracking_code

    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert request.tracking_code in html
    assert "Keep this code" in html and "31(三)" in html


def test_applied_page_without_a_submission_goes_back_to_the_form(client):
    response = client.get(reverse("public:applied"))
    assert response.status_code == 302 and response.url == reverse("public:apply")


def test_missing_fields_are_shown_beside_the_fields_and_nothing_is_created(client, org):
    response = client.post(reverse("public:apply"), {"applicant_kind": "natural_person"})
    assert response.status_code == 200
    for name in ("unit", "applicant_name", "id_number", "phone", "description"):
        assert field_errors(response, name), name
    assert 'class="field has-error"' in response.content.decode()
    assert not DisclosureRequest.objects.exists()


def test_a_bad_email_is_refused(client, form_data):
    response = client.post(reverse("public:apply"), {**form_data, "email": "not-an-address"})
    assert response.status_code == 200 and field_errors(response, "email")
    assert not DisclosureRequest.objects.exists()


def test_the_secrecy_bureau_cannot_be_chosen(client, org, form_data):
    response = client.post(reverse("public:apply"), {**form_data, "unit": org.secrecy.pk})
    assert response.status_code == 200 and field_errors(response, "unit")
    assert not DisclosureRequest.objects.exists()


def test_a_legal_person_must_give_the_organisation_type(client, form_data):
    data = {
        **form_data,
        "applicant_kind": "legal_person",
        "organisation_type": "",
        "id_number": CREDIT_CODE,
    }
    response = client.post(reverse("public:apply"), data)
    assert response.status_code == 200
    assert field_errors(response, "organisation_type") == ["Choose the type of organisation."]
    assert "Choose the type of organisation." in response.content.decode()
    assert not DisclosureRequest.objects.exists()

    response = client.post(reverse("public:apply"), {**data, "organisation_type": "research"})
    assert response.status_code == 302
    assert DisclosureRequest.objects.get().organisation_type == "research"


def test_markup_in_the_description_is_refused(client, form_data):
    data = {**form_data, "description": "低保名单<script>alert(1)</script>"}
    response = client.post(reverse("public:apply"), data)
    assert response.status_code == 200
    assert any(MARKUP_ERROR in e for e in field_errors(response, "description"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html  # the refused text is echoed escaped
    assert not DisclosureRequest.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_written(client, form_data, settings):
    settings.REQUEST_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048, "application/pdf")
    response = client.post(reverse("public:apply"), {**form_data, "attachment": big})
    assert response.status_code == 200
    assert any("larger than" in e for e in field_errors(response, "attachment"))
    assert not DisclosureRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert media_files() == []


def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_is_written(client, form_data):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 60, "application/pdf")
    response = client.post(reverse("public:apply"), {**form_data, "attachment": exe})
    assert response.status_code == 200
    assert any("Only these files are accepted" in e for e in field_errors(response, "attachment"))
    assert not DisclosureRequest.objects.exists()
    assert not RequestAttachment.objects.exists()
    assert media_files() == []


def test_a_good_pdf_is_stored_with_the_request(client, form_data):
    pdf = SimpleUploadedFile("申请.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    response = client.post(reverse("public:apply"), {**form_data, "attachment": pdf})
    assert response.status_code == 302
    attachment = DisclosureRequest.objects.get().attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(b"%PDF-1.4\n%test\n")
    stored = Path(attachment.file.path)
    assert stored.is_relative_to(Path(django_settings.MEDIA_ROOT))
    assert stored.read_bytes() == b"%PDF-1.4\n%test\n"
    assert media_files() == [stored]


def test_csrf_is_enforced(org, form_data):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("public:apply"), form_data).status_code == 403
    assert not DisclosureRequest.objects.exists()


@pytest.fixture
def registered(org):
    """A request received in person, so its clock runs and it has a due date."""
    day = dt.date(2026, 9, 30)
    return request_register(
        user=org.users.officer,
        unit=org.civil,
        data={
            "channel": "in_person",
            "submitted_on": day,
            "applicant_kind": "natural_person",
            "applicant_name": NAME,
            "id_number": ID_NUMBER,
            "phone": PHONE,
            "email": "wang@example.com",
            "description": DESCRIPTION,
        },
        today=day,
    )


def test_status_shows_progress_but_nothing_about_the_applicant(client, registered):
    assert registered.due_on
    code = f"  {registered.tracking_code.lower()} "  # typed loosely
    page = client.get(reverse("public:status"), {"code": code})
    html = page.content.decode()
    assert page.status_code == 200
    assert registered.tracking_code in html
    assert "民政局" in html
    assert registered.get_status_display() in html
    assert registered.due_on.isoformat() in html
    assert registered.received_on.isoformat() in html
    assert "Provisional" not in html
    for private in (NAME, ID_NUMBER, PHONE, DESCRIPTION, "wang@example.com"):
        assert private not in html
    assert "No request with this tracking code." not in html


def test_status_of_an_online_request_before_receipt(client, form_data):
    client.post(reverse("public:apply"), form_data)
    request = DisclosureRequest.objects.get()
    html = client.get(reverse("public:status"), {"code": request.tracking_code}).content.decode()
    assert "Submitted online, receipt not yet confirmed" in html
    assert "Receipt not yet confirmed" in html and "Not yet fixed" in html
    assert NAME not in html and DESCRIPTION not in html


def _without_echoes(response):
    """The page minus what varies per render or only mirrors the URL: the CSRF token and the
    language switcher's `next` (base.html), which holds the page's own address."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return re.sub(r'name="next" type="hidden" value="[^"]*"', "", html)


def _main(response):
    return response.content.decode().split("<main>", 1)[1]


def test_wrong_and_malformed_codes_get_the_same_neutral_answer(client, registered):
    url = reverse("public:status")
    wrong = client.get(url, {"code": "YSQ2026-ZZZZ-ZZZZ"})
    malformed = client.get(url, {"code": "'; DROP TABLE x; --" + "A" * 300})
    assert wrong.status_code == malformed.status_code == 200
    assert "No request with this tracking code." in _main(wrong)
    assert "ZZZZ" not in _main(wrong)  # the typed code is not echoed back
    assert _without_echoes(wrong) == _without_echoes(malformed)
    assert registered.tracking_code not in wrong.content.decode()


def test_a_due_date_on_an_unconfirmed_calendar_is_marked_provisional(client, registered):
    DisclosureRequest.objects.filter(pk=registered.pk).update(calendar_unconfirmed=True)
    html = client.get(reverse("public:status"), {"code": registered.tracking_code}).content
    assert registered.due_on.isoformat() in html.decode() and "Provisional" in html.decode()
