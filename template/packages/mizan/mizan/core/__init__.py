"""The framework-free core: server functions, registry, contexts, invalidation keys, manifest. Never imports Django."""

from ._contexts import Context, ContextParam, ParamConflict, contexts_of
from ._decorator import client
from ._errors import (
    STATUS_BY_CODE,
    BadRequest,
    FeatureDisabled,
    Forbidden,
    MethodNotAllowed,
    MizanError,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    ValidationError,
)
from ._function import AuthRule, ServerFunction, add_passthrough_type, is_passthrough_type, spec_of
from ._invalidation import affected_functions, encode_key, invalidation_keys, unresolved_affects
from ._manifest import MANIFEST_VERSION, build_manifest, render_json
from ._openapi import build_openapi
from ._problems import Problem, find_problems
from ._registry import Duplicate, Registry, registry

__all__ = [
    "AuthRule",
    "BadRequest",
    "Context",
    "ContextParam",
    "Duplicate",
    "FeatureDisabled",
    "Forbidden",
    "MANIFEST_VERSION",
    "MethodNotAllowed",
    "MizanError",
    "NotFound",
    "ParamConflict",
    "PayloadTooLarge",
    "Problem",
    "Registry",
    "STATUS_BY_CODE",
    "ServerFunction",
    "Unauthorized",
    "ValidationError",
    "add_passthrough_type",
    "affected_functions",
    "build_manifest",
    "build_openapi",
    "client",
    "contexts_of",
    "encode_key",
    "find_problems",
    "invalidation_keys",
    "is_passthrough_type",
    "registry",
    "render_json",
    "spec_of",
    "unresolved_affects",
]
