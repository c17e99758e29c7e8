"""Four eyes on clinical hours: whoever entered hours may not decide on them (a
check constraint), a "returned: needs information" status with a comment.

Hours decided by the person who entered them before this rule are kept as they
were and marked `single_signature` (the constraint lets those rows be). On SQLite
the constraint changes rebuild the table, which drops its triggers: the placement
triggers of migration 0003 are created again at the end (they are idempotent).
"""

import importlib

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def mark_single_signatures(apps, schema_editor):
    ClinicalHours = apps.get_model("training", "ClinicalHours")
    ClinicalHours.objects.filter(
        decided_by__isnull=False, decided_by=F("entered_by")
    ).update(single_signature=True)


def _triggers(reverse):
    def run(apps, schema_editor):
        triggers = importlib.import_module(
            "training.migrations.0003_placement_triggers"
        )
        triggers._run(reverse)(apps, schema_editor)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0006_recorded_clinical_year"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="clinicalhours",
            name="clinical_hours_rejection_has_comment",
        ),
        migrations.AddField(
            model_name="clinicalhours",
            name="single_signature",
            field=models.BooleanField(
                default=False,
                editable=False,
                verbose_name="decided by the person who entered it",
            ),
        ),
        migrations.RunPython(mark_single_signatures, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clinicalhours",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Awaiting approval"),
                    ("approved", "Approved"),
                    ("rejected", "Rejected"),
                    ("needs_info", "Returned: needs information"),
                    ("superseded", "Corrected"),
                ],
                default="pending",
                max_length=12,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="clinicalhours",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["rejected", "needs_info"]), _negated=True),
                    models.Q(("decision_comment", ""), _negated=True),
                    _connector="OR",
                ),
                name="clinical_hours_rejection_has_comment",
                violation_error_message="Say why the hours are rejected or returned.",
            ),
        ),
        migrations.AddConstraint(
            model_name="clinicalhours",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("decided_by__isnull", True),
                    models.Q(("decided_by", models.F("entered_by")), _negated=True),
                    ("single_signature", True),
                    _connector="OR",
                ),
                name="clinical_hours_four_eyes",
                violation_error_message="Hours are decided by someone other than the person who entered them.",
            ),
        ),
        migrations.RunPython(_triggers(False), migrations.RunPython.noop),
    ]
