from rest_framework import serializers

from tasks.models import EmailAttachment, Job, OutboundEmail


class EmailAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = EmailAttachment
        fields = ["id", "filename", "mimetype"]


class OutboundEmailSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    attachments = EmailAttachmentSerializer(many=True, read_only=True)
    cause_type = serializers.CharField(source="cause_type.model", read_only=True, allow_null=True)

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


class JobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "status_display",
            "done",
            "total",
            "progress",
            "result",
            "error",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> float | None:
        return round(100 * job.done / job.total, 1) if job.total else None
