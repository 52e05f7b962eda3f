"""Provinces and wards are reference data: the back office shows them and never edits
them (`manage.py load_regions` does, from the package)."""

import pytest

from marketplace.accounts.services import operator_grant
from marketplace.regions.models import Province, Ward
from tests.accounts.factories import UserFactory
from tests.shops.factories import CON_CUONG, NGHE_AN

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["operator", "superuser"])
def admin_client(request, client, operator):
    if request.param == "operator":
        operator_grant(user=operator)
        client.force_login(operator)
    else:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("model", "key", "changes"),
    [
        (Province, NGHE_AN, {"name": "Xứ Nghệ", "name_with_type": "Tỉnh Xứ Nghệ"}),
        (Ward, CON_CUONG, {"name": "Con Cuông mới", "name_with_type": "Xã Con Cuông mới"}),
    ],
)
def test_regions_are_shown_and_never_edited(admin_client, model, key, changes):
    path = f"/admin/regions/{model._meta.model_name}/"
    before = model.objects.values().get(pk=key)
    listing = admin_client.get(path)
    assert listing.status_code == 200
    assert before["name"].encode() in admin_client.get(f"{path}?q={key}").content
    page = admin_client.get(f"{path}{key}/change/")
    assert page.status_code == 200
    assert b'name="name"' not in page.content  # shown read-only, no input
    assert admin_client.post(f"{path}{key}/change/", {**before, **changes}).status_code == 403
    assert admin_client.get(f"{path}add/").status_code == 403
    assert admin_client.post(f"{path}{key}/delete/", {"post": "yes"}).status_code == 403
    assert model.objects.values().get(pk=key) == before
