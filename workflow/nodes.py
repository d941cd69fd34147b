"""Viewflow nodes bound to our permission module instead of viewflow's own checks."""

from viewflow.workflow import flow


class PositionTask(flow.View):
    """A human task reaching only the holders of a position on the task's own object.

    The task pages are ours (workflow.views.tasks): viewflow's task views are never routed,
    because they check model-wide permissions and leak across units (upstream issue #505).
    """

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)

    def can_assign(self, user, task):
        from review.permissions import task_claimable_by

        return task_claimable_by(user, task)

    def can_execute(self, user, task):
        return task.owner_id is not None and task.owner_id == user.pk
