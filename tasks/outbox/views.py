import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tasks.outbox import services as outbox
from tasks.outbox.models import OutboundEmail
from tasks.outbox.serializers import OutboundEmailSerializer


class OutboundEmailFilter(django_filters.FilterSet):
    recipient = django_filters.CharFilter(method="filter_recipient", label=_("destinataire (contient)"))
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at", label=_("créé entre (created_after, created_before)")
    )

    class Meta:
        model = OutboundEmail
        fields = ["status", "recipient", "created", "domain"]

    def filter_recipient(self, queryset, name, value):
        # JSON lists are stored as text on every backend: "contains" finds an address in it.
        return queryset.filter(to__icontains=value)


class OutboundEmailViewSet(viewsets.ReadOnlyModelViewSet):
    """The outbox, for staff: every e-mail the product sends, its state and errors."""

    serializer_class = OutboundEmailSerializer
    permission_classes = [permissions.IsAdminUser]
    filterset_class = OutboundEmailFilter
    ordering_fields = ["created_at", "sent_at", "status"]
    queryset = OutboundEmail.objects.select_related("cause_type").prefetch_related("attachments")

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Send a failed or cancelled e-mail again."""
        email = self.get_object()
        if not outbox.email_retry(email):
            raise exceptions.ValidationError({"status": [_("Seul un courriel en échec ou annulé peut être renvoyé.")]})
        email.refresh_from_db()
        return Response(self.get_serializer(email).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an e-mail that has not left yet."""
        email = self.get_object()
        if not outbox.email_cancel(email):
            raise exceptions.ValidationError({"status": [_("Seul un courriel en attente peut être annulé.")]})
        email.refresh_from_db()
        return Response(self.get_serializer(email).data)
