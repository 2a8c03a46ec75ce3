"""The page that boots the React app; django-vite's tags point at Vite's dev server or at the build."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie


@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    """The single page; React renders everything inside it."""
    return render(request, "index.html", {"page_title": settings.PROJECT_NAME})
