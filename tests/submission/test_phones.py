"""A named reporter's phone is checked as one number: a mobile, or a landline with its area code."""
import pytest

from reporting.submission.phones import is_phone_number


@pytest.mark.parametrize("typed", [
    "13800001234", "138 0000 1234", "138-0000-1234", "+86 138 0000 1234", "008613800001234", "１３８００００１２３４",
    "0731-88888888", "0731 8888 8888", "(0731)88888888", "（0731）8888888", "010-88888888", "07318888888",
    "0731-88888888-123", "0731-88888888转123", "0731-88888888 ext. 45", "+86 731 8888 8888", "+86-10-88888888",
])
def test_numbers_residents_type_are_accepted(typed):
    assert is_phone_number(typed)


@pytest.mark.parametrize("typed", [
    "1380000123",  # ten digits: a mobile with one missing
    "138000012345", "12800001234", "88888888", "731-88888888", "0731-1888888", "0731-888888",
    "0731-888888888", "13800001234转12", "不是电话", "", "+1 415 555 0100", "0000-1234567",
])
def test_numbers_no_one_could_call_back_are_refused(typed):
    assert not is_phone_number(typed)
