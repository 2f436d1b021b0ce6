from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tasks.outbox import services as outbox
from tasks.outbox.models import EmailAttachment, OutboundEmail


class EmailAttachmentInline(admin.TabularInline):
    model = EmailAttachment
    extra = 0
    # The stored name only: attachments are letters, read through their own permission checks.
    fields = ["filename", "mimetype", "stored_as"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("fichier"))
    def stored_as(self, attachment):
        return attachment.file.name


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipients", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter), "domain"]
    search_fields = ["subject", "to", "idempotency_key", "message_id"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in OutboundEmail._meta.fields if field.name not in ("id",)]
    inlines = [EmailAttachmentInline]
    actions = ["retry", "cancel"]

    @admin.display(description=_("destinataires"))
    def recipients(self, email):
        return ", ".join(email.to)

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Renvoyer les courriels en échec ou annulés"))
    def retry(self, request, queryset):
        count = sum(outbox.email_retry(email) for email in queryset)
        self.message_user(request, ngettext("%d courriel remis en file.", "%d courriels remis en file.", count) % count)

    @admin.action(description=_("Annuler les courriels en attente"))
    def cancel(self, request, queryset):
        count = sum(outbox.email_cancel(email) for email in queryset)
        level = messages.SUCCESS if count else messages.WARNING
        self.message_user(request, ngettext("%d courriel annulé.", "%d courriels annulés.", count) % count, level)
