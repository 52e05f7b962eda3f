from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("worker", "0003_shop_invitation_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="done_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # Rows sent before tasks reported their end: taken as done, not published again.
        migrations.RunSQL(
            "UPDATE worker_outboxmessage SET done_at = sent_at WHERE sent_at IS NOT NULL",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True), ("sent_at__isnull", False)),
                fields=["sent_at", "id"],
                name="worker_outbox_undone_idx",
            ),
        ),
    ]
