"""The public API is explicit and pinned: changing it must be a deliberate edit of this file."""

from __future__ import annotations

import importlib

import pytest

import mizan
import mizan.core
import mizan.errors

PUBLIC = {
    "mizan": [
        "BadRequest",
        "FeatureDisabled",
        "Forbidden",
        "MethodNotAllowed",
        "MizanError",
        "NotFound",
        "PayloadTooLarge",
        "ServerFunction",
        "Unauthorized",
        "ValidationError",
        "mizan_clients",
        "register",
        "wrap_asgi",
    ],
    "mizan.errors": [
        "BadRequest",
        "FeatureDisabled",
        "Forbidden",
        "MethodNotAllowed",
        "MizanError",
        "NotFound",
        "PayloadTooLarge",
        "RateLimited",
        "STATUS_BY_CODE",
        "Unauthorized",
        "ValidationError",
    ],
    "mizan.cache": [
        "Backend",
        "DEFAULT_MAX_ENTRIES",
        "DEFAULT_TTL",
        "EdgeCache",
        "Lookup",
        "MemoryBackend",
        "Pending",
        "alookup",
        "astore",
        "backend",
        "edge_blockers",
        "edge_enabled",
        "entry_key",
        "entry_tags",
        "lookup",
        "purge_keys",
        "purge_tags",
        "reset",
        "store",
        "user_scope",
    ],
    "mizan.channels": ["ReactChannel"],
    "mizan.client": ["Rate", "ServerFunction", "client", "compose"],
    "mizan.forms": [
        "MizanFormMeta",
        "MizanFormMixin",
        "describe_field",
        "describe_fields",
        "form_registry",
        "form_schema",
        "forms_manifest",
        "make_form",
        "mizanFormMeta",
        "mizanFormMixin",
    ],
    "mizan.setup": ["mizan_clients", "register"],
}


@pytest.mark.parametrize(("module_name", "names"), sorted(PUBLIC.items()))
def test_exported_names_are_pinned(module_name: str, names: list[str]) -> None:
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == names
    for name in names:
        assert getattr(module, name) is not None


@pytest.mark.parametrize(
    "module_name",
    ["mizan", "mizan.cache", "mizan.channels", "mizan.core", "mizan.errors", "mizan.client", "mizan.setup", "mizan._socket", "mizan.forms"],
)
def test_all_is_sorted(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert list(module.__all__) == sorted(module.__all__)


def test_seed_import_paths_are_the_same_objects() -> None:
    from mizan.client import client
    from mizan.errors import MizanError
    from mizan.setup import mizan_clients, register

    assert client is mizan.core.client
    assert register is mizan.register
    assert mizan_clients is mizan.mizan_clients
    assert MizanError is mizan.MizanError is mizan.core.MizanError


def test_error_classes_form_one_tree() -> None:
    for name in mizan.errors.__all__:
        value = getattr(mizan.errors, name)
        if isinstance(value, type):
            assert issubclass(value, mizan.errors.MizanError)
