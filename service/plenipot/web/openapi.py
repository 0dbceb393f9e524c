"""What the OpenAPI schema declares about answers: the media types of each 200 and the errors
each route can give, in the one error body of ``errors.py``, so that ``/openapi.json`` tells
the truth (the end-to-end tier runs Schemathesis' conformance checks against it).

Routes use ``answers(...)`` and ``error(...)`` in their ``responses=``; ``tidy(app)`` replaces
FastAPI's generic 422 (this service answers a bad parameter with a 400, see ``app.py``) and
gives every undescribed error the JSON error body.
"""

from collections.abc import Iterable

from fastapi import FastAPI

from plenipot.web.routes.api.models import ErrorBody

ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
BAD_PARAMETER = "A missing, repeated or wrong parameter; the message names it."


def answers(description: str, media_types: Iterable[str]) -> dict:
    """A 200 that comes in each of ``media_types``."""
    return {"description": description, "content": {media: {} for media in media_types}}


def error(description: str, *also: str) -> dict:
    """An error answered as the JSON error body (and as the other media types ``also``, e.g.
    the HTML page a browser gets)."""
    return {"description": description, "model": ErrorBody,
            "content": {media: {} for media in also}}


def tidy(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so that the schema declares the 400 this service answers instead of
    FastAPI's 422, and every 4xx/5xx without a body says it is the JSON error body."""
    generate = app.openapi

    def openapi() -> dict:
        if getattr(app.state, "tidy_openapi", None) is None:
            schema = generate()
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    _tidy_responses(operation.get("responses", {}))
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.setdefault("ErrorBody", ErrorBody.model_json_schema())
            for unused in ("HTTPValidationError", "ValidationError"):
                components.pop(unused, None)
            app.state.tidy_openapi = schema
        return app.state.tidy_openapi

    app.openapi = openapi


def _tidy_responses(responses: dict) -> None:
    if "422" in responses:
        del responses["422"]
        responses.setdefault("400", {"description": BAD_PARAMETER})
    for status, response in responses.items():
        if status[0] in "45":
            content = response.setdefault("content", {})
            content["application/json"] = {"schema": ERROR_REF}
