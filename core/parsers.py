"""Request body parsers: DRF's, with bounds and French messages.

A body nested too deeply, or holding a NUL character (PostgreSQL refuses it in text),
is a 400 here, before any serializer or query sees it.
"""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

NUL = "\x00"


def nul_message(where: str) -> str:
    return _("Le caractère nul (\\u0000) n'est pas accepté (%(where)s).") % {"where": where}


def check_json(data, *, max_depth: int) -> None:
    """Refuse a structure nested deeper than ``max_depth`` or a string holding NUL.

    Walks with its own stack: the check itself must not recurse."""
    stack = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, (dict, list)):
            if depth > max_depth:
                raise exceptions.ParseError(
                    _("Le JSON est imbriqué sur plus de %(limit)s niveaux.") % {"limit": max_depth}
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and NUL in key:
                    raise exceptions.ParseError(nul_message(_("nom de champ")))
                stack.append((item, depth + 1, f"{path}.{key}" if path else str(key)))
        elif isinstance(value, str) and NUL in value:
            raise exceptions.ParseError(nul_message(path or _("corps de la requête")))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.decode(stream.read() if stream else b"", encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(
                _("Le corps de la requête n'est pas encodé en %(encoding)s.") % {"encoding": encoding}
            ) from exc
        max_depth = settings.API_JSON_MAX_DEPTH
        try:
            data = json.loads(text, parse_constant=_refuse_constant if self.strict else None)
        except RecursionError as exc:
            # The decoder recurses per level: far past any sane depth, it gives up first.
            raise exceptions.ParseError(
                _("Le JSON est imbriqué sur plus de %(limit)s niveaux.") % {"limit": max_depth}
            ) from exc
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                _("JSON mal formé (ligne %(line)s, colonne %(column)s).") % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except ValueError as exc:  # NaN, Infinity
            raise exceptions.ParseError(_("JSON mal formé : %(error)s") % {"error": exc}) from exc
        check_json(data, max_depth=max_depth)
        return data


def _refuse_constant(name: str):
    raise ValueError(_("valeur %(name)s non acceptée") % {"name": name})


def _check_form(data) -> None:
    for key, values in data.lists():
        if NUL in key or any(isinstance(value, str) and NUL in value for value in values):
            raise exceptions.ParseError(nul_message(key.replace(NUL, "")))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        _check_form(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            result = super().parse(stream, media_type, parser_context)
        except exceptions.ParseError as exc:
            cause = exc.__context__
            if isinstance(cause, MultiPartParserError):
                raise exceptions.ParseError(_("Formulaire multipart mal formé.")) from cause
            raise
        _check_form(result.data)
        return result
