"""The app's page, a React component rendered on the server by the SSR worker (mizan.ssr.MizanTemplates), with
its contexts run in-process, so the first load makes no Mizan request. See docs/ssr.md."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from mizan.ssr import preload

# The to-do board shows these lists (frontend/src/pages/TodoBoard.tsx): their `todo` context is hydrated too.
BOARD_LISTS = (1, 2)


@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    """The single page: the component `App` (frontend/src/pages.ts), its props, and the board's contexts."""
    for list_id in BOARD_LISTS:
        preload(request, "todo", list_id=list_id)
    return render(request, "App", {"title": settings.PROJECT_NAME, "development": settings.DEBUG})
