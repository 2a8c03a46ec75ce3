"""mizan-dev: scaffold (`new`), run (`up`), test, lint, generate and check (`doctor`) Mizan projects.

The command line is a thin layer over these keyword functions, which tests and scripts may call directly.
They are imported on first use, so `mizan-dev up` does not pay for loading Copier.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from ._doctor import Check, doctor
    from ._errors import MizanDevError
    from ._lint import lint
    from ._run_tests import run_tests
    from ._up import up
    from .codegen.generate import generate
    from .scaffolding.new import new_project

__all__ = ["Check", "MizanDevError", "doctor", "generate", "lint", "new_project", "run_tests", "up"]

_HOMES = {
    "Check": "._doctor",
    "MizanDevError": "._errors",
    "doctor": "._doctor",
    "generate": ".codegen.generate",
    "lint": "._lint",
    "new_project": ".scaffolding.new",
    "run_tests": "._run_tests",
    "up": "._up",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'mizan_dev' has no attribute {name!r}")
    return getattr(importlib.import_module(home, __name__), name)
