"""Admin of letter templates, interpellations and letters (scoped to a member's collectives)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.access import roles_of
from campaigns.collectives.admin import AdminRefused, CollectiveScopedAdmin
from campaigns.letters.models import Interpellation, Letter, LetterReminder, LetterTemplate
from campaigns.letters.services.replies import letter_reply
from campaigns.letters.services.templates import TEMPLATE_FIELDS, template_check
from core.admin import ProtectedFileInput, file_link


class LetterTemplateForm(admin.ModelAdmin.form):
    def clean(self):
        cleaned = super().clean()
        try:
            template_check({name: cleaned[name] for name in TEMPLATE_FIELDS if cleaned.get(name)})
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field, messages)
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(CollectiveScopedAdmin):
    form = LetterTemplateForm
    list_display = ["name", "kind", "collective"]
    list_filter = ["kind"]
    search_fields = ["name", "subject"]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_staff:
            return queryset
        return queryset.filter(collective__in=list(roles_of(request.user))) | queryset.filter(collective__isnull=True)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.collective_id is None:
            return request.user.is_staff  # shared templates: read-only for collectives
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.collective_id is None:
            return request.user.is_staff
        return super().has_delete_permission(request, obj)


class LetterReminderInline(admin.TabularInline):
    model = LetterReminder
    extra = 0
    fields = ["number", "subject", "channel", "pdf_link", "email", "created_at"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("PDF"))
    def pdf_link(self, reminder):
        return file_link(reminder.pdf, f"/api/letters/{reminder.letter_id}/reminders/{reminder.number}/pdf/")


class LetterInline(admin.TabularInline):
    model = Letter
    extra = 0
    fields = ["official", "municipality", "subject", "status", "channel", "channel_reason", "sent_at", "reply_date"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Interpellation)
class InterpellationAdmin(CollectiveScopedAdmin):
    list_display = ["__str__", "collective", "campaign", "delivery", "created_at"]
    list_filter = ["delivery", "collective"]
    search_fields = ["title"]
    readonly_fields = ["title", "job", "created_by", "created_at"]
    inlines = [LetterInline]

    def has_add_permission(self, request):
        # Interpellations start background work: they are created through the API.
        return False


@admin.register(Letter)
class LetterAdmin(CollectiveScopedAdmin):
    collective_path = "interpellation__collective"
    list_display = [
        "subject",
        "official",
        "municipality",
        "status",
        "channel",
        "channel_reason",
        "sent_at",
        "reply_date",
    ]
    list_filter = ["status", "channel", "channel_reason", "reply_outcome"]
    search_fields = ["subject", "official__search_name", "municipality__search_name"]
    list_select_related = ["official", "municipality", "interpellation"]
    readonly_fields = [
        "interpellation",
        "official",
        "municipality",
        "role",
        "subject",
        "status",
        "channel",
        "channel_reason",
        "channel_note",
        "recipient_email",
        "pdf_link",
        "pages",
        "error",
        "email",
        "sent_at",
        "reminders_sent",
        "last_reminder_at",
    ]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        (_("Réponse"), {"fields": ["reply_date", "reply_summary", "reply_file", "reply_outcome"]}),
    ]
    inlines = [LetterReminderInline]

    def _collective_id(self, obj):
        return obj.interpellation.collective_id

    @admin.display(description=_("PDF"))
    def pdf_link(self, letter):
        return file_link(letter.pdf, f"/api/letters/{letter.pk}/pdf/")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "reply_file":
            kwargs["widget"] = ProtectedFileInput(lambda letter: f"/api/letters/{letter.pk}/reply-file/")
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if not (obj.reply_date and form.has_changed()):
            super().save_model(request, obj, form, change)
            return
        # A reply is recorded by the service the API calls (it stops the reminders).
        file = form.cleaned_data.get("reply_file") if "reply_file" in form.changed_data else None
        try:
            letter_reply(
                letter=obj,
                date=obj.reply_date,
                summary=obj.reply_summary,
                outcome=obj.reply_outcome,
                file=file or None,
            )
        except ValidationError as exc:
            raise AdminRefused(exc) from exc

    def change_view(self, request, object_id, form_url="", extra_context=None):
        try:
            return super().change_view(request, object_id, form_url, extra_context)
        except AdminRefused as exc:
            for message in exc.error.messages:
                self.message_user(request, message, level=messages.ERROR)
            return HttpResponseRedirect(request.path)
