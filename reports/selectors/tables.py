"""Tables 二, 三 and 四 of a report, counted in the database: one aggregate query per table
(grouped with conditional counts), plus one query listing the answers that fit no row when there
are any. The number of queries does not grow with the data.

Counting for year Y (1 Jan .. 31 Dec), over the report's scope (a unit's requests are those it
received; the district's report counts every unit of the district):
- 二 (一): published items whose category counts as 规章 or 行政规范性文件; made = index year Y,
  repealed = `repealed_on` in Y, in force = index year <= Y and not repealed by 31 Dec Y.
  (五), (六), (八) are the report's hand-entered figures.
- 三: a request counts once it has a receipt date. New = received in Y; carried over = received
  before Y and not answered before Y; handled = answered in Y (received by 31 Dec Y), in the row of
  its outcome; carried forward = received by 31 Dec Y and not answered by then. Per column,
  new + carried over = handled total + carried forward.
- 四: cases filed in Y, by kind, with their result as of 31 Dec Y (not concluded by then =
  尚未审结).
- 六 (the information processing fee, Art. 42, 国办函〔2020〕109号): fee notices issued in Y, and
  those paid in Y with the sum paid, from the requests' fee records.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from workflow.models import ApplicantKind, Category, DisclosureRequest, FeeNotice, Item, Outcome

from .. import format as fmt
from ..models import AnnualReport, Appeal

PROACTIVE_KINDS = (Category.ReportKind.REGULATION.value, Category.ReportKind.NORMATIVE.value)


@dataclass(frozen=True)
class CheckColumn:
    key: str
    label: str
    left: int  # new + carried over
    right: int  # handled total + carried forward

    @property
    def ok(self) -> bool:
        return self.left == self.right


@dataclass(frozen=True)
class Problem:
    """A handled request that fits no row of table 三: it must not silently vanish."""

    request_id: int
    tracking_code: str
    message: str


@dataclass
class Tables:
    """The figures of tables 二, 三 and 四, keyed by the row and column keys of `format`."""

    proactive: dict[str, dict[str, int | Decimal]]
    requests: dict[str, dict[str, int]]
    appeals: dict[str, dict[str, int]]
    problems: list[Problem] = field(default_factory=list)
    frozen: bool = False
    # 六: the information processing fee of the year, from the fee records (`fees_table`).
    fees: dict = field(default_factory=lambda: {"notices": 0, "paid": 0, "amount": Decimal(0)})

    @property
    def fee_sentence(self) -> str:
        """What section 六 says of the information processing fee."""
        fees = self.fees
        if not fees["notices"] and not fees["paid"]:
            return fmt.NO_FEE_SENTENCE
        return fmt.FEE_SENTENCE.format(
            notices=fees["notices"], paid=fees["paid"], amount=plain_decimal(fees["amount"])
        )

    @property
    def check(self) -> list[CheckColumn]:
        r = self.requests
        return [
            CheckColumn(
                column.key,
                column.label,
                r[fmt.NEW][column.key] + r[fmt.CARRIED_OVER][column.key],
                r[fmt.HANDLED_TOTAL][column.key] + r[fmt.CARRIED_FORWARD][column.key],
            )
            for column in fmt.REQUEST_COLUMNS
        ]

    @property
    def check_ok(self) -> bool:
        return all(c.ok for c in self.check)

    def to_json(self) -> dict:
        proactive = {
            row: {col: str(v) if isinstance(v, Decimal) else v for col, v in cols.items()}
            for row, cols in self.proactive.items()
        }
        return {
            "format": "国办公开办函〔2021〕30号",
            "proactive": proactive,
            "requests": self.requests,
            "appeals": self.appeals,
            "fees": {**self.fees, "amount": str(self.fees["amount"])},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Tables":
        proactive = {
            row: {col: Decimal(v) if isinstance(v, str) else v for col, v in cols.items()}
            for row, cols in data["proactive"].items()
        }
        tables = cls(proactive, data["requests"], data["appeals"], frozen=True)
        if "fees" in data:  # snapshots frozen before the fee records existed have none
            tables.fees = {**data["fees"], "amount": Decimal(data["fees"]["amount"])}
        return tables


def plain_decimal(value) -> Decimal:
    """12.5000 -> 12.5, 100.0000 -> 100 (never 1E+2)."""
    value = Decimal(value)
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _scope(report: AnnualReport, unit_field: str) -> Q:
    if report.unit_id is not None:
        return Q(**{f"{unit_field}_id": report.unit_id})
    return Q(**{f"{unit_field}__district_id": report.district_id})


# --- 二 ----------------------------------------------------------------------------------------


def proactive_table(report: AnnualReport) -> dict[str, dict[str, int | Decimal]]:
    start, end = year_bounds(report.year)
    table: dict[str, dict[str, int | Decimal]] = {
        kind: {"made": 0, "repealed": 0, "in_force": 0} for kind in PROACTIVE_KINDS
    }
    rows = (
        Item.objects.filter(
            _scope(report, "unit"),
            status=Item.Status.PUBLISHED,
            category__report_kind__in=PROACTIVE_KINDS,
            index_year__lte=report.year,
        )
        .order_by()
        .values("category__report_kind")
        .annotate(
            made=Count("pk", filter=Q(index_year=report.year)),
            repealed=Count("pk", filter=Q(repealed_on__gte=start, repealed_on__lte=end)),
            in_force=Count("pk", filter=Q(repealed_on__isnull=True) | Q(repealed_on__gt=end)),
        )
    )
    for row in rows:
        table[row["category__report_kind"]] = {
            "made": row["made"],
            "repealed": row["repealed"],
            "in_force": row["in_force"],
        }
    table["licensing"] = {"decisions": report.licensing_decisions}
    table["punishment"] = {"decisions": report.punishment_decisions}
    table["coercion"] = {"decisions": report.coercion_decisions}
    table["fees"] = {"amount": plain_decimal(report.fee_amount)}
    return table


# --- 三 ----------------------------------------------------------------------------------------


def _column(applicant_kind: str, organisation_type: str) -> str:
    if applicant_kind == ApplicantKind.NATURAL_PERSON:
        return "natural_person"
    return organisation_type if organisation_type in fmt.ORGANISATION_COLUMNS else "other"


def _row(outcome: str, report_reason: str | None) -> str | None:
    if outcome == fmt.NOT_DISCLOSED:
        return report_reason if report_reason in fmt.WITHHELD_ROWS else None
    return fmt.OUTCOME_ROWS.get(outcome)


def _empty_requests() -> dict[str, dict[str, int]]:
    return {row.key: {col.key: 0 for col in fmt.REQUEST_COLUMNS} for row in fmt.REQUEST_ROWS}


def requests_table(report: AnnualReport) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    start, end = year_bounds(report.year)
    table = _empty_requests()
    # Every count below is a part of this set: received by 31 Dec, not answered before 1 Jan.
    groups = (
        DisclosureRequest.objects.filter(
            _scope(report, "receiving_unit"),
            received_on__isnull=False,
            received_on__lte=end,
        )
        .filter(Q(answered_on__isnull=True) | Q(answered_on__gte=start))
        .order_by()
        .values("applicant_kind", "organisation_type", "outcome", "legal_ground__report_reason")
        .annotate(
            new=Count("pk", filter=Q(received_on__gte=start)),
            carried_over=Count("pk", filter=Q(received_on__lt=start)),
            handled=Count("pk", filter=Q(answered_on__isnull=False, answered_on__lte=end)),
            carried_forward=Count(
                "pk", filter=Q(answered_on__isnull=True) | Q(answered_on__gt=end)
            ),
        )
    )
    unplaced = False
    for group in groups:
        column = _column(group["applicant_kind"], group["organisation_type"])
        table[fmt.NEW][column] += group["new"]
        table[fmt.CARRIED_OVER][column] += group["carried_over"]
        table[fmt.CARRIED_FORWARD][column] += group["carried_forward"]
        if group["handled"]:
            row = _row(group["outcome"], group["legal_ground__report_reason"])
            if row is None:
                unplaced = True
            else:
                table[row][column] += group["handled"]
    for column in fmt.REQUEST_COLUMNS:
        table[fmt.HANDLED_TOTAL][column.key] = sum(
            table[row][column.key] for row in fmt.RESULT_ROWS
        )
    _add_totals(table)
    return table, (_problems(report) if unplaced else [])


def _add_totals(table: dict[str, dict[str, int]]) -> None:
    for cells in table.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")


def _problems(report: AnnualReport) -> list[Problem]:
    start, end = year_bounds(report.year)
    rows = (
        DisclosureRequest.objects.filter(
            _scope(report, "receiving_unit"),
            received_on__isnull=False,
            received_on__lte=end,
            answered_on__gte=start,
            answered_on__lte=end,
        )
        .exclude(outcome__in=list(fmt.OUTCOME_ROWS))
        .exclude(outcome=fmt.NOT_DISCLOSED, legal_ground__report_reason__in=fmt.WITHHELD_ROWS)
        .order_by("answered_on", "pk")
        .values("pk", "tracking_code", "outcome", "legal_ground__article", "legal_ground__title")
    )
    problems = []
    for row in rows:
        if row["outcome"] == fmt.NOT_DISCLOSED:
            if row["legal_ground__title"]:
                message = _(
                    "Not disclosed on the ground “%(ground)s”, which has no annual report row: an "
                    "administrator must assign the ground to one of the eight reasons for not "
                    "disclosing."
                ) % {"ground": f"{row['legal_ground__article']} {row['legal_ground__title']}"}
            else:
                message = _(
                    "Not disclosed without a legal ground, so it fits none of the eight reasons "
                    "for not disclosing."
                )
        elif row["outcome"]:
            message = _("The outcome “%(outcome)s” fits no row of the table.") % {
                "outcome": outcome_label(row["outcome"])
            }
        else:
            message = _("Answered without a recorded outcome: it fits no row of the table.")
        problems.append(Problem(row["pk"], row["tracking_code"], message))
    return problems


# --- 四 ----------------------------------------------------------------------------------------


def appeals_table(report: AnnualReport) -> dict[str, dict[str, int]]:
    start, end = year_bounds(report.year)
    results = [r.key for r in fmt.APPEAL_RESULTS]
    table = {group.key: dict.fromkeys(results, 0) for group in fmt.APPEAL_GROUPS}
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=end)
    rows = (
        Appeal.objects.filter(_scope(report, "unit"), filed_on__gte=start, filed_on__lte=end)
        .order_by()
        .values("kind")
        .annotate(
            upheld=Count("pk", filter=concluded & Q(result=Appeal.Result.UPHELD)),
            corrected=Count("pk", filter=concluded & Q(result=Appeal.Result.CORRECTED)),
            other=Count("pk", filter=concluded & Q(result=Appeal.Result.OTHER)),
            total=Count("pk"),
        )
    )
    for row in rows:
        cells = table[row["kind"]]
        cells.update({key: row[key] for key in ("upheld", "corrected", "other", "total")})
        cells["pending"] = row["total"] - row["upheld"] - row["corrected"] - row["other"]
    return table


# --- 六: the information processing fee -------------------------------------------------------


def fees_table(report: AnnualReport) -> dict:
    """Fee notices issued in the year, and those paid in the year with their sum in yuan (Art.
    42, 国办函〔2020〕109号), over the report's scope: one aggregate query."""
    start, end = year_bounds(report.year)
    row = FeeNotice.objects.filter(_scope(report, "request__receiving_unit")).aggregate(
        notices=Count("pk", filter=Q(issued_on__gte=start, issued_on__lte=end)),
        paid=Count("pk", filter=Q(paid_on__gte=start, paid_on__lte=end)),
        amount=Sum("amount", filter=Q(paid_on__gte=start, paid_on__lte=end)),
    )
    return {
        "notices": row["notices"],
        "paid": row["paid"],
        "amount": row["amount"] or Decimal(0),
    }


# --- the report --------------------------------------------------------------------------------


def tables_live(report: AnnualReport) -> Tables:
    requests, problems = requests_table(report)
    return Tables(
        proactive_table(report), requests, appeals_table(report), problems, fees=fees_table(report)
    )


def tables_for(report: AnnualReport) -> Tables:
    """The frozen tables of a report in review or published, the live ones while it is edited."""
    if report.snapshot and not report.is_editable:
        return Tables.from_json(report.snapshot)
    return tables_live(report)


def outcome_label(value: str) -> str:
    try:
        return str(Outcome(value).label)
    except ValueError:
        return value
