"""The admin shows the audit log and its chain, and offers no way to change it."""

import pytest
from django.urls import reverse

from audit.services import audit_seal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_changelist_shows_the_chain_and_has_no_actions_or_add_button(
    make_entries, superuser_client
):
    entries = make_entries(2)
    audit_seal()

    page = superuser_client.get(reverse("admin:audit_auditentry_changelist"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "delete_selected" not in html and 'name="_selected_action"' not in html
    assert reverse("admin:audit_auditentry_add") not in html
    entries[1].refresh_from_db()
    assert entries[1].row_hash[:12] in html
    assert entries[1].row_hash[:13] not in html


def test_add_change_and_delete_are_refused_to_a_superuser(make_entries, superuser_client):
    (entry,) = make_entries(1)

    assert superuser_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert superuser_client.post(change, {"comment": "改写"}).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:audit_auditentry_changelist")
    bulk = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    superuser_client.post(changelist, bulk)
    entry.refresh_from_db()
    assert entry.comment != "改写"
    # Viewing stays possible: the detail page is read-only.
    view = superuser_client.get(change)
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
