"""Viewflow nodes bound to our permission module instead of viewflow's own checks."""

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.base import Edge
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import flow_started, task_started


class _RoutedViewActivation(ViewActivation):
    @Activation.status.super()
    def create_next(self):
        for node, cond in self.flow_task._routes:
            if cond(self):
                yield node._create(self, self.task.token)
                return
        yield from super().create_next.original()


class PositionTask(flow.View):
    """A human task reaching only the holders of a position on the task's own object.

    The task pages are ours (workflow.views.tasks): viewflow's task views are never routed,
    because they check model-wide permissions and leak across units (upstream issue #505).

    `.Route(node, cond)` sends the flow on to the first node whose condition holds once the task
    is done, and to `.Next` when none does: the decision a task records picks the next node
    directly, without a gateway task (a Switch) in between, which would cost its own rows and
    activation in the same transaction.
    """

    activation_class = _RoutedViewActivation
    not_by_author = False

    def __init__(self, **kwargs):
        super().__init__(view=None, **kwargs)
        self._routes = []

    def Route(self, node, cond):
        self._routes.append((node, cond))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        self._routes = [
            (this.resolve(instance, node), this.resolve(instance, cond))
            for node, cond in self._routes
        ]

    def _outgoing(self):
        for node, _cond in self._routes:
            yield Edge(src=self, dst=node, edge_class="cond_true")
        yield from super()._outgoing()

    def NotByAuthor(self):
        """Separation of duties (issue 20 point 8): the author of the item this task decides on
        may neither claim, hold nor complete it, whatever positions they also hold. The work
        list, the notifications and the escalation sweep read the same mark."""
        self.not_by_author = True
        return self

    def can_assign(self, user, task):
        from review.permissions import task_claimable_by

        return task_claimable_by(user, task)

    def can_execute(self, user, task):
        from review.permissions import is_authors_own_task

        # Checked on completion too: a task its author held before the rule existed stays
        # theirs until released or reassigned, but they cannot decide it.
        return (
            task.owner_id is not None
            and task.owner_id == user.pk
            and not is_authors_own_task(user, task)
        )


class _NewProcessStartActivation(StartHandleActivation):
    @Activation.status.super()
    def execute(self):
        # viewflow's start takes the flow lock on the process row it has just inserted. No other
        # transaction can see that row before this one commits, so the lock is a round trip that
        # guards nothing; the rest is viewflow's start as it is.
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        with transaction.atomic():
            self.process.save()
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()


class NewProcessStart(flow.StartHandle):
    """flow.StartHandle without the lock on the process it creates (see the activation)."""

    activation_class = _NewProcessStartActivation
