"""ContactRequest and ContactRequestEvent move here from `cms` without moving data.

State only: the tables `cms_contactrequest` and `cms_contactrequestevent` (made by
cms.0001) stay as they are and are now this app's (`db_table`).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cms", "0002_locales"),
        ("institutes", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='ContactRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reference', models.CharField(editable=False, max_length=16, unique=True, verbose_name='reference number')),
                ('kind', models.CharField(choices=[('complaint', 'Complaint'), ('report', 'Report'), ('inquiry', 'Inquiry'), ('suggestion', 'Suggestion')], max_length=12, verbose_name='type')),
                ('subject', models.CharField(max_length=200, verbose_name='subject')),
                ('message', models.TextField(max_length=5000, verbose_name='message')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('language', models.CharField(choices=[('ar', 'Arabic'), ('en', 'English')], default='ar', max_length=5, verbose_name='language')),
                ('consent_at', models.DateTimeField(verbose_name='consent given at')),
                ('status', models.CharField(choices=[('new', 'Received'), ('assigned', 'Being handled'), ('answered', 'Answered'), ('closed', 'Closed')], default='new', max_length=10, verbose_name='status')),
                ('answer', models.TextField(blank=True, help_text='Shown to the visitor on the “follow my request” page.', verbose_name='answer to the visitor')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='received at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered at')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed at')),
                ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='contact_requests', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('hospital', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contact_requests', to='institutes.hospital', verbose_name='hospital concerned')),
                ('institute', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='contact_requests', to='institutes.institute', verbose_name='institute concerned')),
            ],
            options={
                'db_table': 'cms_contactrequest',
                'verbose_name': 'contact request',
                'verbose_name_plural': 'contact requests',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ContactRequestEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('new', 'Received'), ('assigned', 'Being handled'), ('answered', 'Answered'), ('closed', 'Closed')], max_length=10, verbose_name='status')),
                ('answer', models.TextField(blank=True, verbose_name='answer')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='contact.contactrequest', verbose_name='request')),
            ],
            options={
                'db_table': 'cms_contactrequestevent',
                'verbose_name': 'contact request event',
                'verbose_name_plural': 'contact request events',
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.AddIndex(
            model_name='contactrequest',
            index=models.Index(fields=['status', 'kind'], name='cms_contact_status_9caba4_idx'),
        ),
        migrations.AddConstraint(
            model_name='contactrequest',
            constraint=models.CheckConstraint(condition=models.Q(('institute__isnull', True), ('hospital__isnull', True), _connector='OR'), name='contact_request_concerns_one_place'),
        ),
        migrations.AddConstraint(
            model_name='contactrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('phone', ''), _negated=True), models.Q(('email', ''), _negated=True), _connector='OR'), name='contact_request_can_be_followed'),
        ),
        migrations.AddConstraint(
            model_name='contactrequest',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['answered']), _negated=True), models.Q(('answer', ''), _negated=True), _connector='OR'), name='contact_request_answered_has_answer'),
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
