"""Who supervises what: the districts on which a user holds `workflow.supervise_district`."""

from django.http import Http404

from review.permissions import objects_with_perm


def supervised_district_ids(user) -> list[int]:
    if not user.is_authenticated:
        return []
    return sorted({int(pk) for pk in objects_with_perm(user, "supervise_district")})


def supervised_districts_or_404(user) -> list[int]:
    """Answer 404, not 403, to anyone without the grant: the page does not exist for them."""
    districts = supervised_district_ids(user)
    if not districts:
        raise Http404
    return districts
