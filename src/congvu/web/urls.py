"""Pages of the web shell (namespace "web")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from congvu.web.views import audit, home, people, units

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("unit/select/", home.unit_select, name="unit_select"),
    path("units/", units.unit_tree, name="unit_tree"),
    path("units/search/", units.unit_search_view, name="unit_search"),
    path("units/children/<int:pk>/", units.unit_children, name="unit_children"),
    path("units/<str:code>/", units.unit_detail, name="unit_detail"),
    path("units/<str:code>/edit/", units.unit_edit, name="unit_edit"),
    path("people/", people.person_list, name="person_list"),
    path("people/<uuid:uid>/", people.person_detail, name="person_detail"),
    path("audit/", audit.audit_log, name="audit_log"),
]
