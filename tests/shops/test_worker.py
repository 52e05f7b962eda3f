"""Shop tasks through a real Celery worker on Redis: outbox → `stock` queue → service."""

import time

import pytest

from shops.models import ImportJob, ProductImage
from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    jpeg_bytes,
    shop_owner,
    upload,
)


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_import_and_thumbnail_run_on_a_real_worker(regions, live_worker):
    shop = ShopFactory()
    certificate = CertificateFactory(shop=shop, number="4894/QĐ-UBND")
    product = ProductFactory(shop=shop, certificate=certificate)
    client = bearer_client(shop_owner(shop))

    csv = (
        "product_name,certificate_number,sku,variant_name,price,stock,weight_grams,"
        "shelf_life_days\n"
        "Trà giảo cổ lam,4894/QĐ-UBND,GCL-1,Gói 50 g,85000,10,60,365\n"
        "Trà giảo cổ lam,4894/QĐ-UBND,GCL-2,Gói 200 g,0,10,220,365\n"
    ).encode()
    response = client.post(
        f"/api/v1/shops/{shop.slug}/imports/", {"file": upload("a.csv", csv)}, format="multipart"
    )
    assert response.status_code == 202
    job_id = response.json()["id"]
    photo = client.post(
        f"/api/v1/shops/{shop.slug}/products/{product.pk}/images/",
        {"image": upload("a.jpg", jpeg_bytes((900, 600)))},
        format="multipart",
    )
    assert photo.status_code == 201

    assert wait_for(lambda: ImportJob.objects.get(pk=job_id).status == "done")
    job = ImportJob.objects.get(pk=job_id)
    assert (job.rows_applied, job.rows_failed) == (1, 1)
    assert job.errors[0]["row"] == 3
    assert wait_for(lambda: bool(ProductImage.objects.get(pk=photo.json()["id"]).thumbnail))
