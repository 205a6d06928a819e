from django.urls import path

from congvu.indices import views

app_name = "indices"

urlpatterns = [
    path("", views.index, name="index"),
    path("ranking.<str:fmt>", views.ranking_export, name="ranking_export"),
    path("units/<int:pk>/", views.unit_page, name="unit"),
    path("units/<int:pk>/remediation/", views.unit_remediation, name="unit_remediation"),
    path("units/<int:pk>/sheet.<str:fmt>", views.unit_sheet_export, name="unit_sheet_export"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
]
