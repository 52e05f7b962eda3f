"""An operator verifies a new producer in the back office, as a person would: a real
headless chromium against a live server, the producer on the public API."""

import pytest
from selenium.webdriver.common.by import By

from marketplace.accounts.services import operator_grant
from shops.models import CertificateStatus, OcopCertificate, Shop, ShopStatus
from shops.selectors import public_products
from tests.conftest import bearer_client
from tests.e2e.admin import admin_sign_in, run_changelist_action, wait_for
from tests.shops.test_onboarding import SHOP_BODY, certificate_body, product_body

pytestmark = pytest.mark.browser


def test_operator_approves_shop_and_certificate_and_the_product_goes_public(
    browser, live_server, regions, producer, operator, api_client
):
    operator_grant(user=operator)  # an operator, not a superuser
    producer_api = bearer_client(producer)

    slug = producer_api.post("/api/v1/shops/", SHOP_BODY, format="json").json()["slug"]
    cert_id = producer_api.post(
        f"/api/v1/shops/{slug}/certificates/", certificate_body(), format="json"
    ).json()["id"]
    shop = Shop.objects.get(slug=slug)
    refused = producer_api.post(
        f"/api/v1/shops/{slug}/products/", product_body(cert_id), format="json"
    )
    assert refused.json()["error"]["code"] == "certificate_not_approved"

    admin_sign_in(browser, live_server.url, operator)

    # The pending shop is found by its tax code and approved with the bulk action.
    browser.get(f"{live_server.url}/admin/shops/shop/?q={SHOP_BODY['tax_code']}")
    wait_for(browser, By.CSS_SELECTOR, f"input[name=_selected_action][value='{shop.pk}']")
    message = run_changelist_action(
        browser,
        f"{live_server.url}/admin/shops/shop/?status__exact=pending",
        object_id=shop.pk,
        action="approve",
    )
    assert message == "Đã duyệt 1 gian hàng."
    shop.refresh_from_db()
    assert shop.status == ShopStatus.ACTIVE

    message = run_changelist_action(
        browser,
        f"{live_server.url}/admin/shops/ocopcertificate/?status__exact=pending",
        object_id=cert_id,
        action="approve",
    )
    assert message == "Đã duyệt 1 chứng nhận."
    assert OcopCertificate.objects.get(pk=cert_id).status == CertificateStatus.APPROVED

    # Now the producer can list the product, and once active it is public.
    created = producer_api.post(
        f"/api/v1/shops/{slug}/products/", product_body(cert_id), format="json"
    )
    assert created.status_code == 201, created.content
    product_id = created.json()["id"]
    activated = producer_api.patch(
        f"/api/v1/shops/{slug}/products/{product_id}/", {"status": "active"}, format="json"
    )
    assert activated.json()["is_public"] is True
    assert list(public_products().values_list("pk", flat=True)) == [product_id]
    assert api_client.get(f"/api/v1/shops/{slug}/").status_code == 200

    # The back office shows it under "public = yes".
    browser.get(f"{live_server.url}/admin/shops/product/?public=yes")
    row = wait_for(browser, By.CSS_SELECTOR, f"input[name=_selected_action][value='{product_id}']")
    assert row.is_displayed()
