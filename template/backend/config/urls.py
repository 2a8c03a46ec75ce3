"""The site's URLs: Mizan's API, the admin, the pages of `@client(route=...)` functions, and the React app."""

from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path

from config import views

urlpatterns = [
    path("api/mizan/", include("mizan.urls")),
    path("admin/", admin.site.urls),
    path("", include("mizan.routes")),
    path("", views.index, name="index"),
]

# Serves static files (the admin's) in DEBUG only; production serves them with ServeStatic (async under ASGI).
urlpatterns += staticfiles_urlpatterns()
