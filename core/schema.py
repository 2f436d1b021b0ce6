"""OpenAPI schema generation: every operation also documents the errors it can answer.

The bodies come from ``core.exceptions.exception_handler``: ``{"detail": "..."}`` for
every error, and field-keyed French messages for validation errors (400).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers

# Permissions that let anyone read; the project's own say so with ``reads_are_public = True``.
PUBLIC_READS = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)

ERROR_SCHEMA = {
    "type": "object",
    "description": "Erreur : le message, en français, dit ce qui ne va pas.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Données refusées : pour chaque champ en cause, la liste de ses messages "
        '(`{"champ": ["message"]}`, `non_field_errors` pour l\'ensemble, objets imbriqués '
        'pour les listes de lignes), ou `{"detail": "message"}` quand la requête est illisible.'
    ),
    "additionalProperties": {},
}

FILE_SCHEMAS = {
    "text/csv": {"type": "string", "description": "CSV, séparateur « ; », UTF-8 avec BOM"},
    "application/pdf": {"type": "string", "format": "binary"},
    "application/zip": {"type": "string", "format": "binary"},
    "text/calendar": {"type": "string", "description": "iCalendar (RFC 5545), UTF-8"},
}

ERRORS = {
    "400": (_("Données refusées"), "ValidationError", VALIDATION_ERROR_SCHEMA),
    "401": (_("Non authentifié (jeton absent ou invalide)"), "Error", ERROR_SCHEMA),
    "403": (_("Action non permise"), "Error", ERROR_SCHEMA),
    "404": (_("Introuvable"), "Error", ERROR_SCHEMA),
    "409": (_("Encore référencé ailleurs"), "Error", ERROR_SCHEMA),
    "413": (_("Requête trop volumineuse"), "Error", ERROR_SCHEMA),
    "414": (_("Adresse trop longue"), "Error", ERROR_SCHEMA),
    "415": (_("Type de contenu non pris en charge"), "Error", ERROR_SCHEMA),
    "429": (_("Trop de requêtes"), "Error", ERROR_SCHEMA),
}


# A wall-clock time as the API reads and sends it ("09:30" or "09:30:00"). OpenAPI's
# "time" format is RFC 3339's full-time, which requires an offset the API never sends.
TIME_SCHEMA = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "09:30:00"}


class AutoSchema(BaseAutoSchema):
    """drf-spectacular's schema, plus the error responses each operation can give."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField) and schema.get("format") == "time":
            schema = {**{key: value for key, value in schema.items() if key != "format"}, **TIME_SCHEMA}
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            for media_type, body in response.get("content", {}).items():
                if media_type in FILE_SCHEMAS:  # not the JSON serializer's shape
                    body["schema"] = FILE_SCHEMAS[media_type]
        for code in self.error_codes():
            if code in responses:
                continue
            description, name, schema = ERRORS[code]
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)
            responses[code] = {"description": description, "content": {"application/json": {"schema": component.ref}}}
        return dict(sorted(responses.items()))

    def error_codes(self) -> list[str]:
        has_body = self.method in ("POST", "PUT", "PATCH") and self._get_request_body() is not None
        query = [p for p in self._get_parameters() if p["in"] == "query"]
        path = [p for p in self._get_parameters() if p["in"] == "path"]
        codes = []
        if self.view.get_authenticators():
            # A wrong or expired token is refused everywhere, public data included.
            codes.append("401")
        if self.method not in permissions.SAFE_METHODS or query:
            # Writes and their actions may be refused by a service's rule, with or without a body.
            codes.append("400")
        checked = bool(self.view.get_permissions() or self.view.get_authenticators())  # CSRF of sessions
        if (self.method not in permissions.SAFE_METHODS and checked) or not self.reads_are_public():
            codes.append("403")
        if path or query:  # an unknown object, or a page past the last one
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        codes.append("414")  # any address may be too long (core.middleware.BoundedAddressMiddleware)
        if has_body:  # a body over its size limit, or of a type the view does not read
            codes += ["413", "415"]
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def get_auth(self):
        auth = super().get_auth()
        if auth and {} not in auth and self.method in permissions.SAFE_METHODS and self.reads_are_public():
            auth.append({})  # anyone reads: the token is optional
        return auth

    def reads_are_public(self) -> bool:
        """Whether every permission of the view lets anyone read (no 403 on a GET)."""
        return all(
            isinstance(permission, PUBLIC_READS) or getattr(permission, "reads_are_public", False)
            for permission in self.view.get_permissions()
        )


def doc_excludes() -> list:
    """Classes whose docstrings describe code, not the API: DRF's, and the project's mixins
    (a view without a docstring of its own would otherwise be described by one, which names
    its attributes, as ``csv_columns``)."""
    from drf_spectacular.plumbing import get_lib_doc_excludes

    from core.csv_export import CSVExportMixin

    return [*get_lib_doc_excludes(), CSVExportMixin]
