"""Matters per proposal, the signer checked, each owner's own part of the maintenance fund.

Consents sealed from now on are hash version 4 (answers per matter, the signer's capacity);
versions already published get their one matter and their fund parts (see the function at the
end). SQLite rebuilds the consent table to add these columns: the chain trigger of 0002 is put
back after, as in 0007.
"""

import importlib
from decimal import Decimal

import django.db.models.deletion
from django.db import migrations, models

v3 = importlib.import_module("consultations.migrations.0007_consent_signed_place_and_hash_v3")


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0008_visit_text_refuses_control_characters"),
        ("households", "0008_owners_as_people_and_area_source"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, v3.recreate_sqlite_triggers),
        migrations.AddField(
            model_name="consent",
            name="agent_id_tail",
            field=models.CharField(blank=True, max_length=4, verbose_name="代理人身份证后4位"),
        ),
        migrations.AddField(
            model_name="consent",
            name="answers",
            field=models.JSONField(blank=True, default=dict, verbose_name="各表决事项的意见"),
        ),
        migrations.AddField(
            model_name="consent",
            name="attorney_letter",
            field=models.BinaryField(blank=True, default=b"", verbose_name="授权委托书扫描件"),
        ),
        migrations.AddField(
            model_name="consent",
            name="attorney_letter_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="授权委托书摘要"),
        ),
        migrations.AddField(
            model_name="consent",
            name="attorney_letter_type",
            field=models.CharField(blank=True, max_length=50, verbose_name="授权委托书文件类型"),
        ),
        migrations.AddField(
            model_name="consent",
            name="signer_capacity",
            field=models.CharField(
                blank=True,
                choices=[("owner", "产权人本人"), ("agent", "受托代理人（凭授权委托书）")],
                max_length=20,
                verbose_name="签字身份",
            ),
        ),
        migrations.AddField(
            model_name="consent",
            name="signer_owner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consents",
                to="households.owner",
                verbose_name="签字的产权人（或委托人）",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="agent_id_tail",
            field=models.CharField(blank=True, max_length=4, verbose_name="代理人身份证后4位"),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="answers",
            field=models.JSONField(blank=True, default=dict, verbose_name="各表决事项的意见"),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="attorney_letter_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="授权委托书摘要"),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="attorney_letter_type",
            field=models.CharField(blank=True, max_length=50, verbose_name="授权委托书文件类型"),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="signer_capacity",
            field=models.CharField(
                blank=True,
                choices=[("owner", "产权人本人"), ("agent", "受托代理人（凭授权委托书）")],
                max_length=20,
                verbose_name="签字身份",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsent",
            name="signer_owner",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="households.owner",
                verbose_name="签字的产权人（或委托人）",
            ),
        ),
        migrations.AddField(
            model_name="share",
            name="fund_amount",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=12,
                verbose_name="从本户维修资金账户列支（元）",
            ),
        ),
        migrations.AlterField(
            model_name="consent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=4, verbose_name="摘要版本"),
        ),
        migrations.AlterField(
            model_name="historicalconsent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=4, verbose_name="摘要版本"),
        ),
        migrations.CreateModel(
            name="Matter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="序号")),
                (
                    "item",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (5, "使用建筑物及其附属设施的维修资金（第二百七十八条第一款第五项）"),
                            (6, "筹集建筑物及其附属设施的维修资金（第六项）"),
                            (7, "改建、重建建筑物及其附属设施（第七项）"),
                            (8, "改变共有部分的用途或者利用共有部分从事经营活动（第八项）"),
                            (9, "有关共有和共同管理权利的其他重大事项（第九项）"),
                        ],
                        verbose_name="《民法典》第二百七十八条事项",
                    ),
                ),
                (
                    "rule",
                    models.CharField(
                        choices=[
                            ("majority", "过半数（使用维修资金等一般事项）"),
                            ("three_quarters", "四分之三（筹集维修资金、改建重建）"),
                            ("unanimous", "全体同意"),
                        ],
                        max_length=20,
                        verbose_name="表决规则",
                    ),
                ),
                ("title", models.CharField(max_length=100, verbose_name="表决事项")),
                (
                    "proposal",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matters",
                        to="consultations.proposal",
                        verbose_name="方案",
                    ),
                ),
            ],
            options={
                "verbose_name": "表决事项",
                "verbose_name_plural": "表决事项",
                "ordering": ["proposal", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("proposal", "number"), name="matter_number_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gt", 0)), name="matter_number_positive"
                    ),
                ],
            },
        ),
    ]


def fix_what_was_signed(apps, schema_editor):
    """Every version already published keeps asking what it asked: one matter under its
    campaign's rule (item 7 when the rule is at least three quarters, else item 5, as
    ``Proposal.default_matter``), and each household's part of the maintenance fund is drawn
    from its own account by area (``allocate``, as ``Proposal.publish`` now does)."""
    from consultations.allocation import allocate

    Proposal = apps.get_model("consultations", "Proposal")
    Matter = apps.get_model("consultations", "Matter")
    Share = apps.get_model("consultations", "Share")
    signed = Proposal.objects.exclude(status="draft").select_related(
        "elevator__unit__building__campaign"
    )
    for proposal in signed:
        rule = proposal.elevator.unit.building.campaign.consent_rule
        Matter.objects.create(
            proposal=proposal,
            number=1,
            item=5 if rule == "majority" else 7,
            rule=rule,
            title="电梯更新改造及费用分摊方案",
        )
        shares = list(
            Share.objects.filter(proposal=proposal)
            .select_related("household")
            .order_by("household__floor", "household__room", "household__pk")
        )
        if shares:
            parts = allocate(proposal.maintenance_fund, [s.household.area for s in shares])
            for share, part in zip(shares, parts, strict=True):
                share.fund_amount = part
            Share.objects.bulk_update(shares, ["fund_amount"])


Migration.operations += [
    migrations.RunPython(fix_what_was_signed, migrations.RunPython.noop),
    migrations.RunPython(v3.recreate_sqlite_triggers, migrations.RunPython.noop),
]
