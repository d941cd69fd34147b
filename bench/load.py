"""Benchmark: a bounded load test of the whole site on loopback (issue 26 point 5): a real gunicorn
with the production settings, driven by simulated users at several levels of concurrency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_loadbench .venv/bin/python bench/load.py
    ... bench/load.py --users 10,25,50 --seconds 30 --worker-class gthread --workers 3 --threads 4
    ... bench/load.py --users 5,10 --seconds 10 --entries 20000 --open-tasks 500   # a quick look
    ... bench/load.py --keep ...; then ... bench/load.py --reuse --worker-class gthread ...

PostgreSQL only (without DATABASE_URL, the one above; migration workflow/0015 needs the RUM
extension), and a Redis on 127.0.0.1:6379 whose database --redis-db (default 14) is empty: the
site's cache (the public limits' and the API's counters) and the Celery broker live there, and
that database is emptied at the end. No Celery worker runs: the notification jobs the writes hand
to the broker stay queued. At the defaults the setup takes about 1.5 minutes on the 2-core
development machine (a database of about 1 GB) and the load about 2 minutes (3 levels of
5 + 30 s, and the logins).

The setup: a throw-away database (Django's test database, `test_<name>`, migrated), the demo
district and its users (`workflow.demo.demo_seed`, as `make run` seeds them), then
- 50 more units of the demo district with five people each and the open and closed workflow of
  bench/pages.py (its template lifecycles run through the services, cloned in SQL): --open-tasks
  open subjects with one open human task each (items waiting for review, claimed reviews, request
  answers in review, requests waiting for their check or their answer, items waiting for section
  or unit approval) and a closed history the size of pages.py's --rows = --history (published
  items, delivered requests);
- the public catalogue of bench/catalogue.py: --entries published entries in 50 more units and 15
  categories over ten years, Chinese text with Zipf-ranked words, cut by the real jieba code, then
  the search index and the counts rebuilt for every published entry (`catalogue_rebuild`);
- every user gets the demo password, hashed as production hashes it (PBKDF2), so each simulated
  user logs in through the real login form (its CSRF token, django-axes) and keeps its session.

The server: `gunicorn config.wsgi:application` on a free loopback port with
`config.settings.production` (DEBUG off, sessions in PostgreSQL, the cache in Redis, static files
collected to a temporary directory and served by WhiteNoise, an access log as in
docker-compose.yml), --worker-class sync|gthread, --workers, --threads. Plain HTTP on loopback:
the HTTPS redirect and secure cookies are switched off. The anonymous limits that count per
address are raised out of reach (PUBLIC_RATE_LIST, PUBLIC_RATE_SEARCH, the API's throttles, the
login lockout), since every simulated visitor comes from 127.0.0.1; PUBLIC_SEARCH_CONCURRENCY
is --search-concurrency (default 100, so it never refuses; 4 is the product's default). A 429 or
503 answer is still counted, in its own column.

The load: --users levels one after the other (default 10, 25 and 50 users at once), each for
--warmup seconds that are not counted and then --seconds that are. One thread per simulated user
(`requests` sessions), each waiting 0 to --think seconds between its requests; a level keeps the
users of the one before and adds more (their logins come before the level and are not counted).
About 60 % are anonymous visitors of the portal (home, the catalogue list, its filters and deeper
pages, searches for common words 通知 街道 保障, middle ones 幼儿园 殡葬, rare ones and two at
once, entry pages, the public API's catalogue and a search in it), 15 % reviewers of different
units (their work list, filtered, with a preview, a task page, their item list), 10 % section and
unit heads (待我审批 and approval pages, their work list), 5 % the supervisor (the 督办
dashboard, drilled down by unit), and at least two writers: drafters who open the item form,
create an item through it, open the item and submit it for review (the scanner runs in that
request), and reviewers who pass the reviews of their unit through the task page's form. Static
files (CSS, scripts) are not fetched.

It prints a header (the data, the server's shape, the machine's cores), then per level: the
throughput (requests started in the counted window / its length), the CPU used meanwhile, in
cores, by gunicorn, by the PostgreSQL backends of the bench's database (sampled from /proc by
their process titles), by this client, and by everything else on the machine (its busy time less
those three: other work on a shared machine shows here), and per kind of page: count, p50, p95
and p99 latency in ms (of the answers that were neither errors nor 429/503), the answers 429/503,
and the errors (other statuses >= 400 and connection errors, by kind). Writes are listed on their
own; a write answered 200 (its form shown again with an error) is "refused". A 500's traceback
and gunicorn's worker timeouts are shown from the server's log. A closing table compares the
levels. It prints numbers; it asserts nothing. The database and the temporary files are removed
at the end (the database is kept with --keep and with --reuse), also after an error or Ctrl-C.
"""

import argparse
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The setup runs in this process with the test settings (eager Celery, like the other benches);
# the server runs with the production settings.
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_loadbench")

VENV_BIN = Path(sys.executable).parent
WORKFLOW_UNITS = 50  # bench/pages.py's units; the catalogue's are another 50 (bench/catalogue.py)
WRITER_UNITS = range(40, 50)  # the writers' units; the readers' are 0-39
# Simulated users by kind: each level gets the minimum of each kind first, the rest by share.
MIX = (
    ("visitor", 0.60),
    ("reviewer", 0.15),
    ("leader", 0.10),
    ("supervisor", 0.05),
    ("writer", 0.10),
)
MINIMUM = (("visitor", 1), ("writer", 2), ("reviewer", 1), ("leader", 1), ("supervisor", 1))
COMMON, MIDDLE = ("通知", "街道", "保障"), ("幼儿园", "殡葬")
TASK_LINK = re.compile(r'href="/tasks/(\d+)/"')
# The order of the printed table.
KINDS = (
    "home",
    "catalogue list",
    "catalogue list, deep page",
    "catalogue, filtered",
    "search, common word",
    "search, middle word",
    "search, rare word",
    "search, two words",
    "search, deep page",
    "entry page",
    "API catalogue",
    "API search",
    "work list",
    "work list, filtered",
    "work list, preview",
    "task page",
    "item list",
    "approvals",
    "approval page",
    "supervision dashboard",
    "supervision, by unit",
    "item form",
    "item page",
    "create item",
    "submit item",
    "review pass",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="10,25,50", help="levels of concurrent users")
    parser.add_argument("--seconds", type=float, default=30, help="counted seconds per level")
    parser.add_argument("--warmup", type=float, default=5, help="uncounted seconds per level")
    parser.add_argument("--think", type=float, default=0.5, help="longest pause between requests")
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (compose: 3)")
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per worker (gthread; default 4)"
    )
    parser.add_argument(
        "--search-concurrency",
        type=int,
        default=100,
        help="PUBLIC_SEARCH_CONCURRENCY of the server (the product's default is 4)",
    )
    parser.add_argument("--entries", type=int, default=100_000, help="published catalogue entries")
    parser.add_argument(
        "--pool", type=int, default=20_000, help="distinct documents the entries draw from"
    )
    parser.add_argument(
        "--open-tasks", type=int, default=3_000, help="open subjects (one open human task each)"
    )
    parser.add_argument(
        "--history",
        type=int,
        default=10_000,
        help="closed workflow history (bench/pages.py's --rows: 49 %% published items, 24 %% "
        "delivered requests)",
    )
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request (s)")
    parser.add_argument("--redis-db", type=int, default=14, help="an empty Redis database")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="load a database kept by --keep, as it is"
    )
    args = parser.parse_args()
    levels = [int(n) for n in args.users.split(",") if n.strip()]
    if args.threads is None:
        args.threads = 4 if args.worker_class == "gthread" else 1
    if args.worker_class == "sync" and args.threads != 1:
        # gunicorn would quietly switch to gthread.
        parser.error("--threads needs --worker-class gthread")

    import logging
    import warnings

    import django

    scratch = Path(tempfile.mkdtemp(prefix="loadbench-"))
    os.environ["TEST_MEDIA_ROOT"] = str(scratch / "test-media")  # nothing in the repository
    django.setup()
    logging.getLogger("celery").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit(
            "bench/load.py needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
            "h_loadbench .venv/bin/python bench/load.py"
        )
    redis = redis_client(args.redis_db)
    old_name = connection.settings_dict["NAME"]
    server = None
    started_all = time.perf_counter()
    # A SIGTERM ends the run like Ctrl-C: through the clean-up below.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server_env = production_env(args, scratch, port=free_port())
        collect = start_collectstatic(server_env, scratch)
        if args.reuse:
            test_name = connection.creation._get_test_db_name()
            connection.close()
            connection.settings_dict["NAME"] = test_name
            connection.ensure_connection()
            setup_seconds = 0.0
        else:
            started = time.perf_counter()
            test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
            print(f"database: {test_name}, migrated in {time.perf_counter() - started:,.1f} s")
            build(args)
            setup_seconds = time.perf_counter() - started
        server_env["DATABASE_URL"] = database_url(connection.settings_dict)
        finish_collectstatic(collect)
        world = World.load(args)
        server = Server(args, server_env, scratch)
        server.start()
        print_header(args, world, server, setup_seconds)
        results = run_levels(args, levels, world, server)
        print_summary(results)
    except KeyboardInterrupt:
        print("\ninterrupted: cleaning up")
    finally:
        if server is not None:
            server.stop()
        connection.close()
        name = connection.settings_dict["NAME"]
        # Only the test database, also when its migration failed half-way (never DATABASE_URL's).
        if name != old_name:
            if args.keep or args.reuse:
                print(f"kept the database {name} (dropdb -h 127.0.0.1 -U postgres {name})")
            else:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        redis.flushdb()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"load bench total: {time.perf_counter() - started_all:,.1f} s")


def _interrupt(signum, frame):
    raise KeyboardInterrupt


# --- the data ------------------------------------------------------------------------------


def build(args) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.db import connection

    from bench import catalogue, pages
    from notifications import channels
    from workflow.demo import DEMO_PASSWORD, demo_seed

    settings.NOTIFICATION_CHANNELS = {}  # as bench/pages.py: no e-mail during the setup
    channels.reset()
    started = time.perf_counter()
    demo_seed()
    org = build_org()
    cloner = pages.Cloner(org, pages.build_templates(org))
    print(
        "demo district, 50 units and the template lifecycles: "
        f"{time.perf_counter() - started:,.1f} s"
    )
    started = time.perf_counter()
    cloner.fill(args.history, args.open_tasks)
    print(
        f"workflow: {args.open_tasks:,} open subjects, history of {args.history:,}: "
        f"{time.perf_counter() - started:,.1f} s"
    )
    started = time.perf_counter()
    author = build_catalogue_org(org.district)
    write_documents(min(args.pool, args.entries))
    written = time.perf_counter()
    print(f"documents: {min(args.pool, args.entries):,} cut by jieba in {written - started:,.1f} s")
    catalogue.insert_entries({"author": author}, args.entries, min(args.pool, args.entries))
    inserted = time.perf_counter()
    print(f"catalogue: {args.entries:,} entries inserted in {inserted - written:,.1f} s")
    catalogue.index_catalogue()
    # Production's hasher: each login costs what it costs there. One hash for everyone.
    hasher = PBKDF2PasswordHasher()
    get_user_model().objects.update(password=hasher.encode(DEMO_PASSWORD, hasher.salt()))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"search index, counts, passwords, VACUUM ANALYZE: {time.perf_counter() - inserted:,.1f} s"
    )


def build_org():
    """bench/pages.py's organisation, in the demo district (its supervisor and district approver
    see it): units U00-U49 with a section and five people each, and the map its cloner reads."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.pages import Org
    from workflow.models import Category, District, Role, Section, Unit
    from workflow.services.organisation import position_assign

    users = get_user_model().objects
    org = Org()
    org.district = District.objects.order_by("pk").first()
    org.category, _ = Category.objects.get_or_create(name="社会救助")
    org.rows = []
    roles = (
        Role.DRAFTER,
        Role.REVIEWER,
        Role.SECTION_HEAD,
        Role.UNIT_HEAD,
        Role.REQUEST_OFFICER,
    )
    for k in range(WORKFLOW_UNITS):
        unit = Unit.objects.create(
            district=org.district,
            name=f"局{k:02d}",
            code=f"U{k:02d}",
            full_name=f"示范区局{k:02d}",
            letter_prefix=f"基{k:02d}公开",
            reconsideration_body="示范区人民政府",
            court="示范区人民法院",
        )
        section = Section.objects.create(unit=unit, name="业务科")
        people = {}
        for role in roles:
            people[role] = users.create(username=f"u{k:02d}-{role}", last_name=f"局{k:02d}")
            where = section if role in (Role.DRAFTER, Role.SECTION_HEAD) else None
            position_assign(user=people[role], unit=unit, section=where, role=role)
        org.rows.append((unit, section, people))
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_map (k int PRIMARY KEY, unit_id bigint, section_id bigint, "
            "drafter_id bigint, reviewer_id bigint, section_head_id bigint, "
            "unit_head_id bigint, officer_id bigint)"
        )
        cursor.executemany(
            "INSERT INTO bench_map VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                [k, unit.pk, section.pk, *(people[role].pk for role in roles)]
                for k, (unit, section, people) in enumerate(org.rows)
            ],
        )
    return org


def build_catalogue_org(district) -> int:
    """The catalogue's units (C00-C49, apart from the workflow's so that index numbers cannot
    collide) and categories, in the tables bench/catalogue.py's insert reads; the author's id."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench import catalogue
    from workflow.models import Category, Section, Unit

    units = []
    for k in range(catalogue.UNITS):
        unit = Unit.objects.create(district=district, name=f"公开局{k:02d}", code=f"C{k:02d}")
        units.append((k, unit.pk, Section.objects.create(unit=unit, name="办公室").pk, unit.code))
    categories = [
        (k, Category.objects.get_or_create(name=name, defaults={"order": 10 + k})[0].pk)
        for k, name in enumerate(catalogue.CATEGORIES)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_unit (k integer PRIMARY KEY, unit_id bigint, section_id bigint, "
            "code text)"
        )
        cursor.executemany("INSERT INTO bench_unit VALUES (%s, %s, %s, %s)", units)
        cursor.execute("CREATE TABLE bench_category (k integer PRIMARY KEY, category_id bigint)")
        cursor.executemany("INSERT INTO bench_category VALUES (%s, %s)", categories)
    return get_user_model().objects.create(username="bench-author").pk


def write_documents(pool: int) -> None:
    """bench/catalogue.py's document pool, written and cut by jieba in two processes."""
    import multiprocessing

    from django.db import connection

    from bench import catalogue

    chunks = [(start, min(start + 5_000, pool)) for start in range(0, pool, 5_000)]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_doc (n integer PRIMARY KEY, title text, summary text, body text, "
            "document text, short_document text)"
        )
    with multiprocessing.get_context("spawn").Pool(2) as workers:
        for rows in workers.imap_unordered(catalogue._write_documents, chunks):
            with connection.cursor() as cursor:
                cursor.executemany("INSERT INTO bench_doc VALUES (%s, %s, %s, %s, %s, %s)", rows)


class World:
    """What the simulated users need to know of the data: accounts, ids, words."""

    @classmethod
    def load(cls, args) -> "World":
        from django.db import connection
        from viewflow.workflow.models import Task

        from bench import catalogue
        from workflow.models import Category, DisclosureRequest, Item, Role, Unit

        world = cls()
        rng = random.Random(args.seed)
        published = list(
            Item.objects.filter(status=Item.Status.PUBLISHED).values_list("pk", flat=True)
        )
        world.published = len(published)
        world.entries = rng.sample(published, min(len(published), 10_000))
        world.categories = list(
            Category.objects.filter(name__in=catalogue.CATEGORIES).values_list("pk", flat=True)
        )
        world.catalogue_units = list(
            Unit.objects.filter(code__startswith="C").values_list("pk", flat=True)
        )
        world.workflow_units = list(
            Unit.objects.filter(code__startswith="U").values_list("pk", flat=True)
        )
        words = catalogue.vocabulary()
        world.rare = [words[rank - 1] for rank in catalogue.RARE_RANKS]
        world.writer = catalogue.Writer(words, args.seed)
        world.open_tasks = Task.objects.filter(
            status__in=["NEW", "ASSIGNED", "STARTED"], flow_task_type="HUMAN"
        ).count()
        world.open_requests = DisclosureRequest.objects.filter(
            status__in=DisclosureRequest.OPEN_STATUSES
        ).count()
        world.units = Unit.objects.count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            world.size = cursor.fetchone()[0]
            cursor.execute("SHOW server_version")
            world.postgres = cursor.fetchone()[0]
        world.reviewer, world.drafter = str(Role.REVIEWER), str(Role.DRAFTER)
        world.section_head, world.unit_head = str(Role.SECTION_HEAD), str(Role.UNIT_HEAD)
        return world

    def account(self, kind: str, index: int) -> str | None:
        """The username of the index-th simulated user of a kind (None: anonymous)."""
        if kind == "visitor":
            return None
        if kind == "supervisor":
            return "supervisor"  # the demo's
        if kind == "reviewer":
            return f"u{(7 + 3 * index) % 40:02d}-{self.reviewer}"
        if kind == "leader":
            role = self.section_head if index % 2 == 0 else self.unit_head
            return f"u{(11 + 7 * (index // 2)) % 40:02d}-{role}"
        unit = WRITER_UNITS[(index // 2) % len(WRITER_UNITS)]
        return f"u{unit:02d}-{self.drafter if index % 2 == 0 else self.reviewer}"


# --- the server ----------------------------------------------------------------------------


def redis_client(db: int):
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=db)
    if client.dbsize():
        sys.exit(f"Redis database {db} is not empty: give an empty one with --redis-db")
    return client


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def production_env(args, scratch: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    no_limit = "1000000/minute"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORT": str(port),
            "SITE_URL": f"http://127.0.0.1:{port}",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": "loadbench",
            "STATIC_ROOT": str(scratch / "static"),
            "MEDIA_ROOT": str(scratch / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # Plain HTTP on loopback.
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "SECURE_HSTS_SECONDS": "0",
            # Every simulated visitor comes from 127.0.0.1: the per-address limits out of reach.
            "PUBLIC_RATE_LIST": no_limit,
            "PUBLIC_RATE_SEARCH": no_limit,
            "PUBLIC_SEARCH_CONCURRENCY": str(args.search_concurrency),
            "API_THROTTLE_ANON": no_limit,
            "API_THROTTLE_USER": no_limit,
            "AXES_FAILURE_LIMIT": "1000000",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def start_collectstatic(env: dict, scratch: Path):
    """collectstatic for the production storage (WhiteNoise's manifest), beside the setup."""
    log = open(scratch / "collectstatic.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": "sqlite:///" + str(scratch / "unused.sqlite3")},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return process, log


def finish_collectstatic(collect) -> None:
    process, log = collect
    if process.wait() != 0:
        log.close()
        sys.exit("collectstatic failed:\n" + Path(log.name).read_text()[-3000:])
    log.close()


class Server:
    def __init__(self, args, env: dict, scratch: Path):
        self.args, self.env = args, env
        self.port = int(env["PORT"])
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = scratch / "gunicorn.log"
        self.process = None
        self.version = ""

    def start(self) -> None:
        import requests

        command = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--worker-class",
            self.args.worker_class,
            "--workers",
            str(self.args.workers),
            "--threads",
            str(self.args.threads),
            "--access-logfile",
            str(self.log_path.with_name("access.log")),
        ]
        self.version = subprocess.run(
            [command[0], "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        self.log = open(self.log_path, "w")  # noqa: SIM115
        started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches the bench, which stops the server itself
        )
        while True:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped:\n" + self.log_path.read_text()[-3000:])
            try:
                if requests.get(self.base + "/open/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - started > 120:
                sys.exit(
                    "gunicorn did not answer within 120 s:\n" + self.log_path.read_text()[-3000:]
                )
            time.sleep(0.5)
        self.boot_seconds = time.perf_counter() - started

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()

    def log_offset(self) -> int:
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            return log.read()


# --- CPU accounting (from /proc: everything runs on this machine) ---------------------------


def _proc_stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu_of(fields: list[str], children: bool = False) -> float:
    ticks = int(fields[11]) + int(fields[12])
    if children:  # workers that have exited and been reaped
        ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")


def gunicorn_cpu(master: int) -> float:
    fields = _proc_stat(master)
    total = _cpu_of(fields, children=True) if fields else 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            child = _proc_stat(int(entry.name))
            if child and int(child[1]) == master:
                total += _cpu_of(child)
    return total


class PostgresSampler(threading.Thread):
    """CPU seconds of the PostgreSQL backends serving the bench's database, found by their
    process titles and read from /proc every half second: a backend that ends inside the window
    (gunicorn's connections are renewed after CONN_MAX_AGE) counts up to its last sample, and
    one that starts inside it counts from zero."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.token = f" {database} ".encode()
        self.halt = threading.Event()
        self.first = self.backends()
        self.last = dict(self.first)

    def backends(self) -> dict[int, float]:
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres:") and self.token in title:
                fields = _proc_stat(int(entry.name))
                if fields:
                    found[int(entry.name)] = _cpu_of(fields)
        return found

    def run(self) -> None:
        while not self.halt.wait(0.5):
            self.last.update(self.backends())

    def finish(self) -> float:
        self.halt.set()
        self.join()
        self.last.update(self.backends())
        return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    ticks = os.sysconf("SC_CLK_TCK")
    return (total - idle) / ticks, total / ticks


class CpuMeter:
    """CPU used during the counted window, in cores: gunicorn (master and workers), the
    PostgreSQL backends of the bench's database, this client, the whole machine, and the rest
    of the machine (what else runs on it)."""

    def __init__(self, server: Server, database: str):
        self.server, self.database = server, database

    def start(self) -> dict:
        postgres = PostgresSampler(self.database)
        postgres.start()
        return {
            "gunicorn": gunicorn_cpu(self.server.process.pid),
            "postgres": postgres,
            "client": time.process_time(),
            "machine": machine_busy(),
            "wall": time.perf_counter(),
        }

    def finish(self, before: dict) -> dict:
        wall = time.perf_counter() - before["wall"]
        busy, total = machine_busy()
        cores = {
            "gunicorn": (gunicorn_cpu(self.server.process.pid) - before["gunicorn"]) / wall,
            "postgres": before["postgres"].finish() / wall,
            "client": (time.process_time() - before["client"]) / wall,
        }
        total -= before["machine"][1]
        busy -= before["machine"][0]
        cores["machine"] = busy / total * (os.cpu_count() or 1) if total else float("nan")
        cores["other"] = max(
            0.0, cores["machine"] - sum(cores[k] for k in ("gunicorn", "postgres", "client"))
        )
        return cores


# --- the simulated users -------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page as a browser would submit them untouched: for each, its action, its
    fields' values, and the choices of its radio buttons and selects."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "choices": {}})
            return
        if not self.forms:
            return
        form, name = self.forms[-1], a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                form["choices"].setdefault(name, []).append(a.get("value") or "on")
                if "checked" in a:
                    form["fields"][name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form["fields"][name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            form["choices"][name] = []
            form["fields"][name] = None
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            form["choices"][self._select].append(value)
            if "selected" in a or form["fields"][self._select] is None:
                form["fields"][self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"][name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def having(self, field: str | None = None, action_end: str | None = None) -> dict | None:
        for form in self.forms:
            if field and field not in form["fields"] and field not in form["choices"]:
                continue
            if action_end and not form["action"].endswith(action_end):
                continue
            return form
        return None


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return found.group(1) if found else ""


class SimUser:
    """One simulated user: its own `requests` session (cookies, keep-alive), its own random
    numbers; `step` does one thing (one to four requests) and pauses between requests."""

    def __init__(self, kind: str, index: int, world: World, server: Server, args):
        import requests

        self.kind, self.index, self.world, self.args = kind, index, world, args
        self.base = server.base
        self.username = world.account(kind, index)
        self.rng = random.Random(f"{args.seed}-{kind}-{index}")
        self.session = requests.Session()
        self.session.headers.update(
            {"User-Agent": "bench/load.py", "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
        )
        self.samples: list = []  # shared per level: set by the runner
        self.stop = threading.Event()
        self.task_ids: list[int] = []
        self.last = self.outcome = None  # the last response and how it was counted

    # - HTTP

    def call(self, kind, path, *, params=None, data=None, write=False, samples=None):
        """One request, timed; its text, or None when it failed."""
        import requests

        started = time.perf_counter()
        try:
            response = self.session.request(
                "POST" if data is not None else "GET",
                self.base + path,
                params=params,
                data=data,
                allow_redirects=False,
                timeout=self.args.timeout,
            )
        except requests.RequestException as exc:
            ms = (time.perf_counter() - started) * 1000
            self.last, self.outcome = None, f"conn {type(exc).__name__}"
            (self.samples if samples is None else samples).append(
                (started, kind, write, self.outcome, ms)
            )
            return None
        ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        if status in (429, 503):
            outcome = str(status)
        elif status >= 400:
            outcome = f"error {status}"
        elif write and status == 200:
            outcome = "refused"  # the form again, with its error
        else:
            outcome = "ok"
        (self.samples if samples is None else samples).append((started, kind, write, outcome, ms))
        self.last, self.outcome = response, outcome
        return response.text if outcome in ("ok", "refused") else None

    def pause(self) -> bool:
        """Think; True when the level is over."""
        return self.stop.wait(self.rng.uniform(0, self.args.think))

    def login(self, samples: list) -> bool:
        from workflow.demo import DEMO_PASSWORD

        page = self.call("login form", "/accounts/login/", samples=samples)
        if page is None:
            return False
        self.call(
            "login",
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": csrf_token(page),
                "username": self.username,
                "password": DEMO_PASSWORD,
                "next": "/",
            },
            write=True,
            samples=samples,
        )
        return self.outcome == "ok" and self.last.status_code == 302

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                getattr(self, f"step_{self.kind}")()
            except Exception as exc:  # a page that is not what we expected: count and go on
                self.samples.append(
                    (time.perf_counter(), "client error", False, f"client {exc!r}"[:60], 0.0)
                )
            if self.pause():
                break

    def pick(self, choices):
        """One of (weight, value)."""
        total = sum(w for w, _ in choices)
        x = self.rng.uniform(0, total)
        for weight, value in choices:
            x -= weight
            if x <= 0:
                return value
        return choices[-1][1]

    # - the kinds of users

    def step_visitor(self) -> None:
        rng, world = self.rng, self.world
        kind, path, params = self.pick(
            [
                (10, ("home", "/open/", None)),
                (10, ("catalogue list", "/catalogue/", None)),
                (4, ("catalogue list, deep page", "/catalogue/", {"page": rng.randint(2, 200)})),
                (
                    6,
                    (
                        "catalogue, filtered",
                        "/catalogue/",
                        rng.choice(
                            [
                                {"category": rng.choice(world.categories)},
                                {"unit": rng.choice(world.catalogue_units), "year": 2025},
                            ]
                        ),
                    ),
                ),
                (12, ("search, common word", "/catalogue/", {"q": rng.choice(COMMON)})),
                (6, ("search, middle word", "/catalogue/", {"q": rng.choice(MIDDLE)})),
                (3, ("search, rare word", "/catalogue/", {"q": rng.choice(world.rare)})),
                (2, ("search, two words", "/catalogue/", {"q": "街道 保障"})),
                (
                    2,
                    (
                        "search, deep page",
                        "/catalogue/",
                        {"q": rng.choice(COMMON), "page": rng.randint(2, 50)},
                    ),
                ),
                (15, ("entry page", f"/catalogue/{rng.choice(world.entries)}/", None)),
                (5, ("API catalogue", "/api/v1/catalogue/", None)),
                (3, ("API search", "/api/v1/catalogue/", {"q": rng.choice(COMMON + MIDDLE)})),
            ]
        )
        self.call(kind, path, params=params)

    def _tasks_from(self, page: str | None) -> None:
        if page is not None:
            self.task_ids = [int(pk) for pk in TASK_LINK.findall(page)]

    def step_reviewer(self) -> None:
        rng = self.rng
        choice = self.pick(
            [(4, "list"), (2, "filtered"), (1, "preview"), (4, "task"), (1, "items")]
        )
        if choice == "task" and self.task_ids:
            self.call("task page", f"/tasks/{rng.choice(self.task_ids)}/")
        elif choice == "preview" and self.task_ids:
            self._tasks_from(
                self.call("work list, preview", "/", params={"preview": rng.choice(self.task_ids)})
            )
        elif choice == "filtered":
            params = rng.choice(
                [{"due": "overdue"}, {"kind": "review"}, {"sort": "oldest"}, {"holder": "queue"}]
            )
            self._tasks_from(self.call("work list, filtered", "/", params=params))
        elif choice == "items":
            self.call("item list", "/items/")
        else:
            self._tasks_from(self.call("work list", "/"))

    def step_leader(self) -> None:
        choice = self.pick([(4, "approvals"), (4, "page"), (2, "list")])
        if choice == "page" and self.task_ids:
            self.call("approval page", f"/tasks/{self.rng.choice(self.task_ids)}/")
        elif choice == "list":
            self.call("work list", "/")
        else:
            self._tasks_from(self.call("approvals", "/approvals/"))

    def step_supervisor(self) -> None:
        if self.rng.random() < 0.75:
            self.call("supervision dashboard", "/supervision/")
        else:
            unit = self.rng.choice(self.world.workflow_units)
            self.call("supervision, by unit", "/supervision/", params={"unit": unit})

    def step_writer(self) -> None:
        if self.index % 2 == 0:
            self._draft()
        else:
            self._review()

    def _draft(self) -> None:
        """Open the item form, create an item through it, open it, submit it for review."""
        page = self.call("item form", "/items/new/")
        form = Forms(page).having(field="title") if page else None
        if form is None or self.pause():
            return
        title, summary, body = self.world.writer.document()
        data = {k: v for k, v in form["fields"].items() if v is not None}
        category = [c for c in form["choices"].get("category", []) if c]
        data.update(
            title=title[:200],
            summary=summary,
            body=body,
            category=self.rng.choice(category) if category else "",
            attribute="proactive",
            scope="section",
        )
        data.pop("is_policy_document", None)
        self.call("create item", form["action"] or "/items/new/", data=data, write=True)
        location = self.last.headers.get("Location", "") if self.outcome == "ok" else ""
        found = re.search(r"/items/(\d+)/", location)
        if not found or self.pause():
            return
        page = self.call("item page", f"/items/{found.group(1)}/")
        submit = Forms(page).having(action_end="/submit/") if page else None
        if submit is None or self.pause():
            return
        self.call("submit item", submit["action"], data=submit["fields"], write=True)

    def _review(self) -> None:
        """Pick a review from the unit's queue, open it and pass it through the task form."""
        self._tasks_from(self.call("work list, filtered", "/", params={"kind": "review"}))
        if not self.task_ids or self.pause():
            return
        path = f"/tasks/{self.rng.choice(self.task_ids)}/"
        page = self.call("task page", path)
        form = Forms(page).having(field="outcome") if page else None
        if form is None or self.pause():
            return
        data = {k: v for k, v in form["fields"].items() if v is not None}
        data["outcome"] = "pass"
        self.call("review pass", form["action"] or path, data=data, write=True)


# --- running the levels --------------------------------------------------------------------


def allocate(n: int) -> dict[str, int]:
    counts = dict.fromkeys((kind for kind, _ in MIX), 0)
    left = n
    for kind, minimum in MINIMUM:
        take = min(minimum, left)
        counts[kind] += take
        left -= take
    shares = {kind: left * weight for kind, weight in MIX}
    for kind, share in shares.items():
        counts[kind] += int(share)
    rest = n - sum(counts.values())
    for kind in sorted(shares, key=lambda k: -(shares[k] % 1))[:rest]:
        counts[kind] += 1
    return counts


def run_levels(args, levels, world: World, server: Server) -> list[dict]:
    population: dict[str, list[SimUser]] = {kind: [] for kind, _ in MIX}
    from django.db import connection

    meter = CpuMeter(server, connection.settings_dict["NAME"])
    results = []
    for n in levels:
        counts = allocate(n)
        logins: list = []
        fresh = []
        for kind, count in counts.items():
            while len(population[kind]) < count:
                fresh.append(SimUser(kind, len(population[kind]), world, server, args))
                population[kind].append(fresh[-1])
        started = time.perf_counter()
        failed = log_in(fresh, logins)
        login_seconds = time.perf_counter() - started
        users = [user for kind, count in counts.items() for user in population[kind][:count]]
        samples: list = []
        for user in users:
            user.samples, user.stop = samples, threading.Event()
        offset = server.log_offset()
        threads = [threading.Thread(target=user.run, daemon=True) for user in users]
        for thread in threads:
            thread.start()
        time.sleep(args.warmup)
        window = time.perf_counter()
        before = meter.start()
        time.sleep(args.seconds)
        cpu = meter.finish(before)
        for user in users:
            user.stop.set()
        for thread in threads:
            thread.join(timeout=args.timeout + 5)
        counted = [s for s in samples if window <= s[0] < window + args.seconds]
        result = {
            "users": n,
            "seconds": args.seconds,
            "counts": counts,
            "samples": counted,
            "cpu": cpu,
            "logins": [s for s in logins if s[1] == "login"],
            "login_seconds": login_seconds,
            "failed_logins": failed,
            "log": server.log_since(offset),
        }
        print_level(args, result)
        results.append(result)
    return results


def log_in(fresh: list[SimUser], samples: list) -> list[str]:
    """Log the new staff users in, four at a time; the usernames that failed."""
    staff = [user for user in fresh if user.username]
    failed = []
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not staff:
                    return
                user = staff.pop()
            if not user.login(samples):
                with lock:
                    failed.append(user.username)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failed


# --- printing ------------------------------------------------------------------------------


def print_header(args, world: World, server: Server, setup_seconds: float) -> None:
    load = os.getloadavg()
    print()
    print(
        f"data: {world.published:,} published catalogue entries, {world.open_tasks:,} open human "
        f"tasks, {world.open_requests:,} open requests, {world.units} units; database "
        f"{world.size} (PostgreSQL {world.postgres.split()[0]})"
        + (f"; setup {setup_seconds:,.0f} s" if setup_seconds else "; reused")
    )
    print(
        f"server: {server.version}, --worker-class {args.worker_class}, "
        f"{args.workers} workers × {args.threads} threads, config.settings.production, "
        f"PUBLIC_SEARCH_CONCURRENCY {args.search_concurrency}; up in {server.boot_seconds:.1f} s"
    )
    print(
        f"machine: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"before the run; client: {sys.executable.split('/')[-1]} threads (requests), think "
        f"0-{args.think} s, {args.warmup:g} s warm-up + {args.seconds:g} s counted per level"
    )


def percentile(values: list[float], q: float) -> float:
    """Nearest rank."""
    return values[max(0, min(len(values) - 1, math.ceil(q * len(values)) - 1))]


def summarise(samples: list) -> dict:
    ms = sorted(s[4] for s in samples if s[3] in ("ok", "refused"))
    outcomes: dict[str, int] = {}
    for s in samples:
        outcomes[s[3]] = outcomes.get(s[3], 0) + 1
    limited = sum(n for o, n in outcomes.items() if o in ("429", "503"))
    errors = {o: n for o, n in outcomes.items() if o.startswith(("error", "conn", "client"))}
    return {
        "count": len(samples),
        "p50": percentile(ms, 0.50) if ms else float("nan"),
        "p95": percentile(ms, 0.95) if ms else float("nan"),
        "p99": percentile(ms, 0.99) if ms else float("nan"),
        "limited": limited,
        "errors": errors,
        "refused": outcomes.get("refused", 0),
    }


def _errors(errors: dict) -> str:
    if not errors:
        return "-"
    return ", ".join(f"{o.split(' ', 1)[-1]}×{n}" for o, n in sorted(errors.items()))[:60]


def print_level(args, result: dict) -> None:
    samples, cpu = result["samples"], result["cpu"]
    counts = ", ".join(
        f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in result["counts"].items() if n
    )
    reads = [s for s in samples if not s[2]]
    writes = [s for s in samples if s[2]]
    print()
    print(f"== {result['users']} users ({counts})")
    logins = sorted(s[4] for s in result["logins"])
    if logins:
        print(
            f"logins before the level: {len(logins)} in {result['login_seconds']:.1f} s "
            f"(p50 {statistics.median(logins):.0f} ms)"
            + (f"; FAILED: {', '.join(result['failed_logins'])}" if result["failed_logins"] else "")
        )
    print(
        f"throughput: {len(samples) / args.seconds:,.1f} requests/s ({len(reads):,} reads, "
        f"{len(writes):,} writes in {args.seconds:g} s); CPU in cores: gunicorn "
        f"{cpu['gunicorn']:.2f}, PostgreSQL {cpu['postgres']:.2f}, client {cpu['client']:.2f}, "
        f"other work {cpu['other']:.2f}; machine busy {cpu['machine']:.2f} of {os.cpu_count()}"
    )
    header = (
        f"{'page':<28} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'429/503':>7}  "
        "errors"
    )
    for title, group in (("reads", reads), ("writes", writes)):
        if not group:
            continue
        print(header.replace("page", title, 1) + ("  (refused)" if title == "writes" else ""))
        by_kind: dict[str, list] = {}
        for s in group:
            by_kind.setdefault(s[1], []).append(s)
        order = [k for k in KINDS if k in by_kind] + sorted(k for k in by_kind if k not in KINDS)
        for kind in [*order, "all"]:
            rows = group if kind == "all" else by_kind[kind]
            st = summarise(rows)
            refused = f"  ({st['refused']})" if title == "writes" else ""
            print(
                f"{kind:<28} {st['count']:>6} {st['p50']:>8.0f} {st['p95']:>8.0f} "
                f"{st['p99']:>8.0f} {st['limited']:>7}  {_errors(st['errors'])}{refused}"
            )
    print_server_log(result["log"])


def print_server_log(log: str) -> None:
    timeouts = log.count("WORKER TIMEOUT")
    if timeouts:
        print(f"server log: {timeouts} worker timeouts")
    blocks = re.split(r"(?m)^(?=Internal Server Error: )", log)
    errors = [b for b in blocks if b.startswith("Internal Server Error: ")]
    if errors:
        print(f"server log: {len(errors)} internal server errors; the first:")
        for line in errors[0].strip().splitlines()[-25:]:
            print(f"    {line}")


def print_summary(results: list[dict]) -> None:
    print()
    print("== summary")
    header = (
        f"{'users':>5} {'req/s':>7} {'reads p50':>9} {'p95':>6} {'p99':>6} "
        f"{'writes p50':>10} {'p95':>6} {'429/503':>7} {'errors':>6} {'gunicorn':>8} "
        f"{'postgres':>8} {'other':>6}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        samples = result["samples"]
        reads = summarise([s for s in samples if not s[2]])
        writes = summarise([s for s in samples if s[2]])
        total = summarise(samples)
        print(
            f"{result['users']:>5} {len(samples) / result['seconds']:>7.1f} "
            f"{reads['p50']:>9.0f} {reads['p95']:>6.0f} {reads['p99']:>6.0f} "
            f"{writes['p50']:>10.0f} {writes['p95']:>6.0f} {total['limited']:>7} "
            f"{sum(total['errors'].values()):>6} {result['cpu']['gunicorn']:>8.2f} "
            f"{result['cpu']['postgres']:>8.2f} {result['cpu']['other']:>6.2f}"
        )
    print(
        "(latencies in ms, of the answers that were neither errors nor 429/503; CPU in cores "
        "over the counted window; other: the rest of the machine's busy time)"
    )


if __name__ == "__main__":
    main()
