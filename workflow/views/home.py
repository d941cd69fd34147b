from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors import inbox_for_user, queue_for_user


@login_required
def inbox(request):
    return render(
        request,
        "workflow/inbox.html",
        {
            "inbox": inbox_for_user(user=request.user)[:200],
            "queue": queue_for_user(user=request.user)[:200],
        },
    )
