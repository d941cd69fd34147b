"""Document numbers (文号) on a real PostgreSQL: two transactions issuing letters at once get
consecutive numbers, and a rolled-back one leaves no gap."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from workflow.models import DisclosureRequest, Letter
from workflow.services.letters import letter_issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ON = date(2026, 10, 20)


@pytest.fixture
def templates(db):
    """Transactional tests start from empty tables: the model texts migration 0021 seeds."""
    import importlib

    from workflow.models import LetterTemplate

    seeded = importlib.import_module("workflow.migrations.0021_letters").TEMPLATES
    for kind, (title, body) in seeded.items():
        LetterTemplate.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


@pytest.fixture
def request_of(org, templates):
    def make(n):
        return DisclosureRequest.objects.create(
            tracking_code=f"MZJ-2026-{n:04d}",
            receiving_unit=org.civil,
            channel="in_person",
            submitted_on=date(2026, 9, 30),
            received_on=date(2026, 9, 30),
            applicant_kind="natural_person",
            applicant_name=f"申请人{n}",
            id_number=f"11010119900307{n:04d}",
            phone="13800000000",
            description="2026年第三季度城乡低保资金发放明细",
        )

    return make


def _issue(request, user, *, hold: threading.Event | None = None, fail=False, numbered=None):
    """Issue a letter in a transaction of its own; with `hold`, keep the transaction (and the
    sequence row's lock) open until it is set; with `fail`, roll back after numbering."""
    try:
        with transaction.atomic():
            letter = letter_issue(
                request=request, kind="disclosed", user=user, on=ON, answer="提供"
            )
            if numbered is not None:
                numbered.set()
            if hold is not None:
                hold.wait(timeout=30)
            if fail:
                raise RuntimeError("the delivery failed after numbering")
            return letter.number
    finally:
        connection.close()


def _other_waits(run_first, run_second):
    """Start the first issuer, wait until it holds its number, then start the second: it must
    wait on the sequence row until the first commits or rolls back."""
    results = {}
    numbered, release = threading.Event(), threading.Event()

    def first():
        try:
            results["first"] = run_first(hold=release, numbered=numbered)
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results["first"] = exc

    def second():
        try:
            results["second"] = run_second()
        except Exception as exc:  # noqa: BLE001
            results["second"] = exc

    a = threading.Thread(target=first)
    a.start()
    assert numbered.wait(timeout=30)
    b = threading.Thread(target=second)
    b.start()
    b.join(timeout=1)
    waited = b.is_alive()  # still blocked on the row lock while the first is open
    release.set()
    a.join(timeout=30)
    b.join(timeout=30)
    return results, waited


def test_two_issuers_at_once_get_consecutive_numbers(org, request_of):
    one, two = request_of(1), request_of(2)
    results, waited = _other_waits(
        lambda **kw: _issue(one, org.users.officer, **kw),
        lambda: _issue(two, org.users.officer),
    )
    assert waited, "the second issuer did not wait for the first one's transaction"
    assert results == {"first": "测民公开〔2026〕1号", "second": "测民公开〔2026〕2号"}
    assert sorted(Letter.objects.values_list("number_serial", flat=True)) == [1, 2]


def test_a_rolled_back_issuer_leaves_no_gap(org, request_of):
    one, two = request_of(1), request_of(2)
    results, waited = _other_waits(
        lambda **kw: _issue(one, org.users.officer, fail=True, **kw),
        lambda: _issue(two, org.users.officer),
    )
    assert waited
    assert isinstance(results["first"], RuntimeError)
    # The second waited, then took the number the first gave back.
    assert results["second"] == "测民公开〔2026〕1号"
    assert _issue(one, org.users.officer) == "测民公开〔2026〕2号"
    assert list(Letter.objects.order_by("number_serial").values_list("number", flat=True)) == [
        "测民公开〔2026〕1号",
        "测民公开〔2026〕2号",
    ]


def test_many_issuers_at_once_number_without_gap_or_duplicate(org, request_of):
    requests = [request_of(n) for n in range(1, 7)]
    barrier = threading.Barrier(len(requests))
    results = []

    def run(request):
        try:
            barrier.wait()
            results.append(_issue(request, org.users.officer))
        except Exception as exc:  # noqa: BLE001
            results.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Letter.objects.values_list("number_serial", flat=True)) == list(range(1, 7))
