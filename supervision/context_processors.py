from review.permissions import user_grants

SUPERVISE = "workflow.supervise_district"


def navigation(request):
    """`nav_supervisor` for the header link. `user_grants` is cached on the user object, and the
    workflow navigation has usually loaded it already, so this costs no query of its own."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_supervisor": False}
    return {"nav_supervisor": any(perm == SUPERVISE for perm, _ct, _pk in user_grants(user))}
