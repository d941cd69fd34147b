"""FAULT_STALL_AT=module:function makes the FAULT_STALL_CALL-th call (default the first) of that
function in a process write the file FAULT_STALL_FLAG and hang there, so a test can SIGKILL the
worker at that exact point. Once the flag file exists nothing stalls, so the restarted worker runs
normally."""

import functools
import importlib
import os
import time
from pathlib import Path

STALL_SECONDS = 120


def install() -> None:
    target, flag = os.environ.get("FAULT_STALL_AT"), os.environ.get("FAULT_STALL_FLAG")
    if not target or not flag:
        return
    module_name, _, name = target.partition(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)
    nth = int(os.environ.get("FAULT_STALL_CALL", "1"))
    calls = [0]

    @functools.wraps(original)
    def stalling(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth and not Path(flag).exists():
            Path(flag).write_text(str(os.getpid()))
            time.sleep(STALL_SECONDS)
        return original(*args, **kwargs)

    setattr(module, name, stalling)
