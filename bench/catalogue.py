"""Benchmark: the public catalogue's search and lists with up to 1,000,000 published entries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_searchbench .venv/bin/python bench/catalogue.py
    DATABASE_URL=... .venv/bin/python bench/catalogue.py --entries 100000 --repeat 20
    .venv/bin/python bench/catalogue.py --entries 20000          # SQLite (FTS5), smaller

It creates a throw-away database (Django's test database, `test_<name>`) and fills the catalogue
with --entries published entries (default 1,000,000 on PostgreSQL, 50,000 on SQLite) in 50 units
and 15 categories over ten years, then measures the portal's catalogue page and the public API
through the real views (Django's test Client): p50 and p95 over --repeat GETs after 2 warm-ups,
split into --rounds rounds that visit every page in turn (so a slow minute of the shared machine
hits every page alike; the spread of the rounds' p50 shows the noise), the SQL statements of one
GET and the CPU the PostgreSQL backend spent on it (from /proc: the server runs on this machine;
parallel workers are not counted).

The text is Chinese of the government's kind with skewed word frequencies: each document draws
its words from a vocabulary ranked like natural language (Zipf: the r-th word is drawn with a
chance of about 1/r), the head of which is the catalogue's own vocabulary (通知, 街道, 保障, 工作…),
the tail jieba's dictionary by frequency. Titles follow the usual patterns (关于…的通知, …实施方案).
A pool of --pool distinct documents (title, summary, body) is written in Python, with its search
document cut by the real jieba code (`workflow.search.document_words`); the entries are then
written with one `INSERT ... SELECT generate_series` (a recursive CTE on SQLite), each taking a
document of the pool, a unit and a category (both skewed), and a publication moment (more of
them recent). Words measured: common ones (通知, 街道, 保障, 水: a quarter to most of the
entries), middle ones (殡葬, 幼儿园: about 1 % and 6 %), two rare ones, one found nowhere as a word
(量子纠缠) and one whose two characters are common but never together (知通); two words at once, a
search with a category, and deep pages; the number of entries each query matches is printed
before the table. It prints numbers; it asserts nothing.
"""

import argparse
import math
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

UNITS = 50
SEED = 20261207
# The catalogue's own words, most frequent first; a document draws its words by rank (Zipf), so
# the first few are in nearly every entry. The measured words are placed at ranks that give them
# the share of entries the issue reports (common, about 6 %, about 1 %): see TARGET_RANKS.
HEAD = (
    "的 工作 关于 和 进一步 加强 推进 开展 建设 管理 服务 发展 实施 落实 规定 要求 有关 按照 "
    "单位 政府 社区 居民 项目 部门 情况 做好 方案 安全 全区 组织 相关 资金 标准 企业 政策 "
    "补贴 公开 信息 申请 办理 审核 年度 计划 检查 整改 印发 执行 公示 结果 名单 责任 制度 "
    "监督 考核 培训 宣传 群众 生活 社会 救助 低保 医疗 养老 教育 卫生 健康 环境 保护 交通 "
    "水利 供水 排水 污水 水费 水资源 防汛 河道 农业 农村 就业 创业 住房 公积金 财政 预算 决算 "
    "采购 招标 合同 工程 施工 验收 城市 规划 用地 拆迁 补偿 文化 体育 旅游 市场 价格 食品 "
    "药品 质量 消防 应急 预案 疫情 防控 统计 数据 人口 户籍 民政 残疾人 老年人 儿童 学生 "
    "学校 义务教育 招生 入学 资助 困难 家庭 补助 发放 对象 人员 干部 会议 通报 意见 办法 "
    "细则 公告 批复 决定 报告 总结 规章 规范性 文件 行政 许可 处罚 执法 复议 诉讼 信访 投诉 "
    "举报 热线 窗口 网上 平台 系统 数字化 改革 营商 环境 优化 税费 减免 小微 扶持 奖励 认定 "
    "登记 备案 变更 注销 证明 证照 不动产 物业 小区 垃圾 分类 绿化 道路 桥梁 公交 停车 "
    "燃气 供热 电力 通信 网络 广播 电视 图书馆 博物馆 公园 广场 村庄 乡镇 集体 土地 承包 "
    "林业 畜牧 渔业 粮食 种子 化肥 农药 灌溉 水库 堤防 地质 灾害 气象 地震 环保 大气 噪声 "
    "排放 许可证 监测 评估 审计 巡察 廉政 作风 纪律 党建 志愿 慈善 捐赠 优抚 退役 军人 "
    "婚姻 收养 社团 基金会 养老院 托育 托儿所 医保 社保 参保 缴费 待遇 退休 工资 职称 "
    "招聘 考试 录用 公务员 事业单位 编制 机构 职能 领导 分工 联系 电话 地址 时间 期限"
).split()
TARGET_RANKS = {"通知": 14, "保障": 17, "街道": 20, "幼儿园": 100, "殡葬": 930}
# Word ranks drawn for the rare queries (the vocabulary's tail).
RARE_RANKS = (40_000, 75_000)
ABSENT = "量子纠缠"
# Found nowhere as a word, but its two characters are among the commonest: only the second tier
# (entries matched by the characters) answers it.
SCATTERED = "知通"
TITLES = (
    "关于{a}{b}的通知",
    "关于印发{a}{b}实施方案的通知",
    "{year}年{a}{b}工作计划",
    "{a}{b}情况公示",
    "关于{a}{b}的公告",
    "{a}{b}管理办法",
    "关于{a}{b}有关事项的通知",
    "{year}年{a}{b}工作总结",
    "{a}{b}政策解读",
    "关于公布{a}{b}名单的公示",
)
CATEGORIES = (
    "通知公告",
    "政策文件",
    "规划计划",
    "财政信息",
    "社会救助",
    "教育信息",
    "卫生健康",
    "人事信息",
    "行政执法",
    "重点项目",
    "应急管理",
    "统计信息",
    "建议提案",
    "机构职能",
    "其他",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=None, help="published entries to make")
    parser.add_argument(
        "--pool", type=int, default=50_000, help="distinct documents the entries draw from"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed GETs of each page")
    parser.add_argument("--rounds", type=int, default=4, help="rounds the GETs are split into")
    parser.add_argument(
        "--statement-timeout-ms",
        type=int,
        default=0,
        help="cap every statement of the measured GETs (0: none); a GET that hits it counts as "
        "'timeout' (for measuring code that does not bound its own queries)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep, as it is"
    )
    args = parser.parse_args()

    import logging
    import warnings

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.db import connection
    from django.test.utils import setup_test_environment

    entries = args.entries or (1_000_000 if connection.vendor == "postgresql" else 50_000)
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    started_all = time.perf_counter()
    if args.reuse:
        test_name = connection.creation._get_test_db_name()
        connection.close()
        connection.settings_dict["NAME"] = test_name
    else:
        test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({test_name})")
        if not args.reuse:
            generate(entries, min(args.pool, entries))
        pages = page_list()
        print_matches(pages)
        measure_all(pages, args)
        print_first_search()
    finally:
        if args.keep or args.reuse:
            print(f"kept the database {test_name}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"catalogue bench total: {time.perf_counter() - started_all:,.1f} s")


# --- the generator -------------------------------------------------------------------------


def vocabulary() -> list[str]:
    """Words by rank: the catalogue's head, then jieba's dictionary by frequency (Chinese words of
    two to four characters), with the measured words at their TARGET_RANKS."""
    import jieba

    from workflow.search.words import _CJK

    head = list(dict.fromkeys(w for w in HEAD if w not in TARGET_RANKS))
    seen = set(head) | set(TARGET_RANKS)
    tail = []
    with open(jieba.get_dict_file().name, encoding="utf-8") as dictionary:
        rows = [line.split() for line in dictionary]
    rows.sort(key=lambda row: -int(row[1]))
    for word, *_ in rows:
        if 2 <= len(word) <= 4 and len(_CJK.findall(word)) == len(word) and word not in seen:
            seen.add(word)
            tail.append(word)
            if len(tail) >= 90_000:
                break
    words = head + tail
    for word, rank in sorted(TARGET_RANKS.items(), key=lambda kv: kv[1]):
        words.insert(rank - 1, word)
    return words


class Writer:
    """Documents of Zipf-drawn words: a sentence is 8-16 words, a body 4-8 sentences."""

    def __init__(self, words: list[str], seed: int):
        self.words = words
        self.log_size = math.log(len(words))
        self.random = random.Random(seed)

    def word(self) -> str:
        # exp(U · ln V) is log-uniform on [1, V): rank r comes with a chance of ln(1 + 1/r) / ln V.
        return self.words[int(math.exp(self.random.random() * self.log_size)) - 1]

    def sentence(self, low: int = 8, high: int = 16) -> str:
        n = self.random.randint(low, high)
        words = [self.word() for _ in range(n)]
        if n > 6:
            words.insert(n // 2, "，")
        return "".join(words) + "。"

    def document(self) -> tuple[str, str, str]:
        title = self.random.choice(TITLES).format(
            a=self.word(), b=self.word(), year=self.random.randint(2017, 2026)
        )
        summary = self.sentence(6, 12)
        body = "".join(self.sentence() for _ in range(self.random.randint(4, 8)))
        return title, summary, body


def _write_documents(task: tuple[int, int]) -> list[tuple]:
    """(id, title, summary, body, search document, search document of title and summary) for
    documents start..stop-1; in a worker process, so it sets Django up itself."""
    import django

    django.setup()
    from workflow.search import document_words

    start, stop = task
    writer = Writer(vocabulary(), SEED + start)
    rows = []
    for n in range(start, stop):
        title, summary, body = writer.document()
        rows.append(
            (
                n,
                title,
                summary,
                body,
                document_words(title, summary, body, ""),
                document_words(title, summary),
            )
        )
    return rows


def generate(entries: int, pool: int) -> None:
    import multiprocessing

    from django.db import connection

    started = time.perf_counter()
    org = build_org()
    chunks = [(start, min(start + 5_000, pool)) for start in range(0, pool, 5_000)]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_doc (n integer PRIMARY KEY, title text, summary text, body text, "
            "document text, short_document text)"
        )
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as workers:
        for rows in workers.imap_unordered(_write_documents, chunks):
            with connection.cursor() as cursor:
                cursor.executemany("INSERT INTO bench_doc VALUES (%s, %s, %s, %s, %s, %s)", rows)
    written = time.perf_counter()
    print(f"documents: {pool:,} written and cut by jieba in {written - started:,.1f} s")
    insert_entries(org, entries, pool)
    inserted = time.perf_counter()
    print(f"entries: {entries:,} inserted in {inserted - written:,.1f} s")
    index_catalogue()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would leave it: statistics, visibility
        else:
            cursor.execute("ANALYZE")
    print(f"search structures, counters, VACUUM ANALYZE: {time.perf_counter() - inserted:,.1f} s")
    print(f"generator total: {time.perf_counter() - started:,.1f} s")
    print_sizes()


def build_org():
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflow.models import Category, District, Section, Unit

    district = District.objects.create(name="基准区", code="B01")
    author = get_user_model().objects.create(username="bench-author")
    units = []
    for k in range(UNITS):
        unit = Unit.objects.create(district=district, name=f"基准局{k:02d}", code=f"U{k:02d}")
        units.append((unit, Section.objects.create(unit=unit, name="办公室")))
    categories = [Category.objects.create(name=name, order=k) for k, name in enumerate(CATEGORIES)]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_unit (k integer PRIMARY KEY, unit_id bigint, section_id bigint, "
            "code text)"
        )
        cursor.executemany(
            "INSERT INTO bench_unit VALUES (%s, %s, %s, %s)",
            [(k, u.pk, s.pk, u.code) for k, (u, s) in enumerate(units)],
        )
        cursor.execute("CREATE TABLE bench_category (k integer PRIMARY KEY, category_id bigint)")
        cursor.executemany(
            "INSERT INTO bench_category VALUES (%s, %s)",
            [(k, c.pk) for k, c in enumerate(categories)],
        )
    return {"author": author.pk}


def insert_entries(org: dict, entries: int, pool: int) -> None:
    """One INSERT ... SELECT: entry i takes document i·7919 mod pool (a prime stride, so copies of
    a document are spread over units and years), a unit and a category drawn log-uniformly, and
    a moment in the ten years before 2026-12-01 that grows with i, as publication does (so the
    table's rows lie in publication order, as they do in a catalogue that grew): (1 - i/n)² of
    the ten years back, so that recent years have more entries."""
    from django.db import connection
    from django.utils import timezone

    from workflow.models import Item

    now = timezone.now()
    fixed = {
        "author_id": "%(author)s",
        "status": "'published'",
        "scope": "'section'",
        "raised_scope": "''",
        "withhold_reason": "''",
        "is_policy_document": "false" if connection.vendor == "postgresql" else "0",
        "interpretation": "''",
        "public_interpretation": "''",
        "published_hash": "'0000'",
        "created_at": "%(now)s",
        "updated_at": "%(now)s",
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        moment = (
            "timestamptz '2026-12-01 00:00+08' - power(1 - i::float8 / %(n)s, 2) "
            "* interval '3650 days'"
        )
        series = (
            f"SELECT i, random() AS r1, random() AS r2, {moment} AS moment "
            "FROM generate_series(1, %(n)s) i"
        )
        year = "extract(year from (s.moment AT TIME ZONE 'Asia/Shanghai'))::int"
        stride = "((s.i::bigint * 7919) %% %(pool)s)"
        log_pick = "least(floor(exp(s.r{n} * ln({size})))::int, {size}) - 1"
        text = "::text"
        formed = "(s.moment AT TIME ZONE 'Asia/Shanghai')::date - 3"
    else:
        moment = (
            "datetime('2026-11-30 16:00:00', '-' || "
            "cast((1 - i * 1.0 / %(n)s) * (1 - i * 1.0 / %(n)s) * 3650 * 86400 AS integer) "
            "|| ' seconds')"
        )
        series = (
            "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < %(n)s) "
            "SELECT i, abs(random() %% 1000000) / 1000000.0 AS r1, "
            f"abs(random() %% 1000000) / 1000000.0 AS r2, {moment} AS moment FROM g"
        )
        year = "cast(strftime('%%Y', s.moment, '+8 hours') AS integer)"
        stride = "((s.i * 7919) %% %(pool)s)"
        log_pick = "min(cast(exp(s.r{n} * ln({size})) AS integer), {size}) - 1"
        text = ""
        formed = "date(s.moment, '+8 hours', '-3 days')"
    columns = {
        "unit_id": "u.unit_id",
        "section_id": "u.section_id",
        "category_id": "c.category_id",
        "title": "d.title",
        "summary": "d.summary",
        "body": "d.body",
        "public_title": "d.title",
        "public_summary": "d.summary",
        "public_body": "CASE WHEN s.i %% 10 = 0 THEN '' ELSE d.body END",
        # One entry in ten is disclosed on request: listed by title and summary only.
        "attribute": "CASE WHEN s.i %% 10 = 0 THEN 'on_request' ELSE 'proactive' END",
        "search_document": "CASE WHEN s.i %% 10 = 0 THEN d.short_document ELSE d.document END",
        "index_number": f"u.code || '/' || {year}{text} || '-' || s.i{text}",
        "index_year": year,
        "index_serial": "s.i",
        "published_at": "s.moment",
        "formed_on": formed,
        **fixed,
    }
    missing = [
        f.column
        for f in Item._meta.concrete_fields
        if not f.primary_key and f.column not in columns and not f.null
    ]
    if missing:
        raise SystemExit(f"bench/catalogue.py: no value for the new columns {missing}")
    names = ", ".join(columns)
    values = ", ".join(columns.values())
    unit_pick = log_pick.format(n=1, size=UNITS)
    category_pick = log_pick.format(n=2, size=len(CATEGORIES))
    sql = (
        f"INSERT INTO {Item._meta.db_table} ({names}) "  # noqa: S608
        f"SELECT {values} FROM ({series}) s "
        f"JOIN bench_unit u ON u.k = {unit_pick} "
        f"JOIN bench_category c ON c.k = {category_pick} "
        f"JOIN bench_doc d ON d.n = {stride}"
    )
    params = {"n": entries, "pool": pool, "author": org["author"], "now": now}
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT setseed(0.42)")
        cursor.execute(sql, params)


def index_catalogue() -> None:
    """What publication keeps in step for each entry (the search index and the counts), made for
    all of them at once."""
    from workflow.search.index import catalogue_rebuild

    catalogue_rebuild()


def print_sizes() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_size_pretty(pg_relation_size(c.oid)), "
            "pg_size_pretty(coalesce(pg_relation_size(nullif(c.reltoastrelid, 0)), 0)) "
            "FROM pg_class c WHERE (c.relname LIKE 'workflow_item%%' "
            "OR c.relname LIKE 'workflow_catalogue%%' OR c.relname LIKE 'catalogue_%%') "
            "AND c.relkind IN ('r', 'i') ORDER BY pg_relation_size(c.oid) DESC LIMIT 8"
        )
        print(
            "sizes (TOAST): "
            + ", ".join(f"{name} {size} ({toast})" for name, size, toast in cursor.fetchall())
        )


# --- what is measured ----------------------------------------------------------------------


def page_list() -> list[tuple[str, str, dict, str]]:
    """(label, url, query, search words or '') of each page measured."""
    from workflow.models import Category, Unit

    words = vocabulary()
    rare = [words[rank - 1] for rank in RARE_RANKS]
    top_category = Category.objects.get(name=CATEGORIES[0]).pk
    small_category = Category.objects.get(name=CATEGORIES[9]).pk
    unit = Unit.objects.get(code="U03").pk
    catalogue = "/catalogue/"
    api = "/api/v1/catalogue/"
    pages = [
        ("list, unfiltered", catalogue, {}, ""),
        ("list, page 40", catalogue, {"page": 40}, ""),
        ("list, page 25000", catalogue, {"page": 25_000}, ""),
        ("list, one category", catalogue, {"category": small_category}, ""),
        ("list, unit and year", catalogue, {"unit": unit, "year": 2025}, ""),
    ]
    for word in ("通知", "街道", "保障", "水", "幼儿园", "殡葬", *rare, ABSENT, SCATTERED):
        pages.append((f"search {word}", catalogue, {"q": word}, word))
    pages += [
        ("search 街道 保障", catalogue, {"q": "街道 保障"}, "街道 保障"),
        ("search 幼儿园, category", catalogue, {"q": "幼儿园", "category": top_category}, "幼儿园"),
        ("search 通知, page 5", catalogue, {"q": "通知", "page": 5}, "通知"),
        ("search 通知, page 500", catalogue, {"q": "通知", "page": 500}, "通知"),
        ("API list, unfiltered", api, {}, ""),
        ("API search 通知", api, {"q": "通知"}, "通知"),
        ("API search 殡葬", api, {"q": "殡葬"}, "殡葬"),
    ]
    return pages


def exact_matches(q: str) -> int:
    """Entries a query matches, counted once without any cap (not through the page)."""
    from django.db import connection

    from workflow.search.query import Filters, Search
    from workflow.search.words import query_words

    search = Search(words=query_words(q), filters=Filters(), using="default")
    where, params = search._where("all")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET statement_timeout = 0")
        cursor.execute(f"SELECT count(*) FROM workflow_catalogueentry e WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def print_matches(pages) -> None:
    from workflow.models import Item

    total = Item.objects.filter(status=Item.Status.PUBLISHED).count()
    counted = {}
    for _label, _url, _query, q in pages:
        if q and q not in counted:
            counted[q] = exact_matches(q)
    print(f"published entries: {total:,}; entries matched by each query:")
    print("  " + ", ".join(f"{q} {n:,} ({n / total:.1%})" for q, n in counted.items()))


def _backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving us has used (user + system), from /proc."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return float("nan")
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Timeout(Exception):
    pass


def get(client, url, query) -> tuple[float, float, int]:
    """(ms, backend CPU ms, status) of one GET."""
    from django.db import OperationalError, connection

    connection.ensure_connection()
    cpu = _backend_cpu()
    started = time.perf_counter()
    try:
        response = client.get(url, query)
    except OperationalError as exc:
        # Only code that does not handle its own timeout lets it reach the client.
        connection.close()
        raise Timeout from exc
    elapsed = (time.perf_counter() - started) * 1000
    return elapsed, (_backend_cpu() - cpu) * 1000, response.status_code


def measure_all(pages, args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    if args.statement_timeout_ms and connection.vendor == "postgresql":
        from django.db.backends.signals import connection_created

        def cap(connection, **kwargs):
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(args.statement_timeout_ms)}")

        connection_created.connect(cap, weak=False)
        connection.close()
    times = {label: [] for label, *_ in pages}
    rounds = {label: [] for label, *_ in pages}
    cpu = {label: [] for label, *_ in pages}
    statuses = {label: set() for label, *_ in pages}
    failed = set()
    for label, url, query, _q in pages:
        for _ in range(2):
            try:
                get(client, url, query)
            except Timeout:
                failed.add(label)
                break
    per_round = max(1, args.repeat // args.rounds)
    for _round in range(args.rounds):
        for label, url, query, _q in pages:
            if label in failed:
                continue
            chunk = []
            for _ in range(per_round):
                try:
                    ms, db_ms, status = get(client, url, query)
                except Timeout:
                    failed.add(label)
                    break
                chunk.append(ms)
                cpu[label].append(db_ms)
                statuses[label].add(status)
            times[label] += chunk
            if chunk:
                rounds[label].append(statistics.median(chunk))
    header = (
        f"{'page':<26} {'p50 ms':>8} {'p95 ms':>8} {'rounds p50':>15} {'db CPU ms':>10} "
        f"{'queries':>8} {'status':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    for label, url, query, _q in pages:
        if label in failed:
            print(f"{label:<26} {'timeout':>8}")
            continue
        values = sorted(times[label])
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        spread = f"{min(rounds[label]):.1f}–{max(rounds[label]):.1f}"
        with CaptureQueriesContext(connection) as queries:
            client.get(url, query)
        print(
            f"{label:<26} {statistics.median(values):>8.1f} {p95:>8.1f} {spread:>15} "
            f"{_ms(statistics.median(cpu[label])):>10} {len(queries):>8} "
            f"{','.join(map(str, sorted(statuses[label]))):>7}"
        )
    print(
        f"({per_round * args.rounds} GETs of each page after 2 warm-ups, in {args.rounds} rounds; "
        "db CPU: median per GET; queries: one GET)"
    )
    if failed:
        print(f"timeout: the GET hit the {args.statement_timeout_ms} ms statement timeout")


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.1f}"


def print_first_search() -> None:
    """What the first search of a fresh process costs beyond the second: jieba's dictionary,
    unless it was loaded when the process started."""
    import subprocess

    code = (
        "import time, django; django.setup(); from workflow.search import query_words; "
        "t = time.perf_counter(); query_words('幼儿园收费标准'); a = time.perf_counter() - t; "
        "t = time.perf_counter(); query_words('街道办事处'); b = time.perf_counter() - t; "
        "print(f'{a * 1000:.1f} {b * 1000:.2f}')"
    )
    started = time.perf_counter()
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.split()
    total = time.perf_counter() - started
    print(
        f"a fresh process (django.setup, {total:.1f} s in all): first query cut {out[0]} ms, "
        f"second {out[1]} ms"
    )


if __name__ == "__main__":
    main()
