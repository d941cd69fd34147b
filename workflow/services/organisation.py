from django.db import transaction

from audit.services import audit_log
from review.permissions import forget_cached_grants, user_sync_grants

from ..models import Position, Role, Section, Unit


@transaction.atomic
def position_assign(
    *, user, unit: Unit, role: str, section: Section | None = None, by=None
) -> Position:
    position = Position(user=user, unit=unit, section=section, role=Role(role))
    position.full_clean()
    position.save()
    user_sync_grants(user=user)
    forget_cached_grants(user)
    audit_log(
        actor=by,
        action="organisation.position.assigned",
        subject=user,
        new_state=position.role,
        data={"position": position.pk, "unit": unit.pk, "section": section.pk if section else None},
    )
    return position


@transaction.atomic
def position_save(*, position: Position, by=None) -> Position:
    """Create or change a position (admin), then rewrite the holder's grants."""
    position.full_clean()
    previous_user_id = (
        Position.objects.filter(pk=position.pk).values_list("user_id", flat=True).first()
        if position.pk
        else None
    )
    position.save()
    user_sync_grants(user=position.user)
    if previous_user_id and previous_user_id != position.user_id:
        user_sync_grants(user=type(position.user).objects.get(pk=previous_user_id))
    audit_log(
        actor=by,
        action="organisation.position.saved",
        subject=position.user,
        new_state=position.role,
        data={"position": position.pk, "unit": position.unit_id, "section": position.section_id},
    )
    return position


@transaction.atomic
def position_remove(*, position: Position, by=None) -> None:
    user = position.user
    data = {"position": position.pk, "unit": position.unit_id, "section": position.section_id}
    role = position.role
    position.delete()
    user_sync_grants(user=user)
    forget_cached_grants(user)
    audit_log(
        actor=by, action="organisation.position.removed", subject=user, old_state=role, data=data
    )
