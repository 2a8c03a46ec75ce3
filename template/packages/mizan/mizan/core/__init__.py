"""The framework-free core: server functions, registry, contexts, invalidation keys, manifest. Never imports Django."""

from ._channels import ChannelRegistry, ChannelSpec, channel_name_of, channel_registry
from ._compositions import Composition, CompositionRegistry, compose, composition_registry
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
    RateLimited,
    Unauthorized,
    ValidationError,
)
from ._function import (
    AuthRule,
    ServerFunction,
    add_passthrough_type,
    is_framework_response,
    is_passthrough_type,
    set_framework_response_base,
    spec_of,
)
from ._invalidation import affected_functions, encode_key, invalidation_keys, unresolved_affects
from ._manifest import MANIFEST_VERSION, build_manifest, render_json, set_forms_source
from ._openapi import build_openapi
from ._problems import Problem, find_problems
from ._rate import Rate, RateKey
from ._registry import Duplicate, Registry, registry
from ._watch_keys import MAX_KEY_PARAMS, decode_key, key_scopes

__all__ = [
    "AuthRule",
    "BadRequest",
    "ChannelRegistry",
    "ChannelSpec",
    "Composition",
    "CompositionRegistry",
    "Context",
    "ContextParam",
    "Duplicate",
    "FeatureDisabled",
    "Forbidden",
    "MANIFEST_VERSION",
    "MAX_KEY_PARAMS",
    "MethodNotAllowed",
    "MizanError",
    "NotFound",
    "ParamConflict",
    "PayloadTooLarge",
    "Problem",
    "Rate",
    "RateKey",
    "RateLimited",
    "Registry",
    "STATUS_BY_CODE",
    "ServerFunction",
    "Unauthorized",
    "ValidationError",
    "add_passthrough_type",
    "affected_functions",
    "build_manifest",
    "build_openapi",
    "channel_name_of",
    "channel_registry",
    "client",
    "compose",
    "composition_registry",
    "contexts_of",
    "decode_key",
    "encode_key",
    "find_problems",
    "invalidation_keys",
    "is_framework_response",
    "is_passthrough_type",
    "key_scopes",
    "registry",
    "render_json",
    "set_forms_source",
    "set_framework_response_base",
    "spec_of",
    "unresolved_affects",
]
