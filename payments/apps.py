from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        # Orders sits below payments: it reaches Stripe only through this registration.
        from orders.payment_port import payment_port_register
        from payments.order_port import StripeOrderPort

        payment_port_register(StripeOrderPort())
