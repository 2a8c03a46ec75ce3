"""The example's form: a Django ModelForm that becomes the typed `useNewTodoForm()` hook (docs/forms.md).

The title's length is checked in the browser by Zod (from the model field's max_length and the form's
min_length); "no two items with the same title on a list" is a rule only the server knows, reported after
submit. A saved item refreshes the `todo` context of its list (`affects="todo"`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.http import HttpRequest
from mizan.forms import MizanFormMeta, MizanFormMixin
from pydantic import BaseModel

from example.models import Todo


class NewTodo(BaseModel):
    id: int
    title: str


class NewTodoForm(MizanFormMixin, forms.ModelForm):
    mizan = MizanFormMeta(name="new_todo", title="New item", submit_label="Add", affects="todo", auth=True)

    title = forms.CharField(min_length=3, max_length=200, help_text="At least 3 characters")

    class Meta:
        model = Todo
        fields = ("list_id", "title")
        widgets: ClassVar = {"list_id": forms.HiddenInput}

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        list_id, title = data.get("list_id"), data.get("title")
        if list_id and title and Todo.objects.filter(list_id=list_id, title__iexact=title).exists():
            self.add_error("title", "This list already has an item with that title.")
        return data

    def on_submit_success(self, request: HttpRequest) -> NewTodo:
        todo = self.save(commit=False)
        todo.author = request.user
        todo.save()
        return NewTodo(id=todo.id, title=todo.title)
