from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("contact", "0003_route_existing_requests")]

    operations = [
        migrations.AddConstraint(
            model_name="contactrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "new"), ("office__isnull", False), _connector="OR"
                ),
                name="contact_request_handled_has_office",
            ),
        ),
    ]
