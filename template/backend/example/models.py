"""A to-do item on a numbered list. A list is only its number here, to keep the example small."""

from django.conf import settings
from django.db import models


class Todo(models.Model):
    list_id = models.PositiveIntegerField(db_index=True)
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created", "id")

    def __str__(self) -> str:
        return self.title
