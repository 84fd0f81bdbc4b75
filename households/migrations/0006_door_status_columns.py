# Where each door stands, as columns on the household (filled from the records by consultations
# 0006): left out of the history, so the historical table does not change.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0004_assignment_from_households'),
        ('households', '0005_assignment_moves_to_campaigns'),
    ]

    operations = [
        migrations.AddField(
            model_name='household',
            name='decision',
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name='签字意见'),
        ),
        migrations.AddField(
            model_name='household',
            name='ever_reached',
            field=models.BooleanField(default=False, editable=False, verbose_name='曾接触到人'),
        ),
        migrations.AddField(
            model_name='household',
            name='follow_up_on',
            field=models.DateField(blank=True, editable=False, null=True, verbose_name='跟进日期'),
        ),
        migrations.AddField(
            model_name='household',
            name='follow_up_step',
            field=models.CharField(blank=True, editable=False, max_length=200, verbose_name='跟进事项'),
        ),
        migrations.AddField(
            model_name='household',
            name='last_attitude',
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name='最近态度'),
        ),
        migrations.AddField(
            model_name='household',
            name='last_reached',
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name='最近接触对象'),
        ),
        migrations.AddField(
            model_name='household',
            name='last_visit_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='最近走访时间'),
        ),
        migrations.AddField(
            model_name='household',
            name='visit_count',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='走访次数'),
        ),
        migrations.AddIndex(
            model_name='household',
            index=models.Index(fields=['follow_up_on'], name='household_follow_up_on'),
        ),
    ]
