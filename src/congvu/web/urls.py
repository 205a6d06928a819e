"""Pages of the web shell (namespace "web")."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from congvu.core.accounts import throttled_login_form
from congvu.web.views import audit, home, people, units

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True,
                                                authentication_form=throttled_login_form()), name="login"),
    # Password reset by e-mail (Django's views, Vietnamese templates; issue 13).
    path("password-reset/", auth_views.PasswordResetView.as_view(
        template_name="web/password_reset_form.html", email_template_name="web/password_reset_email.txt",
        subject_template_name="web/password_reset_subject.txt",
        success_url=reverse_lazy("web:password_reset_done")), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="web/password_reset_done.html"), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="web/password_reset_confirm.html", success_url=reverse_lazy("web:password_reset_complete")),
         name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="web/password_reset_complete.html"), name="password_reset_complete"),
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
