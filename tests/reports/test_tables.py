"""Tables 二, 三 and 四 are counted from the data. Table 三 is checked on a generated data set
against counts the test makes itself from what it generated."""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

import pytest

from reports import format as fmt
from reports.selectors import tables_live
from reports.services import appeal_record, report_update
from workflow.models import Category, Item, LegalGround, Outcome

from .conftest import YEAR, D

pytestmark = pytest.mark.django_db

ORG_TYPES = ["commercial", "research", "public_interest", "legal_services", "other"]


def _day(rng, year):
    return D(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


@pytest.fixture
def inquiry_ground(db):
    return LegalGround.objects.create(
        code="local-inquiry",
        article="《不动产登记暂行条例》第二十七条",
        title="不动产登记资料查询",
        report_reason="inquiry",
    )


@pytest.fixture
def generated(org, make_request, inquiry_ground):
    """Sixty requests with random applicants, outcomes, receipt and answer dates over Y-1..Y+1
    (some never received, some answered after Y, some still open), at two units."""
    rng = random.Random(20250101)
    grounds = list(LegalGround.objects.exclude(report_reason=""))
    made = []
    for _ in range(60):
        unit = org.civil if rng.random() < 0.75 else org.edu
        received = _day(rng, rng.choice([YEAR - 1, YEAR, YEAR + 1]))
        if rng.random() < 0.08:
            received = None  # submitted online, receipt never confirmed: not counted
        answered = None
        if received and rng.random() < 0.7:
            answered = received + dt.timedelta(days=rng.randrange(0, 75))
        outcome = rng.choice(Outcome.values) if answered else ""
        ground = rng.choice(grounds) if outcome == "not_disclosed" else None
        natural = rng.random() < 0.5
        made.append(
            make_request(
                unit=unit,
                received_on=received,
                answered_on=answered,
                outcome=outcome,
                applicant_kind="natural_person" if natural else "legal_person",
                organisation_type="" if natural else rng.choice(ORG_TYPES),
                legal_ground=ground,
            )
        )
    return made


def _column(r):
    return "natural_person" if r.applicant_kind == "natural_person" else r.organisation_type


def _expected(requests, year):
    """The counts by the definitions, from the generated objects themselves."""
    start, end = D(year, 1, 1), D(year, 12, 31)
    counts = Counter()
    for r in requests:
        if r.received_on is None:
            continue
        col = _column(r)
        if start <= r.received_on <= end:
            counts["new", col] += 1
        if r.received_on < start and (r.answered_on is None or r.answered_on >= start):
            counts["carried_over", col] += 1
        if r.received_on <= end and (r.answered_on is None or r.answered_on > end):
            counts["carried_forward", col] += 1
        if r.answered_on and start <= r.answered_on <= end:
            counts["handled", col] += 1
            counts["outcome", r.outcome, col] += 1
            if r.outcome == "not_disclosed":
                counts["reason", r.legal_ground.report_reason, col] += 1
    return counts


def _total(counts, *key):
    return sum(counts[(*key, col)] for col in ["natural_person", *ORG_TYPES])


def test_the_check_holds_in_every_column_and_cells_match_independent_counts(
    org, generated, unit_report, district_report
):
    for report, requests in [
        (unit_report, [r for r in generated if r.receiving_unit_id == org.civil.pk]),
        (district_report, generated),
    ]:
        # when the tables are counted
        tables = tables_live(report)
        t = tables.requests
        # then new + carried over = handled + carried forward in every column, nothing unplaced
        assert tables.problems == []
        assert [(c.key, c.ok) for c in tables.check] == [(c.key, True) for c in fmt.REQUEST_COLUMNS]
        # and the cells agree with the counts the test made from the generated data
        e = _expected(requests, YEAR)
        assert sum(e.values()) > 0
        for col in ["natural_person", *ORG_TYPES]:
            assert t["new"][col] == e["new", col], col
            assert t["carried_over"][col] == e["carried_over", col], col
            assert t["carried_forward"][col] == e["carried_forward", col], col
            assert t["handled_total"][col] == e["handled", col], col
        assert t["new"]["total"] == _total(e, "new")
        assert t["disclosed"]["total"] == _total(e, "outcome", "disclosed") + _total(
            e, "outcome", "already_public"
        )
        assert t["not_held"]["natural_person"] == (
            e["outcome", "not_held", "natural_person"]
            + e["outcome", "not_competent", "natural_person"]
        )
        assert t["third_party"]["total"] == _total(e, "reason", "third_party")
        assert t["inquiry"]["total"] == _total(e, "reason", "inquiry") + _total(
            e, "outcome", "special_statute"
        )
        assert t["reconfirm"]["total"] == _total(e, "outcome", "reconfirm")
        assert t["fee_unpaid"]["total"] == _total(e, "outcome", "fee_unpaid")
        assert t["other_handling"]["total"] == _total(e, "outcome", "other")
        assert t["abandoned"]["total"] == _total(e, "outcome", "abandoned")


def test_the_unit_counts_its_own_requests_and_the_district_all(
    org, make_request, unit_report, district_report
):
    # given one request at each of two units of the district
    make_request(unit=org.civil, received_on=D(YEAR, 5, 1))
    make_request(
        unit=org.edu,
        received_on=D(YEAR, 5, 1),
        applicant_kind="legal_person",
        organisation_type="research",
    )
    # then the unit's report counts its own, the district's both
    assert tables_live(unit_report).requests["new"] == {
        **dict.fromkeys([c.key for c in fmt.REQUEST_COLUMNS], 0),
        "natural_person": 1,
        "total": 1,
    }
    district = tables_live(district_report).requests["new"]
    assert (district["natural_person"], district["research"], district["total"]) == (1, 1, 2)


def test_a_request_counts_once_received(org, make_request, unit_report):
    make_request(received_on=None)
    tables = tables_live(unit_report)
    assert tables.requests["new"]["total"] == 0
    assert tables.requests["carried_forward"]["total"] == 0


def test_an_answer_that_fits_no_row_is_listed_and_fails_the_check(org, make_request, unit_report):
    # given a ground that no one has assigned to a row of 不予公开
    ground = LegalGround.objects.create(code="local-x", article="某地方规定", title="某类事项")
    bad = make_request(
        received_on=D(YEAR, 3, 1),
        answered_on=D(YEAR, 3, 20),
        outcome="not_disclosed",
        legal_ground=ground,
    )
    fine = make_request(received_on=D(YEAR, 3, 1), answered_on=D(YEAR, 3, 20), outcome="disclosed")
    # when the tables are counted
    tables = tables_live(unit_report)
    # then the answer is listed as a problem, not silently lost
    assert [(p.request_id, p.tracking_code) for p in tables.problems] == [
        (bad.pk, bad.tracking_code)
    ]
    assert "某类事项" in tables.problems[0].message
    assert fine.pk not in [p.request_id for p in tables.problems]
    failing = {c.key for c in tables.check if not c.ok}
    assert failing == {"natural_person", "total"}
    # and once the ground has its row, the answer is counted there and the check passes
    LegalGround.objects.filter(pk=ground.pk).update(report_reason="internal")
    tables = tables_live(unit_report)
    assert tables.problems == [] and tables.check_ok
    assert tables.requests["internal"]["natural_person"] == 1


def _item(org, *, kind, index_year, repealed_on=None, status="published"):
    category, _ = Category.objects.get_or_create(
        name={"regulation": "规章", "normative": "规范性文件", "": "其他"}[kind],
        defaults={"report_kind": kind},
    )
    serial = Item.objects.count() + 1
    return Item.objects.create(
        unit=org.civil,
        section=org.relief,
        author=org.users.drafter,
        title=f"文件{serial}",
        body="正文",
        category=category,
        status=status,
        index_number=f"MZJ/{index_year}-{serial:05d}" if status == "published" else None,
        index_year=index_year if status == "published" else None,
        index_serial=serial if status == "published" else None,
        repealed_on=repealed_on,
    )


def test_table_two_is_counted_from_published_items(org, unit_report):
    # given normative documents and regulations of several years, some repealed
    _item(org, kind="normative", index_year=YEAR)  # made, in force
    _item(org, kind="normative", index_year=YEAR, repealed_on=D(YEAR, 11, 1))  # made, repealed
    _item(org, kind="normative", index_year=YEAR - 2)  # in force
    _item(org, kind="normative", index_year=YEAR - 3, repealed_on=D(YEAR - 1, 6, 1))  # gone before
    _item(
        org, kind="normative", index_year=YEAR - 1, repealed_on=D(YEAR + 1, 2, 1)
    )  # in force on 31 Dec
    _item(org, kind="normative", index_year=YEAR + 1)  # next year's
    _item(org, kind="normative", index_year=YEAR, status="in_approval")  # not published
    _item(org, kind="regulation", index_year=YEAR)
    _item(org, kind="", index_year=YEAR)  # not counted in table 二
    # when counted
    proactive = tables_live(unit_report).proactive
    # then
    assert proactive["normative"] == {"made": 2, "repealed": 1, "in_force": 3}
    assert proactive["regulation"] == {"made": 1, "repealed": 0, "in_force": 1}


def test_the_hand_entered_figures_round_trip(org, unit_report):
    # when the preparer enters the figures from the other systems
    report_update(
        report=unit_report,
        user=org.users.drafter,
        licensing_decisions=1234,
        punishment_decisions=56,
        coercion_decisions=7,
        fee_amount=Decimal("12.3450"),
    )
    unit_report.refresh_from_db()
    # then they are stored and come back in table 二
    proactive = tables_live(unit_report).proactive
    assert proactive["licensing"] == {"decisions": 1234}
    assert proactive["punishment"] == {"decisions": 56}
    assert proactive["coercion"] == {"decisions": 7}
    assert proactive["fees"] == {"amount": Decimal("12.345")}


def test_the_hand_entered_figures_are_not_negative(org, unit_report):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        report_update(report=unit_report, user=org.users.drafter, fee_amount=Decimal("-1"))
    assert "fee_amount" in exc.value.error_dict
    unit_report.refresh_from_db()
    assert unit_report.fee_amount == 0


def test_table_four_counts_cases_filed_in_the_year_with_their_result_at_its_end(org, unit_report):
    u = org.users.drafter

    def case(number, kind, filed, concluded=None, result="pending", unit=org.civil):
        appeal_record(
            user=u if unit == org.civil else org.users.outsider,
            unit=unit,
            kind=kind,
            case_number=number,
            filed_on=filed,
            concluded_on=concluded,
            result=result,
        )

    case("复1", "reconsideration", D(YEAR, 2, 1), D(YEAR, 4, 1), "upheld")
    case("复2", "reconsideration", D(YEAR, 3, 1), D(YEAR, 5, 1), "corrected")
    case(
        "复3", "reconsideration", D(YEAR, 11, 1), D(YEAR + 1, 1, 15), "upheld"
    )  # pending on 31 Dec
    case("复4", "reconsideration", D(YEAR - 1, 11, 1), D(YEAR, 1, 15), "upheld")  # last year's
    case("诉1", "litigation_direct", D(YEAR, 6, 1))
    case("诉2", "litigation_direct", D(YEAR, 6, 2), D(YEAR, 9, 1), "other")
    case("诉3", "litigation_after_reconsideration", D(YEAR, 7, 1), D(YEAR, 12, 31), "corrected")
    case("诉4", "litigation_direct", D(YEAR, 7, 1), unit=org.edu)  # another unit
    # when counted
    appeals = tables_live(unit_report).appeals
    # then
    assert appeals == {
        "reconsideration": {"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3},
        "litigation_direct": {"upheld": 0, "corrected": 0, "other": 1, "pending": 1, "total": 2},
        "litigation_after_reconsideration": {
            "upheld": 0,
            "corrected": 1,
            "other": 0,
            "pending": 0,
            "total": 1,
        },
    }
