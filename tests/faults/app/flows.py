"""A minimal flow around one `flow.Timer`: start, wait until the due moment stored in the process,
then record the firing and end. A timer fired twice would show as fired == 2 or a second `fired`
task; a lost one as a process that never ends."""

import datetime as dt

from viewflow import this
from viewflow.workflow import flow, lock


def record_firing(activation) -> None:
    # Looked up by name at call time, so the worker's stall hook can wrap it.
    process = activation.process
    process.data = {**process.data, "fired": process.data.get("fired", 0) + 1}
    process.save(update_fields=["data"])


class TimerFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_process).Next(this.wait)
    wait = flow.Timer(this.due_at).Next(this.fired)
    fired = flow.Function(this.on_fired).Next(this.end)
    end = flow.End()

    def start_process(self, activation, due: dt.datetime):
        activation.process.data = {"due": due.isoformat()}
        return activation.process

    def due_at(self, activation) -> dt.datetime:
        return dt.datetime.fromisoformat(activation.process.data["due"])

    def on_fired(self, activation) -> None:
        record_firing(activation)
