"""SMS: a channel for a gateway (notifications.sms), the console gateway of the demo, staff SMS
held outside working time until the next working morning (STAFF_SMS_QUIET_HOURS and the working
calendar), and applicants' SMS only when switched on and agreed to."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from notifications import sms
from notifications.delivery import scheduled_release
from notifications.models import ApplicantNotice, Delivery, Preference
from notifications.quiet_hours import held_until, parse_window
from notifications.services import notify, preferences_set
from notifications.tasks import send_scheduled
from tests.factories import UserFactory
from workflow.workdays import WorkCalendar

pytestmark = pytest.mark.django_db
CN = ZoneInfo("Asia/Shanghai")
CHANNELS = {
    "email": "notifications.channels.EmailChannel",
    "sms": "notifications.channels.SmsChannel",
}


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=CN)


@pytest.fixture
def sms_on(settings, channels_setting):
    settings.SMS_GATEWAY = "notifications.sms.MemoryGateway"
    settings.STAFF_SMS_QUIET_HOURS = "18:00-08:30"
    channels_setting(CHANNELS)
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def officer():
    user = UserFactory(username="sms_officer", email="officer@example.gov.cn")
    preferences_set(
        user=user,
        modes={"email": "immediate", "sms": "immediate"},
        addresses={"sms": "13800138000"},
    )
    return user


def tell(user):
    return notify(
        recipient_ids=[user.pk],
        verb="reminder",
        params={
            "deadline": "request_reply",
            "due_on": "2026-12-14",
            "days": 1,
            "subject": "申请YSQ",
        },
        url="/requests/1/",
    )


def test_staff_sms_in_working_time_goes_at_once(
    sms_on, officer, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 12, 9, 10, 0), tick=False):  # a Wednesday morning
        with django_capture_on_commit_callbacks(execute=True):
            tell(officer)
    assert [(m.phone, m.template) for m in sms_on] == [("13800138000", "staff")]
    assert "申请YSQ" in sms_on[0].text and sms_on[0].ref.startswith("notification-")
    assert dict(Delivery.objects.values_list("channel", "status")) == {
        "email": "sent",
        "sms": "sent",
    }


def test_friday_evening_sms_waits_for_monday_half_past_eight(
    sms_on, officer, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 12, 11, 19, 5), tick=False):  # Friday 19:05
        with django_capture_on_commit_callbacks(execute=True):
            tell(officer)
    # The e-mail went at once; the SMS is held.
    assert len(mail.outbox) == 1 and sms_on == []
    held = Delivery.objects.get(channel="sms")
    assert held.status == "scheduled"
    assert held.not_before == at(2026, 12, 14, 8, 30)  # Monday

    for moment in (at(2026, 12, 12, 10, 0), at(2026, 12, 13, 20, 0), at(2026, 12, 14, 8, 29)):
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                assert send_scheduled.apply().get() == 0
    assert sms_on == []

    with time_machine.travel(at(2026, 12, 14, 8, 31), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert send_scheduled.apply().get() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert scheduled_release() == 0  # released once
    assert [m.phone for m in sms_on] == ["13800138000"]
    held.refresh_from_db()
    assert held.status == "sent" and held.sent_at >= at(2026, 12, 14, 8, 30)


def test_the_calendar_decides_the_next_working_morning():
    """国庆 2026: 1-7 October off, Saturday 10 October a make-up working day (调休)."""
    window = parse_window("18:00-08:30")
    calendar = WorkCalendar.load()
    cases = {
        at(2026, 9, 30, 18, 30): at(2026, 10, 8, 8, 30),  # the eve of the holiday
        at(2026, 10, 9, 21, 0): at(2026, 10, 10, 8, 30),  # Friday -> the make-up Saturday
        at(2026, 10, 10, 7, 0): at(2026, 10, 10, 8, 30),  # early on a working day
        at(2026, 10, 3, 11, 0): at(2026, 10, 8, 8, 30),  # in the holiday
    }
    for now, expected in cases.items():
        assert held_until(now=now, window=window, calendar=calendar) == expected, now
    for now in (at(2026, 10, 10, 11, 0), at(2026, 12, 14, 8, 30), at(2026, 12, 14, 17, 59)):
        assert held_until(now=now, window=window, calendar=calendar) is None, now


def test_the_demo_gateway_prints_the_sms(settings, channels_setting, capsys):
    settings.SMS_GATEWAY = "notifications.sms.ConsoleGateway"
    channels_setting(CHANNELS)
    from notifications.channels import channel

    channel("sms").send_one(
        address="13800138000",
        subject="",
        body="您的申请已受理。",
        ref="applicant-1",
        event="received",
    )
    printed = capsys.readouterr().out
    assert "SMS to: 13800138000" in printed and "您的申请已受理。" in printed
    assert "Template: received" in printed


def test_staff_give_a_mobile_number_for_sms_and_its_change_is_audited(sms_on, client):
    user = UserFactory(username="settings_user")
    client.force_login(user)
    page = client.get(reverse("notifications:preferences"))
    form = page.context["form"]
    assert [value for value, _label in form.fields["sms"].choices] == ["immediate", "off"]
    assert "sms_address" in form.fields

    refused = client.post(
        reverse("notifications:preferences"),
        {"email": "immediate", "sms": "immediate", "sms_address": ""},
    )
    assert refused.status_code == 200 and refused.context["form"].errors["sms_address"]
    wrong = client.post(
        reverse("notifications:preferences"),
        {"email": "immediate", "sms": "immediate", "sms_address": "12345"},
    )
    assert wrong.context["form"].errors["sms_address"]

    saved = client.post(
        reverse("notifications:preferences"),
        {"email": "immediate", "sms": "immediate", "sms_address": "+86 138 0013 8000"},
    )
    assert saved.status_code == 302
    row = Preference.objects.get(user=user, channel="sms")
    assert (row.mode, row.address) == ("immediate", "13800138000")
    entry = AuditEntry.objects.get(action="notifications.preferences.changed")
    assert entry.data["addresses"] == {"sms": {"old": "", "new": "…8000"}}
    assert "13800138000" not in str(entry.data)


@pytest.fixture
def registered(req, settings):
    def make(**extra):
        return req.register(email="", phone="13912345678", **extra)

    return make


def test_applicants_get_no_sms_unless_switched_on_and_agreed(
    sms_on, registered, settings, django_capture_on_commit_callbacks
):
    settings.APPLICANT_SMS = False
    with django_capture_on_commit_callbacks(execute=True):
        registered(sms_consent=True)
    assert sms_on == [] and not ApplicantNotice.objects.exists()

    settings.APPLICANT_SMS = True
    with django_capture_on_commit_callbacks(execute=True):
        registered(sms_consent=False, description="另一份申请")
    assert sms_on == [] and not ApplicantNotice.objects.exists()

    with time_machine.travel(at(2026, 12, 9, 15, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            request = registered(sms_consent=True, description="第三份申请")
    assert [(m.phone, m.template) for m in sms_on] == [("13912345678", "received")]
    assert request.tracking_code in sms_on[0].text
    assert ApplicantNotice.objects.get().status == "sent"


def test_applicants_sms_keeps_off_the_night(
    sms_on, registered, settings, django_capture_on_commit_callbacks
):
    settings.APPLICANT_SMS = True
    settings.APPLICANT_SMS_QUIET_HOURS = "21:00-08:00"
    with time_machine.travel(at(2026, 12, 12, 22, 30), tick=False):  # Saturday night
        with django_capture_on_commit_callbacks(execute=True):
            registered(sms_consent=True)
    notice = ApplicantNotice.objects.get()
    assert notice.status == "scheduled" and sms_on == []
    # Sunday 08:00: applicants are not office hours; a week-end morning is fine.
    assert notice.not_before == at(2026, 12, 13, 8, 0)
    with time_machine.travel(at(2026, 12, 13, 8, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert scheduled_release() == 1
    assert len(sms_on) == 1
