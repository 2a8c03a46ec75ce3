"""The keyword API the command line is built on: pinned, sorted, and every name importable."""

from __future__ import annotations

import mizan_dev


def test_public_names_are_pinned_and_sorted() -> None:
    assert mizan_dev.__all__ == [
        "Check",
        "MizanDevError",
        "doctor",
        "generate",
        "lint",
        "new_project",
        "run_tests",
        "up",
    ]
    assert mizan_dev.__all__ == sorted(mizan_dev.__all__)
    for name in mizan_dev.__all__:
        assert getattr(mizan_dev, name).__name__ == name
