"""How one generation went, as a value, and the one formatter that says it (both paths: warm and one-shot).

The watcher's readiness under `up` is the line this module writes at the end of every run (`DONE`), so it
depends on this file alone, not on what mizan-generate (TypeScript) or the schema command happen to print.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

__all__ = ["DONE", "Generation", "report"]

DONE = r"^(client generated|client checked|generated client is stale|generation failed) "


@dataclass(frozen=True)
class Generation:
    """One run of mizan-generate: whether it worked, how long it took, what it wrote, and why it failed.

    `changed`/`unchanged` are None on the one-shot path, whose mizan-generate reports its files itself.
    `error` is what was printed about a failure, empty when the failing command said nothing.
    """

    ok: bool
    seconds: float
    status: int = 0
    changed: tuple[str, ...] | None = None
    unchanged: tuple[str, ...] | None = None
    out_dir: str = "frontend/src/api"
    error: str = ""
    check: bool = False


def report(generation: Generation, output: TextIO) -> None:
    """Write the result's lines, the last one matching DONE."""
    g = generation
    if g.ok:
        if g.changed is not None and g.unchanged is not None:
            output.write(
                f"mizan-generate: wrote {len(g.changed)} file(s), {len(g.unchanged)} unchanged in {g.out_dir}\n"
            )
        output.write(f"client {'checked' if g.check else 'generated'} in {g.seconds:.2f} s\n")
    elif g.check:
        output.write("generated client is stale: run `mizan-dev generate` to update it\n")
    else:
        cause = (
            "fix the error above and save"
            if g.error.strip()
            else "it printed nothing to say why; run `mizan-dev generate` to see it on its own"
        )
        output.write(
            f"generation failed (exit status {g.status}) after {g.seconds:.2f} s: {cause}; "
            "`mizan-dev generate` retries\n"
        )
    output.flush()
