"""Certificate submission rules (Decision 148/QĐ-TTg, Decision 1489/QĐ-TTg) and scans."""

import datetime

import pytest

from marketplace.core import clock
from shops.models import OcopCertificate
from tests.conftest import bearer_client
from tests.shops.factories import (
    PDF_BYTES,
    CertificateFactory,
    ShopFactory,
    jpeg_bytes,
    png_bytes,
    shop_owner,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop():
    return ShopFactory()


@pytest.fixture
def client(shop):
    return bearer_client(shop_owner(shop))


def submit(client, shop, fmt="json", **overrides):
    body = {
        "number": "4894/QĐ-UBND",
        "issuer_name": "UBND tỉnh Nghệ An",
        "product_name": "Cao xạ đen Pù Mát",
        "stars": 4,
        "product_group": "herbal",
        "issued_by_level": "province",
        "issued_on": "2024-11-12",
    }
    body.update(overrides)
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(f"/api/v1/shops/{shop.slug}/certificates/", body, format=fmt)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"stars": 2}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": 0}, "stars"),
        ({"stars": 4, "score": 69}, "score"),
        ({"stars": 4, "score": 90}, "score"),
        ({"stars": 3, "score": 49}, "score"),
        ({"stars": 5, "score": 101, "issued_by_level": "national"}, "score"),
        ({"product_group": "software"}, "product_group"),
        ({"issued_by_level": "commune"}, "issued_by_level"),
        ({"stars": 5, "issued_by_level": "province"}, "issued_by_level"),
        ({"stars": 4, "issued_by_level": "national"}, "issued_by_level"),
        ({"stars": 3, "issued_by_level": "district", "issued_on": "2025-07-06"}, "issued_by_level"),
        ({"stars": 4, "issued_by_level": "district", "issued_on": "2024-01-10"}, "issued_by_level"),
        ({"issued_on": "2099-01-01"}, "issued_on"),
        ({"expires_on": "2024-11-01"}, "expires_on"),
        ({"expires_on": "2027-11-13"}, "expires_on"),  # the decision date + 36 months + 1 day
        ({"expires_on": "2054-11-12"}, "expires_on"),
        ({"issuing_province_code": "99"}, "issuing_province_code"),
    ],
)
def test_invalid_certificates_say_why(client, shop, override, field):
    response = submit(client, shop, **override)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid_certificate"
    assert field in error["fields"]
    assert error["message"]
    assert not OcopCertificate.objects.exists()


def test_two_star_message_explains_certification(client, shop):
    message = submit(client, shop, stars=2).json()["error"]["fields"]["stars"][0]
    assert "3, 4 and 5-star" in message


@pytest.mark.parametrize(
    ("override", "expected_stars"),
    [
        ({"stars": 3, "score": 50}, 3),
        ({"stars": 4, "score": 89}, 4),
        (
            {
                "stars": 5,
                "score": 90,
                "issued_by_level": "national",
                "issuer_name": "Bộ Nông nghiệp và Môi trường",
            },
            5,
        ),
        (
            {
                "stars": 3,
                "issued_by_level": "district",
                "issued_on": "2025-07-05",
                "issuer_name": "UBND huyện Con Cuông",
            },
            3,
        ),
    ],
)
def test_valid_certificates_are_accepted(client, shop, override, expected_stars):
    response = submit(client, shop, **override)
    assert response.status_code == 201, response.content
    assert response.json()["stars"] == expected_stars
    assert response.json()["status"] == "pending"


def test_type_errors_are_400_not_500(client, shop):
    for override in ({"stars": "năm"}, {"issued_on": "12/11/2024"}, {"score": 7.5}):
        response = submit(client, shop, **override)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"


def test_expiry_defaults_to_36_months_and_end_of_month_rolls_back(client, shop):
    assert submit(client, shop).json()["expires_on"] == "2027-11-12"
    leap = submit(client, shop, number="1/QĐ-UBND", issued_on="2024-02-29").json()
    assert leap["expires_on"] == "2027-02-28"
    explicit = submit(client, shop, number="2/QĐ-UBND", expires_on="2026-01-01").json()
    assert explicit["expires_on"] == "2026-01-01"


def test_expiry_is_at_most_36_months_after_the_decision(client, shop):
    at_most = submit(client, shop, expires_on="2027-11-12")
    assert at_most.status_code == 201, at_most.content
    leap = submit(client, shop, number="1/QĐ-UBND", issued_on="2024-02-29", expires_on="2027-03-01")
    assert leap.status_code == 400
    assert "36 months" in leap.json()["error"]["fields"]["expires_on"][0]
    assert OcopCertificate.objects.count() == 1


def test_decision_date_today_is_fine_tomorrow_is_not(client, shop, monkeypatch):
    today = clock.local_today()
    assert submit(client, shop, issued_on=today.isoformat()).status_code == 201
    tomorrow = today + datetime.timedelta(days=1)
    assert submit(client, shop, number="9/QĐ", issued_on=tomorrow.isoformat()).status_code == 400


def review(operator_client, certificate_id, decision="approve"):
    return operator_client.post(
        f"/api/v1/operator/certificates/{certificate_id}/review/",
        {"decision": decision, "reason": "Không khớp"},
        format="json",
    )


def test_a_shop_submits_a_number_once_per_issuing_province(client, shop):
    assert submit(client, shop).status_code == 201
    duplicate = submit(client, shop)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "duplicate_certificate"
    # The same number issued by another province is a different decision.
    elsewhere = submit(client, shop, issuing_province_code="91", issuer_name="UBND tỉnh An Giang")
    assert elsewhere.status_code == 201
    assert elsewhere.json()["issuing_province"]["code"] == "91"


def test_a_pending_copy_does_not_block_the_real_holder(operator_client, client, shop):
    squatter = ShopFactory()
    copy = submit(bearer_client(shop_owner(squatter)), squatter)
    assert copy.status_code == 201
    holder = submit(client, shop)
    assert holder.status_code == 201, holder.content
    assert review(operator_client, holder.json()["id"]).json()["status"] == "approved"
    # Only one certificate per number and issuer is ever approved.
    refused = review(operator_client, copy.json()["id"])
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "duplicate_certificate"
    assert OcopCertificate.objects.get(pk=copy.json()["id"]).status == "pending"
    assert review(operator_client, copy.json()["id"], "reject").status_code == 200


def test_two_copies_approved_at_once_answer_409_not_500(operator_client, shop, monkeypatch):
    from shops.services import certificates

    CertificateFactory(shop=shop, number="4894/QĐ-UBND", status="approved")
    copy = CertificateFactory(shop=ShopFactory(), number="4894/QĐ-UBND", status="pending")
    # As if the twin committed between the check and the write.
    monkeypatch.setattr(certificates, "_approved_twin_exists", lambda certificate: False)
    response = review(operator_client, copy.pk)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "duplicate_certificate"
    assert OcopCertificate.objects.get(pk=copy.pk).status == "pending"


def test_the_database_keeps_approved_numbers_unique(shop):
    from django.db import IntegrityError, transaction

    CertificateFactory(shop=shop, number="4894/QĐ-UBND", status="approved")
    CertificateFactory(shop=ShopFactory(), number="4894/QĐ-UBND", status="pending")
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(shop=ShopFactory(), number="4894/QĐ-UBND", status="approved")


def test_a_rejected_number_can_be_submitted_again(client, shop):
    CertificateFactory(shop=shop, number="4894/QĐ-UBND", status="rejected")
    assert submit(client, shop).status_code == 201


def test_national_certificates_have_no_province_and_unique_numbers(operator_client, client, shop):
    body = {
        "stars": 5,
        "issued_by_level": "national",
        "number": "25/QĐ-BNN",
        "issuer_name": "Bộ Nông nghiệp và Môi trường",
    }
    first = submit(client, shop, **body)
    assert first.status_code == 201
    assert first.json()["issuing_province"] is None
    assert submit(client, shop, **body).status_code == 409
    other = ShopFactory()
    copy = submit(bearer_client(shop_owner(other)), other, **body)
    assert copy.status_code == 201
    assert review(operator_client, copy.json()["id"]).status_code == 200
    assert review(operator_client, first.json()["id"]).status_code == 409


@pytest.mark.parametrize(
    ("name", "data"),
    [("qd.pdf", PDF_BYTES), ("qd.png", png_bytes()), ("qd.jpg", jpeg_bytes())],
)
def test_scans_are_stored_through_storage(client, shop, name, data):
    response = submit(client, shop, fmt="multipart", scan=upload(name, data))
    assert response.status_code == 201, response.content
    certificate = OcopCertificate.objects.get()
    with certificate.scan.open("rb") as stored:
        assert stored.read() == data
    assert certificate.scan.name.rsplit(".", 1)[-1] in {"pdf", "png", "jpg"}


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("qd.png", b"this is plain text, not an image", "invalid_file"),
        ("qd.pdf", b"MZ\x90\x00 an executable", "invalid_file"),
        ("qd.pdf", png_bytes(), "invalid_file"),  # content and name disagree
        ("qd.png", jpeg_bytes(), "invalid_file"),
        ("qd.pdf", b"%PDF-1.4 truncated without an end", "invalid_file"),
        ("qd.gif", b"GIF89a" + b"\x00" * 20, "invalid_file"),
        ("qd.png", png_bytes()[:40], "invalid_file"),  # truncated image
    ],
)
def test_spoofed_scans_are_refused(client, shop, name, data, code):
    response = submit(client, shop, fmt="multipart", scan=upload(name, data))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not OcopCertificate.objects.exists()


def test_a_50_mb_scan_is_refused(client, shop):
    big = b"%PDF-1.4\n" + b"0" * (50 * 1024 * 1024) + b"\n%%EOF\n"
    response = submit(client, shop, fmt="multipart", scan=upload("qd.pdf", big))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "file_too_large"
    assert not OcopCertificate.objects.exists()


def test_operator_rejects_with_reason_and_cannot_review_twice(operator_client, client, shop):
    certificate_id = submit(client, shop).json()["id"]
    url = f"/api/v1/operator/certificates/{certificate_id}/review/"
    assert operator_client.post(url, {"decision": "reject"}, format="json").status_code == 400
    rejected = operator_client.post(
        url, {"decision": "reject", "reason": "Ảnh scan mờ"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["review_reason"] == "Ảnh scan mờ"
    again = operator_client.post(url, {"decision": "approve"}, format="json")
    assert again.status_code == 409
    missing = operator_client.post(
        "/api/v1/operator/certificates/999999/review/", {"decision": "approve"}, format="json"
    )
    assert missing.status_code == 404


def test_an_already_expired_certificate_cannot_be_approved(operator_client, shop):
    certificate = CertificateFactory(
        shop=shop,
        status="pending",
        issued_on=datetime.date(2022, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
    )
    response = operator_client.post(
        f"/api/v1/operator/certificates/{certificate.pk}/review/",
        {"decision": "approve"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "certificate_already_expired"
