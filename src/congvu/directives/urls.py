from django.urls import path

from congvu.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_review, name="import_review"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/followup.<str:fmt>", views.notice_followup, name="notice_followup"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("reports/<int:pk>/attachment/", views.report_attachment, name="report_attachment"),
    path("notices/<int:pk>/original/", views.notice_original, name="notice_original"),
    path("stats/", views.stats, name="stats"),
]
