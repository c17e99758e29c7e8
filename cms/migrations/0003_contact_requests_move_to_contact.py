"""ContactRequest and ContactRequestEvent now belong to the `contact` app.

State only: their tables stay (see contact.0001).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_locales"),
        ("contact", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ContactRequestEvent"),
                migrations.DeleteModel(name="ContactRequest"),
            ]
        ),
    ]
