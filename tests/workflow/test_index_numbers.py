import pytest
from django.db import transaction

from workflow.services.publication import index_number_allocate

pytestmark = pytest.mark.django_db


def test_a_rolled_back_publication_gives_its_serial_back(org):
    with transaction.atomic():
        assert index_number_allocate(unit=org.civil, year=2026) == ("MZJ/2026-00001", 1)

    def publish_then_fail():
        with transaction.atomic():
            index_number_allocate(unit=org.civil, year=2026)
            raise RuntimeError("publication failed after numbering")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    with transaction.atomic():
        assert index_number_allocate(unit=org.civil, year=2026) == ("MZJ/2026-00002", 2)


def test_serials_are_per_unit_and_year(org):
    with transaction.atomic():
        assert index_number_allocate(unit=org.civil, year=2026)[1] == 1
        assert index_number_allocate(unit=org.edu, year=2026)[1] == 1
        assert index_number_allocate(unit=org.civil, year=2027)[1] == 1
        assert index_number_allocate(unit=org.civil, year=2026)[1] == 2


@pytest.mark.django_db(transaction=True)
def test_allocation_outside_a_transaction_is_refused(org):
    with pytest.raises(RuntimeError):
        index_number_allocate(unit=org.civil, year=2026)
