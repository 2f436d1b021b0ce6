from rest_framework import serializers

from tasks.outbox.models import EmailAttachment, OutboundEmail


class EmailAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmailAttachment
        fields = ["id", "filename", "mimetype"]


class OutboundEmailSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )
    attachments = EmailAttachmentSerializer(label="Pièces jointes", many=True, read_only=True)
    cause_type = serializers.CharField(
        label="Type de l'objet à l'origine", source="cause_type.model", read_only=True, allow_null=True
    )

    class Meta:
        model = OutboundEmail
        fields = [
            "id",
            "to",
            "cc",
            "reply_to",
            "subject",
            "body_text",
            "status",
            "status_display",
            "attempts",
            "next_attempt_at",
            "last_error",
            "message_id",
            "sent_at",
            "created_at",
            "cause_type",
            "cause_id",
            "attachments",
        ]
        read_only_fields = fields
