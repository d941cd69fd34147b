"""`python manage.py rundemo` — the embedded default behind `make run`.

One command brings up everything a person needs to try the system on a laptop:
migrations, demo data, a Redis (started here unless REDIS_URL is set), a Celery worker and beat,
and the development web server; then it prints the URL and the demo logins. Ctrl-C (SIGINT) or
SIGTERM stops every child; if any child dies on its own, the rest are stopped and the command
exits non-zero.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from config.embedded_redis import (
    EmbeddedRedisError,
    die_with_parent,
    start_embedded_redis,
    stop_embedded_redis,
)
from workflow.demo import DEMO_PASSWORD, demo_seed

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}  # noqa: S104


@dataclass
class Child:
    name: str
    proc: subprocess.Popen
    log: Path | None = None
    stop_signal: int = signal.SIGTERM
    stopped: bool = field(default=False)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _port_in_use(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _tail(path: Path | None, lines: int = 25) -> str:
    if path is None or not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _display_width(text))


class Command(BaseCommand):
    help = (
        "Run the whole system locally: migrate, seed demo data, start Redis (unless REDIS_URL is "
        "set), a Celery worker and beat, and the web server; print the URL and demo logins."
    )
    requires_system_checks = []  # runserver (the child) runs them

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="Web server port (default: $PORT or 8000).",
        )
        parser.add_argument(
            "--host", default="127.0.0.1", help="Address to bind (default 127.0.0.1)."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the Celery worker and beat (and so no embedded Redis either).",
        )

    # ------------------------------------------------------------------ orchestration

    def handle(self, *args, **options):
        host: str = options["host"]
        port: int = options["port"]
        with_worker = not options["no_worker"]
        browse_host = WILDCARD_HOSTS.get(host, host)
        base_url = f"http://{_url_host(browse_host)}:{port}/"

        self.children: list[Child] = []
        self.stopping: int | None = None
        self._previous_handlers: dict | None = None
        run_dir = Path(settings.BASE_DIR) / ".run"
        log_dir = run_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)

        if _port_in_use(browse_host, port):
            raise CommandError(
                f"端口 {port} 已被占用 / port {port} on {browse_host} is already in use. "
                f"Stop whatever uses it or choose another: PORT=8001 make run"
            )

        exit_code = 0
        try:
            self._say("▶ 数据库迁移 / applying migrations …")
            call_command("migrate", interactive=False, verbosity=0)
            self._say("▶ 演示数据 / seeding demo data …")
            logins = demo_seed()
            # From here on a signal only sets a flag; the loops below notice it and we stop
            # the children in order (their own process groups do not get the terminal's Ctrl-C).
            self._install_signal_handlers()

            env = os.environ.copy()
            env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
            env["PYTHONUNBUFFERED"] = "1"

            if with_worker:
                self._setup_redis(env, run_dir, log_dir)
                self._check_interrupt()
                celery = [sys.executable, "-m", "celery", "-A", "config"]
                self._say("▶ Celery worker + beat …")
                self._spawn(
                    "worker",
                    [*celery, "worker", "-l", "info", "--concurrency", "1"],
                    env,
                    log=log_dir / "worker.log",
                )
                self._spawn(
                    "beat",
                    [*celery, "beat", "-l", "info", "-s", str(run_dir / "celerybeat-schedule")],
                    env,
                    log=log_dir / "beat.log",
                )

            self._check_interrupt()
            self._say(f"▶ Web server on {base_url} …")
            manage_py = str(Path(settings.BASE_DIR) / "manage.py")
            self._spawn(
                "web",
                [sys.executable, manage_py, "runserver", "--noreload", f"{_url_host(host)}:{port}"],
                env,
                log=None,  # request log stays on the console
            )
            self._wait_ready(f"{base_url}accounts/login/")
            self._banner(base_url, logins, log_dir if with_worker else None)
            exit_code = self._supervise()
        except KeyboardInterrupt:
            exit_code = 0
        except (CommandError, EmbeddedRedisError) as exc:
            self.stderr.write(f"rundemo: {exc}")
            exit_code = 1
        finally:
            self._stop_all()
        if exit_code:
            sys.exit(exit_code)

    def _setup_redis(self, env: dict, run_dir: Path, log_dir: Path) -> None:
        if os.environ.get("REDIS_URL"):
            url = os.environ["REDIS_URL"]
            self._say(f"▶ Redis: using REDIS_URL={url}")
            self._ping_redis(url)
            return
        self._say("▶ Redis: starting an embedded redis-server …")
        proc, url = start_embedded_redis(run_dir / "redis", log_file=log_dir / "redis.log")
        self.children.append(Child("redis", proc, log_dir / "redis.log"))
        env["REDIS_URL"] = url
        env["CELERY_BROKER_URL"] = url
        self._say(f"  Redis: {url}")

    def _ping_redis(self, url: str) -> None:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        except redis.RedisError as exc:
            raise CommandError(
                f"REDIS_URL={url} does not answer ({exc}). Start that Redis, or unset REDIS_URL "
                "so that `make run` starts its own."
            ) from exc
        finally:
            client.close()

    def _spawn(self, name: str, argv: list[str], env: dict, log: Path | None) -> Child:
        out = open(log, "wb") if log else None  # noqa: SIM115 - fresh per run; closed below
        try:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                argv,
                env=env,
                cwd=settings.BASE_DIR,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT if out else None,
                # Own process group: Ctrl-C reaches only us, and we stop the children in order,
                # killing each group (celery's pool processes included).
                start_new_session=True,
                preexec_fn=die_with_parent,  # noqa: PLW1509 - we have no threads
            )
        finally:
            if out:
                out.close()
        child = Child(name, proc, log)
        self.children.append(child)
        return child

    def _wait_ready(self, url: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            self._check_interrupt()
            self._check_children()
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - our own URL
                    if resp.status == 200:
                        return
                    last = f"HTTP {resp.status}"
            except urllib.error.HTTPError as exc:
                last = f"HTTP {exc.code}"
            except (urllib.error.URLError, OSError) as exc:
                last = str(getattr(exc, "reason", exc))
            time.sleep(0.3)
        raise CommandError(f"{url} did not answer 200 within {READY_TIMEOUT:.0f} s (last: {last}).")

    def _banner(self, base_url: str, logins, log_dir: Path | None) -> None:
        headers = ("用户名 username", "姓名 name", "角色 role", "单位/科室 unit/section")
        rows = [(x.username, x.name, x.role, x.where) for x in logins]
        widths = [max(_display_width(str(r[i])) for r in [headers, *rows]) for i in range(4)]

        def line(cells):
            return (
                "  "
                + "  ".join(_pad(str(c), w) for c, w in zip(cells, widths, strict=True)).rstrip()
            )

        rule = "=" * 72
        out = [
            "",
            rule,
            "  政府信息公开工作平台 — 演示环境已就绪 / demo is up",
            "",
            f"  地址 URL:        {base_url}",
            f"  管理后台 admin:  {base_url}admin/",
            f"  统一密码 password (all users): {DEMO_PASSWORD}",
            "",
            line(headers),
            line(["-" * w for w in widths]),
            *(line(r) for r in rows),
            "",
        ]
        if log_dir is not None:
            out.append(f"  Worker/beat/Redis logs: {log_dir}/")
        out += [
            "  按 Ctrl-C 停止 / press Ctrl-C to stop everything.",
            rule,
            f"Ready: {base_url}",
            "",
        ]
        sys.stdout.write("\n".join(out))
        sys.stdout.flush()

    def _supervise(self) -> int:
        while True:
            if self.stopping is not None:
                self._say(
                    f"\n▶ 收到信号 {signal.Signals(self.stopping).name}，正在停止 / stopping …"
                )
                return 0
            dead = self._dead_child()
            if dead is not None:
                self._report_death(dead)
                return 1
            time.sleep(0.3)

    # ------------------------------------------------------------------ helpers

    def _dead_child(self) -> Child | None:
        for child in self.children:
            if child.proc.poll() is not None:
                return child
        return None

    def _check_children(self) -> None:
        dead = self._dead_child()
        if dead is not None:
            self._report_death(dead)
            raise CommandError(f"{dead.name} exited early (code {dead.proc.returncode}).")

    def _report_death(self, child: Child) -> None:
        msg = (
            f"rundemo: {child.name} (pid {child.proc.pid}) exited with code {child.proc.returncode}"
        )
        tail = _tail(child.log)
        if tail:
            msg += f"; last lines of {child.log}:\n{tail}"
        self.stderr.write(msg)

    def _check_interrupt(self) -> None:
        if self.stopping is not None:
            raise KeyboardInterrupt

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def _install_signal_handlers(self) -> None:
        def handler(signum, frame):
            if self.stopping is None:
                self.stopping = signum

        self._previous_handlers = {sig: signal.signal(sig, handler) for sig in self.SIGNALS}

    def _stop_all(self) -> None:
        """Stop web first, Redis last (the worker acks to it while shutting down)."""
        # While we clean up, a second Ctrl-C must not abandon children.
        previous = getattr(self, "_previous_handlers", None) or {
            sig: signal.getsignal(sig) for sig in self.SIGNALS
        }
        for sig in self.SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        try:
            order = {"web": 0, "beat": 1, "worker": 2, "redis": 3}
            for child in sorted(self.children, key=lambda c: order.get(c.name, 9)):
                self._stop(child)
            self.children.clear()
        finally:
            for sig, old in previous.items():
                signal.signal(sig, old if old is not None else signal.SIG_DFL)

    def _stop(self, child: Child) -> None:
        proc = child.proc
        if child.name == "redis":
            stop_embedded_redis(proc)
        else:
            if proc.poll() is None:
                self._signal_group(proc, child.stop_signal)
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    self.stderr.write(f"rundemo: {child.name} did not stop in time; killing it")
            # Whatever is left in its group (celery's pool children), killed for good.
            self._signal_group(proc, signal.SIGKILL)
            proc.wait()
        child.stopped = True

    @staticmethod
    def _signal_group(proc: subprocess.Popen, sig: int) -> None:
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
