"""Annual reports: the district office gets a drafter and a reviewer (the district's own report is
drafted and reviewed there), requests and items are made directly in the database where only the
counting is under test, and the whole flow runs through the services where submission is."""

import contextlib
import datetime as dt
import itertools
import json
import os
import struct
import zoneinfo
from pathlib import Path

import pytest
import time_machine

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2025
# Reports on 2025 are made in the first quarter of 2026.
SUBMISSION_DAY = D(2026, 3, 10)
RECEIVED = D(YEAR, 3, 1)

_codes = itertools.count(1)


@contextlib.contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def office(org):
    """The district office's section, with a drafter and a reviewer."""
    from tests.factories import UserFactory
    from workflow.models import Section
    from workflow.services.organisation import position_assign

    section = Section.objects.create(unit=org.office, name="政务公开科")
    drafter = UserFactory(username="office_drafter")
    position_assign(user=drafter, unit=org.office, section=section, role="drafter")
    reviewer = UserFactory(username="office_reviewer")
    position_assign(user=reviewer, unit=org.office, role="reviewer")
    org.users.office_drafter = drafter
    org.users.office_reviewer = reviewer
    return section


@pytest.fixture
def make_request(org):
    """A request as the counting sees it, written directly (the flow is not under test here)."""
    from workflow.models import DisclosureRequest

    def make(
        *,
        unit=None,
        received_on=RECEIVED,
        answered_on=None,
        outcome="",
        applicant_kind="natural_person",
        organisation_type="",
        legal_ground=None,
    ):
        closed = answered_on is not None
        return DisclosureRequest.objects.create(
            tracking_code=f"R{next(_codes):08d}",
            receiving_unit=unit or org.civil,
            channel="in_person",
            submitted_on=received_on or RECEIVED,
            received_on=received_on,
            applicant_kind=applicant_kind,
            organisation_type=organisation_type,
            applicant_name="申请人",
            id_number="110101199003077777",
            phone="13800000000",
            description="所申请的信息",
            outcome=outcome,
            legal_ground=legal_ground,
            answered_on=answered_on,
            status="closed" if closed else "in_progress",
            stage="closed" if closed else "drafting",
        )

    return make


@pytest.fixture
def unit_report(org):
    from reports.services import report_create

    with on(SUBMISSION_DAY):
        return report_create(user=org.users.drafter, unit=org.civil, year=YEAR)


@pytest.fixture
def district_report(org, office):
    from reports.services import report_create

    with on(SUBMISSION_DAY):
        return report_create(user=org.users.supervisor, district=org.district, year=YEAR)


# --- Chinese pages before the lead merges the translations -------------------------------------
# The msgids of the reports app are handed over in a JSON file and merged into locale/ by the
# lead. Until then, REPORTS_TRANSLATIONS=/tmp/tr/reports.json lays them over the catalogue for
# these tests; once merged the variable is not needed.


def _write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format gettext reads) from msgid -> msgstr."""
    messages = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(messages)
    ids = [k.encode() for k in keys]
    strs = [messages[k].encode() for k in keys]
    header = 7 * 4
    ids_table = header
    strs_table = ids_table + len(keys) * 8
    data_start = strs_table + len(keys) * 8
    offsets, blob = [], b""
    for value in ids + strs:
        offsets.append((len(value), data_start + len(blob)))
        blob += value + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), ids_table, strs_table, 0, 0)
    for length, offset in offsets:
        out += struct.pack("<2I", length, offset)
    path.write_bytes(out + blob)


@pytest.fixture
def report_translations(settings, tmp_path):
    source = os.environ.get("REPORTS_TRANSLATIONS")
    if source:
        messages = json.loads(Path(source).read_text(encoding="utf-8"))
        directory = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES"
        directory.mkdir(parents=True)
        _write_mo(directory / "django.mo", messages)
        settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
