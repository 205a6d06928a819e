import os

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# No per-example deadline: CI shares a loaded 2-core machine, and speed is measured in bench/, not here.
hypothesis_settings.register_profile("congvu", deadline=None)
hypothesis_settings.load_profile("congvu")


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's, plus: no test database left behind on PostgreSQL. Live-server and browser threads
    may still hold connections when the session ends, and DROP DATABASE then fails. End them (and close
    ours) before pytest-django drops the database: this teardown runs before the wrapped one's."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for conn in connections.all():
            if conn.vendor == "postgresql":
                try:
                    with conn.cursor() as cursor:
                        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                except Exception:  # noqa: BLE001 - best effort: the teardown must still run
                    pass
        connections.close_all()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, login throttles, code locks and idempotency keys live in the cache (per process in
    tests): each test starts with none of another test's counters."""
    from django.core.cache import cache

    cache.clear()
    yield
