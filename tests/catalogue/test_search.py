import pytest

from catalogue.selectors import MAX_WORD_EXPANSIONS
from tests.catalogue.factories import listed_product, shop_in
from tests.shops.factories import AN_GIANG, NGHE_AN, QUANG_NINH

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/"


def found(client, query: str) -> list[str]:
    response = client.get(URL, {"search": query})
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def catalogue():
    listed_product(
        name="Nước mắm Phú Quốc 40 độ đạm",
        description="Cá cơm ủ chượp 12 tháng.",
        province=AN_GIANG,
    )
    listed_product(
        name="Đặc sản cao xạ đen Pù Mát",
        description="Dược liệu rừng.",
        group="herbal",
        province=NGHE_AN,
    )
    listed_product(name="Nón lá Huế", description="Thủ công.", group="handicraft")
    listed_product(name="Chả mực Hạ Long", description="dac san vung bien.", province=QUANG_NINH)


@pytest.mark.parametrize(
    "query", ["nuoc mam", "NƯỚC MẮM", "nuoc-mam", "Nước Mắm", "  nuoc   MAM ", "mam nuoc"]
)
def test_search_ignores_case_accents_punctuation_and_word_order(api_client, catalogue, query):
    assert found(api_client, query) == ["Nước mắm Phú Quốc 40 độ đạm"]


def test_đ_folds_to_d_both_ways(api_client, catalogue):
    expected = {"Đặc sản cao xạ đen Pù Mát", "Chả mực Hạ Long"}
    assert set(found(api_client, "dac san")) == expected
    assert set(found(api_client, "Đặc sản")) == expected
    assert found(api_client, "đen") == ["Đặc sản cao xạ đen Pù Mát"]


def test_search_reaches_description_shop_and_province(api_client, catalogue):
    assert found(api_client, "ca com chuop") == ["Nước mắm Phú Quốc 40 độ đạm"]
    assert found(api_client, "phu quoc an giang") == ["Nước mắm Phú Quốc 40 độ đạm"]
    shop = shop_in(NGHE_AN, name="Hợp tác xã Mật ong Con Cuông")
    listed_product(name="Sáp ong", shop=shop)
    assert found(api_client, "hop tac xa con cuong") == ["Sáp ong"]


def test_every_word_must_match(api_client, catalogue):
    assert found(api_client, "nuoc mam non la") == []
    assert found(api_client, "muc") == ["Chả mực Hạ Long"]
    assert found(api_client, "non hue") == ["Nón lá Huế"]
    assert found(api_client, "ô tô") == []


def test_name_matches_rank_above_description_matches(api_client):
    # The description-only match is newer, so only ranking can put the name match first.
    listed_product(name="Mật ong rừng U Minh", description="Thu hoạch mùa khô.")
    listed_product(name="Trà gừng", description="Pha với mật ong rừng cho ấm bụng.")
    assert found(api_client, "mat ong rung") == ["Mật ong rừng U Minh", "Trà gừng"]
    assert found(api_client, "tra gung") == ["Trà gừng"]


def test_an_explicit_ordering_overrides_the_rank(api_client):
    listed_product(name="Mật ong rừng", prices=(400_000,))
    listed_product(name="Kẹo gừng", description="Có mật ong.", prices=(30_000,))
    response = api_client.get(URL, {"search": "mat ong", "ordering": "price"})
    assert [i["name"] for i in response.json()["results"]] == ["Kẹo gừng", "Mật ong rừng"]


def test_empty_or_punctuation_only_search_lists_everything(api_client, catalogue):
    assert len(found(api_client, "")) == 4
    assert len(found(api_client, " - , ")) == 4


def test_long_search_is_a_400(api_client):
    response = api_client.get(URL, {"search": "x" * 201})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.postgres
def test_a_one_letter_typo_still_finds_the_product_on_postgres(api_client, catalogue):
    assert found(api_client, "nuoc mam phu quoc") == ["Nước mắm Phú Quốc 40 độ đạm"]
    assert found(api_client, "nuoc mam phu quic") == ["Nước mắm Phú Quốc 40 độ đạm"]
    assert found(api_client, "nuoc nam phu quoc") == ["Nước mắm Phú Quốc 40 độ đạm"]
    assert found(api_client, "nuoc mam phu quc") == ["Nước mắm Phú Quốc 40 độ đạm"]
    assert found(api_client, "cao xa dem") == ["Đặc sản cao xạ đen Pù Mát"]
    # Typo tolerance does not turn into "anything goes".
    assert found(api_client, "xe may honda") == []


def test_a_word_matches_the_start_of_a_word_not_letters_inside_one(api_client):
    # "ong" is inside "không", "công", "đóng": a buyer typing "mat ong rung" means the
    # word "ong", and "mat" inside "thoáng mát" is a word of its own.
    listed_product(name="Mật ong rừng U Minh")
    listed_product(
        name="Măng khô rừng", description="Không chất bảo quản, thoáng mát, đóng gói thủ công."
    )
    assert found(api_client, "mat ong rung") == ["Mật ong rừng U Minh"]
    assert found(api_client, "ong") == ["Mật ong rừng U Minh"]
    # The start of a word is enough: what a buyer is still typing.
    assert found(api_client, "khon") == ["Măng khô rừng"]
    assert found(api_client, "mang kh") == ["Măng khô rừng"]


def test_name_matches_rank_above_shop_and_province_matches(api_client):
    shop = shop_in(AN_GIANG, name="Hợp tác xã Mật ong Tri Tôn")
    listed_product(name="Mật ong hoa tràm", shop=shop, province=AN_GIANG)
    # Newer, and matching "mat" through its shop's name only.
    listed_product(name="Sáp ong vàng", shop=shop, province=AN_GIANG)
    assert found(api_client, "mat ong") == ["Mật ong hoa tràm", "Sáp ong vàng"]
    assert set(found(api_client, "tri ton")) == {"Sáp ong vàng", "Mật ong hoa tràm"}


def test_search_follows_shop_renames_and_moved_origins(api_client):
    shop = shop_in(NGHE_AN, name="Cơ sở Hoa Sen")
    product = listed_product(name="Nhút Thanh Chương", shop=shop, province=NGHE_AN)
    assert found(api_client, "hoa sen nhut") == ["Nhút Thanh Chương"]
    shop.name = "Cơ sở Bình Minh"
    shop.save()
    assert found(api_client, "hoa sen nhut") == []
    assert found(api_client, "binh minh nhut") == ["Nhút Thanh Chương"]
    assert found(api_client, "nghe an nhut") == ["Nhút Thanh Chương"]
    product.origin_province_id = QUANG_NINH
    product.save()
    assert found(api_client, "nghe an nhut") == []
    assert found(api_client, "quang ninh nhut") == ["Nhút Thanh Chương"]


def test_new_words_are_found_at_once(api_client):
    product = listed_product(name="Bánh chưng")
    listed_product(name="Zyxwa lạ mới")
    assert found(api_client, "zyx") == ["Zyxwa lạ mới"]
    product.description = "Gói bằng lá qwertzu."
    product.save()
    assert found(api_client, "qwert banh") == ["Bánh chưng"]


@pytest.mark.postgres
def test_typo_matches_come_only_when_the_words_as_typed_find_nothing(api_client):
    for n in range(3):
        listed_product(name=f"Nước mắm Cát Hải {n}", stars=3)
    listed_product(name="Nước nắm Cát Hải")  # one letter off "nuoc mam cat hai"
    listed_product(name="Bánh hạnh nhân")
    # Found as typed: only what has the words.
    assert len(found(api_client, "nuoc mam cat hai")) == 3
    assert found(api_client, "nuoc nam cat hai") == ["Nước nắm Cát Hải"]
    # Every word starts a word of the catalogue ("han": "hạnh"), but no product has
    # them all: what is spelt like the query, the closest first.
    body = api_client.get(URL, {"search": "nuoc mam cat han", "facets": "true"}).json()
    names = [item["name"] for item in body["results"]]
    assert set(names[:3]) == {f"Nước mắm Cát Hải {n}" for n in range(3)}
    assert "Bánh hạnh nhân" not in names
    assert body["count"] == len(names)
    # The facets describe the typo matches listed, not the empty exact ones.
    assert body["facets"]["stars"]["3"] == 3


def test_search_pages_cut_one_ranked_list(api_client):
    for n in range(5):
        listed_product(name=f"Mật ong bạc hà {n}")
    listed_product(name="Trà gừng", description="Pha với mật ong.")
    listed_product(name="Nón lá")
    every = found(api_client, "mat ong")
    assert every[-1] == "Trà gừng" and len(every) == 6
    pages = [
        api_client.get(URL, {"search": "mat ong", "page_size": 4, "page": n}).json() for n in (1, 2)
    ]
    assert [p["count"] for p in pages] == [6, 6]
    assert [i["name"] for p in pages for i in p["results"]] == every
    assert pages[0]["next"] and pages[1]["next"] is None
    beyond = api_client.get(URL, {"search": "mat ong", "page_size": 4, "page": 3})
    assert beyond.status_code == 404


def test_a_word_starting_many_words_still_matches_them_all(api_client):
    # Past MAX_WORD_EXPANSIONS words, PostgreSQL looks the word up as a prefix.
    many = " ".join(f"qz{n}" for n in range(MAX_WORD_EXPANSIONS + 6))
    listed_product(name="Rượu cần", description=many)
    listed_product(name="Rượu sim", description="qz999")
    listed_product(name="Rượu ngô")
    assert set(found(api_client, "ruou qz")) == {"Rượu cần", "Rượu sim"}
    assert found(api_client, "ruou qz99") == ["Rượu sim"]
