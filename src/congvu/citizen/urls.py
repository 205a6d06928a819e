"""Mounted at /citizen/ by congvu.urls (namespace "citizen")."""

from django.urls import path

from congvu.citizen import views

app_name = "citizen"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", views.file_online, name="file"),
    path("bien-nhan/<str:token>/", views.receipt, name="receipt"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("danh-gia/<str:token>/", views.rate, name="rate"),
    path("phan-anh-kien-nghi/", views.complaint, name="complaint"),
    path("_bench/ping", views.bench_ping, name="bench_ping"),
    path("desk/", views.desk, name="desk"),
    path("desk/submissions/<int:pk>/", views.desk_submission, name="desk_submission"),
    path("desk/files/<int:pk>/", views.desk_file, name="desk_file"),
    path("desk/pakn/", views.desk_complaints, name="desk_complaints"),
    path("desk/pakn/<int:pk>/", views.desk_complaint, name="desk_complaint"),
]
