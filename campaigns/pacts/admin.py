from django.contrib import admin

from campaigns.pacts.models import Measure, MeasureLevel, Pact, Theme
from core.admin import PublicDataAdmin


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class MeasureLevelInline(admin.TabularInline):
    model = MeasureLevel
    extra = 0


@admin.register(Pact)
class PactAdmin(PublicDataAdmin):
    list_display = ["name", "year", "min_measures", "principles_required"]
    inlines = [ThemeInline]


@admin.register(Measure)
class MeasureAdmin(PublicDataAdmin):
    list_display = ["code", "title", "kind", "theme", "pact"]
    list_filter = ["pact", "kind", "theme"]
    search_fields = ["code", "title"]
    inlines = [MeasureLevelInline]
