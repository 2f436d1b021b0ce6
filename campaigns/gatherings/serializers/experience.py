"""Lessons, proposals and action ideas: members write their collective's, within the events
they may read."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from campaigns.collectives.models import Collective
from campaigns.collectives.serializers import CollectiveContentSerializer
from campaigns.gatherings.models import ActionIdea, Lesson, Proposal
from campaigns.gatherings.serializers.events import VisibleEventField, collectives_field
from campaigns.gatherings.services import experience as services


class ExperienceSerializer(CollectiveContentSerializer):
    """Written through the concept's create and update services."""

    create_service: staticmethod
    update_service: staticmethod
    instance_argument: str

    def create(self, validated_data):
        return self.create_service(by=self.by, **validated_data)

    def update(self, instance, validated_data):
        return self.update_service(**{self.instance_argument: instance}, by=self.by, **validated_data)


class LessonSerializer(ExperienceSerializer):
    event = VisibleEventField(required=False, allow_null=True)
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    create_service = staticmethod(services.lesson_create)
    update_service = staticmethod(services.lesson_update)
    instance_argument = "lesson"

    class Meta:
        model = Lesson
        fields = ["id", "collective", "event", "kind", "kind_display", "text", "themes", "created_at"]


class ProposalSerializer(ExperienceSerializer):
    event = VisibleEventField()
    kind_display = serializers.CharField(label="Type (en toutes lettres)", source="get_kind_display", read_only=True)
    create_service = staticmethod(services.proposal_create)
    update_service = staticmethod(services.proposal_update)
    instance_argument = "proposal"

    class Meta:
        model = Proposal
        fields = ["id", "collective", "event", "question", "kind", "kind_display", "text", "themes", "created_at"]


class ActionIdeaSerializer(ExperienceSerializer):
    event = VisibleEventField(required=False, allow_null=True)
    interested_collectives = collectives_field()
    create_service = staticmethod(services.action_idea_create)
    update_service = staticmethod(services.action_idea_update)
    instance_argument = "idea"

    class Meta:
        model = ActionIdea
        fields = [
            "id",
            "collective",
            "event",
            "title",
            "question",
            "description",
            "themes",
            "interested_collectives",
            "campaigns",
            "created_at",
        ]
        read_only_fields = ["campaigns"]


class ActionIdeaLaunchSerializer(serializers.Serializer):
    collectives = serializers.SlugRelatedField(
        label="Collectifs",
        slug_field="slug", many=True, queryset=Collective.objects.all(),
        help_text=_("les collectifs qui portent la campagne (une campagne chacun) ; vide : celui de la piste"),
        required=False,
    )  # fmt: skip
    title = serializers.CharField(label="Titre de la campagne", max_length=200, required=False, allow_blank=True)
    objective = serializers.CharField(
        label="Objectif de la campagne", max_length=5000, required=False, allow_blank=True
    )


class ProposalBriefSerializer(serializers.ModelSerializer):
    collective = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "collective", "text", "themes"]


class ProposalGridRowSerializer(serializers.Serializer):
    question = serializers.CharField(label="Question")
    we_could = ProposalBriefSerializer(
        label="Ce que nous pourrions faire", many=True, help_text=str(Proposal.Kind.WE_COULD.label)
    )
    they_could = ProposalBriefSerializer(
        label="Ce qu'ils pourraient faire", many=True, help_text=str(Proposal.Kind.THEY_COULD.label)
    )
    we_need = ProposalBriefSerializer(
        label="Ce dont nous avons besoin", many=True, help_text=str(Proposal.Kind.WE_NEED.label)
    )
