import pytest
from django.core.cache import cache

from browser.conftest import chromium_browser  # noqa: F401  (the shared Debian chromium fixture)
from congvu.onestop import services as s
from factories import make_unit


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CONGVU_CITIZEN_RATELIMIT = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(
        code="1.001193", name="Thủ tục đăng ký khai sinh", field=field, level="commune", processing_time=5,
        online_level="full", fee_amount=0,
        components=[{"name": "Tờ khai đăng ký khai sinh", "originals": 1},
                    {"name": "Giấy chứng sinh", "originals": 1}],
        steps=[{"name": "Tiếp nhận", "share": "0.2"}, {"name": "Thẩm định", "share": "0.8"}],
    )


@pytest.fixture
def paper_only(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(code="1.000894", name="Đăng ký kết hôn", field=field, level="commune",
                              processing_time=3, online_level="none")
