"""Pages of the portal app, mounted at /portal/ (namespace "portal")."""

from django.urls import path

from congvu.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("health/", views.health, name="health"),
    path("r/<int:pk>/resend/", views.record_resend, name="record_resend"),
    path("r/<int:pk>/cancel/", views.record_cancel, name="record_cancel"),
    path("d/<str:code>/identity-check/", views.identity_check, name="identity_check"),
    path("identity/lookup/", views.identity_lookup, name="identity_lookup"),
    path("identity/public/", views.identity_public, name="identity_public"),
]
