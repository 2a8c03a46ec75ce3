import pytest

from example.models import Todo

pytestmark = pytest.mark.django_db


def test_items_keep_their_order_of_creation() -> None:
    Todo.objects.create(list_id=1, title="b")
    Todo.objects.create(list_id=1, title="a")

    assert [str(todo) for todo in Todo.objects.all()] == ["b", "a"]
