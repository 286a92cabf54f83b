from django.urls import path

from .views import dashboard

app_name = "leadership"

urlpatterns: list = [
    # --- dashboard (O7, O2) ---
    path("", dashboard.dashboard, name="dashboard"),
    path("units/<int:pk>/", dashboard.unit_dashboard, name="unit_dashboard"),
    path("settings/", dashboard.policy_edit, name="policy"),
]
