"""The notification centre: unread count in the header, read on open, nobody else's, settings."""

import pytest

from notifications.models import Notification, Preference
from notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_notes(org):
    return notify(
        recipient_ids=[org.users.reviewer.pk],
        verb="task_available",
        params={"node": "workflow/flows.DisclosureFlow.review", "subject": "低保标准调整的通知"},
        url="/tasks/1/",
    ) + notify(
        recipient_ids=[org.users.reviewer.pk],
        verb="escalation",
        params={
            "deadline": "request_reply",
            "due_on": "2026-11-03",
            "days": 3,
            "subject": "YSQ-2026-0001",
            "rung": "section_head",
        },
        url="/requests/1/",
    )


def test_the_header_counts_unread_and_the_list_speaks_chinese(org, client, two_notes):
    client.force_login(org.users.reviewer)
    page = client.get("/notifications/").content.decode()
    assert 'id="nav-notifications"' in page
    assert '<span class="badge" title="未读">2</span>' in page
    assert "新任务：保密审查 · 低保标准调整的通知" in page
    assert "逾期 3 个工作日：YSQ-2026-0001" in page


def test_opening_marks_read_and_follows_the_link(org, client, two_notes):
    client.force_login(org.users.reviewer)
    note = two_notes[1]
    response = client.post(f"/notifications/{note.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/requests/1/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert (
        Notification.objects.filter(recipient=org.users.reviewer, read_at__isnull=True).count() == 1
    )
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    # GET never marks anything read (a prefetching browser must not).
    assert client.get(f"/notifications/{note.pk}/open/").status_code == 405


def test_someone_elses_notification_is_not_found(org, client, two_notes):
    client.force_login(org.users.outsider)
    for action in ("open", "read"):
        assert client.post(f"/notifications/{two_notes[0].pk}/{action}/").status_code == 404
    assert "低保标准调整" not in client.get("/notifications/").content.decode()
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_settings_are_saved_and_bad_choices_are_refused(org, client):
    client.force_login(org.users.reviewer)
    page = client.get("/notifications/settings/").content.decode()
    assert "每日摘要" in page
    response = client.post("/notifications/settings/", {"email": "digest"})
    assert response.status_code == 302
    assert Preference.objects.get(user=org.users.reviewer).mode == "digest"
    response = client.post("/notifications/settings/", {"email": "hourly"})
    assert response.status_code == 200
    # The field's error, beside it, in Chinese.
    assert "选择一个有效的选项。 hourly 不在可用的选项中。" in response.content.decode()
    assert Preference.objects.get(user=org.users.reviewer).mode == "digest"


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
