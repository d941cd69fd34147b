"""The floor for bench/lifecycle.py: the shape of the proactive-disclosure flow with viewflow alone
(no audit, no guardian, no index numbers). The process is viewflow's base Process; the decisions
live in its JSON `data`, so the app needs no models and no migrations."""

from viewflow import this
from viewflow.workflow import flow, lock


class BareFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.review)
    # Model-wide permission: ModelBackend answers it, the way viewflow's own views ask.
    review = flow.View(view=None).Permission("auth.view_group").Next(this.route)
    route = flow.If(this.review_passed).Then(this.approve).Else(this.end)
    approve = flow.View(view=None).Permission("auth.view_group").Next(this.publish)
    publish = flow.Function(this.publish_process).Next(this.end)
    end = flow.End()

    def start_process(self, activation, title: str):
        activation.process.data = {"title": title}
        return activation.process

    def review_passed(self, activation) -> bool:
        return activation.process.data.get("review") == "pass"

    def publish_process(self, activation) -> None:
        process = activation.process
        process.data = {**process.data, "published": True}
        process.save(update_fields=["data"])
