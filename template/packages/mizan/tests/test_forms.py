"""Forms: a Django form defined with MizanFormMixin answers schema, validate and submit over the real endpoints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core import validators
from django.core.checks import run_checks
from pydantic import BaseModel

from mizan.core import build_manifest, registry
from mizan.forms import MizanFormMeta, MizanFormMixin, form_registry, mizanFormMeta, mizanFormMixin
from tests.testapp.models import Todo


class Sent(BaseModel):
    sent: bool
    name: str


@pytest.fixture
def forms_registry(isolated_registry: None) -> Iterator[None]:
    before = {entry.form_class for entry in form_registry.entries()}
    yield
    for entry in form_registry.entries():
        if entry.form_class not in before:
            form_registry.remove(entry.form_class)


@pytest.fixture
def contact(forms_registry: None) -> type[forms.Form]:
    class ContactForm(mizanFormMixin, forms.Form):
        mizan = mizanFormMeta(name="contact", title="Contact Us", submit_label="Send", live_validation=True)

        name = forms.CharField(max_length=10, help_text="Your name")
        email = forms.EmailField()
        message = forms.CharField(widget=forms.Textarea, required=False)
        age = forms.IntegerField(min_value=18, max_value=120, required=False)
        code = forms.CharField(required=False, validators=[validators.RegexValidator(r"^[a-z]+$", flags=re.I)])
        topic = forms.ChoiceField(choices=[("a", "Alpha"), ("b", "Beta")], widget=forms.RadioSelect, initial="a")
        tags = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
        agree = forms.BooleanField()

        def clean(self) -> dict[str, Any]:
            data = super().clean()
            if data.get("name") == "spam":
                raise forms.ValidationError("No spam.")
            return data

        def on_submit_success(self, request: Any) -> Sent:
            return Sent(sent=True, name=self.cleaned_data["name"])

    return ContactForm


VALID = {"name": "Ann", "email": "ann@example.com", "topic": "b", "agree": True, "age": "30", "tags": ["x"]}


def test_defining_the_class_registers_three_functions(contact: type[forms.Form]) -> None:
    assert {"contact.schema", "contact.validate", "contact.submit"} <= {name for name, _ in registry.items()}


def test_schema_describes_fields_from_djangos_objects(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.schema")
    assert response.status_code == 200, response.content
    schema = response.json()["result"]
    assert (schema["title"], schema["submit_label"], schema["live_validation"]) == ("Contact Us", "Send", True)
    assert list(schema["fields"]) == ["name", "email", "message", "age", "code", "topic", "tags", "agree"]
    name = schema["fields"]["name"]
    assert name["rules"] == {"max_length": 10, "no_null_characters": True}
    assert (name["kind"], name["widget"], name["required"], name["help_text"]) == ("string", "text", True, "Your name")
    assert schema["fields"]["message"]["widget"] == "textarea"
    assert schema["fields"]["age"]["rules"] == {"max_value": 120, "min_value": 18}
    assert schema["fields"]["code"]["rules"]["patterns"] == [
        {"pattern": "^[a-z]+(?=\\n?$)", "flags": "i", "inverse": False, "message": "Enter a valid value."}
    ]
    topic = schema["fields"]["topic"]
    assert (topic["widget"], topic["initial"], topic["choices"]) == ("radio", "a", [["a", "Alpha"], ["b", "Beta"]])
    assert schema["fields"]["email"]["server_only"] == ["EmailValidator"]
    assert schema["fields"]["agree"]["kind"] == "boolean"


def test_valid_submit_returns_what_on_submit_success_returned(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.submit", VALID)
    assert response.status_code == 200, response.content
    assert response.json()["result"] == {"sent": True, "name": "Ann"}


def test_invalid_submit_is_422_with_field_and_all_errors(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.submit", {**VALID, "name": "spam", "age": "12", "email": "nope"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    fields = error["details"]["fields"]
    assert set(fields) == {"__all__", "age", "email"}
    assert fields["__all__"] == ["No spam."]
    assert fields["age"] == ["Ensure this value is greater than or equal to 18."]


def test_validate_answers_without_submitting(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.validate", {"name": "x" * 11})
    result = response.json()["result"]
    assert result["valid"] is False
    assert result["errors"]["name"] == ["Ensure this value has at most 10 characters (it has 11)."]
    assert "email" in result["errors"] and "agree" in result["errors"]
    assert api.call("contact.validate", VALID).json()["result"] == {"valid": True, "errors": {}}


def test_unknown_fields_are_named(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.submit", {**VALID, "nope": 1, "other": 2})
    assert response.status_code == 422
    assert {"nope", "other"} <= set(response.json()["error"]["details"]["fields"])


def test_a_wrong_type_is_an_error_at_that_field(api: Any, contact: type[forms.Form]) -> None:
    response = api.call("contact.submit", {**VALID, "age": {"n": 3}, "tags": "x"})
    assert response.status_code == 422
    fields = response.json()["error"]["details"]["fields"]
    assert set(fields) == {"age", "tags"}
    assert fields["age"] == ["Value error, expected a string, number or boolean, not dict"]


def test_the_manifest_lists_the_form(contact: type[forms.Form]) -> None:
    entry = build_manifest(registry)["forms"]["contact"]
    assert entry["functions"] == {"schema": "contact.schema", "validate": "contact.validate", "submit": "contact.submit"}
    assert entry["fields"]["name"]["rules"]["max_length"] == 10
    manifest = build_manifest(registry)
    assert manifest["functions"]["contact.submit"]["output"] == {"$ref": "#/$defs/Sent"}
    assert manifest["$defs"]["Sent"]["properties"]["sent"]["type"] == "boolean"


@pytest.mark.django_db(transaction=True)
def test_model_form_saves_and_declares_affects(api: Any, forms_registry: None) -> None:
    class NewTodoForm(MizanFormMixin, forms.ModelForm):
        mizan = MizanFormMeta(name="todo_form", affects="todos")

        class Meta:
            model = Todo
            fields = ("list_id", "title", "done")

    response = api.call("todo_form.submit", {"list_id": "1", "title": "Milk", "done": False})
    assert response.status_code == 200, response.content
    todo = Todo.objects.get(pk=response.json()["result"]["id"])
    assert (todo.list_id, todo.title, todo.done) == (1, "Milk", False)
    assert registry.get("todo_form.submit").is_mutation
    # An integer field's text is scoped as the integer Django cleans it to.
    assert registry.get("todo_form.submit").validate({"list_id": " 7 "})["list_id"] == 7
    bad = api.call("todo_form.submit", {"list_id": "x", "title": "y" * 201})
    assert set(bad.json()["error"]["details"]["fields"]) == {"list_id", "title"}
    assert Todo.objects.count() == 1


def test_prefix_and_request_aware_forms(api: Any, alice: Any, forms_registry: None) -> None:
    class ProfileForm(MizanFormMixin, forms.Form):
        mizan = MizanFormMeta(name="profile")
        prefix = "p"
        nickname = forms.CharField()

        def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.request = request
            if request is not None and request.user.is_authenticated:
                self.fields["nickname"].initial = request.user.username

        def on_submit_success(self, request: Any) -> dict[str, str]:
            return {"hello": f"{self.cleaned_data['nickname']} ({self.request.user.username})"}

    api.client.force_login(alice)
    schema = api.call("profile.schema").json()["result"]
    assert (schema["prefix"], schema["fields"]["nickname"]["initial"]) == ("p", "alice")
    assert api.call("profile.submit", {"nickname": "Al"}).json()["result"] == {"hello": "Al (alice)"}


def test_system_checks(forms_registry: None) -> None:
    class NoName(MizanFormMixin, forms.Form):
        mizan = MizanFormMeta(title="No name")

    class Upload(MizanFormMixin, forms.Form):
        mizan = MizanFormMeta(name="upload")
        file = forms.FileField()

    class Odd(forms.Field):
        pass

    class Weird(MizanFormMixin, forms.Form):
        mizan = MizanFormMeta(name="weird")
        odd = Odd()

    class Clash(MizanFormMixin, forms.Form):
        mizan = MizanFormMeta(name="upload")
        x = forms.CharField()

    found = {message.id: message for message in run_checks(tags=["mizan"]) if message.id.startswith("mizan.E03")}
    assert "NoName" in found["mizan.E030"].msg and "MizanFormMeta(name=" in found["mizan.E030"].hint
    assert "Clash" in found["mizan.E031"].msg and "'upload.schema', 'upload.validate', 'upload.submit'" in found["mizan.E031"].msg
    assert "'odd'" in found["mizan.E032"].msg and "Weird" in found["mizan.E032"].msg
    assert "'file'" in found["mizan.E033"].msg and "not supported yet" in found["mizan.E033"].msg
