"""Pure helpers shared by every importer and every search box (no database)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.common.tables import ImportFileError, parse_bool, parse_date, read_table
from congvu.common.text import nfc, search_key, unify_tone_placement


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_date_round_trips_both_spellings(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year}") == day


@pytest.mark.parametrize("bad", ["31/02/2024", "2024-13-01", "hôm qua"])
def test_parse_date_refuses_with_a_message(bad):
    with pytest.raises(ValueError, match="ngày không hợp lệ"):
        parse_date(bad)


def test_parse_bool_vietnamese_words():
    assert parse_bool("Có") is True and parse_bool("x") is True and parse_bool("không") is False
    with pytest.raises(ValueError):
        parse_bool("có lẽ")


def test_read_table_matches_headers_without_accents_and_refuses_other_encodings():
    data = "Mã,Tên đơn vị\n01,Xã Ba Bích\n\n02,Phường Nghĩa Lộ\n".encode()
    name, rows = read_table(data, columns={"ma": "code", "ten don vi": "name"}, required=["code", "name"])
    assert rows == [(2, {"code": "01", "name": "Xã Ba Bích"}), (4, {"code": "02", "name": "Phường Nghĩa Lộ"})]
    with pytest.raises(ImportFileError) as exc:
        read_table("Ma,Ten\n01,Ba Bích\n".encode("cp1258"), columns={"ma": "code"}, required=["code"])
    assert exc.value.code == "import.encoding" and "UTF-8" in exc.value.message


@given(st.text(alphabet="aăâeêioôơuưyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵđ ", max_size=40))
def test_search_key_is_idempotent_and_ascii(text):
    key = search_key(text)
    assert key == search_key(key) and key.isascii()
    assert search_key(unify_tone_placement(text)) == key


def test_tone_placement_and_decomposed_input():
    assert search_key("Phòng Văn hoá và Thông tin") == search_key("Phòng Văn hóa và Thông tin")
    decomposed = "Ủy ban nhân dân".encode().decode()
    import unicodedata

    assert nfc(unicodedata.normalize("NFD", decomposed)) == unicodedata.normalize("NFC", decomposed)
    assert unify_tone_placement("quý, Thuỷ, hoàng") == "quý, Thủy, hoàng"
