"""zh-hans by default, English switchable, viewflow's own strings translated, our login page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_ours_and_chinese_by_default(client):
    page = client.get(reverse("login"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'lang="zh-hans"' in html
    assert "政府信息公开工作平台" in html and "登录" in html
    assert "Viewflow" not in html and "viewflow" not in html.lower()


def test_english_is_switchable(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert (
        'lang="en"' in html
        and "Log in" in html
        and "Government information disclosure workbench" in html
    )


def test_viewflow_strings_are_translated(client, org, make_item, flow_steps):
    item = make_item()
    process = flow_steps.submit(item)
    client.force_login(org.users.reviewer)
    html = client.get(reverse("workflow:process_detail", args=[process.pk])).content.decode()
    # task statuses come from viewflow's own catalogue, which ships empty for zh_Hans
    assert "待认领" in html and "已完成" in html
    assert "NEW" not in html.replace('"NEW"', "")


@pytest.mark.parametrize("po", ["locale", "locale_vendor"])
def test_catalogues_have_no_untranslated_entries(po):
    path = Path(settings.BASE_DIR) / po / "zh_Hans" / "LC_MESSAGES" / "django.po"
    text = path.read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]  # skip the header
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[0\])? ""\n?$', e.strip(), re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', e, re.M)
    ]
    fuzzy = [e for e in entries if "#, fuzzy" in e]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
    assert (path.with_suffix(".mo")).stat().st_mtime >= path.stat().st_mtime - 1, (
        "compile the .po (make messages)"
    )


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-hans"' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert 'lang="en"' in html
