"""Council, decision, register and exemplar pages (included by `emulation/urls.py`)."""

from django.urls import path
from django.views.generic import RedirectView

from congvu.emulation import views_council as v

urlpatterns = [
    path("council/", v.council_index, name="council_index"),
    path("council/new/", v.council_new, name="council_new"),
    path("council/<int:pk>/", v.council_session, name="council_session"),
    path("council/<int:pk>/minutes.docx", v.council_minutes, name="council_minutes"),
    path("council/<int:pk>/<str:action>/", v.council_action, name="council_action"),
    path("decisions/<int:pk>/", v.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/decision.docx", v.decision_file, name="decision_file"),
    # the register lives at /emulation/awards/ (views.awards); the old address answers 301 there, query kept
    path("awards/register/", RedirectView.as_view(pattern_name="emulation:awards", permanent=True, query_string=True),
         name="award_register"),
    path("awards/<int:pk>/certificate.pdf", v.award_certificate, name="award_certificate"),
    path("awards/<int:pk>/revoke/", v.award_revoke, name="award_revoke"),
    path("exemplars/", v.exemplars, name="exemplars"),
    path("exemplars/public/", v.exemplars_public, name="exemplars_public"),
]
