"""A warm Python that runs the schema command in a fresh fork, so a save pays for Django setup, not imports.

Run as a script by the project's own interpreter (`python schema_zygote.py`); standard library only, because
mizan-dev's packages are not in the project's environment. It imports the heavy, never-edited libraries once
(Django, pydantic, channels, mizan) with no settings configured, so none of the project's modules and nothing
that reads its settings is loaded. For each request it forks: the child sets the request's environment, argv and
working folder, runs the script (`backend/manage.py export_mizan_schema`) as `__main__` with stdout and stderr
going to the given files, and exits; a fresh child sees every project file as it is now.

Protocol, one JSON object per line: request `{"argv": [script, *args], "env": {...}, "cwd": ..., "stdout":
FILE, "stderr": FILE}`, answer `{"status": N}` (the script's exit status). When a preloaded library's file
changed on disk (a package upgrade, an edit of the bundled runtime) the answer is `{"stale": true}` and the
zygote exits; the caller starts a new one. Ctrl-C is left to the caller; the zygote ends when stdin closes.
"""

from __future__ import annotations

import importlib
import json
import os
import runpy
import signal
import sys
import traceback
from collections.abc import Mapping
from typing import Any

# What `manage.py export_mizan_schema` imports that no project edit changes. Anything not importable without
# settings is skipped (Django raises ImproperlyConfigured or AppRegistryNotReady), which is what keeps
# settings-dependent code out of the zygote.
PRELOAD = (
    "django",
    "django.conf",
    "django.core.management",
    "django.core.management.base",
    "django.core.checks",
    "django.core.serializers.json",
    "django.db.models",
    "django.db.backends.sqlite3.base",
    "django.http",
    "django.urls",
    "django.forms",
    "django.template",
    "django.template.backends.django",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "django.views.generic",
    "django.views.debug",
    "django.views.static",
    "django.middleware.common",
    "django.middleware.security",
    "django.middleware.clickjacking",
    "django.template.defaulttags",
    "django.template.loader_tags",
    "django.templatetags.i18n",
    "django.core.cache.backends.locmem",
    "django.core.management.commands.migrate",
    "django.db.migrations.autodetector",
    "django.db.migrations.writer",
    "importlib.metadata",
    "importlib.resources",
    "pydantic",
    "pydantic.json_schema",
    "pydantic._internal._dataclasses",
    "channels",
    "channels.layers",
    "mizan",
    "mizan.core",
    "mizan.client",
    "mizan.setup",
    "mizan.errors",
)


def preload() -> None:
    """Import PRELOAD with no settings module, so nothing of the project's is imported."""
    settings_module = os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112  (not importable before setup: the child imports it)
            continue
    if settings_module is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module


def module_files() -> dict[str, float]:
    """The file of every loaded module with its modification time, to notice an upgrade under us."""
    files: dict[str, float] = {}
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path not in files:
            try:
                files[path] = os.stat(path).st_mtime
            except OSError:
                continue
    return files


def changed(files: Mapping[str, float]) -> bool:
    for path, mtime in files.items():
        try:
            if os.stat(path).st_mtime != mtime:
                return True
        except OSError:
            return True
    return False


def read_sources_fresh(folder: str) -> None:
    """Compile the project's modules (those under `folder`) from source, never from `__pycache__`.

    A .pyc is trusted when the source's size and whole-second mtime match, so two saves within one second that
    keep the size (a changed letter) would load the first save's bytecode: stale output. The project's own
    modules are few and compile fast; the libraries keep their caches.
    """
    import importlib._bootstrap_external as loaders

    cached = loaders.cache_from_source
    inside = os.path.join(os.path.abspath(folder), "")

    def cache_from_source(path: str, *args: Any, **kwargs: Any) -> str:
        if os.path.abspath(path).startswith(inside):
            raise NotImplementedError  # SourceLoader.get_code then neither reads nor writes bytecode
        return cached(path, *args, **kwargs)

    loaders.cache_from_source = cache_from_source  # type: ignore[assignment]


def run_child(request: Mapping[str, Any]) -> None:
    """In the forked child: become `python SCRIPT ARGS` with the request's environment, then exit."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        argv = [str(part) for part in request["argv"]]
        env: Mapping[str, Any] = request.get("env") or {}
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
        os.chdir(str(request["cwd"]))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        out = os.open(str(request["stdout"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        err = os.open(str(request["stderr"]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(out, 1)
        os.dup2(err, 2)
        script = os.path.abspath(argv[0])
        sys.argv = argv
        sys.path.insert(0, os.path.dirname(script))  # what `python SCRIPT` puts first
        read_sources_fresh(os.path.dirname(script))
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
            if exit_.code is not None and not isinstance(exit_.code, int):
                print(exit_.code, file=sys.stderr)
        except BaseException as error:  # noqa: BLE001  (shown as `python SCRIPT` would show it)
            frames = error.__traceback__
            while frames is not None and frames.tb_frame.f_code.co_filename != script:
                frames = frames.tb_next  # the zygote's and runpy's own frames are noise
            traceback.print_exception(type(error), error, frames or error.__traceback__)
            code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve() -> None:
    """Answer requests from stdin until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    del sys.path[0]  # this script's folder (mizan-dev's package) has nothing to lend the project
    preload()
    files = module_files()
    print(json.dumps({"ready": True, "modules": len(files)}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        if changed(files):
            print(json.dumps({"stale": True}), flush=True)
            return
        request = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            run_child(request)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    serve()
