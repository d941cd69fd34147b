"""The applicant's ID number, mobile number and e-mail (Regulation Art. 29 (一)) are checked by one
module (workflow.validators) on the public form, the staff's registration form and the API, and
each refusal is shown beside its field, in Chinese unless the visitor chose English."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from stdnum.cn import ric

from tests.applicants import CREDIT_CODE, ID_NUMBER, MOBILE, captcha_code
from workflow.models import DisclosureRequest
from workflow.validators import (
    clean_credit_code,
    clean_email,
    clean_mobile,
    clean_resident_id,
)

pytestmark = pytest.mark.django_db

# The same number with its last character changed: the check digit no longer matches.
WRONG_CHECK = ID_NUMBER[:-1] + ("4" if ID_NUMBER[-1] != "4" else "5")


def with_check_digit(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def test_a_resident_id_needs_its_check_digit_and_a_real_birth_date():
    # Typed with spaces and a small x: accepted and stored in one spelling.
    with_x = with_check_digit("11010519491231002")
    assert with_x.endswith("X")
    assert clean_resident_id(" " + with_x[:6] + " " + with_x[6:].lower()) == with_x
    assert clean_resident_id(ID_NUMBER) == ID_NUMBER

    refusals = {
        WRONG_CHECK: "checksum",
        with_check_digit("11010119900230123"): "birth",  # 30 February
        with_check_digit("11010120990307123"): "birth",  # born in the future
        with_check_digit("00010119900307123"): "region",
        ID_NUMBER[:17]: "length",
        "11010119900307123A": "format",
    }
    for number, code in refusals.items():
        with pytest.raises(ValidationError) as refused:
            clean_resident_id(number, today=dt.date(2026, 12, 1))
        assert refused.value.code == code, number


def test_numbers_that_follow_the_standard_outside_the_county_table_pass():
    """python-stdnum's county table refuses a county renamed after its holder's birth (万州区,
    500101, for someone born in 1990) and the residence permits of Hong Kong, Macao and Taiwan
    residents (81, 82, 83): real numbers, all with a correct check digit."""
    for first17 in ("50010119900307123", "81000019900307123", "83000019900307123"):
        number = with_check_digit(first17)
        assert not ric.is_valid(number)
        assert clean_resident_id(number) == number


def test_credit_codes_mobiles_and_emails():
    assert clean_credit_code(CREDIT_CODE.lower()) == CREDIT_CODE
    with pytest.raises(ValidationError):
        clean_credit_code(CREDIT_CODE[:-1] + "A")
    assert clean_mobile("+86 139-1234-5678") == MOBILE
    assert clean_mobile("0086 13912345678") == MOBILE
    for wrong in ("12912345678", "1391234567", "139123456789", "010-12345678", "电话13912345678"):
        with pytest.raises(ValidationError):
            clean_mobile(wrong)
    assert clean_email(" Wang@Example.COM ") == "Wang@example.com"
    for wrong in ("wang", "wang@localhost", "wang@example", "王@例子"):
        with pytest.raises(ValidationError):
            clean_email(wrong)


@pytest.fixture
def form_data(org):
    return {
        "unit": org.civil.pk,
        "applicant_kind": "natural_person",
        "applicant_name": "王小明",
        "id_number": ID_NUMBER,
        "phone": MOBILE,
        "email": "wang@example.com",
        "description": "2026年第三季度城乡低保资金发放明细",
        "delivery_form": "electronic",
        "delivery_method": "email",
    }


def beside(html: str, name: str) -> str:
    """The field's block: its label, box, help and the errors shown under it."""
    found = re.search(
        rf'<div class="field has-error">\s*<label for="id_{name}">.*?</div>', html, re.S
    )
    assert found, f"no error beside {name}"
    return found.group(0)


def test_the_public_form_refuses_each_beside_its_field_in_chinese(client, form_data):
    data = {
        **form_data,
        "id_number": WRONG_CHECK,
        "phone": "1391234567",
        "email": "wang@example",
        "captcha": captcha_code(client),
    }
    response = client.post(reverse("public:apply"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "身份证号码有误：最后一位校验码与前17位不符" in beside(html, "id_number")
    assert "请填写11位手机号码（13至19开头）" in beside(html, "phone")
    assert "请填写有效的电子邮箱地址" in beside(html, "email")
    assert sorted(response.context["form"].errors) == ["email", "id_number", "phone"]
    assert not DisclosureRequest.objects.exists()


def test_in_english_when_the_visitor_chose_it(client, form_data, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    data = {**form_data, "id_number": WRONG_CHECK, "captcha": captcha_code(client)}
    html = client.post(reverse("public:apply"), data).content.decode()
    assert "its last character (the check digit) does not match" in beside(html, "id_number")


def test_a_good_submission_is_stored_in_one_spelling(client, form_data):
    spaced = f"{ID_NUMBER[:6]} {ID_NUMBER[6:14]} {ID_NUMBER[14:]}"
    data = {**form_data, "id_number": spaced, "phone": "+86 139 1234 5678"}
    response = client.post(reverse("public:apply"), {**data, "captcha": captcha_code(client)})
    assert response.status_code == 302, response.content.decode()[:3000]
    request = DisclosureRequest.objects.get()
    assert (request.id_number, request.phone) == (ID_NUMBER, MOBILE)


def test_an_organisation_gives_its_credit_code(client, form_data):
    data = {**form_data, "applicant_kind": "legal_person", "organisation_type": "research"}
    response = client.post(reverse("public:apply"), {**data, "captcha": captcha_code(client)})
    assert "统一社会信用代码" in beside(response.content.decode(), "id_number")
    data["id_number"] = CREDIT_CODE
    response = client.post(reverse("public:apply"), {**data, "captcha": captcha_code(client)})
    assert response.status_code == 302
    assert DisclosureRequest.objects.get().id_number == CREDIT_CODE


def test_the_staff_registration_form_has_the_same_rules(client, org):
    client.force_login(org.users.officer)
    form = {
        "receiving_unit": org.civil.pk,
        "channel": "in_person",
        "submitted_on": "2026-09-30",
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_number": WRONG_CHECK,
        "phone": "1380000000",
        "email": "zhang@localhost",
        "description": "2026年第三季度城乡低保资金发放明细",
        "delivery_form": "paper",
        "delivery_method": "post",
    }
    response = client.post(reverse("workflow:request_create"), form)
    assert response.status_code == 200
    html = response.content.decode()
    assert "校验码" in beside(html, "id_number")
    assert "手机号码" in beside(html, "phone")
    assert "电子邮箱" in beside(html, "email")
    assert not DisclosureRequest.objects.exists()

    response = client.post(
        reverse("workflow:request_create"),
        {**form, "id_number": ID_NUMBER, "phone": MOBILE, "email": ""},
    )
    assert response.status_code == 302
    assert DisclosureRequest.objects.get().id_number == ID_NUMBER


def test_the_api_has_the_same_rules_and_messages(org):
    from django.core.cache import cache
    from rest_framework.test import APIClient

    cache.clear()  # the API's submission throttle counts per address across tests
    api = APIClient()
    payload = {
        "unit": org.civil.pk,
        "applicant_name": "王小明",
        "id_number": WRONG_CHECK,
        "phone": "1391234567",
        "email": "wang@example",
        "description": "2026年第三季度城乡低保资金发放明细",
    }
    response = api.post(reverse("api:requests"), payload, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert sorted(errors) == ["email", "id_number", "phone"]
    assert "校验码" in errors["id_number"][0]
    assert not DisclosureRequest.objects.exists()

    payload.update(id_number=ID_NUMBER, phone=MOBILE, email="wang@example.com")
    response = api.post(reverse("api:requests"), payload, format="json")
    assert response.status_code == 201, response.content
    assert DisclosureRequest.objects.get().id_number == ID_NUMBER
