from django.contrib import admin

from example.models import Todo


@admin.register(Todo)
class TodoAdmin(admin.ModelAdmin):
    list_display = ("title", "list_id", "done", "author", "created")
    list_filter = ("list_id", "done")
