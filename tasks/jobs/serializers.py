from rest_framework import serializers

from tasks.jobs.models import Job


class JobSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(
        label="Statut (en toutes lettres)", source="get_status_display", read_only=True
    )
    progress = serializers.SerializerMethodField(label="Avancement")

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
            "progressed_at",
        ]
        read_only_fields = fields

    def get_progress(self, job) -> float | None:
        return round(100 * job.done / job.total, 1) if job.total else None
