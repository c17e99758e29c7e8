"""Past years of clinical training recorded from the paper register: they count in
promotion and graduation, "not tracked" means the same in both, corrections keep the
history, the screen is the institute's, and a spreadsheet imports them."""

import datetime
import io

import pytest

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from curriculum.factories import CompetencyFactory
from institutes.factories import InstituteFactory, RoleAssignmentFactory, UserFactory
from students import services
from students.factories import CohortFactory, enrolled_student
from students.models import EnrolmentEvent, EventKind
from training.models import RecordedClinicalYear
from training.placements.factories import RotationBlockFactory
from training.placements.selectors import (
    clinical_graduation_unmet,
    clinical_promotion_unmet,
    clinical_record,
)
from training.placements.services import clinical_year_record

from .fixtures import site_fixture  # noqa: F401

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def year3(site):
    """A year-3 block (so year 3 is tracked) and two year-3 competencies."""
    RotationBlockFactory(
        cohort=site.cohort, year=3, start_date=D(2025, 10, 4), end_date=D(2025, 10, 9)
    )
    return [
        CompetencyFactory(
            version=site.cohort.curriculum_version, year=3, code=f"Y3-{i}"
        )
        for i in range(2)
    ]


def test_a_recorded_year_counts_for_promotion(site, year3):
    student = enrolled_student(site.cohort, year_of_study=3)
    enrolment = student.enrolments.get()
    unmet = clinical_promotion_unmet([enrolment])
    assert "Year 3: 0 of 14 clinical hours approved." in unmet[student.pk]

    clinical_year_record(
        student=student,
        year=3,
        hours="١٤",  # Arabic-Indic digits, as typed
        competencies=year3,
        evidence="سجل التدريب الإكلينيكي ٢٠٢٥ ص ١٢",
        by=site.admin,
    )
    assert clinical_promotion_unmet([enrolment]) == {}
    (line,) = services.rollover_preview(
        cohort=site.cohort, academic_year=enrolment.academic_year
    )
    assert line.decision == services.Decision.PROMOTE


def test_a_recorded_year_makes_an_untracked_year_checked(site):
    """No block for year 2, but a record: the record is what is checked."""
    CompetencyFactory(version=site.cohort.curriculum_version, year=2, code="Y2-0")
    student = enrolled_student(site.cohort, year_of_study=2)
    enrolment = student.enrolments.get()
    assert clinical_promotion_unmet([enrolment]) == {}
    clinical_year_record(
        student=student, year=2, hours=10, evidence="register p. 3", by=site.admin
    )
    unmet = " ".join(clinical_promotion_unmet([enrolment])[student.pk])
    assert "Year 2: 10 of 14 clinical hours approved." in unmet
    assert "Y2-0" in unmet


def test_graduation_treats_untracked_years_like_promotion_and_the_rollover_graduates(
    site,
):
    """Year 5 student; only year 4 has a block (tracked): years 1–3 and 5 are not
    checked, year 4 is until the registrar records it; then the preview graduates."""
    student = enrolled_student(site.cohort, year_of_study=5)
    enrolment = student.enrolments.get()
    unmet = clinical_graduation_unmet([student]).get(student.pk, [])
    assert unmet == [
        "Year 4: 0 of 14 clinical hours approved.",
        f"Year 4: competencies not signed off: {site.competencies[0].code}، "
        f"{site.competencies[1].code}.",
    ]
    (line,) = services.rollover_preview(
        cohort=site.cohort, academic_year=enrolment.academic_year
    )
    assert line.decision == services.Decision.BLOCKED

    clinical_year_record(
        student=student,
        year=4,
        hours=14,
        competencies=site.competencies,
        evidence="make-up placement, paper register p. 40",
        by=site.admin,
    )
    assert clinical_graduation_unmet([student]) == {}
    (line,) = services.rollover_preview(
        cohort=site.cohort, academic_year=enrolment.academic_year
    )
    assert line.decision == services.Decision.GRADUATE
    summary = services.rollover_confirm(
        cohort=site.cohort, academic_year=enrolment.academic_year, by=site.admin
    )
    assert summary.graduated == 1


def test_a_correction_replaces_the_record_and_both_are_in_the_history(site):
    student = enrolled_student(site.cohort, year_of_study=4)
    first = clinical_year_record(
        student=student, year=4, hours=10, evidence="register p. 1", by=site.admin
    )
    # The same figures again change nothing.
    again = clinical_year_record(
        student=student, year=4, hours="10", evidence="register p. 1", by=site.admin
    )
    assert again.pk == first.pk
    second = clinical_year_record(
        student=student,
        year=4,
        hours="14,5",
        competencies=site.competencies,
        evidence="register p. 2",
        by=site.admin,
    )
    first.refresh_from_db()
    assert (first.is_current, second.replaces_id) == (False, first.pk)
    (record,) = clinical_record(student, years=[4])
    assert record.recorded.pk == second.pk
    assert record.approved_hours == 14.5
    assert record.competencies_met
    notes = list(
        EnrolmentEvent.objects.filter(
            student=student, kind=EventKind.CORRECTION
        ).values_list("note", "recorded_by")
    )
    assert len(notes) == 2
    assert all(by == site.admin.pk for _note, by in notes)
    assert any("register p. 2" in note and "14.5" in note for note, _by in notes)


def test_bad_input_is_refused_with_a_message_per_field(site):
    student = enrolled_student(site.cohort, year_of_study=2)
    other_year = CompetencyFactory(version=site.cohort.curriculum_version, year=1)
    with pytest.raises(ValidationError) as caught:
        clinical_year_record(
            student=student,
            year=4,
            hours="-3",
            competencies=[other_year],
            evidence="  ",
            by=site.admin,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"hours", "year", "evidence", "competencies"}
    assert "currently year 2" in errors["year"][0]
    assert not RecordedClinicalYear.objects.exists()


def test_the_database_keeps_one_current_record_per_student_and_year(site):
    from django.db import IntegrityError, transaction

    student = enrolled_student(site.cohort, year_of_study=4)
    clinical_year_record(
        student=student, year=4, hours=3, evidence="register", by=site.admin
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        RecordedClinicalYear.objects.create(
            student=student, year=4, hours=5, evidence="x", recorded_by=site.admin
        )


# --- The screens ----------------------------------------------------------------------


def test_the_registrar_records_a_year_from_the_clinical_record(client, site):
    student = enrolled_student(site.cohort, year_of_study=4)
    client.force_login(site.admin)
    record_url = reverse("training_student_clinical_record", args=[student.pk])
    page = client.get(record_url).content.decode()
    url = reverse("training_student_past_year", args=[student.pk, 4])
    assert url in page
    form = client.get(url)
    assert form.status_code == 200
    # Every competency of the year is ticked by default.
    assert form.content.decode().count("checked") == len(site.competencies)
    bad = client.post(url, {"hours": "كثير", "evidence": "p. 4"})
    assert bad.status_code == 200
    assert 'class="pl-error"' in bad.content.decode()  # beside the field
    assert "كثير" in bad.content.decode()  # what was typed is kept
    response = client.post(
        url,
        {
            "hours": "14",
            "competencies": [c.pk for c in site.competencies],
            "evidence": "register p. 4",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == record_url + "#year-4"
    assert RecordedClinicalYear.objects.get(student=student).recorded_by == site.admin
    assert "register p. 4" in client.get(record_url).content.decode()


def test_a_supervisor_sees_the_record_but_may_not_record(client, site):
    from training.placements.services import placement_book

    student = enrolled_student(site.cohort, year_of_study=4)
    placement_book(
        block=site.block,
        student=student,
        ward=site.ward,
        start_date=site.block.start_date,
        end_date=site.block.end_date,
        supervisor=site.supervisor,
    )
    client.force_login(site.supervisor)
    record_url = reverse("training_student_clinical_record", args=[student.pk])
    assert client.get(record_url).status_code == 200
    url = reverse("training_student_past_year", args=[student.pk, 4])
    assert url not in client.get(record_url).content.decode()
    # Wagtail answers a refusal by going back to the dashboard with a message.
    refused = client.get(url)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    refused = client.post(url, {"hours": "14", "evidence": "x"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert not RecordedClinicalYear.objects.exists()


def test_another_institute_cannot_reach_the_student(client, site):
    student = enrolled_student(site.cohort, year_of_study=4)
    other = UserFactory()
    RoleAssignmentFactory(
        user=other, role="institute_admin", institute=InstituteFactory()
    )
    client.force_login(other)
    url = reverse("training_student_past_year", args=[student.pk, 4])
    assert client.post(url, {"hours": "14", "evidence": "x"}).status_code == 404
    assert not RecordedClinicalYear.objects.exists()


def test_import_previews_then_records_the_valid_rows_and_lands_on_them(client, site):
    good = enrolled_student(site.cohort, year_of_study=4)
    foreign = enrolled_student(
        CohortFactory(institute=InstituteFactory()), year_of_study=4
    )
    codes = ", ".join(c.code for c in site.competencies)
    csv = (
        "رقم الطالب,الفرقة,الساعات,الكفاءات,المستند\n"
        f'{good.student_number},4,14,"{codes}",سجل ٢٠٢٥ ص ٣\n'
        f"{foreign.student_number},4,14,الكل,سجل\n"
        f"{good.student_number},9,14,,سجل\n"
    ).encode()
    client.force_login(site.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("training_past_years_import")
    upload = io.BytesIO(csv)
    upload.name = "past.csv"
    preview = client.post(url, {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "No student numbered" in page
    assert "The year of study is 1 to 5" in page
    assert not RecordedClinicalYear.objects.exists()
    token = preview.context["token"]
    done = client.post(url, {"token": token, "confirm": "1"})
    assert done.status_code == 302
    (record,) = RecordedClinicalYear.objects.all()
    assert (record.student, record.year, record.hours) == (good, 4, 14)
    assert set(record.competencies.all()) == set(site.competencies)
    landing = client.get(done["Location"])
    assert landing.status_code == 200
    assert good.student_number in landing.content.decode()
    assert foreign.student_number not in landing.content.decode()


def test_the_demo_final_class_graduates_in_the_rollover_preview(site):
    """What the demo does for Karnak's 2021 intake, on the test site: years 1–4 from
    the paper register, year 5 completed before this term → the preview graduates."""
    import random

    from django.utils import timezone

    from institutes.management.commands.load_demo_data import DemoContext
    from training.placements import demo

    students = [enrolled_student(site.cohort, year_of_study=5) for _ in range(3)]
    CompetencyFactory(version=site.cohort.curriculum_version, year=5, code="Y5-0")
    ctx = DemoContext(stdout=io.StringIO(), rng=random.Random(3))
    # Two per ward, as the demo makes them: one enters, the other approves.
    supervisors = {
        site.ward.pk: [site.supervisor, site.instructor],
        site.partner_ward.pk: [site.partner_supervisor, site.instructor],
    }
    demo._final_class(
        ctx, site.cohort, site.admin, supervisors, before=timezone.localdate()
    )
    assert RecordedClinicalYear.objects.filter(student__in=students).count() == 12
    lines = services.rollover_preview(
        cohort=site.cohort, academic_year=site.cohort.intake_year + 4
    )
    assert [line.decision for line in lines] == [services.Decision.GRADUATE] * 3


def test_the_student_page_links_to_the_clinical_record(client, site):
    student = enrolled_student(site.cohort, year_of_study=4)
    client.force_login(site.admin)
    page = client.get(reverse("students:inspect", args=[student.pk]))
    assert page.status_code == 200
    url = reverse("training_student_clinical_record", args=[student.pk])
    assert f'href="{url}"' in page.content.decode()


def test_behind_on_hours_follows_the_days_elapsed_not_the_years_share(site):
    """A student booked on one day who attended it fully is not behind, although the
    year needs more hours than that day gives (the old rule expected the year's whole
    requirement from the booked days); a student who missed a day is."""
    from training.placements.selectors import students_behind_on_hours
    from training.placements.services import (
        hours_decide,
        hours_record,
        placement_book,
        placement_transition,
    )

    def placed(student, days):
        p = placement_book(
            block=site.block,
            student=student,
            ward=site.ward,
            start_date=days[0],
            end_date=days[-1],
            supervisor=site.supervisor,
        )
        placement_transition(placement=p, to_status="confirmed")
        return placement_transition(placement=p, to_status="in_progress")

    present = enrolled_student(site.cohort, year_of_study=4)
    absent = enrolled_student(site.cohort, year_of_study=4)
    p = placed(present, [D(2026, 10, 3)])
    entry = hours_record(placement=p, date=D(2026, 10, 3), hours=7, by=site.instructor)
    hours_decide(entry=entry, approve=True, by=site.supervisor)
    placed(absent, [D(2026, 10, 3), D(2026, 10, 4)])
    behind = students_behind_on_hours(user=site.admin, today=D(2026, 10, 4))
    assert [(b["student_id"], b["expected"]) for b in behind] == [(absent.pk, 14)]
