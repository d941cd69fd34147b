"""Run a parser on an untrusted file in a child process, with a time and a memory limit.

The parsers (python-docx, openpyxl, pypdf, lxml, zlib) can be made to work for minutes and take
gigabytes by a small hostile file, and they cannot be interrupted from inside a thread. A forked
child can: it gets an address-space limit (RLIMIT_AS) and a CPU limit (RLIMIT_CPU), the parent
waits on a pipe until its deadline and then kills the child's whole process group (the child's
helpers, such as tesseract, with it).

The child is a copy of the parent, with the parent's open database connection and sockets. It
never uses them and leaves with os._exit, so no cleanup (atexit, finalizers, a connection's
"terminate" message) runs on the parent's behalf. Its result comes back as JSON, never pickled.
Where fork is missing (Windows) the parser runs in-process, unbounded: the server runs on Linux.
"""

import contextlib
import json
import math
import os
import resource
import select
import signal
import time
from collections.abc import Callable

from django.utils.translation import gettext as _

from .errors import ExtractionError, ExtractionRefused, error_from

_MB = 1024 * 1024
# Signals a web or Celery process may have taken over; the child must just die of them.
_RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD")
_NO_MEMORY = 71  # the child's exit status when even its answer did not fit


def run_bounded(
    func: Callable[[], str], *, name: str, timeout: float, memory_mb: int | None
) -> str:
    """`func()` in a child limited to `timeout` seconds (wall and CPU) and `memory_mb` MB of
    address space beyond the parent's. Raises the ExtractionError the child raised, or
    ExtractionRefused when the child ran out of time or memory or crashed."""
    if not hasattr(os, "fork"):
        return func()
    limit = _memory_limit(memory_mb)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        _child(func, write_fd, timeout, limit)  # never returns
    os.close(write_fd)
    # Also here, so the group exists whenever the parent may kill it (whichever runs first).
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)
    try:
        payload, status = _collect(pid, read_fd, time.monotonic() + timeout)
    except BaseException:
        # Interrupted while waiting (Celery's soft time limit, a signal): no orphan is left.
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
    return _result(payload, status, name=name, timeout=timeout, memory_mb=memory_mb)


def _memory_limit(memory_mb: int | None) -> int | None:
    """The child's address-space limit: what the parent has mapped now plus `memory_mb`. The
    child starts as a copy of the parent, so a fixed number would be too small in a big worker
    and too generous in a small one."""
    if not memory_mb:
        return None
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None  # not Linux: the time limit still holds
    return mapped + memory_mb * _MB


def _child(func: Callable[[], str], write_fd: int, timeout: float, limit: int | None) -> None:
    status = 70  # EX_SOFTWARE, unless the result gets out
    try:
        # Our own process group, so that the parent's kill reaches our helpers too.
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        for sig in _RESET_SIGNALS:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                signal.signal(getattr(signal, sig), signal.SIG_DFL)
        cpu = math.ceil(timeout) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if limit is not None:
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        try:
            result: list = ["ok", func()]
        except ExtractionError as exc:
            result = ["error", type(exc).__name__, str(exc), exc.code]
        except MemoryError:
            result = ["memory"]
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which decides
            result = ["crash", f"{type(exc).__name__}: {exc}"[:300]]
        data = json.dumps(result, ensure_ascii=False).encode()
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    except MemoryError:
        status = _NO_MEMORY
    finally:
        os._exit(status)


def _collect(pid: int, read_fd: int, deadline: float) -> tuple[bytes | None, int | None]:
    """Read the child's answer until it closes the pipe or the deadline passes; reap the child.
    Returns (payload or None when killed, wait status or None when it was not ours to reap)."""
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP)
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            _kill(pid)
            return None, None
        if not poller.poll(math.ceil(left * 1000)):
            continue
        chunk = os.read(read_fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks), _reap(pid, deadline + 1)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _reap(pid: int, deadline: float) -> int | None:
    # The child closed the pipe on its way out; it is gone within moments. A child that closed it
    # and lingers is killed at the deadline all the same.
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None  # reaped by a SIGCHLD handler of the host process
        if done:
            return status
        if time.monotonic() > deadline:
            _kill(pid)
            return None
        time.sleep(0.005)


def _result(
    payload: bytes | None, status: int | None, *, name: str, timeout: float, memory_mb: int | None
) -> str:
    if payload is None:  # killed at the deadline
        raise ExtractionRefused(timeout_message(name, timeout), code="timeout")
    if not payload:  # died before answering
        signum = os.WTERMSIG(status) if status is not None and os.WIFSIGNALED(status) else None
        if signum == getattr(signal, "SIGXCPU", None):
            raise ExtractionRefused(timeout_message(name, timeout), code="timeout")
        out_of_memory = signum == signal.SIGKILL or (  # SIGKILL: the kernel's OOM killer
            status is not None and os.WIFEXITED(status) and os.WEXITSTATUS(status) == _NO_MEMORY
        )
        if out_of_memory:
            raise ExtractionRefused(memory_message(name, memory_mb), code="memory")
        raise ExtractionRefused(crash_message(name), code="crashed")
    try:
        answer = json.loads(payload)
    except ValueError:
        raise ExtractionRefused(crash_message(name), code="crashed") from None
    if answer[0] == "ok":
        return answer[1]
    if answer[0] == "error":
        raise error_from(answer[1], answer[2], answer[3])
    if answer[0] == "memory":
        raise ExtractionRefused(memory_message(name, memory_mb), code="memory")
    # A parser's own bug, not the file's hostility: the file is kept, a person reads it.
    raise ExtractionError(
        _("%(name)s: the text could not be read (%(detail)s). Check the file by eye.")
        % {"name": name, "detail": answer[1]},
        code="failed",
    )


def timeout_message(name: str, seconds: float) -> str:
    return _(
        "%(name)s: reading its text took longer than %(seconds)s seconds and was stopped. "
        "Save it as PDF or split it into smaller files, and upload those."
    ) % {"name": name, "seconds": f"{seconds:g}"}


def memory_message(name: str, memory_mb: int | None) -> str:
    return _(
        "%(name)s: reading its text needed more than %(limit)s MB of memory and was stopped. "
        "Save it as PDF or split it into smaller files, and upload those."
    ) % {"name": name, "limit": memory_mb}


def crash_message(name: str) -> str:
    return _(
        "%(name)s: the file stopped the text reader; it may be damaged. Save it again as PDF and "
        "upload that."
    ) % {"name": name}
