"""Check API responses against the project's OpenAPI schema, as a client generator would."""

from __future__ import annotations

import functools
import re

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@functools.cache
def openapi() -> dict:
    return _nullable_to_json_schema(SchemaGenerator().get_schema(request=None, public=True))


# Formats as OpenAPI clients and schemathesis read them: a "time" is RFC 3339's full-time,
# with its offset (jsonschema's own check takes a bare "09:30:00").
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("time")
def _rfc3339_time(value) -> bool:
    return (
        not isinstance(value, str) or re.fullmatch(r"\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", value) is not None
    )


def _nullable_to_json_schema(node):
    """OpenAPI 3.0's ``nullable: true`` as JSON Schema says it."""
    if isinstance(node, list):
        return [_nullable_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def operation(method: str, path: str) -> dict:
    """The operation whose path template matches ``path`` (e.g. ``/api/pacts/1/``)."""
    # Literal segments first: /api/letters/reply-rates/ is not /api/letters/{id}/.
    for template, operations in sorted(openapi()["paths"].items(), key=lambda item: item[0].count("{")):
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path.split("?")[0]) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path}: no such operation in the schema")


def assert_conforms(response, method: str | None = None, path: str | None = None) -> None:
    """The status code, the content type and the body are those the schema documents."""
    request = response.wsgi_request
    method = method or request.method
    path = path or request.get_full_path()
    responses = operation(method, path)["responses"]
    code = str(response.status_code)
    assert code in responses, f"{method} {path}: {code} is not documented ({sorted(responses)})"
    content = responses[code].get("content", {})
    if not content:
        assert not response.content, f"{method} {path}: {code} documents no body"
        return
    media_type = response["Content-Type"].split(";")[0].strip()
    assert media_type in content, f"{method} {path}: {code} {media_type} is not documented ({sorted(content)})"
    schema = content[media_type].get("schema", {})
    if media_type == "application/json":
        document = {**schema, "components": openapi()["components"]}
        jsonschema.Draft7Validator(document, format_checker=FORMATS).validate(response.json())
