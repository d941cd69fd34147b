"""A realistic demo district with one user per role. Idempotent: running it twice changes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from .demo_catalogue import demo_publish_catalogue
from .models import Category, District, Position, Role, Section, Unit
from .services.organisation import position_assign

DEMO_PASSWORD = "Demo-2026!"  # noqa: S105 - printed on purpose for the demo users


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    role: str
    where: str


UNITS = [
    # (code, name, kind, sections)
    ("11010001", "民政局", Unit.Kind.BUREAU, ["办公室", "社会救助科", "养老服务科"]),
    ("11010002", "教育局", Unit.Kind.BUREAU, ["办公室", "基础教育科"]),
    ("11010003", "卫生健康委员会", Unit.Kind.BUREAU, ["办公室", "医政医管科"]),
    ("11010000", "区政府办公室", Unit.Kind.DISTRICT_OFFICE, ["秘书科", "政务公开科"]),
    ("11010009", "区保密局", Unit.Kind.SECRECY_BUREAU, ["保密科"]),
]

USERS = [
    # (username, display name, role, unit, section)
    ("drafter", "王晓明", Role.DRAFTER, "民政局", "社会救助科"),
    ("reviewer", "李静", Role.REVIEWER, "民政局", None),
    ("section_head", "张建国", Role.SECTION_HEAD, "民政局", "社会救助科"),
    ("office_head", "赵丽", Role.SECTION_HEAD, "民政局", "办公室"),
    ("unit_head", "陈志强", Role.UNIT_HEAD, "民政局", None),
    ("district_approver", "刘洋", Role.DISTRICT_APPROVER, "区政府办公室", None),
    ("supervisor", "周敏", Role.SUPERVISOR, "区政府办公室", None),
    ("secrecy_reviewer", "孙伟", Role.REVIEWER, "区保密局", None),
    ("edu_drafter", "吴芳", Role.DRAFTER, "教育局", "基础教育科"),
    ("edu_head", "冯刚", Role.UNIT_HEAD, "教育局", None),
    ("request_officer", "郑华", Role.REQUEST_OFFICER, "民政局", None),
    ("disclosure_head", "何平", Role.DISCLOSURE_OFFICE_HEAD, "民政局", None),
    # The district government's annual report is drafted, reviewed and published by the office.
    ("office_drafter", "马丽", Role.DRAFTER, "区政府办公室", "政务公开科"),
    ("office_reviewer", "高翔", Role.REVIEWER, "区政府办公室", None),
]

# What the units' letters carry (workflow.letter_kinds): full name, document-number prefix, and the
# bodies named in the remedies. 行政复议法 (2023) Art. 24: the district government decides on
# reconsideration of its departments' acts.
UNIT_LETTERS = {
    # name: (full name, document number prefix)
    "民政局": ("示范区民政局", "示民公开"),
    "教育局": ("示范区教育局", "示教公开"),
    "卫生健康委员会": ("示范区卫生健康委员会", "示卫公开"),
    "区政府办公室": ("示范区人民政府办公室", "示政办公开"),
    "区保密局": ("示范区国家保密局", "示保公开"),
}
RECONSIDERATION_BODY = "示范区人民政府"
COURT = "示范区人民法院"

DEMO_REQUESTS = [
    # (days before today it was received, applicant, id number, description)
    (3, "张三", "110101199003071234", "2026年第三季度城乡低保资金发放明细"),
    (12, "某某律师事务所", "91110000MA0000000X", "本区养老机构运营补贴的发放标准和依据文件"),
    (35, "李四", "110101198512120011", "2026年临时救助审批流程和办理时限"),
]


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    district, _ = District.objects.get_or_create(code="110100", defaults={"name": "示范区"})
    units = {}
    for code, name, kind, sections in UNITS:
        unit, _ = Unit.objects.get_or_create(
            code=code, defaults={"district": district, "name": name, "kind": kind}
        )
        units[name] = unit
        _unit_letters(unit)
        for section_name in sections:
            Section.objects.get_or_create(unit=unit, name=section_name)
    for order, name in enumerate(
        ["社会救助", "养老服务", "教育", "卫生健康", "政策文件", "规划计划", "财政信息"]
    ):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    # Table 二 of the annual report counts policy documents as 行政规范性文件.
    Category.objects.filter(name="政策文件", report_kind="").update(
        report_kind=Category.ReportKind.NORMATIVE
    )

    User = get_user_model()
    logins = []
    for username, display_name, role, unit_name, section_name in USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"last_name": display_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        unit = units[unit_name]
        section = Section.objects.get(unit=unit, name=section_name) if section_name else None
        if not Position.objects.filter(user=user, unit=unit, section=section, role=role).exists():
            position_assign(user=user, unit=unit, section=section, role=role)
        logins.append(
            DemoLogin(
                username,
                display_name,
                str(role.label),
                f"{unit_name}{'/' + section_name if section_name else ''}",
            )
        )

    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"is_staff": True, "is_superuser": True, "last_name": "系统管理员"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(DemoLogin("admin", "系统管理员", "Administrator (/admin/)", "—"))
    _demo_requests(units["民政局"])
    _demo_review(district, units)
    demo_publish_catalogue()
    return logins


def _unit_letters(unit: Unit) -> None:
    """Fill what the unit's letters need where it is still empty (an administrator's entries
    stay)."""
    if unit.name not in UNIT_LETTERS:
        return
    full_name, prefix = UNIT_LETTERS[unit.name]
    values = {
        "full_name": full_name,
        "letter_prefix": prefix,
        "reconsideration_body": RECONSIDERATION_BODY,
        "court": COURT,
    }
    changed = [name for name, value in values.items() if not getattr(unit, name)]
    for name in changed:
        setattr(unit, name, values[name])
    if changed:
        unit.save(update_fields=changed)


def _demo_requests(unit) -> None:
    """A few requests at the check stage, one already overdue, so the lists have something real."""
    import datetime as dt

    from django.utils import timezone

    from .models import DisclosureRequest
    from .services.intake import request_register

    if DisclosureRequest.objects.filter(receiving_unit=unit).exists():
        return
    officer = get_user_model().objects.get(username="request_officer")
    today = timezone.localdate()
    for days_ago, name, id_number, description in DEMO_REQUESTS:
        received = today - dt.timedelta(days=days_ago)
        request_register(
            user=officer,
            unit=unit,
            today=today,
            data={
                "channel": "in_person",
                "submitted_on": received,
                "applicant_kind": "legal_person" if "事务所" in name else "natural_person",
                "organisation_type": "legal_services" if "事务所" in name else "",
                "applicant_name": name,
                "id_number": id_number,
                "phone": "13800000000",
                "description": description,
                "delivery_form": "electronic",
                "delivery_method": "email",
            },
        )


NEGATIVE_LIST = [
    # (term, why it is listed): examples of a district's 负面清单 (seed 004)
    ("维稳工作方案", "涉及社会稳定的内部工作安排"),
    ("内部掌握", "内部掌握口径，不对外公开"),
    ("重点人员名单", "涉及个人信息和维稳事项"),
]
DEMO_ID_NUMBER = "320102198001011238"  # invented; passes the GB 11643 checksum

DEMO_ITEM_BODY = (
    "根据《社会救助暂行办法》，现将2026年第三季度临时救助发放情况公示如下：\n"
    f"一、救助对象王某某，身份证号{DEMO_ID_NUMBER}，联系电话13912345678，"
    "住址示范区幸福路12号3栋2单元501室，发放临时救助金3000元。\n"
    "二、本季度共发放临时救助金12.6万元，涉及42户。\n"
    "本公示内容按照内部掌握口径另行报送。"
)


def _demo_review(district, units) -> None:
    """A negative list, and one submitted item with something for the reviewer to find."""
    from review.models import NegativeListTerm

    from .models import Item
    from .services.items import item_create, item_submit

    for term, note in NEGATIVE_LIST:
        NegativeListTerm.objects.get_or_create(
            district=district, term=term, defaults={"note": note}
        )
    title = "2026年第三季度临时救助发放情况公示"
    if Item.objects.filter(title=title).exists():
        return
    drafter = get_user_model().objects.get(username="drafter")
    section = Section.objects.get(unit=units["民政局"], name="社会救助科")
    item = item_create(
        author=drafter,
        section=section,
        title=title,
        summary="2026年第三季度临时救助发放情况",
        body=DEMO_ITEM_BODY,
        category=Category.objects.get(name="社会救助"),
        attribute=Item.Attribute.PROACTIVE,
        scope=Item.Scope.SECTION,
    )
    item_submit(item=item, user=drafter)
