import datetime

import pytest

from orders import payment_port
from orders.migrations import _default_rates
from payments.models import WithholdingRate
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


@pytest.fixture
def reference_data(regions):
    """Transactional tests start from a flushed database: put back the shipping fees
    and the Decree 117 withholding rates that migrations load."""
    _default_rates.add_rates_now()
    for category, vat_bp, pit_bp in (("goods", 100, 50), ("services", 500, 200)):
        WithholdingRate.objects.get_or_create(
            category=category,
            effective_from=datetime.date(2025, 7, 1),
            defaults={"vat_bp": vat_bp, "pit_bp": pit_bp, "legal_basis": "Nghị định 117/2025"},
        )
