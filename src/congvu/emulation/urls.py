from django.urls import path

from congvu.emulation import views
from congvu.emulation.urls_council import urlpatterns as council_urlpatterns

app_name = "emulation"

urlpatterns = [
    path("", views.index, name="index"),
    path("movements/new/", views.movement_new, name="movement_new"),
    path("movements/<int:pk>/", views.movement_detail, name="movement_detail"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("awards/", views.awards, name="awards"),
    path("import/", views.import_upload, name="import"),
    path("evidence/", views.evidence, name="evidence"),
    path("people/<int:pk>/", views.person_records, name="person_records"),
    # council sessions, decisions, register across mergers, certificates, exemplars (urls_council)
    *council_urlpatterns,
]
