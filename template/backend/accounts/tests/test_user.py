"""The project's own User model is the one Django, the admin and the example app use."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model

from accounts.models import User
from example.models import Todo


def test_the_user_model_is_the_projects_own() -> None:
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert get_user_model() is User
    assert Todo._meta.get_field("author").related_model is User
    assert admin.site.is_registered(User)


@pytest.mark.django_db
def test_a_user_is_stored_in_the_accounts_table() -> None:
    user = User.objects.create_user("ada", password="correct horse battery staple")

    assert User._meta.db_table == "accounts_user"
    assert user.check_password("correct horse battery staple")
    assert Todo.objects.create(list_id=1, title="Buy milk", author=user).author == user
