from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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
    list_display = ["code", "title", "title_known", "kind", "theme", "pact"]
    list_filter = ["pact", "kind", "theme"]
    search_fields = ["code", "title"]
    inlines = [MeasureLevelInline]

    @admin.display(boolean=True, description=_("intitulé connu"))
    def title_known(self, measure):
        return not measure.title_is_placeholder
