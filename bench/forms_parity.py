"""Forms parity: the browser's Zod rules and the Django form must give the same verdict on the same value.

    python bench/forms_parity.py [--examples 400]

Hypothesis generates values per field type (text around each rule's edges, numbers in Python's and JavaScript's
spellings, choices, booleans, dates); each value is cleaned by a real Django form field and checked by the Zod
schema that mizan-js builds from the same field's description (`zodForm`, bundled with esbuild and run in Node).
A field validator listed as server-only is left to the server: there the client must not refuse what Django
accepts. Prints the number of cases and the agreement; exits 1 on any disagreement, listing the first ones.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MIZAN = ROOT / "template" / "packages" / "mizan"
MIZAN_JS = ROOT / "template" / "packages" / "mizan-js"
sys.path.insert(0, str(MIZAN))


def setup_django() -> None:
    import django
    from django.conf import settings

    settings.configure(USE_I18N=False, INSTALLED_APPS=[])
    django.setup()


def fields() -> dict[str, Any]:
    from django import forms
    from django.core import validators

    return {
        "char": forms.CharField(max_length=8, min_length=2),
        "char_optional": forms.CharField(required=False, max_length=5),
        "char_nostrip": forms.CharField(strip=False, max_length=4),
        "regex": forms.CharField(validators=[validators.RegexValidator(r"^[a-z]+\d*$", flags=re.IGNORECASE)]),
        "regex_inverse": forms.CharField(validators=[validators.RegexValidator(r"\s", inverse_match=True)]),
        "slug": forms.SlugField(max_length=10),
        "uuid": forms.UUIDField(),
        "email": forms.EmailField(),
        "url": forms.URLField(required=False, assume_scheme="https"),
        "integer": forms.IntegerField(min_value=-5, max_value=100),
        "integer_step": forms.IntegerField(step_size=5, required=False),
        "float": forms.FloatField(min_value=0.5, max_value=1e6),
        "decimal": forms.DecimalField(max_digits=5, decimal_places=2, min_value=Decimal("-100")),
        "decimal_step": forms.DecimalField(step_size=Decimal("0.25"), required=False),
        "boolean": forms.BooleanField(),
        "boolean_optional": forms.BooleanField(required=False),
        "choice": forms.ChoiceField(choices=[("a", "A"), ("b", "B"), ("1", "One")]),
        "choice_optional": forms.ChoiceField(choices=[("", "-"), ("x", "X")], required=False),
        "int_choice": forms.TypedChoiceField(choices=[(1, "One"), (2, "Two")], coerce=int),
        "multiple": forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")]),
        "multiple_optional": forms.MultipleChoiceField(choices=[("a", "A")], required=False),
        "date": forms.DateField(),
        "time": forms.TimeField(required=False),
        "datetime": forms.DateTimeField(),
    }


def values(kind: str):  # noqa: ANN201  (a hypothesis strategy)
    from hypothesis import strategies as st

    spaces = st.sampled_from(["", " ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "\u0085", "\u200b"])
    edges = st.sampled_from(["", "a", "ab", "abcdefgh", "abcdefghi", "AbC12", "ab cd", "a\x00b", "ß", "😀😀", "é" * 8])
    text = st.one_of(edges, st.text(max_size=12), st.builds(lambda a, b, c: a + b + c, spaces, edges, spaces))
    numbers = st.one_of(
        st.sampled_from(
            ["0", "-0", "5", "5.0", "5.00 ", "5.5", "+7", "1_000", "1__0", "1e2", "1E-2", ".5", "5.", "-.5", "inf",
             "-Infinity", "nan", "0x10", "١٢", "100", "101", "-5", "-6", "0.25", "0.5", "0.49", "999.99", "1000",
             "-100", "-100.01", "12.345", "1e6", "1000001", " 3 ", "3 4", "", "abc", "1,5"]
        ),
        st.integers(-200, 2000).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-200, max_value=2000).map(str),
        st.floats(allow_nan=False, allow_infinity=False, width=32).map(repr),
    )
    if kind in ("integer", "float", "decimal"):
        return numbers
    if kind == "boolean":
        return st.one_of(st.booleans(), st.sampled_from(["", "false", "False", "0", "true", "on", "no"]))
    if kind == "choice":
        return st.one_of(st.sampled_from(["", "a", "b", "c", "1", "2", "x", " a", "A"]), text)
    if kind == "multiple_choice":
        return st.lists(st.sampled_from(["a", "b", "c", "", "x"]), max_size=3)
    if kind == "uuid":
        return st.one_of(st.uuids().map(str), st.uuids().map(lambda u: u.hex.upper()), st.uuids().map(lambda u: "{" + str(u) + "}"), text)
    if kind in ("date", "time", "datetime"):
        return st.one_of(st.sampled_from(["", "2024-02-30", "2024-02-29", "10/25/2006", "12:30", "2024-01-01 10:00"]), text)
    if kind == "slug":
        return st.one_of(text, st.from_regex(r"\A[-a-zA-Z0-9_]{0,12}\Z"))
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400, help="generated values per field (default 400)")
    options = parser.parse_args()
    setup_django()
    from django import forms
    from hypothesis import HealthCheck, given, settings as hsettings

    from mizan.forms import describe_field

    cases: list[dict[str, Any]] = []
    for name, field in fields().items():
        description = describe_field(name, field, None, with_model_choices=False)
        strategy = values(description["kind"])

        def collector(name: str, field: forms.Field, description: dict[str, Any]) -> Any:
            @hsettings(max_examples=options.examples, database=None, suppress_health_check=list(HealthCheck), deadline=None)
            @given(strategy)
            def collect(value: Any) -> None:
                try:
                    field.clean(value)
                    django_ok = True
                except forms.ValidationError:
                    django_ok = False
                cases.append({"field": name, "schema": description, "value": value, "django": django_ok})

            return collect

        collector(name, field, description)()

    bundle_dir = Path(tempfile.mkdtemp(prefix="mizan-forms-parity-"))
    bundle = bundle_dir / "forms.mjs"
    subprocess.run(
        [str(MIZAN_JS / "node_modules" / ".bin" / "esbuild"), str(MIZAN_JS / "src" / "kernel" / "forms" / "index.ts"),
         "--bundle", "--format=esm", "--platform=node", f"--outfile={bundle}", "--log-level=warning"],
        check=True,
    )
    runner = bundle_dir / "run.mjs"
    runner.write_text(
        "import { readFileSync } from 'node:fs'\n"
        "import { zodField } from './forms.mjs'\n"
        "const cases = JSON.parse(readFileSync(0, 'utf8'))\n"
        "const out = cases.map((c) => zodField(c.schema).safeParse(c.value).success)\n"
        "process.stdout.write(JSON.stringify(out))\n"
    )
    verdicts = json.loads(
        subprocess.run(["node", str(runner)], input=json.dumps(cases), capture_output=True, text=True, check=True).stdout
    )
    strict = lenient = agree = 0
    wrong: list[str] = []
    for case, zod_ok in zip(cases, verdicts, strict=True):
        server_only = case["schema"]["server_only"]
        if server_only:
            # The client may accept what the server refuses, never the reverse.
            lenient += 1
            ok = zod_ok or not case["django"]
        else:
            strict += 1
            ok = zod_ok == case["django"]
        agree += ok
        if not ok:
            wrong.append(f"{case['field']}: {case['value']!r} django={case['django']} zod={zod_ok}")
    total = len(cases)
    print(f"forms parity: {total} cases over {len(fields())} fields ({strict} exact, {lenient} with server-only rules)")
    print(f"agreement: {agree}/{total} = {100 * agree / total:.2f}%   load average: {os.getloadavg()[0]:.2f}")
    for line in wrong[:25]:
        print("  DISAGREE", line)
    return 0 if not wrong else 1


if __name__ == "__main__":
    raise SystemExit(main())
