from django.db import models


class Todo(models.Model):
    list_id = models.IntegerField()
    title = models.CharField(max_length=200)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
