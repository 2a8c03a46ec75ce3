"""`path("api/mizan/", include("mizan.urls"))`: the Mizan HTTP endpoints (namespace "mizan")."""

from django.urls import path

from ._views import batch_view, call_view, envelope_view, schema_view, session_view

__all__ = ["app_name", "urlpatterns"]

app_name = "mizan"

urlpatterns = [
    path("call/", envelope_view, name="call"),
    path("call/<str:fn>/", call_view, name="call-fn"),
    path("batch/", batch_view, name="batch"),
    path("session/", session_view, name="session"),
    path("schema/", schema_view, name="schema"),
]
