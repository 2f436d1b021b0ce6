"""Admin of letter templates, interpellations and letters (scoped to a member's collectives)."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.access import roles_of
from campaigns.collectives.admin import AdminRefused, CollectiveScopedAdmin
from campaigns.letters.admin import paper as admin_paper
from campaigns.letters.admin.interpellations import InterpellationWorkbenchAdmin, add_entry_actions
from campaigns.letters.admin.templates import LetterTemplateEditorAdmin
from campaigns.letters.models import Interpellation, Letter, LetterReminder, LetterTemplate
from campaigns.letters.services import templates
from campaigns.letters.services.interpellations import interpellation_resume
from campaigns.letters.services.replies import letter_reply
from core.admin import ProtectedFileInput, ServiceWrittenAdmin, file_link


@admin.register(LetterTemplate)
class LetterTemplateAdmin(LetterTemplateEditorAdmin, ServiceWrittenAdmin, CollectiveScopedAdmin):
    model_argument = "template"
    create = staticmethod(templates.template_create)
    update = staticmethod(templates.template_update)
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


def _refused(modeladmin, request, error: ValidationError) -> None:
    for message in error.messages:
        modeladmin.message_user(request, message, messages.ERROR)


def _selection(queryset, action: str) -> list[tuple[str, str]]:
    """The hidden fields that bring an action's selection back to its list."""
    return [("action", action), *((ACTION_CHECKBOX_NAME, str(pk)) for pk in queryset.values_list("pk", flat=True))]


class LetterReminderInline(admin.TabularInline):
    model = LetterReminder
    extra = 0
    fields = ["number", "subject", "channel", "status", "posted_on", "sent_at", "pdf_link", "email", "created_at"]
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
class InterpellationAdmin(InterpellationWorkbenchAdmin, CollectiveScopedAdmin):
    list_display = ["__str__", "collective", "campaign", "delivery", "created_at"]
    list_filter = ["delivery", "collective"]
    search_fields = ["title"]
    readonly_fields = ["title", "job", "created_by", "created_at", "reminders_pdf_link"]
    inlines = [LetterInline]
    actions = ["mark_posted", "resume"]

    def has_add_permission(self, request):
        # Interpellations start background work: they are started by their own page ("lancer").
        return False

    @admin.display(description=_("relances papier (PDF)"))
    def reminders_pdf_link(self, interpellation):
        return file_link(interpellation.reminders_pdf, f"/api/interpellations/{interpellation.pk}/reminders-pdf/")

    @admin.action(description=_("Marquer comme postés tous leurs courriers à poster"))
    def mark_posted(self, request, queryset):
        letters = Letter.objects.filter(interpellation__in=queryset, **admin_paper.TO_POST)
        if not letters.exists():
            self.message_user(request, gettext("Aucun courrier de ces interpellations n'est à poster."), messages.ERROR)
            return None
        letters = letters.select_related("official", "municipality").order_by("municipality__name", "pk")
        hidden = _selection(queryset, "mark_posted")
        return admin_paper.post_selection(
            self, request, letters=letters, reminders=[], hidden=hidden, back=request.path
        )

    @admin.action(description=_("Reprendre la préparation des courriers"), permissions=["resume"])
    def resume(self, request, queryset):
        for interpellation in queryset:
            try:
                count = interpellation_resume(interpellation=interpellation)
            except ValidationError as exc:
                _refused(self, request, exc)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(name)s : %(count)s courrier remis en préparation.",
                    "%(name)s : %(count)s courriers remis en préparation.",
                    count,
                )
                % {"name": interpellation, "count": count},
                messages.SUCCESS,
            )

    def has_resume_permission(self, request):
        return request.user.is_staff


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
        "rendered_at",
        "posted_on",
        "sent_at",
        "action",
        "reminders_sent",
        "last_reminder_at",
    ]
    fieldsets = [
        (None, {"fields": readonly_fields}),
        (_("Réponse"), {"fields": ["reply_date", "reply_summary", "reply_file", "reply_outcome"]}),
    ]
    form = admin_paper.LetterReplyForm
    inlines = [LetterReminderInline]
    actions = ["mark_posted", "print_pdf"]

    def _collective_id(self, obj):
        return obj.interpellation.collective_id

    def get_urls(self):
        # The paper desk and reply rates (campaigns.letters.admin.paper), before "<id>/".
        view = self.admin_site.admin_view
        return [
            path("a-poster/", view(lambda request: admin_paper.desk_view(self, request)), name="campaigns_letter_desk"),
            path(
                "taux-de-reponse/",
                view(lambda request: admin_paper.reply_rates_view(self, request)),
                name="campaigns_letter_reply_rates",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Marquer comme posté"))
    def mark_posted(self, request, queryset):
        letters = queryset.select_related("official", "municipality")
        hidden = _selection(queryset, "mark_posted")
        return admin_paper.post_selection(
            self, request, letters=letters, reminders=[], hidden=hidden, back=request.path
        )

    @admin.action(description=_("Imprimer (un seul PDF)"))
    def print_pdf(self, request, queryset):
        return admin_paper.print_response(self, request, letters=queryset, reminders=LetterReminder.objects.none())

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
            return  # only the reply is edited here, and only by the service
        # A reply is recorded by the service the API calls (it stops the reminders).
        file = form.cleaned_data.get("reply_file") if "reply_file" in form.changed_data else None
        try:
            letter_reply(
                letter=obj,
                date=obj.reply_date,
                summary=obj.reply_summary,
                outcome=obj.reply_outcome,
                file=file or None,
                by=request.user,
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


@admin.register(LetterReminder)
class LetterReminderAdmin(CollectiveScopedAdmin):
    collective_path = "letter__interpellation__collective"
    list_display = ["__str__", "channel", "status", "created_at", "posted_on", "sent_at"]
    list_filter = ["status", "channel"]
    list_select_related = ["letter__official", "letter__interpellation__template"]
    fields = ["letter", "number", "channel", "status", "pdf_link", "email", "posted_on", "sent_at", "error"]
    readonly_fields = fields
    actions = ["mark_posted", "print_pdf"]

    def _collective_id(self, obj):
        return obj.letter.interpellation.collective_id

    @admin.display(description=_("PDF"))
    def pdf_link(self, reminder):
        return file_link(reminder.pdf, f"/api/letters/{reminder.letter_id}/reminders/{reminder.number}/pdf/")

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Marquer comme postée"))
    def mark_posted(self, request, queryset):
        reminders = queryset.select_related("letter__official", "letter__municipality")
        hidden = _selection(queryset, "mark_posted")
        return admin_paper.post_selection(
            self, request, letters=[], reminders=reminders, hidden=hidden, back=request.path
        )

    @admin.action(description=_("Imprimer (un seul PDF)"))
    def print_pdf(self, request, queryset):
        return admin_paper.print_response(self, request, letters=Letter.objects.none(), reminders=queryset)


# Campaigns, municipalities and officials get an action that opens the start page with them.
add_entry_actions(admin.site)
