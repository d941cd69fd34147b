"""The permission matrix (issue 9): every URL pattern of the project, for every role, anonymous
and outsiders, against own-unit and other-unit objects in each state. The expected answers are the
grid in permission_matrix.py; this module walks the URL configuration, so a new view without rows
fails here, and runs the grid in one pass over one world, listing every wrong cell at once."""

import datetime as dt
import logging
import re
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security import permission_matrix as table
from tests.security.permission_world import build_world

TODAY = dt.date(2026, 3, 10)  # a Tuesday: the annual report on 2025 is being prepared
NOW = dt.datetime(2026, 3, 10, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))

# The users behind the table's column names.
USERS = {
    "drft": "drafter",
    "coll": "colleague",
    "revw": "reviewer",
    "shd": "section_head",
    "uhd": "unit_head",
    "dapp": "district_approver",
    "supv": "supervisor",
    "offc": "officer",
    "secr": "secrecy_reviewer",
    "outs": "outsider",
    "ohd": "outsider_head",
    "staff": "staff",
    "root": "superuser",
}
# Values for the path parameters of admin patterns under the blanket rule: the rule answers
# before any object is looked up.
ADMIN_SAMPLES = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "workflow",
    "url": "no-such-page/",
}


# --- the URL configuration ----------------------------------------------------------------------


def url_patterns() -> dict[str, str]:
    """Every pattern, keyed by its namespaced name (by its route when it has no name, or when
    two patterns share a name and the name alone would hide one of them), to its route."""
    found: list[tuple[str | None, str]] = []

    def walk(resolver, prefix, namespace):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            else:
                assert isinstance(pattern, URLPattern)
                name = pattern.name and (
                    f"{namespace}:{pattern.name}" if namespace else pattern.name
                )
                found.append((name, prefix + str(pattern.pattern)))

    walk(get_resolver(), "", "")
    names = [name for name, _route in found if name]
    return {(name if name and names.count(name) == 1 else route): route for name, route in found}


def is_admin(key: str, route: str) -> bool:
    return key.startswith("admin:") or route.startswith("admin/")


def admin_sample_path(key: str, route: str) -> str:
    def sample(match):
        return ADMIN_SAMPLES[match[1]]

    if key.startswith("admin:"):
        kwargs = {}
        for name in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
            arg = name[0] or name[1]
            kwargs[arg] = ADMIN_SAMPLES[arg]
        return reverse(key, kwargs=kwargs)
    path = re.sub(r"<(?:\w+:)?(\w+)>", sample, route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", sample, path)
    return "/" + path.replace("^", "").replace("$", "")


# --- the table's keys -----------------------------------------------------------------------------


def _value(objects, base: str, suffix: str, literal: str | None):
    if suffix == "@":
        return literal
    if suffix.startswith(":"):
        return getattr(objects[base], suffix[1:])
    return objects[base + suffix].pk


def path_for(url: str, key: str, objects) -> str:
    """The path a row of the table means. Keys: "-" (no parameter), "mzj.draft" (the object and
    the parameters PARAMS derives from it), "mzj.draft|jyj.draft" (the first parameter from the
    left, the nested ones from the right: another object's child under one's own), "…@pdf" (a
    literal parameter), "?preview={mzj.review.task}" (a query string naming objects)."""
    query = ""
    if key.startswith("?"):
        query = re.sub(
            r"\{([^}:]+)(?::(\w+))?\}",
            lambda m: str(getattr(objects[m[1]], m[2] or "pk")),
            key,
        )
        key = "-"
    if url in table.SAMPLE_PATHS:
        return table.SAMPLE_PATHS[url] + query
    kwargs = {}
    if key != "-":
        key, _, literal = key.partition("@")
        parent, _, child = key.partition("|")
        # The admin's change, history and delete pages all take the object's primary key.
        admin_object = url.startswith("admin:") and url not in table.PARAMS
        params = {"object_id": ""} if admin_object else table.PARAMS[url]
        for index, (kwarg, suffix) in enumerate(params.items()):
            kwargs[kwarg] = _value(
                objects, parent if index == 0 else child or parent, suffix, literal
            )
    return reverse(url, kwargs=kwargs) + query


def verdict(response) -> str:
    """A response as the table writes it: the status code, with redirects to the login pages
    told apart from other redirects."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return table.ADMIN
        if location.startswith(reverse("login")):
            return table.LOGIN
    return str(response.status_code)


def clients(users, roles) -> dict[str, Client]:
    made = {}
    for role in roles:
        # A 500 is a cell like any other: record it rather than stop the whole run.
        client = Client(raise_request_exception=False)
        if role != "anon":
            client.force_login(users[USERS[role]])
        made[role] = client
    return made


def describe(response) -> str:
    if response.status_code == 302:
        return f" -> {response['Location']}"
    if response.status_code == 500 and response.exc_info:
        return f" ({response.exc_info[1]!r})"
    return ""


# --- POST payloads: valid, so that a missing check would show as a change ----------------------


def _item_form(o, title):
    from workflow.models import Category

    return {
        "section": o["mzj.draft"].section_id,
        "title": title,
        "summary": "越权",
        "body": "越权写入的正文",
        "category": Category.objects.values_list("pk", flat=True).first(),
        "attribute": "proactive",
        "scope": "section",
        "formed_on": TODAY.isoformat(),
    }


def _ground():
    from workflow.models import LegalGround

    return LegalGround.objects.get(code="art15-third-party").pk


REPORT = {
    "overview": "越权修改的概述",
    "problems": "",
    "other_matters": "",
    "licensing_decisions": 1,
    "punishment_decisions": 1,
    "coercion_decisions": 1,
    "fee_amount": "0",
}


APPEAL = {
    "kind": "reconsideration",
    "case_number": "区复〔2025〕99号",
    "filed_on": "2025-06-01",
    "result": "pending",
}

PAYLOADS = {
    "workflow:item_create": lambda o, key: _item_form(o, "越权新建"),
    "workflow:item_edit": lambda o, key: _item_form(o, "越权修改"),
    "workflow:attachment_upload": lambda o, key: {
        "file": SimpleUploadedFile("越权.txt", "越权附件".encode())
    },
    "workflow:task_detail": lambda o, key: (
        {"outcome": "disclosed", "answer": "越权答复", "scope": "section"}
        if key == "mzj.req"
        else {"decision": "approve", "comment": "越权批准"}
    ),
    "workflow:request_create": lambda o, key: {
        "receiving_unit": o["mzj.unit"].pk,
        "channel": "in_person",
        "submitted_on": TODAY.isoformat(),
        "applicant_kind": "natural_person",
        "applicant_name": "越权",
        "id_number": "110101199003074477",
        "phone": "13800000001",
        "description": "越权登记的申请",
        "delivery_form": "electronic",
        "delivery_method": "email",
    },
    "workflow:consultation_open": lambda o, key: {
        "kind": "third_party",
        "party": "第三方乙",
        "question": "越权征求意见",
        "sent_on": TODAY.isoformat(),
    },
    "workflow:consultation_close": lambda o, key: {
        "opinion": "agrees",
        "reply": "同意",
        "replied_on": TODAY.isoformat(),
    },
    "workflow:disclosure_notice": lambda o, key: {
        "content": "越权决定公开的内容",
        "reason": "越权理由",
        "on": TODAY.isoformat(),
    },
    "workflow:extension_request": lambda o, key: {"days": 5, "reason": "越权延期"},
    "workflow:request_reasons": lambda o, key: {"step": "request", "reason": "越权要求说明理由"},
    "workflow:request_fee": lambda o, key: {
        "step": "issue",
        "method": "per_page",
        "pieces": 1,
        "pages": 45,
    },
    "workflow:extension_decide": lambda o, key: {"decision": "approve", "comment": "越权同意"},
    "review:finding_redact": lambda o, key: {"ground": _ground()},
    "review:finding_dismiss": lambda o, key: {"note": "越权"},
    "review:passage_redact": lambda o, key: {"passage": "身份证号", "ground": _ground()},
    "review:findings_redact_kind": lambda o, key: {"kind": "mobile", "ground": _ground()},
    "review:attachment_confirm_checked": lambda o, key: {"note": "越权确认"},
    "review:attachment_replace": lambda o, key: {
        "file": SimpleUploadedFile("越权.txt", "越权替换".encode())
    },
    "review:redaction_withdraw": lambda o, key: {"reason": "越权撤回"},
    "review:countersign_unit_add": lambda o, key: {"unit": o["bmj.unit"].pk},
    "review:countersign_detail": lambda o, key: {"decision": "confirmed", "comment": "越权会签"},
    "notifications:preferences": lambda o, key: {},
    "reports:report_create": lambda o, key: {"owner": f"unit-{o['mzj.unit'].pk}", "year": 2024},
    "reports:report_edit": lambda o, key: REPORT,
    "reports:appeal_list": lambda o, key: APPEAL,
    "reports:appeal_edit": lambda o, key: APPEAL,
    "admin:workflow_position_add": lambda o, key: {
        "user": o["user.outsider"].pk,
        "role": "unit_head",
        "unit": o["mzj.unit"].pk,
    },
    "admin:auth_user_change": lambda o, key: {
        "username": "outsider",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    },
    "admin:workflow_item_change": lambda o, key: {"repealed_on": TODAY.isoformat()},
}


def database_state() -> dict:
    """What a refused request must leave as it was: every row a state-changing view writes."""
    from django.contrib.auth import get_user_model
    from guardian.models import UserObjectPermission
    from viewflow.workflow.models import Task

    from audit.models import AuditEntry
    from notifications.models import Notification, OutboxMessage, Preference
    from reports.models import AnnualReport, Appeal
    from review.models import Countersign, CountersignUnit, Redaction, Scan, ScanFinding
    from workflow.models import (
        Attachment,
        Consultation,
        DisclosureRequest,
        Extension,
        Item,
        Letter,
        Position,
    )

    watched = {
        AuditEntry: ("pk",),
        Item: ("pk", "status", "title", "repealed_on", "updated_at"),
        Attachment: ("pk",),
        Task: ("pk", "status", "owner_id"),
        Scan: ("pk",),
        ScanFinding: ("pk", "resolution"),
        Redaction: ("pk", "withdrawn_at"),
        CountersignUnit: ("pk",),
        Countersign: ("pk", "status"),
        DisclosureRequest: ("pk", "status", "updated_at"),
        Consultation: ("pk", "opinion"),
        Extension: ("pk", "status"),
        Letter: ("pk",),
        Notification: ("pk", "read_at"),
        Preference: ("pk", "mode"),
        OutboxMessage: ("pk",),
        AnnualReport: ("pk", "overview", "updated_at"),
        Appeal: ("pk", "case_number"),
        Position: ("pk",),
        UserObjectPermission: ("pk",),
        get_user_model(): ("pk", "is_staff", "is_superuser"),
    }
    return {
        model.__name__: list(model.objects.order_by("pk").values_list(*fields))
        for model, fields in watched.items()
    }


def _changes(before: dict, after: dict) -> str:
    return ", ".join(name for name in before if before[name] != after[name])


# --- the tests ------------------------------------------------------------------------------------


def _rows():
    """(method, url, key, [(role, expected answer)]) for every row of the table."""
    for method, rows_of, roles in (
        ("GET", table.GET, table.ROLES),
        ("GET", table.ADMIN_PAGES, table.ADMIN_ROLES),
    ):
        for url, rows in rows_of.items():
            for key, cells in rows.items():
                answers = cells.split()
                yield (
                    method,
                    url,
                    key,
                    list(zip(roles, answers, strict=False)),
                    len(answers) == len(roles),
                )
    for url, rows in table.POST.items():
        for key, cells in rows.items():
            pairs = [tuple(cell.split("=", 1)) for cell in cells.split()]
            yield "POST", url, key, pairs, all(len(pair) == 2 for pair in pairs)


def test_the_table_covers_every_url_pattern():
    patterns = url_patterns()
    stated = set(table.GET)
    missing = sorted(
        key for key, route in patterns.items() if not is_admin(key, route) and key not in stated
    )
    assert not missing, (
        "URL patterns without rows in tests/security/permission_matrix.py: "
        f"{missing}. Add a row to GET for each, with the answer for every role and object kind "
        "(and to POST if the view changes anything)."
    )
    named = {
        *table.GET,
        *table.ADMIN_PAGES,
        *table.POST,
        *table.POST_EXEMPT,
        *table.PARAMS,
        *table.SAMPLE_PATHS,
    }
    gone = sorted(named - set(patterns))
    assert not gone, f"The permission matrix names patterns that no longer exist: {gone}"
    unparametrised = sorted(
        url for url in table.GET if "<" in patterns[url] and url not in table.PARAMS
    )
    assert not unparametrised, f"Say in PARAMS how to fill the parameters of {unparametrised}"


def test_the_table_is_well_formed():
    problems = []
    known = {*table.ROLES, *table.ADMIN_ROLES}
    for method, url, key, cells, complete in _rows():
        where = f"{method} {url} {key!r}"
        if not complete:
            problems.append(f"{where}: one answer per column (GET) or role=answer pairs (POST)")
            continue
        problems += [f"{where}: unknown role {role}" for role, _ in cells if role not in known]
        problems += [f"{where}: unknown answer {a}" for _, a in cells if a not in table.TOKENS]
    # A POST-only address (405 to a GET) must be POSTed by the wrong people, or say why not.
    for url, rows in table.GET.items():
        post_only = any("405" in cells.split() for cells in rows.values())
        if post_only and url not in table.POST and url not in table.POST_EXEMPT:
            problems.append(f"{url} takes only POST: add it to POST, or to POST_EXEMPT with why")
    assert not problems, "\n".join(problems)


def _fast_renderers(monkeypatch):
    """Word, Excel and PDF files take a second each to build and are tested beside their
    features; here only who gets them matters, and the access checks run before rendering."""
    for target in ("reports.views.docx_bytes", "reports.views.xlsx_bytes"):
        monkeypatch.setattr(target, lambda report, tables: b"file")
    for target in ("workflow.views.requests.letter_docx", "workflow.views.requests.letter_pdf"):
        monkeypatch.setattr(target, lambda letter: b"file")
    monkeypatch.setattr("supervision.views.workbook_bytes", lambda **parts: b"file")


def _check(wrong, method, path, url, key, role, want, response):
    got = verdict(response)
    if got != want:
        wrong.append(
            f"{method} {path} [{url} {key}] as {role}: expected {want}, got {got}"
            + describe(response)
        )


@pytest.mark.django_db
def test_every_cell_of_the_matrix(org, settings, monkeypatch, caplog):
    _fast_renderers(monkeypatch)
    # Thousands of expected refusals would each log a warning; a 500 still logs its error.
    caplog.set_level(logging.ERROR, logger="django.request")
    # The test client copies every template context for response.context, which no cell reads.
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **kw: None)
    # Sessions in signed cookies spare a query on each of the thousands of requests; where a
    # session is stored is not what this tests.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    # Thousands of calls from one address in a minute: throttling is not what this tests.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            scope: "1000000/minute" for scope in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
        },
    }
    with time_machine.travel(NOW, tick=True):
        world = build_world(org, today=TODAY)
        objects = world.objects
        client_for = clients(world.users, {*table.ROLES, *table.ADMIN_ROLES})
        wrong: list[str] = []
        counted = {"GET": 0, "POST": 0}
        state = None
        before_gets = database_state()

        for method, url, key, cells, _complete in _rows():
            path = path_for(url, key, objects)
            for role, want in cells:
                counted[method] += 1
                client = client_for[role]
                if method == "GET":
                    _check(wrong, method, path, url, key, role, want, client.get(path))
                    continue
                if state is None:
                    # A GET must be safe: the thousands above may not have written anything.
                    state = database_state()
                    if changed := _changes(before_gets, state):
                        wrong.append(f"GET requests changed: {changed}")
                payload = PAYLOADS.get(url, lambda o, k: {})(objects, key)
                before = state
                response = client.post(path, payload)
                _check(wrong, method, path, url, key, role, want, response)
                state = database_state()
                if changed := _changes(before, state):
                    wrong.append(f"POST {path} [{url} {key}] as {role} changed: {changed}")

        # The admin's blanket rule, over every admin pattern the configuration has today.
        for key, route in url_patterns().items():
            if not is_admin(key, route) or key in table.ADMIN_PAGES:
                continue
            path = admin_sample_path(key, route)
            for role, want in table.ADMIN_RULE.items():
                counted["GET"] += 1
                _check(wrong, "GET", path, key, "-", role, want, client_for[role].get(path))

    print(f"permission matrix: {counted['GET']} GET and {counted['POST']} POST cells")
    assert not wrong, f"{len(wrong)} cells of the permission matrix are wrong:\n" + "\n".join(wrong)
