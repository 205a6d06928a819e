"""Pages of the emulation app, mounted at /emulation/ (namespace "emulation")."""

from congvu.emulation.urls_council import urlpatterns as council_urlpatterns

app_name = "emulation"

urlpatterns = [
    *council_urlpatterns,
]
