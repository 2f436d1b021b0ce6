"""The shipped interpellation lists the pledged measures one per line in a single paragraph
rather than a paragraph each: a letter of ten to fourteen measures then fits on one page
more often. Only the shared template left as shipped is updated; an edited one is kept."""

from django.db import migrations

NAME = "Interpellation sur les mesures signées"
INTRODUCTION = """Le collectif {{ collective.name }} suit avec attention la mise en œuvre des engagements pris par votre équipe{% if pledge %} lorsque la liste « {{ pledge.list_name }} » a signé le {{ pledge.pact }}{% if pledge.signed_on %}, le {{ pledge.signed_on }}{% endif %}{% endif %}.

"""
OLD_MEASURE = "– mesure {{ measure.code }} « {{ measure.title }} »{% if measure.level %} (palier {{ measure.level }}){% endif %} : {{ measure.status }}{% if measure.progress is not none %}, avancement estimé à {{ measure.progress }} %{% endif %}"
MEASURE = "– n° {{ measure.code }} « {{ measure.title }} »{% if measure.level %} (palier {{ measure.level }}){% endif %} : {{ measure.status }}{% if measure.progress is not none %} ({{ measure.progress }} %){% endif %}"
CONCLUSION = """
Nous souhaiterions connaître le calendrier et les moyens prévus pour les mesures qui n'ont pas encore abouti, et nous restons disponibles pour en discuter avec vous."""
SHIPPED_BODY = (
    INTRODUCTION
    + "{% if pledge %}Voici où en sont, selon nos observations, les mesures auxquelles vous vous êtes engagé·es :\n"
    + "{% for measure in pledge.measures %}\n"
    + OLD_MEASURE
    + "\n{% endfor %}\n{% endif %}"
    + CONCLUSION
)
COMPACT_BODY = (
    INTRODUCTION
    + "{% if pledge %}Voici où en sont, selon nos observations, les mesures auxquelles vous vous êtes engagé·es, "
    + "avec leur avancement estimé :\n"
    + "{% for measure in pledge.measures %}"
    + MEASURE
    + "\n{% endfor %}\n{% endif %}"
    + CONCLUSION
)


def replace(apps, old: str, new: str) -> None:
    LetterTemplate = apps.get_model("campaigns", "LetterTemplate")
    LetterTemplate.objects.filter(collective=None, name=NAME, body=old).update(body=new)


def compact(apps, schema_editor):
    replace(apps, SHIPPED_BODY, COMPACT_BODY)


def restore(apps, schema_editor):
    replace(apps, COMPACT_BODY, SHIPPED_BODY)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0005_default_letter_templates")]

    operations = [migrations.RunPython(compact, restore)]
