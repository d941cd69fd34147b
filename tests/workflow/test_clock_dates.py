"""Issue 21, the clock (5): dates that make no sense are refused, beside their field, on every form
and service that takes one: in the future, before the Regulation took effect (2008-05-01), before
the unit was established, or before the date they follow. 0001-01-01 once made a request two
thousand years overdue."""

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from workflow.models import DisclosureRequest, Item, Unit
from workflow.services import consultations
from workflow.services import requests as steps
from workflow.services.intake import request_register, request_submit_online
from workflow.services.items import item_update

pytestmark = pytest.mark.django_db
D = dt.date
ABSURD = D(1, 1, 1)
TODAY = D(2026, 10, 12)


@pytest.fixture(autouse=True)
def _english_messages():
    # The refusals are read in English here; the interface shows them in Chinese.
    with translation.override("en"):
        yield


@pytest.fixture
def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def _data(**dates):
    return {
        "channel": "in_person",
        "submitted_on": TODAY,
        "applicant_kind": "natural_person",
        "applicant_name": "张三",
        "id_number": "110101199003077774",
        "phone": "13800000000",
        "description": "2026年第三季度城乡低保资金发放明细",
        **dates,
    }


def _refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


def _register(org, unit=None, **dates):
    return request_register(
        user=org.users.officer, unit=unit or org.civil, data=_data(**dates), today=TODAY
    )


# --- registration -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dates", "field", "says"),
    [
        ({"submitted_on": ABSURD}, "submitted_on", "2008-05-01"),
        ({"submitted_on": D(2026, 10, 13)}, "submitted_on", "future"),
        (
            {"channel": "registered_mail", "signed_on": ABSURD},
            "signed_on",
            "2008-05-01",
        ),
        (
            {
                "channel": "ordinary_mail",
                "arrived_on": D(2026, 10, 9),
                "submitted_on": D(2026, 10, 10),
            },
            "arrived_on",
            "before the request was submitted",
        ),
        (
            {"channel": "fax", "confirmed_on": D(2026, 10, 11), "arrived_on": TODAY},
            "confirmed_on",
            "before it arrived",
        ),
        ({"channel": "online", "confirmed_on": D(2027, 1, 4)}, "confirmed_on", "future"),
    ],
)
def test_registration_refuses_absurd_dates(org, dates, field, says):
    errors = _refused(lambda: _register(org, **dates))
    assert field in errors and says in " ".join(errors[field])
    assert not DisclosureRequest.objects.exists()


def test_a_date_before_the_unit_existed_is_refused(org):
    Unit.objects.filter(pk=org.civil.pk).update(founded_on=D(2019, 3, 1))
    org.civil.refresh_from_db()
    errors = _refused(lambda: _register(org, submitted_on=D(2019, 2, 28)))
    assert "民政局" in errors["submitted_on"][0] and "2019-03-01" in errors["submitted_on"][0]
    assert _register(org, submitted_on=D(2019, 3, 1)).received_on == D(2019, 3, 1)


def test_the_registration_page_shows_the_refusal_beside_the_field(org, client, english):
    client.force_login(org.users.officer)
    response = client.post(
        reverse("workflow:request_create"),
        {
            **_data(),
            "submitted_on": "0001-01-01",
            "receiving_unit": org.civil.pk,
            "delivery_form": "electronic",
            "delivery_method": "email",
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["submitted_on"]
    field = re.search(
        r'<div class="field has-error">\s*<label for="id_submitted_on">.*?</div>',
        response.content.decode(),
        re.S,
    ).group(0)
    assert "2008-05-01" in field and "Regulation" in field
    assert not DisclosureRequest.objects.exists()


def test_the_public_form_takes_no_date_and_the_service_refuses_a_wrong_clock(org, client, settings):
    settings.REQUEST_FORM_CAPTCHA = False  # about the dates; the CAPTCHA is tested on its own
    response = client.post(
        reverse("public:apply"),
        {
            "unit": org.civil.pk,
            "applicant_kind": "natural_person",
            "applicant_name": "王小明",
            "id_number": "110101199003071233",
            "phone": "13912345678",
            "description": "2026年第三季度城乡低保资金发放明细",
            "delivery_form": "electronic",
            "delivery_method": "email",
            # Slipped into the post: ignored, the request arrives today.
            "submitted_on": "0001-01-01",
            "arrived_on": "0001-01-01",
        },
    )
    assert response.status_code == 302
    request = DisclosureRequest.objects.get()
    assert request.submitted_on == request.arrived_on == timezone.localdate(request.created_at)
    # A server whose clock says year 1 is refused rather than believed.
    errors = _refused(
        lambda: request_submit_online(
            unit=org.civil,
            data={k: v for k, v in _data().items() if k not in ("channel", "submitted_on")},
            today=ABSURD,
        )
    )
    assert "submitted_on" in errors


# --- the steps that follow ----------------------------------------------------------------------


def test_the_check_refuses_an_absurd_confirmation_date(org, req):
    request_submit_online(
        unit=org.civil,
        data={k: v for k, v in _data().items() if k not in ("channel", "submitted_on")},
        today=TODAY,
    )
    task = req.task(org.users.officer, "check")
    for confirmed_on, says in ((ABSURD, "2008-05-01"), (D(2026, 10, 11), "before it arrived")):
        errors = _refused(
            lambda d=confirmed_on: steps.request_check(
                task_id=task, user=org.users.officer, complete=True, confirmed_on=d, today=TODAY
            )
        )
        assert says in errors["confirmed_on"][0]


def test_correction_received_refuses_absurd_dates(org, req):
    req.register(received=TODAY)
    steps.request_check(
        task_id=req.task(org.users.officer, "check"),
        user=org.users.officer,
        complete=False,
        correction="请写明文件名称",
        correction_due_on=D(2026, 10, 30),
        today=TODAY,
    )
    task = req.task(org.users.officer, "await_correction")
    for received_on, today in ((ABSURD, TODAY), (D(2026, 10, 20), D(2026, 10, 19))):
        errors = _refused(
            lambda d=received_on, t=today: steps.request_correction_received(
                task_id=task, user=org.users.officer, received_on=d, today=t
            )
        )
        assert list(errors) == ["received_on"]


def test_delivery_refuses_a_date_before_receipt(org, req, flow_steps):
    request = req.register(received=TODAY)
    req.to_drafting(request, today=TODAY)
    req.answer()
    flow_steps.review(None)
    flow_steps.approve("approve_section", org.users.section_head)
    task = req.task(org.users.officer, "deliver")
    for delivered_on in (ABSURD, D(2026, 10, 9)):
        errors = _refused(
            lambda d=delivered_on: steps.request_deliver(
                task_id=task, user=org.users.officer, delivered_on=d, today=D(2026, 10, 20)
            )
        )
        assert list(errors) == ["delivered_on"]


def test_consultations_refuse_absurd_dates_on_the_service_and_the_page(org, req, client, english):
    request = req.register(received=TODAY)
    req.to_drafting(request, today=TODAY)
    common = {"request_id": request.pk, "user": org.users.officer, "party": "某公司"}
    errors = _refused(
        lambda: consultations.consultation_open(
            **common,
            kind="third_party",
            question="是否同意？",
            sent_on=ABSURD,
            today=D(2026, 10, 13),
        )
    )
    assert list(errors) == ["sent_on"]
    errors = _refused(
        lambda: consultations.consultation_open(
            **common,
            kind="third_party",
            question="是否同意？",
            sent_on=D(2026, 10, 13),
            received_on=D(2026, 10, 14),
            today=D(2026, 10, 13),
        )
    )
    assert "future" in errors["received_on"][0]
    client.force_login(org.users.officer)
    response = client.post(
        reverse("workflow:consultation_open", args=[request.pk]),
        {"kind": "agency", "party": "区财政局", "question": "是否同意？", "sent_on": "0001-01-01"},
    )
    # Shown again with the refusal beside the field, not lost in a redirect.
    assert response.status_code == 200
    html = response.content.decode()
    field = re.search(
        r'<div class="field has-error">\s*<label for="id_sent_on">.*?</div>', html, re.S
    ).group(0)
    assert "2008-05-01" in field
    assert not request.consultations.exists()


# --- items (Art. 26) ------------------------------------------------------------------------------


def test_an_absurd_formation_date_is_refused(org, make_item, settings):
    for formed_on, says in ((ABSURD, "2008-05-01"), (D(2099, 1, 1), "future")):
        errors = _refused(lambda d=formed_on: make_item(formed_on=d))
        assert says in errors["formed_on"][0]
    # The floor is a setting, and the unit's founding date counts too.
    settings.ITEM_FORMED_ON_FLOOR = "2015-01-01"
    assert "2015-01-01" in _refused(lambda: make_item(formed_on=D(2014, 12, 31)))["formed_on"][0]
    Unit.objects.filter(pk=org.civil.pk).update(founded_on=D(2019, 3, 1))
    org.relief.unit.refresh_from_db()
    assert "2019-03-01" in _refused(lambda: make_item(formed_on=D(2019, 2, 1)))["formed_on"][0]
    item = make_item(formed_on=D(2019, 3, 1))
    assert "formed_on" in _refused(
        lambda: item_update(item=item, user=org.users.drafter, formed_on=ABSURD)
    )
    assert not Item.objects.filter(formed_on__lt=D(2019, 3, 1)).exists()


def test_the_item_page_shows_the_refusal_beside_the_field(org, client, english):
    client.force_login(org.users.drafter)
    response = client.post(
        reverse("workflow:item_create"),
        {
            "section": org.relief.pk,
            "title": "关于2026年临时救助标准的说明",
            "summary": "临时救助标准",
            "body": "正文",
            "category": org.category.pk,
            "attribute": "proactive",
            "scope": "unit",
            "formed_on": "0001-01-01",
        },
    )
    assert response.status_code == 200
    assert "formed_on" in response.context["form"].errors
    assert "2008-05-01" in " ".join(response.context["form"].errors["formed_on"])
    assert not Item.objects.exists()
