"""The three targets side by side in one URLconf, served by one ASGI process."""

from __future__ import annotations

from django.urls import include, path

from echo_project import views
from echo_project.ninja_api import api

urlpatterns = [
    path("api/mizan/", include("mizan.urls")),
    path("hand/echo/", views.echo),
    path("ninja/", api.urls),
]
