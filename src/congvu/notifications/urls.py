"""Notifications endpoints, mounted at /notifications/ (namespace "notifications")."""

from django.urls import path

from congvu.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("callback/", views.delivery_callback, name="callback"),
]
