"""The URLs `bench pages` serves: the application's, plus the benchmark-only admin site
(`rectify.benchpages.site`) under /bench-admin/. Never the ROOT_URLCONF of a server."""

from django.urls import path

from .benchpages import site
from .urls import urlpatterns as app_urlpatterns

urlpatterns = [*app_urlpatterns, path("bench-admin/", site.urls)]
