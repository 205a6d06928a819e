import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


@pytest.fixture
def province(db):
    from factories import make_unit

    return make_unit("Tỉnh Quảng Ngãi", kind="province", code="51", admin_code="51")


@pytest.fixture
def district(province):
    from factories import make_unit

    return make_unit("Huyện Bình Sơn", kind="district", parent=province, code="51-524", admin_code="524")


@pytest.fixture
def commune(district):
    from factories import make_unit

    return make_unit("Xã Bình Thạnh", kind="commune", parent=district)
