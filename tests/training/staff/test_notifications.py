"""Cancellations and waitlist promotions go through the notification layer: e-mail and
SMS as the staff member has them, recorded, in the site's language."""

import pytest

from django.core import mail

from institutes.factories import HospitalFactory
from notifications import sms
from notifications.models import Notification
from tests.training.staff.test_services import _session
from training.staff.factories import StaffMemberFactory
from training.staff.services import registration_bulk, session_cancel

pytestmark = pytest.mark.django_db


def test_a_cancelled_session_is_told_by_email_and_sms_and_recorded(
    django_capture_on_commit_callbacks,
):
    sms.outbox.clear()
    hospital = HospitalFactory()
    session = _session(hospital, capacity=5)
    with_phone = StaffMemberFactory(hospital=hospital, phone="01001234567")
    without_phone = StaffMemberFactory(hospital=hospital, phone="")
    registration_bulk(session=session, staff_members=[with_phone, without_phone])
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=session, reason="عطل في القاعة")
    assert {m.to[0] for m in mail.outbox} == {with_phone.email, without_phone.email}
    assert [m["to"] for m in sms.outbox] == ["01001234567"]
    records = Notification.objects.filter(template="training/session_cancelled")
    assert records.count() == 3
    assert set(records.values_list("status", flat=True)) == {"sent"}
    assert set(records.values_list("hospital", flat=True)) == {hospital.pk}
    assert all("عطل في القاعة" in n.body for n in records.filter(channel="email"))
