"""Rich text (the guides' free sections) is cleaned by nh3 on saving and again on showing."""

import pytest
from django.urls import reverse

from portal.models import Guide
from portal.services import guide_save
from security.html import clean_rich_text, rich_text, sanitize_html

HOSTILE = (
    '<p onclick="steal()">办公时间<script>alert(document.cookie)</script></p>'
    '<img src=x onerror="alert(1)">'
    '<a href="javascript:alert(1)">点击</a>'
    '<a href="JaVaScRiPt:alert(2)">再点</a>'
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">数据</a>'
    '<iframe src="https://evil.example/"></iframe>'
    "<style>body{display:none}</style>"
    '<svg onload="alert(3)"><circle r="1"/></svg>'
    '<p style="background:url(javascript:alert(4))">样式</p>'
    "<!-- <script>alert(5)</script> -->"
)


def test_scripts_event_handlers_and_javascript_links_are_removed():
    clean = sanitize_html(HOSTILE).lower()
    for forbidden in ("<script", "alert(", "onclick", "onerror", "onload", "javascript:",
                      "data:text", "<iframe", "<style", "<svg", "style=", "<!--", "<img"):  # fmt: skip
        assert forbidden not in clean, forbidden
    # The words survive; only the dangerous markup goes.
    for text in ("办公时间", "点击", "再点", "数据", "样式"):
        assert text in clean


def test_allowed_formatting_and_safe_links_stay():
    html = (
        "<h3>收费</h3><p>依申请公开<strong>不收取费用</strong>。</p><ul><li>当面</li><li>邮寄</li></ul>"
        '<table><tr><th colspan="2">地址</th></tr><tr><td>中山路1号</td><td>'
        '<a href="https://www.example.gov.cn/gk/">网站</a> <a href="mailto:gk@example.gov.cn">邮箱</a>'
        "</td></tr></table>"
    )
    clean = sanitize_html(html)
    for kept in ("<h3>收费</h3>", "<strong>不收取费用</strong>", "<li>当面</li>", 'colspan="2"',
                 'href="https://www.example.gov.cn/gk/"', 'href="mailto:gk@example.gov.cn"'):  # fmt: skip
        assert kept in clean, kept
    assert 'rel="noopener noreferrer nofollow"' in clean


def test_plain_text_is_kept_as_typed_and_shown_escaped_in_paragraphs():
    plain = "工作日 9:00-17:00\n收费标准 < 100元 & 免费"
    assert clean_rich_text(plain) == plain
    shown = str(rich_text(plain))
    assert "&lt; 100元 &amp; 免费" in shown and "<br>" in shown


@pytest.mark.django_db
def test_a_hostile_guide_is_stored_clean_and_served_clean(client, org):
    admin = org.users.unit_head
    guide = Guide(unit=org.civil, office_name="民政局政务公开办公室", introduction=HOSTILE)
    guide_save(guide=guide, user=admin)
    guide.refresh_from_db()
    assert "<script" not in guide.introduction and "onclick" not in guide.introduction

    # A row written past the service (an import, an old row) is cleaned again on the page.
    Guide.objects.filter(pk=guide.pk).update(how_to_obtain=HOSTILE)
    page = client.get(reverse("portal:guide", args=[org.civil.code])).content.decode()
    main = page[page.index("<main") :]
    for forbidden in ("<script", "onclick=", "onerror=", "javascript:", "<iframe"):
        assert forbidden not in main, forbidden
    assert "办公时间" in main
