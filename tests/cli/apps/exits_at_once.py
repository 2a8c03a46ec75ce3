"""A server stand-in that gives up before it is ready: one line, then exit code 0 (as Vite did on a closed
stdin)."""

print("cannot serve: the fixture says so", flush=True)
