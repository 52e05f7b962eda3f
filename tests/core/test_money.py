import pytest

from marketplace.core.money import format_vnd


def test_vnd_is_whole_dong_with_dot_thousands_and_symbol_after():
    assert format_vnd(150_000) == "150.000\xa0₫"
    assert format_vnd(1_250_000, locale="en") == "₫1,250,000"


@pytest.mark.parametrize("amount", [1.5, True, "100"])
def test_only_integers_are_money(amount):
    with pytest.raises(TypeError):
        format_vnd(amount)
