"""Every screen of the demo, as each role sees it, speaks Chinese: no English word is left in
the visible text. The browser journeys check the screens they pass; this walks the rest."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from viewflow.workflow.models import Task

from tests.chinese import english_in_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from workflow.demo import demo_seed

    demo_seed()
    return get_user_model().objects


def pages_for(username: str) -> list[str]:
    from workflow.models import DisclosureRequest, Item

    user = get_user_model().objects.get(username=username)
    urls = [
        reverse("workflow:inbox"),
        reverse("workflow:inbox") + "?due=overdue&sort=newest",
        reverse("workflow:approvals"),
        reverse("workflow:item_list"),
        reverse("workflow:request_list"),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("review:countersign_list"),
        reverse("portal:catalogue"),
    ]
    from review.permissions import items_visible_to, requests_visible_to

    for item in items_visible_to(user)[:3]:
        urls.append(reverse("workflow:item_detail", args=[item.pk]))
    for req in requests_visible_to(user)[:3]:
        urls.append(reverse("workflow:request_detail", args=[req.pk]))
    tasks = Task.objects.filter(
        process__disclosureprocess__item__in=Item.objects.all()
    ) | Task.objects.filter(process__disclosureprocess__request__in=DisclosureRequest.objects.all())
    for task in tasks.filter(flow_task_type="HUMAN").order_by("pk")[:6]:
        urls.append(reverse("workflow:task_detail", args=[task.pk]))
        urls.append(reverse("workflow:inbox") + f"?preview={task.pk}")
    return urls


@pytest.mark.parametrize(
    "username",
    [
        "drafter",
        "reviewer",
        "section_head",
        "unit_head",
        "district_approver",
        "supervisor",
        "request_officer",
    ],
)
def test_every_screen_speaks_chinese(client, demo, username):
    client.force_login(demo.get(username=username))
    if username == "supervisor":
        extra = [
            reverse("supervision:dashboard"),
            reverse("supervision:dashboard") + "?kind=request",
        ]
    else:
        extra = []
    checked = 0
    for url in pages_for(username) + extra:
        response = client.get(url)
        if response.status_code == 404:
            continue  # someone else's task: the outsider's 404 is tested elsewhere
        assert response.status_code == 200, url
        assert english_in_html(response.content.decode()) == [], url
        checked += 1
    assert checked >= 9


def test_public_pages_speak_chinese(client, demo):
    from workflow.models import Item, Unit

    entries = Item.objects.filter(status=Item.Status.PUBLISHED)
    unit = Unit.objects.get(name="民政局")
    for url in [
        reverse("login"),
        reverse("public:apply"),
        reverse("public:status"),
        reverse("portal:home"),
        reverse("portal:catalogue"),
        reverse("portal:catalogue") + "?q=低保&year=2026",
        reverse("portal:catalogue") + "?q=没有这样的词",
        reverse("portal:guide_list"),
        reverse("portal:guide", args=[unit.code]),
        *[reverse("portal:catalogue_detail", args=[e.pk]) for e in entries[:3]],
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in_html(response.content.decode()) == [], url


def test_english_is_available_on_the_work_list(client, demo):
    client.force_login(demo.get(username="reviewer"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("workflow:inbox")).content.decode()
    assert "Claim next" in html and "working days left" in html and "认领下一个" not in html
