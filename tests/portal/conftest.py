import pytest
from django.utils import timezone

from congvu.onestop import services as s
from factories import make_unit, make_user_with_role


@pytest.fixture
def desk(commune):
    return make_unit("Bộ phận một cửa xã Bình Thạnh", kind="onestop_desk", parent=commune, code="H55.01.12")


@pytest.fixture
def officer(desk):
    return make_user_with_role("onestop_officer", desk)


@pytest.fixture
def procedure(db):
    field = s.field_get_or_create(code="HT", name="Hộ tịch")
    return s.procedure_create(
        code="1.000893", name="Thủ tục đăng ký kết hôn", field=field, level="commune",
        processing_time=5, online_level="full", fee_amount=50000, fee_note="Lệ phí",
        steps=[{"name": "Thẩm định", "share": "0.8"}, {"name": "Ký duyệt", "share": "0.2"}],
    )


@pytest.fixture
def receive(desk, procedure):
    def make(**kw):
        kw.setdefault("received_at", timezone.now())
        kw.setdefault("applicant_name", "Trần Thị Lan")
        kw.setdefault("channel", "in_person")
        return s.dossier_receive(procedure=kw.pop("procedure", procedure), unit=desk, **kw)

    return make


@pytest.fixture
def fakeportal(tmp_path, settings):
    from fakeportal_proc import FakePortalProcess

    portal = FakePortalProcess(str(tmp_path / "fakeportal.sqlite3")).start()
    for k, v in portal.settings().items():
        setattr(settings, k, v)
    yield portal
    portal.stop()
