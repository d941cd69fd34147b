"""A channel for tests that writes each send as one JSON line to RECORDING_CHANNEL_PATH, so a
test can count what a separate worker process really sent. With RECORDING_CHANNEL_STALL set to a
file path, the first send creates that file and then hangs (a worker to be killed mid-task)."""

import json
import os
import time
from pathlib import Path

from notifications.channels import Channel


class RecordingChannel(Channel):
    code = "record"
    label = "record"

    def address(self, user) -> str | None:
        return user.username

    def send(self, *, user, address, messages, digest):
        stall = os.environ.get("RECORDING_CHANNEL_STALL")
        if stall and not Path(stall).exists():
            Path(stall).write_text(str(os.getpid()))
            time.sleep(120)
        line = {
            "to": address,
            "digest": digest,
            "titles": [m.title for m in messages],
            "urls": [m.url for m in messages],
            "refs": [m.ref for m in messages],
        }
        with open(os.environ["RECORDING_CHANNEL_PATH"], "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


class FailingChannel(Channel):
    code = "failing"
    label = "failing"

    def address(self, user) -> str | None:
        return user.username

    def send(self, *, user, address, messages, digest):
        raise OSError("gateway unreachable")
