import datetime

import pytest

from marketplace.ocop.reference import issuing_level_problem, stars_for_score

pytestmark = pytest.mark.django_db


def test_product_groups_endpoint_lists_the_six_groups(api_client):
    response = api_client.get("/api/v1/ocop/product-groups/")
    assert response.status_code == 200
    groups = response.json()
    assert [g["number"] for g in groups] == [1, 2, 3, 4, 5, 6]
    assert groups[2]["code"] == "herbal"
    assert groups[2]["name"] == "Dược liệu và sản phẩm từ dược liệu"
    assert [g["code"] for g in groups if g["is_service"]] == ["tourism"]


def test_star_levels_endpoint(api_client):
    response = api_client.get("/api/v1/ocop/star-levels/")
    assert response.json() == [
        {"stars": 3, "min_score": 50, "max_score": 69},
        {"stars": 4, "min_score": 70, "max_score": 89},
        {"stars": 5, "min_score": 90, "max_score": 100},
    ]


@pytest.mark.parametrize(
    "score, stars",
    [(49, None), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5), (101, None)],
)
def test_stars_for_score(score, stars):
    assert stars_for_score(score) == stars


BEFORE = datetime.date(2025, 7, 5)
AFTER = datetime.date(2025, 7, 6)


@pytest.mark.parametrize(
    "stars, level, issued_on, ok",
    [
        (3, "district", BEFORE, True),
        (3, "district", AFTER, False),
        (4, "district", BEFORE, False),
        (3, "province", AFTER, True),
        (4, "province", AFTER, True),
        (5, "province", AFTER, False),
        (5, "national", AFTER, True),
        (4, "national", AFTER, False),
        (3, "commune", AFTER, False),
    ],
)
def test_who_may_issue_which_stars(stars, level, issued_on, ok):
    problem = issuing_level_problem(stars=stars, level=level, issued_on=issued_on)
    assert (problem is None) is ok
