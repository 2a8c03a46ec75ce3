import json
import re

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def page_data(html: str) -> dict:
    """The props and context data the page hands the browser (`{{ mizan.data }}`)."""
    found = re.search(r'<script id="mizan-page" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert found, html
    return json.loads(found.group(1))


def test_the_page_boots_the_react_app_from_vite(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="root">' in html
    # DEBUG: django-vite points the page at Vite's dev server, under Django's STATIC_URL (Vite's `base`).
    assert "/static/@vite/client" in html
    assert "/static/src/main.tsx" in html
    assert response.cookies["csrftoken"].value


@override_settings(MIZAN_SSR_ADDRESS="")
def test_without_the_ssr_worker_the_page_carries_its_data_for_the_browser(client: Client) -> None:
    html = client.get("/").content.decode()

    assert '<div id="root"></div>' in html
    data = page_data(html)
    assert data["component"] == "App" and data["rendered"] is False
    assert data["props"] == {"title": settings.PROJECT_NAME, "development": settings.DEBUG}
    # The global context and the board's two lists: the browser asks Mizan for none of them.
    queries = {(query["fn"], json.dumps(query["args"])) for query in data["hydration"]["queries"]}
    assert ("current_user", "{}") in queries
    for list_id in (1, 2):
        assert ("todo_list", json.dumps({"list_id": list_id})) in queries
        assert ("todo_stats", json.dumps({"list_id": list_id})) in queries
