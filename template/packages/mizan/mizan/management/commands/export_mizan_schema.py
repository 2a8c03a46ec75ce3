"""`manage.py export_mizan_schema [--output FILE] [--openapi]`: the manifest (or OpenAPI 3.1) as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...core import build_manifest, build_openapi, registry, render_json


class Command(BaseCommand):
    help = "Print or write the Mizan manifest (PROTOCOL §5), or an OpenAPI 3.1 document with --openapi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")
        parser.add_argument("--openapi", action="store_true", help="write an OpenAPI 3.1 document instead")
        parser.add_argument(
            "--base-url", default="/api/mizan", help="where mizan.urls is mounted (OpenAPI servers[0].url)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = build_manifest(registry)
        if options["openapi"]:
            document = build_openapi(document, base_url=options["base_url"])
        text = render_json(document)
        output = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"Cannot write {output}: the folder {path.parent} does not exist; create it first.")
        # Unchanged content is not rewritten, so file watchers see no change.
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
