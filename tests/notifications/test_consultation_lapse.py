"""Issue 21, the clock (3): a consulted party's 15 working days run from its receipt of the letter
(Arts. 32, 34); when they pass in silence the sweep ends the pause on the last day, audits it and
tells the handler what the silence means. The sweep runs for real, on the day time-machine sets.
Dates are counted by hand in the comments (National Day 2026: 10-01 .. 10-07 off, Saturday 10-10
a make-up working day; Mid-Autumn 09-25 .. 09-27 off)."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from audit.models import AuditEntry
from notifications.messages import render
from notifications.models import Notification
from notifications.tasks import sweep_deadlines
from workflow.models import Consultation
from workflow.services import consultations

pytestmark = pytest.mark.django_db
D = dt.date


def _at(day: dt.date):
    """10:00 in Beijing on `day`."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC), tick=False
    )


@pytest.fixture
def drafting(org, req):
    """Received Mon 2026-09-21, due 10-26: 09-22..24, 09-28..30, 10-08..10, 10-12..16,
    10-19..23, 10-26."""
    request = req.register(received=D(2026, 9, 21))
    req.to_drafting(request, today=D(2026, 9, 22))
    request.refresh_from_db()
    assert request.due_on == D(2026, 10, 26)
    return request


def test_a_silent_third_party_ends_its_pause_on_its_last_day(org, drafting):
    # Posted Mon 09-28; the party signed for it Wed 09-30, which the officer records on 10-08.
    consultation = consultations.consultation_open(
        request_id=drafting.pk,
        user=org.users.officer,
        kind="third_party",
        party="某某养老服务有限公司",
        question="拟公开贵公司承接项目的合同金额，是否同意？",
        sent_on=D(2026, 9, 28),
        today=D(2026, 9, 28),
    )
    # Until the receipt is recorded the bound is 09-28 + 5 (delivery) + 15 = 20 working days:
    # 09-29, 09-30, 10-08, 10-09, 10-10, 10-12..16, 10-19..23, 10-26..30.
    assert consultation.due_on == D(2026, 10, 30)
    consultations.consultation_receipt_record(
        consultation_id=consultation.pk,
        user=org.users.officer,
        received_on=D(2026, 9, 30),
        today=D(2026, 10, 8),
    )
    consultation.refresh_from_db()
    # 15 working days from receipt on 09-30: 10-08, 10-09, 10-10 (3), 10-12..16 (8),
    # 10-19..23 (13), 10-26 (14), 10-27 (15).
    assert consultation.due_on == D(2026, 10, 27)

    with _at(D(2026, 10, 27)):  # the last day: the party may still answer
        sweep_deadlines()
    consultation.refresh_from_db()
    assert consultation.is_open

    with _at(D(2026, 10, 28)):
        summary = sweep_deadlines()
    assert summary["consultations_lapsed"] == 1
    consultation.refresh_from_db()
    assert (consultation.replied_on, consultation.opinion) == (
        D(2026, 10, 27),
        Consultation.Opinion.NO_REPLY,
    )
    drafting.refresh_from_db()
    # Paused (09-28, 10-27]: counted 09-22, 09-23, 09-24, 09-28 (4), then 10-28..30 (7),
    # 11-02..06 (12), 11-09..13 (17), 11-16..18 (20).
    assert not drafting.clock_paused and drafting.due_on == D(2026, 11, 18)
    lapsed = AuditEntry.objects.get(action="request.consultation.lapsed")
    assert lapsed.actor is None and lapsed.subject_id == str(drafting.pk)
    assert lapsed.data["last_day"] == "2026-10-27" and lapsed.new_state == "no_reply"
    resumed = AuditEntry.objects.filter(action="request.clock.resumed").get()
    assert resumed.data["lapsed"] is True and resumed.new_state == "2026-11-18"

    # The handler is told: whoever holds the request's task (the drafter) and whoever consulted.
    told = Notification.objects.filter(verb="consultation_lapsed")
    assert set(told.values_list("recipient__username", flat=True)) == {"drafter", "officer"}
    with translation.override("en"):
        text = render(told.first())
    assert "2026-10-27" in text.body
    assert "Art. 32" in text.body and "decides" in text.body and "Art. 34" not in text.body

    # A second sweep finds nothing more to do and tells no one twice.
    with _at(D(2026, 10, 29)):
        assert sweep_deadlines()["consultations_lapsed"] == 0
    assert told.count() == 2


def test_a_silent_agency_counts_as_agreeing_and_an_unrecorded_receipt_still_ends(org, drafting):
    # Another agency, consulted Mon 09-28; its receipt is never recorded, so the pause is bounded
    # by 09-28 + 20 working days = Fri 10-30 (counted in the test above).
    consultation = consultations.consultation_open(
        request_id=drafting.pk,
        user=org.users.officer,
        kind="agency",
        party="区财政局",
        question="共同制作的资金文件是否同意公开？",
        sent_on=D(2026, 9, 28),
        today=D(2026, 9, 28),
    )
    assert consultation.due_on == D(2026, 10, 30)
    with _at(D(2026, 10, 31)):  # a Saturday: the sweep runs every day
        sweep_deadlines()
    consultation.refresh_from_db()
    assert (consultation.replied_on, consultation.opinion) == (
        D(2026, 10, 30),
        Consultation.Opinion.DEEMED_AGREED,
    )
    with translation.override("en"):
        assert str(consultation.get_opinion_display()) == (
            "No reply in time: deemed to agree (Art. 34)"
        )
        text = render(Notification.objects.filter(verb="consultation_lapsed").first())
    assert "Art. 34" in text.body and "deemed to agree" in text.body
    drafting.refresh_from_db()
    # Paused (09-28, 10-30]: 09-22..24, 09-28 (4), then 11-02..06 (9), 11-09..13 (14),
    # 11-16..20 (19), 11-23 (20).
    assert drafting.due_on == D(2026, 11, 23)


def test_the_receipt_date_cannot_precede_the_letter_or_lie_ahead(org, drafting):
    consultation = consultations.consultation_open(
        request_id=drafting.pk,
        user=org.users.officer,
        kind="third_party",
        party="某某公司",
        question="是否同意公开？",
        sent_on=D(2026, 9, 28),
        today=D(2026, 9, 28),
    )
    from django.core.exceptions import ValidationError

    for received_on, today in ((D(2026, 9, 27), D(2026, 10, 8)), (D(2026, 10, 9), D(2026, 10, 8))):
        with pytest.raises(ValidationError) as refused:
            consultations.consultation_receipt_record(
                consultation_id=consultation.pk,
                user=org.users.officer,
                received_on=received_on,
                today=today,
            )
        assert list(refused.value.message_dict) == ["received_on"]
