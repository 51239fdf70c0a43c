"""A staff account and a few streets for the staff-area tests."""

import pytest

from app.admin.accounts import create_staff_user
from app.admin.models import StaffUser
from tests.admin.helpers import EMAIL, PASSWORD


@pytest.fixture
def staff(app) -> StaffUser:
    return create_staff_user(EMAIL, PASSWORD)


@pytest.fixture
def streets(make_address):
    """Žirmūnų g. 2, 4 and Liepų al. 3, 4, 5."""
    for number in ("2", "4"):
        make_address("Žirmūnų g.", number)
    for number in ("3", "4", "5"):
        make_address("Liepų al.", number)
