import pytest

from orders import payment_port
from tests.orders.factories import FakePaymentPort


@pytest.fixture
def fake_port():
    """Swap the payments app's port for a recording double (orders' unit tests only)."""
    real = payment_port._port
    double = FakePaymentPort()
    payment_port.payment_port_register(double)
    yield double
    payment_port.payment_port_register(real)


@pytest.fixture(autouse=True)
def _no_hold_surprises(settings):
    settings.ORDERS_PAYMENT_HOLD_MINUTES = 30
    settings.ORDERS_AUTO_COMPLETE_DAYS = 7
