"""The public request form keeps robots out (issue 21, point 12): a CAPTCHA drawn on this server,
each code good for one try and a limited time, and a rate per address like the API's (before:
15 submissions in a few seconds all went through)."""

import io
import itertools

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from PIL import Image

import config.settings.base as base_settings
from security.captcha import SESSION_KEY
from tests.applicants import ID_NUMBER, MOBILE, captcha_code
from workflow.models import DisclosureRequest

pytestmark = pytest.mark.django_db

_addresses = (f"203.0.113.{n}" for n in itertools.count(1))
NOON = "2026-12-08 12:00:00+08:00"  # well inside one hour's window


@pytest.fixture
def visitor():
    """A visitor from an address of its own, so tests never share a budget."""
    return Client(REMOTE_ADDR=next(_addresses))


@pytest.fixture
def form_data(org):
    return {
        "unit": org.civil.pk,
        "applicant_kind": "natural_person",
        "applicant_name": "王小明",
        "id_number": ID_NUMBER,
        "phone": MOBILE,
        "description": "2026年第三季度城乡低保资金发放明细",
        "delivery_form": "electronic",
        "delivery_method": "post",
    }


def submit(client, data, *, captcha=None):
    answer = captcha_code(client) if captcha is None else captcha
    return client.post(reverse("public:apply"), {**data, "captcha": answer})


def test_the_form_shows_a_picture_from_this_server_and_says_how_to_get_another(visitor):
    html = visitor.get(reverse("public:apply")).content.decode()
    image_url = reverse("public:captcha")
    assert f'<img src="{image_url}"' in html and 'alt="验证码图片"' in html
    assert "captcha-refresh" in html and "看不清？换一张" in html
    assert "信件、传真或者当面" in html  # the way in for whoever cannot read the picture
    assert "http" not in html.split('class="captcha"', 1)[1].split("</span>", 1)[0]

    picture = visitor.get(image_url)
    assert picture["Content-Type"] == "image/png"
    assert "no-store" in picture["Cache-Control"]
    with Image.open(io.BytesIO(picture.content)) as image:
        assert image.size == (168, 56)
    code = visitor.session[SESSION_KEY]["code"]
    assert len(code) == 4 and code.isalnum()
    # Each picture draws a new code (five equal in a row: one chance in 25^16).
    codes = {code} | {captcha_code(visitor) for _ in range(4)}
    assert len(codes) > 1


def test_a_right_code_passes_once_and_a_wrong_one_never(visitor, form_data):
    captcha_code(visitor)
    wrong = submit(visitor, form_data, captcha="0000")  # 0 is not in the alphabet
    assert wrong.status_code == 200
    assert "与图片不符" in "".join(wrong.context["form"].errors["captcha"])
    assert not DisclosureRequest.objects.exists()

    code = captcha_code(visitor)
    passed = visitor.post(reverse("public:apply"), {**form_data, "captcha": code.lower()})
    assert passed.status_code == 302
    assert DisclosureRequest.objects.count() == 1

    # The same code again, as a robot replaying the post would: refused, nothing stored.
    replayed = visitor.post(reverse("public:apply"), {**form_data, "captcha": code})
    assert replayed.status_code == 200
    assert "已使用" in "".join(replayed.context["form"].errors["captcha"])
    assert DisclosureRequest.objects.count() == 1


@pytest.mark.parametrize("answer", ["验证码", "０００Ｏ", "\u00e9\u00e9\u00e9\u00e9"])
def test_an_answer_in_other_characters_is_refused_not_a_server_error(visitor, form_data, answer):
    captcha_code(visitor)
    refused = submit(visitor, form_data, captcha=answer)
    assert refused.status_code == 200
    assert "与图片不符" in "".join(refused.context["form"].errors["captcha"])
    assert not DisclosureRequest.objects.exists()


def test_a_right_answer_typed_in_full_width_passes(visitor, form_data):
    code = captcha_code(visitor)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # ａ..ｚ, ０..９
    assert submit(visitor, form_data, captcha=full_width).status_code == 302
    assert DisclosureRequest.objects.count() == 1


def test_a_wrong_answer_spends_the_code(visitor, form_data):
    code = captcha_code(visitor)
    assert submit(visitor, form_data, captcha=code[::-1] + "X").status_code == 200
    # The right answer after a wrong one: the picture is spent, a new one is needed.
    again = visitor.post(reverse("public:apply"), {**form_data, "captcha": code})
    assert again.status_code == 200 and again.context["form"].errors["captcha"]
    assert not DisclosureRequest.objects.exists()


def test_a_code_expires(visitor, form_data, settings):
    settings.CAPTCHA_MAX_AGE_SECONDS = 600
    with time_machine.travel(NOON, tick=False) as clock:
        code = captcha_code(visitor)
        clock.shift(601)
        late = visitor.post(reverse("public:apply"), {**form_data, "captcha": code})
    assert late.status_code == 200
    assert "已过期" in "".join(late.context["form"].errors["captcha"])
    assert not DisclosureRequest.objects.exists()


def test_a_visitor_without_the_picture_cannot_submit(visitor, form_data):
    # A robot posting the form without ever loading the picture (no session, no code).
    response = visitor.post(reverse("public:apply"), {**form_data, "captcha": "ACDE"})
    assert response.status_code == 200 and response.context["form"].errors["captcha"]
    assert not DisclosureRequest.objects.exists()


def test_the_eleventh_submission_in_an_hour_is_refused(visitor, form_data, settings):
    assert base_settings.REQUEST_FORM_RATE == "10/hour"  # the default, set here as in production
    settings.REQUEST_FORM_RATE = base_settings.REQUEST_FORM_RATE
    with time_machine.travel(NOON, tick=False):
        answers = [submit(visitor, form_data).status_code for _ in range(10)]
        assert answers == [302] * 10
        assert DisclosureRequest.objects.count() == 10

        refused = submit(visitor, {**form_data, "applicant_name": "第十一份"})
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600
        html = refused.content.decode()
        assert "提交次数过多" in html
        assert "第十一份" in html  # the form again, as typed
        assert DisclosureRequest.objects.count() == 10
        assert not DisclosureRequest.objects.filter(applicant_name="第十一份").exists()

        other = Client(REMOTE_ADDR=next(_addresses))
        assert submit(other, {**form_data, "applicant_name": "另一地址"}).status_code == 302
        assert DisclosureRequest.objects.filter(applicant_name="另一地址").count() == 1


def test_a_new_hour_opens_the_form_again(visitor, form_data, settings):
    settings.REQUEST_FORM_RATE = "1/hour"
    with time_machine.travel(NOON, tick=False) as clock:
        assert submit(visitor, form_data).status_code == 302
        assert submit(visitor, form_data).status_code == 429
        clock.shift(3600)
        assert submit(visitor, form_data).status_code == 302
    assert DisclosureRequest.objects.count() == 2


def test_pictures_are_limited_per_address(visitor, settings):
    settings.CAPTCHA_IMAGE_RATE = "3/minute"
    with time_machine.travel(NOON, tick=False):
        answers = [visitor.get(reverse("public:captcha")).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
