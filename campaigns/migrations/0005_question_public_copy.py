"""The public copy of each question: its text and answer as the public page shows them (owner
names and numbers blanked out) and the normalised text the public search matches, filled in
for the questions already asked."""

from django.db import migrations, models


def copy_for_public(apps, schema_editor):
    from core.redaction import Redactor, search_key

    Campaign = apps.get_model("campaigns", "Campaign")
    Question = apps.get_model("campaigns", "Question")
    Unit = apps.get_model("campaigns", "Unit")
    for campaign in Campaign.objects.filter(questions__isnull=False).distinct():
        names = Unit.objects.filter(
            building__campaign=campaign, households__owners__isnull=False
        ).values_list("households__owners__name", flat=True)
        redact = Redactor(names)
        questions = list(Question.objects.filter(campaign=campaign))
        for question in questions:
            question.public_body = redact(question.body)
            question.public_answer = redact(question.answer)
            question.public_search = search_key(f"{question.public_body}\n{question.public_answer}")
        Question.objects.bulk_update(
            questions, ["public_body", "public_answer", "public_search"], batch_size=500
        )


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_assignment_from_households'),
    ]

    operations = [
        migrations.AddField(
            model_name='question',
            name='public_answer',
            field=models.TextField(blank=True, editable=False, verbose_name='公开的回复'),
        ),
        migrations.AddField(
            model_name='question',
            name='public_body',
            field=models.TextField(blank=True, editable=False, verbose_name='公开的提问内容'),
        ),
        migrations.AddField(
            model_name='question',
            name='public_search',
            field=models.TextField(blank=True, editable=False, verbose_name='公开检索文本'),
        ),
        migrations.RunPython(copy_for_public, migrations.RunPython.noop),
    ]
