import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, header, role_label",
    [
        ("vi", "Sàn OCOP — Quản trị", "Nhà sản xuất"),
        ("en", "OCOP Market — Back office", "Producer"),
    ],
)
def test_back_office_speaks_vietnamese_and_english(
    client, admin_user, language, header, role_label
):
    client.force_login(admin_user)
    index = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert header in index.content.decode()
    users = client.get("/admin/accounts/user/", HTTP_ACCEPT_LANGUAGE=language)
    assert role_label in users.content.decode()
