"""The information processing fee (信息处理费): Regulation Art. 42 and 《政府信息公开信息处理费管理办法》
(国办函〔2020〕109号, “the 办法” below).

Art. 42: 行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过
合理范围的，行政机关可以收取信息处理费。 Charging is the office's choice ("可以"); the 办法 fixes how.

- 第三条: the fee is charged 按件计收 or 按量计收, both "超额累进" (each unit at the rate of its
  band); the office picks one method for a request and never charges by both (one FeeNotice per
  request).
- 第四条 按件计收, for every kind of decision: counted over the same applicant's requests in one
  natural month: 1-10 free, 11-30 at 100 yuan a request, from the 31st every 10 requests one band
  higher at 100 yuan a request more. A request with several matters may be split "一事一申请" into
  its smallest reasonable units (`pieces`).
- 第五条 按量计收, when the applicant asks for paper copies, e-mail or copied electronic data: the
  pages of the request: 1-30 free, 31-100 at 10 yuan, 101-200 at 20 yuan, from the 201st at 40.
- The 收费通知 is issued within the time limit for the answer and states the basis, the scale,
  the amount and how to pay; the applicant pays within 20 working days counted from the day after
  receiving it, or is treated as having abandoned the request (逾期未缴纳的视为放弃申请), and the
  office no longer handles it. The time from the notice until payment is not counted in the time
  limit for the answer: the clock skips the days in (notice, payment], the same convention as a
  consultation's pause (services.request_clock.request_pauses), so it runs again the day after
  payment.

The scale is the setting INFORMATION_FEE_SCALE (default: the 办法's). The count of a month is
the applicant's requests (same ID or credit code) received by the agency in the natural month of
this request's receipt date, up to and including this one: the 办法 counts "同一申请人一个自然月内
累计申请", and an agency knows only the requests made to it.

The steps: `fee_notice_issue` (the letter, the pause, the applicant told by e-mail through the
audit row `request.fee.issued`), `fee_payment_record` (the clock runs again after the payment
date), and the sweep's `fee_lapse` after the last day: the pause ends on that day, the handler is
told, and the answer 逾期未缴费 (Outcome.FEE_UNPAID, services.outcomes) becomes possible; it goes
to the applicant through the review and approval every answer takes. Not built: a reduction or
waiver after the notice (charging is discretionary under Art. 42, so an office that would waive
simply issues no notice).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..exceptions import WorkflowError
from ..models import DisclosureRequest, FeeNotice
from ..workdays import WorkCalendar
from .consultations import open_request_locked
from .dates import date_refusal, request_date_floor
from .letters import letter_issue
from .request_clock import iso, request_clock_update

# "申请人应当在收到收费通知次日起20个工作日内缴纳费用": fixed by the 办法, not a setting.
FEE_PAYMENT_WORKDAYS = 20


@dataclass(frozen=True)
class Band:
    """Units `first`..`last` charged at `rate` yuan each."""

    first: int
    last: int
    rate: Decimal

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> Decimal:
        return self.rate * self.units


@dataclass(frozen=True)
class FeeQuote:
    """What a request costs: the charged bands (free units left out) and their sum."""

    method: str
    first: int  # the first unit of this request (a month's count or page 1)
    last: int
    bands: tuple[Band, ...] = field(default=())

    @property
    def amount(self) -> Decimal:
        return sum((band.subtotal for band in self.bands), Decimal(0))


def _rate_per_request(n: int, scale: dict) -> Decimal:
    """The rate of the n-th request of the month (第四条)."""
    for limit, rate in scale["bands"]:
        if n <= limit:
            return Decimal(rate)
    last_limit, last_rate = scale["bands"][-1]
    steps = -(-(n - last_limit) // scale["then_every"])  # ceil: 31..40 -> 1, 41..50 -> 2
    return Decimal(last_rate) + Decimal(scale["then_increase"]) * steps


def _rate_per_page(n: int, scale: dict) -> Decimal:
    """The rate of the n-th page (第五条)."""
    for limit, rate in scale["bands"]:
        if n <= limit:
            return Decimal(rate)
    return Decimal(scale["then_rate"])


def _bands(first: int, last: int, rate_of) -> tuple[Band, ...]:
    """Units first..last grouped into runs of one rate, the free ones left out. A run is at most
    as long as a band of the scale, so this loops over units (a month has tens of requests, a
    request hundreds of pages)."""
    bands: list[Band] = []
    for n in range(first, last + 1):
        rate = rate_of(n)
        if rate == 0:
            continue
        if bands and bands[-1].rate == rate and bands[-1].last == n - 1:
            bands[-1] = Band(bands[-1].first, n, rate)
        else:
            bands.append(Band(n, n, rate))
    return tuple(bands)


def fee_compute(
    *,
    method: str,
    month_count: int | None = None,
    pieces: int = 1,
    pages: int | None = None,
    scale: dict | None = None,
) -> FeeQuote:
    """The fee of one request, pure (no database).

    按件计收 (第四条): `month_count` is the place of this request's last piece among the
    applicant's requests of the month; its `pieces` are charged at the rates of their places
    (month_count - pieces + 1 .. month_count). 按量计收 (第五条): the `pages` of the request."""
    scale = scale or settings.INFORMATION_FEE_SCALE
    if method == FeeNotice.Method.PER_REQUEST:
        if not month_count or pieces < 1 or pieces > month_count:
            raise ValueError("month_count must count this request's pieces")
        first = month_count - pieces + 1
        per_request = scale["per_request"]
        return FeeQuote(
            method,
            first,
            month_count,
            _bands(first, month_count, lambda n: _rate_per_request(n, per_request)),
        )
    if method == FeeNotice.Method.PER_PAGE:
        if not pages or pages < 1:
            raise ValueError("pages must be positive")
        per_page = scale["per_page"]
        return FeeQuote(method, 1, pages, _bands(1, pages, lambda n: _rate_per_page(n, per_page)))
    raise ValueError(f"unknown method {method!r}")


def _yuan(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}".removesuffix(".00")


def fee_basis(quote: FeeQuote, *, request: DisclosureRequest) -> str:
    """The basis as the notice states it (计费依据): the method, the article, the count and each
    charged band. Chinese: it is part of the letter, whose model texts are Chinese."""
    parts = []
    if quote.method == FeeNotice.Method.PER_REQUEST:
        month = request.received_on
        place = (
            f"第{quote.last}件"
            if quote.first == quote.last
            else f"第{quote.first}件至第{quote.last}件"
        )
        parts.append(
            "按件计收（《政府信息公开信息处理费管理办法》第四条）：本申请为您"
            f"{month.year}年{month.month}月向本机关累计提出的{place}政府信息公开申请"
            "（同一申请人一个自然月内累计申请10件以下（含10件）的不收费）"
        )
        parts += [
            f"第{b.first}—{b.last}件{_yuan(b.rate)}元/件×{b.units}件={_yuan(b.subtotal)}元"
            for b in quote.bands
        ]
    else:
        parts.append(
            "按量计收（《政府信息公开信息处理费管理办法》第五条）：本申请提供的政府信息共"
            f"{quote.last}页（30页以下（含30页）的不收费）"
        )
        parts += [
            f"第{b.first}—{b.last}页{_yuan(b.rate)}元/页×{b.units}页={_yuan(b.subtotal)}元"
            for b in quote.bands
        ]
    parts.append(f"合计{_yuan(quote.amount)}元")
    return "；".join(parts)


def applicant_month_count(request: DisclosureRequest) -> int:
    """This request's place among the same applicant's requests to the same agency in the natural
    month of its receipt date (the request itself included): 第四条's count. Earlier requests
    count one each; ties on the date go by registration order."""
    received = request.received_on
    month_start = received.replace(day=1)
    earlier = (
        DisclosureRequest.objects.filter(
            receiving_unit_id=request.receiving_unit_id,
            id_number=request.id_number,
            received_on__gte=month_start,
            received_on__lte=received,
        )
        .exclude(pk=request.pk)
        .exclude(received_on=received, pk__gt=request.pk)
        .count()
    )
    return earlier + 1


def fee_quote(
    request: DisclosureRequest, *, method: str, pieces: int = 1, pages: int | None = None
) -> FeeQuote:
    """The fee `request` would cost by `method`: for 按件计收 with its place in the month (its
    pieces after the earlier requests)."""
    if method == FeeNotice.Method.PER_REQUEST:
        month_count = applicant_month_count(request) - 1 + pieces
        return fee_compute(method=method, month_count=month_count, pieces=pieces)
    return fee_compute(method=method, pages=pages)


def fee_pay_by(
    *, issued_on: dt.date, received_on: dt.date | None, calendar: WorkCalendar | None = None
) -> dt.date:
    """The last day to pay: 20 working days counted from the day after the applicant received
    the notice. While that day is not known (a notice in the post) the sending date plus the
    delivery allowance (CONSULTATION_DELIVERY_ALLOWANCE_DAYS) stands for it, which can only give
    the applicant more time, never less."""
    calendar = calendar or WorkCalendar.load()
    if received_on is not None:
        return calendar.count_forward(received_on, FEE_PAYMENT_WORKDAYS).due
    days = FEE_PAYMENT_WORKDAYS + settings.CONSULTATION_DELIVERY_ALLOWANCE_DAYS
    return calendar.count_forward(issued_on, days).due


def fee_notice_of(request: DisclosureRequest) -> FeeNotice | None:
    return FeeNotice.objects.filter(request_id=request.pk).first()


@transaction.atomic
def fee_notice_issue(
    *,
    request_id: int,
    user,
    method: str,
    pieces: int = 1,
    pages: int | None = None,
    payment: str = "",
    received_on: dt.date | None = None,
    today: dt.date | None = None,
) -> FeeNotice:
    """Issue the 收费通知 (Art. 42, 国办函〔2020〕109号), dated today: the amount from the scale,
    its basis, how to pay and the last day. The clock pauses from today until payment; the
    applicant is told by e-mail as well (the audit row `request.fee.issued`). `received_on`: the
    day the applicant received the notice when it is handed over or e-mailed today; empty for a
    notice in the post. Once per request, and only while the time limit runs."""
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    existing = fee_notice_of(request)
    if existing is not None:
        raise WorkflowError(
            _(
                "A fee notice was already issued for this request on %(date)s: a request is "
                "charged once, by one method (国办函〔2020〕109号 Art. 3)."
            )
            % {"date": existing.issued_on.isoformat()}
        )
    if request.due_on is not None and today > request.due_on:
        raise WorkflowError(
            _(
                "The due date %(date)s has passed: a fee notice is issued within the time limit "
                "for the answer (国办函〔2020〕109号)."
            )
            % {"date": request.due_on.isoformat()}
        )
    errors = {}
    method = FeeNotice.Method(method)
    if method == FeeNotice.Method.PER_PAGE and not pages:
        errors["pages"] = _("Give the number of pages provided (按量计收).")
    if method == FeeNotice.Method.PER_REQUEST and pieces < 1:
        errors["pieces"] = _("A request counts as one request at least.")
    if received_on is not None:
        refusal = date_refusal(
            received_on, floor=request_date_floor(request.receiving_unit), today=today
        )
        if refusal:
            errors["received_on"] = refusal
    if errors:
        raise ValidationError(errors)
    quote = fee_quote(request, method=method, pieces=pieces, pages=pages)
    if quote.amount == 0:
        if method == FeeNotice.Method.PER_REQUEST:
            message = _(
                "No fee is due: this is the applicant's request no. %(count)d this month, and up "
                "to 10 requests a month are free (国办函〔2020〕109号 Art. 4)."
            ) % {"count": quote.last}
        else:
            message = _(
                "No fee is due: %(pages)d pages, and up to 30 pages are free (国办函〔2020〕109号 "
                "Art. 5)."
            ) % {"pages": quote.last}
        raise WorkflowError(message)
    payment = payment.strip() or settings.INFORMATION_FEE_PAYMENT
    pay_by = fee_pay_by(issued_on=today, received_on=received_on)
    basis = fee_basis(quote, request=request)
    letter = letter_issue(
        request=request,
        kind="fee_notice",
        user=user,
        on=today,
        fee_amount=quote.amount,
        fee_basis=basis,
        fee_payment=payment,
        fee_due_on=pay_by,
    )
    fee = FeeNotice.objects.create(
        request=request,
        method=method,
        month_count=quote.last if method == FeeNotice.Method.PER_REQUEST else None,
        pieces=pieces if method == FeeNotice.Method.PER_REQUEST else 1,
        pages=pages if method == FeeNotice.Method.PER_PAGE else None,
        amount=quote.amount,
        basis=basis,
        payment=payment,
        issued_on=today,
        received_on=received_on,
        pay_by=pay_by,
        letter=letter,
        created_by=user,
    )
    audit_log(
        actor=user,
        action="request.fee.issued",
        subject=request,
        new_state=_yuan(quote.amount),
        comment=basis,
        data={
            "fee_notice": fee.pk,
            "letter": letter.pk,
            "method": method.value,
            "amount": _yuan(quote.amount),
            "pay_by": iso(pay_by),
            "payment": payment,
            "received_on": iso(received_on),
        },
    )
    request_clock_update(
        request=request,
        actor=user,
        event="fee_paused",
        comment=_("Fee notice issued"),
        data={"fee_notice": fee.pk, "issued_on": iso(today), "pay_by": iso(pay_by)},
    )
    return fee


@transaction.atomic
def fee_payment_record(
    *,
    request_id: int,
    user,
    paid_on: dt.date,
    reference: str = "",
    today: dt.date | None = None,
) -> FeeNotice:
    """The applicant paid on `paid_on`: the clock runs again from the next day. A payment after
    the last day comes too late: the request counts as abandoned (视为放弃申请)."""
    today = today or timezone.localdate()
    request = open_request_locked(request_id, user)
    fee = FeeNotice.objects.select_for_update().filter(request_id=request.pk).first()
    if fee is None:
        raise WorkflowError(_("No fee notice was issued for this request."))
    if fee.paid_on is not None:
        raise WorkflowError(
            _("The fee was already paid on %(date)s.") % {"date": fee.paid_on.isoformat()}
        )
    if fee.lapsed_on is not None or paid_on > fee.pay_by:
        raise WorkflowError(
            _(
                "The fee was to be paid by %(date)s. Not paid in time, the request is treated as "
                "abandoned (国办函〔2020〕109号): answer it as “fee not paid”."
            )
            % {"date": fee.pay_by.isoformat()}
        )
    refusal = date_refusal(paid_on, floor=request_date_floor(request.receiving_unit), today=today)
    if not refusal and paid_on < fee.issued_on:
        refusal = _("The fee cannot have been paid before the notice was issued.")
    if refusal:
        raise ValidationError({"paid_on": refusal})
    fee.paid_on = paid_on
    fee.payment_reference = reference.strip()
    fee.save(update_fields=["paid_on", "payment_reference"])
    audit_log(
        actor=user,
        action="request.fee.paid",
        subject=request,
        new_state=iso(paid_on),
        comment=fee.payment_reference,
        data={
            "fee_notice": fee.pk,
            "amount": _yuan(fee.amount),
            "paid_on": iso(paid_on),
            "pay_by": iso(fee.pay_by),
            "reference": fee.payment_reference,
        },
    )
    request_clock_update(
        request=request,
        actor=user,
        event="resumed",
        comment=_("Fee paid"),
        data={"fee_notice": fee.pk, "paid_on": iso(paid_on)},
    )
    return fee


def fees_lapsing(*, today: dt.date) -> list[int]:
    """Unpaid fee notices of open requests whose last day is over (one indexed read)."""
    return list(
        FeeNotice.objects.filter(
            paid_on__isnull=True,
            lapsed_on__isnull=True,
            pay_by__lt=today,
            request__status__in=DisclosureRequest.OPEN_STATUSES,
        )
        .order_by("pay_by", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def fee_lapse(*, fee_notice_id: int, today: dt.date) -> FeeNotice | None:
    """The last day to pay is over without payment: the request is treated as abandoned (视为放弃
    申请). Record the lapse, end the pause on the last day (the clock runs again so the answer
    逾期未缴费 is due in the time left), audited. Done by the sweep (no actor). None when there is
    nothing to do (paid or lapsed meanwhile, not yet over, request closed)."""
    request_id = FeeNotice.objects.values_list("request_id", flat=True).get(pk=fee_notice_id)
    # The request first, then the notice: the order every other writer takes.
    request = DisclosureRequest.objects.select_for_update().get(pk=request_id)
    fee = FeeNotice.objects.select_for_update().get(pk=fee_notice_id)
    if not fee.is_open or fee.pay_by >= today or not request.is_open:
        return None
    fee.lapsed_on = today
    fee.save(update_fields=["lapsed_on"])
    audit_log(
        actor=None,
        action="request.fee.lapsed",
        subject=request,
        new_state=iso(fee.pay_by),
        data={"fee_notice": fee.pk, "amount": _yuan(fee.amount), "pay_by": iso(fee.pay_by)},
    )
    request_clock_update(
        request=request,
        actor=None,
        event="resumed",
        comment=_("Fee not paid in time"),
        data={"fee_notice": fee.pk, "pay_by": iso(fee.pay_by), "lapsed": True},
    )
    return fee
