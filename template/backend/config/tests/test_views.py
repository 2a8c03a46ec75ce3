import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_page_boots_the_react_app_from_vite(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="root"' in html
    # DEBUG: django-vite points the page at Vite's dev server, under Django's STATIC_URL (Vite's `base`).
    assert "/static/@vite/client" in html
    assert "/static/src/main.tsx" in html
    assert response.cookies["csrftoken"].value
