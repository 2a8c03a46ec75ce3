"""A URLconf that forgets `include("mizan.routes")` (for the mizan.W002 check)."""

from django.urls import include, path

urlpatterns = [path("api/mizan/", include("mizan.urls"))]
