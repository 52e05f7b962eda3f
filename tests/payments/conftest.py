import pytest

from orders import payment_port
from tests.orders.factories import FakePaymentPort


@pytest.fixture
def fake_port():
    """Orders' calls to the provider recorded, for tests of what events do to orders;
    the real path to the local Stripe server is in test_local_stripe.py."""
    real = payment_port._port
    double = FakePaymentPort()
    payment_port.payment_port_register(double)
    yield double
    payment_port.payment_port_register(real)
