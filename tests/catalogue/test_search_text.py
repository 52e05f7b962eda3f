import unicodedata

import pytest
from django.db import connection

from marketplace.core.search import normalise_search_text, search_words

VIETNAMESE = [
    "Nước mắm Phú Quốc",
    "NƯỚC MẮM PHÚ QUỐC",
    "Đặc sản Nghệ An",
    "đặc sản nghệ an",
    "Mật ong hoa nhãn Hưng Yên",
    "Trà Shan tuyết cổ thụ \u2013 Hà Giang",
    "Bánh đa nem Làng Chều (loại 1)",
    "Kẹo dừa Bến Tre, 500g",
    "Rượu cần Tây Nguyên/đặc-biệt",
    "  Gạo   ST25\tSóc Trăng\n",
    "Cà phê Buôn Ma Thuột - Đắk Lắk",
    "Chè Thái Nguyên: móc câu",
    "Ổi Đông Dư, Gia Lâm",
    "Hồng treo gió Đà Lạt!!!",
    "Thuốc lào Vĩnh Bảo ỶỸỴỲÝ ỷỹỵỳý",
    "ưƯơƠăĂâÂêÊôÔđĐ",
    "\u201cMắm\u201d \u2018tôm\u2019 \u2014 «Huế»… ½ l",
    "a\\b'c\"d%e_f",
    "",
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nước mắm", "nuoc mam"),
        ("NƯỚC MẮM", "nuoc mam"),
        ("nuoc-mam", "nuoc mam"),
        ("Đặc sản", "dac san"),
        ("  đặc   SẢN  ", "dac san"),
        ("Kẹo dừa, Bến Tre!", "keo dua ben tre"),
        ("ST25 (5kg)", "st25 5kg"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_folds_case_accents_đ_and_punctuation(raw, expected):
    assert normalise_search_text(raw) == expected


def test_letters_keep_their_places():
    assert normalise_search_text("Nước mắm") == "nuoc mam"
    assert normalise_search_text("Đặc-sản…") == "dac san"


def test_nfd_and_nfc_input_give_the_same_text():
    for text in VIETNAMESE:
        nfd = unicodedata.normalize("NFD", text)
        nfc = unicodedata.normalize("NFC", text)
        assert nfd != nfc or text.isascii() or not text
        assert normalise_search_text(nfd) == normalise_search_text(nfc)


def test_search_words_are_distinct_and_ordered():
    assert search_words("Mật ong mat-ong RỪNG") == ["mat", "ong", "rung"]


@pytest.mark.django_db
def test_database_function_equals_python_normaliser():
    # The IMMUTABLE unaccent wrapper from the catalogue's migration.
    samples = VIETNAMESE + [unicodedata.normalize("NFD", t) for t in VIETNAMESE]
    with connection.cursor() as cursor:
        for text in samples:
            cursor.execute("SELECT catalogue_search_text(%s)", [text])
            assert cursor.fetchone()[0] == normalise_search_text(text), text


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_wrapper_is_immutable_and_extensions_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'catalogue_search_text'")
        assert cursor.fetchone()[0] == "i"
        cursor.execute(
            "SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') "
            "ORDER BY extname"
        )
        assert [row[0] for row in cursor.fetchall()] == ["pg_trgm", "unaccent"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_word_index_reads_exactly_the_normalised_words():
    # The catalogue's word index (`to_tsvector('simple', ...)` of normalised text) must
    # hold the words the normaliser produces, no more, no fewer, none altered.
    samples = [*VIETNAMESE, "gao st25 500g 1e5 2 5kg x1 0 00 vietgap a b"]
    with connection.cursor() as cursor:
        for text in samples:
            normalised = normalise_search_text(text)
            cursor.execute(
                "SELECT tsvector_to_array(catalogue_search_document(%s, ''))", [normalised]
            )
            assert sorted(cursor.fetchone()[0]) == sorted(set(normalised.split())), text
