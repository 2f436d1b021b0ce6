from django.contrib import admin

from campaigns.collectives.admin import CollectiveScopedAdmin
from campaigns.pledges.models import Pledge, PledgedMeasure


class PledgedMeasureInline(admin.TabularInline):
    model = PledgedMeasure
    extra = 0
    autocomplete_fields = ["measure"]


@admin.register(Pledge)
class PledgeAdmin(CollectiveScopedAdmin):
    list_display = ["list_name", "municipality", "pact", "collective", "signed_on", "election_outcome"]
    list_filter = ["pact", "election_outcome", "municipality__department", "collective"]
    search_fields = ["list_name", "municipality__search_name", "municipality__insee_code"]
    list_select_related = ["municipality", "pact", "collective"]
    autocomplete_fields = ["municipality", "head_of_list"]
    date_hierarchy = "signed_on"
    inlines = [PledgedMeasureInline]
