from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm

app_patterns = (
    [
        path("units/", views.unit_tree, name="unit_tree"),
        path("units/<int:pk>/children/", views.unit_children, name="unit_children"),
        path("officers/", views.officer_list, name="officer_list"),
        path("officers/pick/", views.officer_pick, name="officer_pick"),
        path("import/", views.org_import, name="org_import"),
        path("audit/", views.audit_list, name="audit_list"),
    ],
    "rectify",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/2fa/", views.otp_verify, name="otp_verify"),
    path("accounts/2fa/enrol/", views.otp_enrol, name="otp_enrol"),
    path("accounts/security/", views.account_security, name="account_security"),
    path("org/", include(app_patterns)),
    path("selfcheck/", include("selfcheck.urls")),
    path("leads/", include("leads.urls")),
    path("remediation/", include("remediation.urls")),
    path("leadership/", include("leadership.urls")),
    path("admin/", admin.site.urls),
]
