"""Search that forgives what people type: one rule for the API's filters and the admin's
search boxes. "salon de provence", "Salon-de-Provence" and "SALON DE PROVENCE" are the same
search: the text is folded (case, accents, typographic apostrophes and dashes, see
core.text.fold), then spaces, hyphens and apostrophes are left out, on both sides.

The column searched holds the folded text (``search_name``); the separators are removed in
the query with REPLACE, which SQLite and PostgreSQL both have. The admin's search boxes
(core.admin.FrenchAdminMixin) and the API's ``?search=`` (SearchFilter below, and the
``search`` filters of officials) use it."""

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.db.models.lookups import Contains
from rest_framework import filters

from core.text import fold

SEPARATORS = (" ", "-", "'")


def search_key(text: str) -> str:
    """``text`` as compared: folded, without separators ("Salon-de-Provence" -> "salondeprovence")."""
    key = fold(text)
    for separator in SEPARATORS:
        key = key.replace(separator, "")
    return key


def compacted(field: str):
    """The folded column ``field`` without its separators, in SQL."""
    expression = F(field)
    for separator in SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def folded_match(fields, text: str) -> Q:
    """Rows whose folded column, one of ``fields``, contains ``text`` as searched; all rows
    when ``text`` has nothing to search for."""
    key = search_key(text)
    if not key:
        return Q()
    match = Q()
    for field in fields:
        match |= Q(Contains(compacted(field), Value(key)))
    return match


def folded_fields(search_fields) -> list[str]:
    """Those of ``search_fields`` that name a folded column."""
    return [name for name in search_fields or () if name.split("__")[-1] == "search_name"]


def or_folded(queryset, found, search_fields, text: str):
    """The rows of ``queryset`` in ``found`` (a word-by-word search), or whose folded columns
    among ``search_fields`` match the whole ``text``."""
    fields = folded_fields(search_fields)
    if not fields or not search_key(text):
        return found
    return queryset.filter(Q(pk__in=found.values("pk")) | folded_match(fields, text))


class SearchFilter(filters.SearchFilter):
    """DRF's ``?search=``, which also finds "salon de provence" in Salon-de-Provence."""

    def filter_queryset(self, request, queryset, view):
        found = super().filter_queryset(request, queryset, view)
        text = request.query_params.get(self.search_param, "")
        return or_folded(queryset, found, self.get_search_fields(view, request), text)
