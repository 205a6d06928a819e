"""Vietnamese collation key (issue 15): dictionary order, the same whatever the database."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.common.text import nfc, vn_sort_key


def test_vietnamese_order():
    names = ["Xã Ba Xa", "Xã Ba Động", "Ya Ly", "Xã Đông Sơn", "Xã Dục Nông", "Xã Ea Hồ", "Xã An Phú", "Xã Ân Hảo",
             "Xã Ăn", "Xã bá", "Xã bà", "Xã ba", "Xã 10", "Xã 2"]
    assert sorted(names, key=vn_sort_key) == [
        "Xã 2", "Xã 10", "Xã An Phú", "Xã Ăn", "Xã Ân Hảo", "Xã ba", "Xã bà", "Xã bá", "Xã Ba Động", "Xã Ba Xa",
        "Xã Dục Nông", "Xã Đông Sơn", "Xã Ea Hồ", "Ya Ly"]


@settings(deadline=None)
@given(st.text(alphabet="aăâbdđeêoôơuưyAĐÔ àáảãạ", max_size=12))
def test_key_ignores_normalisation_form(text):
    import unicodedata

    assert vn_sort_key(unicodedata.normalize("NFD", text)) == vn_sort_key(nfc(text))


def test_collation_bench_runs_tiny(capsys):
    path = Path(__file__).resolve().parents[2] / "bench" / "bench_vn_collation.py"
    spec = importlib.util.spec_from_file_location("bench_vn_collation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import sys

    argv, sys.argv = sys.argv, ["bench", "--n", "200"]
    try:
        module.main()
    finally:
        sys.argv = argv
    assert "µs/name" in capsys.readouterr().out
