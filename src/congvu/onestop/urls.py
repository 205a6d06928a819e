"""Pages of the one-stop desk, mounted at /onestop/ (namespace "onestop")."""

from django.urls import path

from congvu.onestop.views import desk, dossier, stats

app_name = "onestop"

urlpatterns = [
    path("", desk.index, name="index"),
    path("my-steps/", desk.my_steps, name="my_steps"),
    path("bulk-return/", desk.bulk_return, name="bulk_return"),
    path("receive/", dossier.receive, name="receive"),
    path("procedures/", dossier.procedure_options, name="procedure_options"),
    path("procedures/components/", dossier.procedure_components, name="procedure_components"),
    path("stats/", stats.dashboard, name="stats"),
    path("d/<str:code>/", dossier.detail, name="dossier"),
    path("d/<str:code>/forms/<str:form_no>.<str:ext>", dossier.form_download, name="form"),
    path("d/<str:code>/files/<int:pk>/", dossier.component_file, name="component_file"),
    path("d/<str:code>/result-file/", dossier.result_file, name="result_file"),
    path("d/<str:code>/result-file/upload/", dossier.result_file_upload, name="result_file_upload"),
    path("d/<str:code>/<str:name>/", dossier.act, name="act"),
]
