"""The one door to django-guardian.

Object permissions are derived from positions: a position grants a fixed set of permissions on
its section, unit or district, and `user_sync_grants` rewrites a user's grants from their
positions. Checks here read object grants only: model-wide permissions and superuser status
never let anyone claim a task or see an item, so an administrator cannot act outside a position.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from guardian.models import UserObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflow.models import Item, Position, Role, Unit

SECTION, UNIT, DISTRICT = "section", "unit", "district"

ROLE_GRANTS: dict[str, list[tuple[str, str]]] = {
    Role.DRAFTER: [(SECTION, "draft_section_items"), (SECTION, "view_section_items")],
    Role.SECTION_HEAD: [(SECTION, "approve_section_scope"), (SECTION, "view_section_items")],
    Role.REVIEWER: [(UNIT, "review_unit_items"), (UNIT, "view_unit_items")],
    Role.UNIT_HEAD: [(UNIT, "approve_unit_scope"), (UNIT, "view_unit_items")],
    Role.DISTRICT_APPROVER: [
        (DISTRICT, "approve_district_scope"),
        (DISTRICT, "view_district_scope_items"),
    ],
    Role.SUPERVISOR: [(DISTRICT, "supervise_district")],
    Role.REQUEST_OFFICER: [(UNIT, "handle_unit_requests")],
    Role.DISCLOSURE_OFFICE_HEAD: [
        (UNIT, "handle_unit_requests"),
        (UNIT, "approve_request_extensions"),
    ],
}
# Reviewers of the secrecy bureau also rule on referrals from every unit of the district.
SECRECY_BUREAU_REVIEWER_GRANTS = [(DISTRICT, "rule_referrals")]
MANAGED_CODENAMES = sorted(
    {codename for grants in ROLE_GRANTS.values() for _, codename in grants}
    | {codename for _, codename in SECRECY_BUREAU_REVIEWER_GRANTS}
)


def position_grants(position: Position) -> list[tuple[str, models.Model]]:
    """(codename, object) pairs a position confers."""
    targets = {SECTION: position.section, UNIT: position.unit, DISTRICT: position.unit.district}
    grants = list(ROLE_GRANTS[position.role])
    if position.role == Role.REVIEWER and position.unit.kind == Unit.Kind.SECRECY_BUREAU:
        grants += SECRECY_BUREAU_REVIEWER_GRANTS
    return [(codename, targets[target]) for target, codename in grants if targets[target]]


@transaction.atomic
def user_sync_grants(*, user) -> int:
    """Rewrite the user's managed object permissions from their positions; returns the count."""
    UserObjectPermission.objects.filter(
        user=user,
        permission__codename__in=MANAGED_CODENAMES,
        permission__content_type__app_label="workflow",
    ).delete()
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="workflow", codename__in=MANAGED_CODENAMES
        )
    }
    rows = {}
    positions = Position.objects.filter(user=user).select_related("unit__district", "section")
    for position in positions:
        for codename, obj in position_grants(position):
            ct = ContentType.objects.get_for_model(obj)
            rows[(codename, ct.pk, str(obj.pk))] = UserObjectPermission(
                user=user, permission=perms[codename], content_type=ct, object_pk=str(obj.pk)
            )
    UserObjectPermission.objects.bulk_create(rows.values())
    return len(rows)


def user_grants(user) -> set[tuple[str, int, str]]:
    """All managed grants of a user as (app_label.codename, content_type_id, object_pk): one query."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_disclosure_grants", None)
    if cached is not None:
        return cached
    # Every request and every workflow step asks: fixed SQL, not a query built each time.
    with connection.cursor() as cursor:
        cursor.execute(_GRANTS_SQL, [user.pk, *MANAGED_CODENAMES])
        grants = {
            (f"workflow.{codename}", ct_id, obj_pk) for codename, ct_id, obj_pk in cursor.fetchall()
        }
    user._disclosure_grants = grants
    return grants


_GRANTS_SQL = (
    "SELECT p.codename, g.content_type_id, g.object_pk"  # noqa: S608 - fixed names only
    f" FROM {UserObjectPermission._meta.db_table} g"
    f" JOIN {Permission._meta.db_table} p ON p.id = g.permission_id"
    f" WHERE g.user_id = %s AND p.codename IN ({', '.join(['%s'] * len(MANAGED_CODENAMES))})"
)


def forget_cached_grants(user) -> None:
    user.__dict__.pop("_disclosure_grants", None)


def user_has_object_perm(user, perm: str, obj: models.Model | None) -> bool:
    if obj is None or not user.is_authenticated:
        return False
    ct_id = ContentType.objects.get_for_model(obj).pk
    return (perm, ct_id, str(obj.pk)) in user_grants(user)


def _objects_with(user, codename: str) -> list[str]:
    return [pk for perm, _ct, pk in user_grants(user) if perm == f"workflow.{codename}"]


def items_visible_to(user) -> QuerySet[Item]:
    """Items a user may open: their own, their section's or unit's, district-wide ones for the
    district office, everything for supervisors, referred ones for the secrecy bureau, and any
    item whose process they have acted on."""
    if not user.is_authenticated:
        return Item.objects.none()
    visible = Q(author=user)
    visible |= Q(section_id__in=_objects_with(user, "view_section_items"))
    visible |= Q(unit_id__in=_objects_with(user, "view_unit_items"))
    visible |= Q(unit__district_id__in=_objects_with(user, "supervise_district"))
    visible |= Q(
        scope=Item.Scope.DISTRICT,
        unit__district_id__in=_objects_with(user, "view_district_scope_items"),
    )
    from review.models import Countersign, Referral

    referral_districts = _objects_with(user, "rule_referrals")
    if referral_districts:
        visible |= Q(
            pk__in=Referral.objects.filter(item__unit__district_id__in=referral_districts).values(
                "item_id"
            )
        )
    # A competent department asked for a ruling (Art. 17 ¶3), and a unit asked to countersign.
    review_units = _objects_with(user, "review_unit_items")
    if review_units:
        visible |= Q(pk__in=Referral.objects.filter(to_unit_id__in=review_units).values("item_id"))
    head_units = _objects_with(user, "approve_unit_scope")
    if head_units:
        visible |= Q(pk__in=Countersign.objects.filter(unit_id__in=head_units).values("item_id"))
    visible |= Q(
        pk__in=Task.objects.filter(owner=user).values("process__disclosureprocess__item_id")
    )
    return Item.objects.filter(visible)


def claimable_q(user) -> Q | None:
    """The condition for open, unclaimed tasks whose permission the user holds on exactly the
    task's object; None when the user holds no grant at all."""
    grants = user_grants(user)
    if not grants:
        return None
    match = Q()
    for perm, ct_id, obj_pk in grants:
        match |= Q(
            owner_permission=perm,
            owner_permission_content_type_id=ct_id,
            owner_permission_obj_pk=obj_pk,
        )
    return match & Q(status=STATUS.NEW)


def tasks_claimable_by(user) -> QuerySet[Task]:
    """Open, unclaimed human tasks whose permission the user holds on exactly the task's object."""
    match = claimable_q(user)
    if match is None:
        return Task.objects.none()
    return Task.objects.filter(match, flow_task_type="HUMAN")


def task_claimable_by(user, task: Task) -> bool:
    return (
        task.status == STATUS.NEW
        and task.owner_permission is not None
        and (
            task.owner_permission,
            task.owner_permission_content_type_id,
            task.owner_permission_obj_pk,
        )
        in user_grants(user)
    )


def users_who_can_claim(task: Task) -> Iterable:
    """Who a task reaches (for notifications and tests)."""
    from django.contrib.auth import get_user_model

    if task.owner_id:
        return get_user_model().objects.filter(pk=task.owner_id)
    codename = (task.owner_permission or "").split(".", 1)[-1]
    return get_user_model().objects.filter(
        pk__in=UserObjectPermission.objects.filter(
            permission__codename=codename,
            content_type_id=task.owner_permission_content_type_id,
            object_pk=task.owner_permission_obj_pk,
        ).values("user_id")
    )


def requests_visible_to(user) -> QuerySet:
    """Disclosure requests a user may open: the receiving unit's disclosure office, the handling
    unit's reviewers and heads, the handling section, the district's supervisors, and anyone who
    has acted on one of its tasks."""
    from workflow.models import DisclosureRequest

    if not user.is_authenticated:
        return DisclosureRequest.objects.none()
    visible = Q(receiving_unit_id__in=_objects_with(user, "handle_unit_requests"))
    visible |= Q(handling_unit_id__in=_objects_with(user, "view_unit_items"))
    visible |= Q(handling_section_id__in=_objects_with(user, "view_section_items"))
    visible |= Q(receiving_unit__district_id__in=_objects_with(user, "supervise_district"))
    visible |= Q(
        pk__in=Task.objects.filter(owner=user).values("process__disclosureprocess__request_id")
    )
    review_units = _objects_with(user, "review_unit_items")
    if review_units:
        from review.models import Referral

        visible |= Q(
            pk__in=Referral.objects.filter(to_unit_id__in=review_units).values(
                "process__request_id"
            )
        )
    return DisclosureRequest.objects.filter(visible)


def can_handle_request(user, request) -> bool:
    """Record consultations and ask for extensions: the disclosure office or the drafters of the
    handling section."""
    return user_has_object_perm(
        user, "workflow.handle_unit_requests", request.receiving_unit
    ) or user_has_object_perm(user, "workflow.draft_section_items", request.handling_section)


def can_approve_extension(user, request) -> bool:
    return user_has_object_perm(user, "workflow.approve_request_extensions", request.receiving_unit)


def objects_with_perm(user, codename: str) -> list[str]:
    """Primary keys of the objects on which the user holds a managed permission."""
    return _objects_with(user, codename)
