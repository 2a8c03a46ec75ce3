"""Target 2: the hand-written baseline, a plain Django view doing the same validation and JSON answer."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from echo_project.models import EchoInput, EchoOutput


@csrf_exempt
@require_POST
def echo(request: HttpRequest) -> HttpResponse:
    """Parse the body, validate it, answer `{"result": ...}` like Mizan does (and 4xx on bad input)."""
    try:
        body = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "body is not JSON"}, status=400)
    try:
        args = EchoInput.model_validate(body)
    except ValidationError as error:
        return JsonResponse({"error": error.errors(include_url=False)}, status=422)
    output = EchoOutput(message=args.text)
    return JsonResponse({"result": output.model_dump(mode="json"), "invalidate": []})
