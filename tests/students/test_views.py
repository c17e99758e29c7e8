"""Custom student screens: scoping (foreign ids in URL and POST), behaviour, query counts."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from students.factories import enrolled_student
from students.models import CourseResult, Enrolment, StudentStatus


def _sheet_url(cohort, course):
    return reverse("students_results_sheet", args=[cohort.pk, course.pk])


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["admin", "trainer", "supervisor"])
def test_foreign_cohort_screens_answer_404(role, world, client, cohort_b):
    course = cohort_b.curriculum_version.courses.first()
    student = enrolled_student(cohort_b)
    client.force_login(getattr(world.a, role))
    assert client.get(_sheet_url(cohort_b, course)).status_code == 404
    post = client.post(
        _sheet_url(cohort_b, course),
        {"enrolment": [student.enrolments.get().pk], f"t{student.pk}": "50"},
    )
    assert post.status_code == 404
    rollover = reverse("students_rollover", args=[cohort_b.pk])
    assert client.get(rollover).status_code == 404
    assert client.post(rollover, {"year": 2025}).status_code == 404
    roster = reverse("cohorts:inspect", args=[cohort_b.pk])
    assert client.get(roster, {"export": "csv"}).status_code in (403, 404)
    action = reverse("students_action", args=[student.pk, "withdraw"])
    assert client.post(action, {"reason_code": "personal"}).status_code == 404
    student.refresh_from_db()
    assert student.status == StudentStatus.ENROLLED
    assert not CourseResult.objects.exists()
    assert Enrolment.objects.filter(student=student).count() == 1


def test_own_cohort_screens_open_for_the_admin(world, client, cohort):
    """Twin of the 404s above: the same doors, the admin's own cohort, each writes."""
    courses = list(cohort.curriculum_version.courses.filter(year=1))
    student = enrolled_student(cohort)
    leaver = enrolled_student(cohort)
    enrolment = student.enrolments.get()
    client.force_login(world.a.admin)
    sheet = client.get(_sheet_url(cohort, courses[0]))
    assert sheet.status_code == 200
    assert student.person.name_ar in sheet.content.decode()
    for course in courses:
        post = client.post(
            _sheet_url(cohort, course),
            {
                "enrolment": [enrolment.pk],
                f"t{enrolment.pk}": "70",
                f"p{enrolment.pk}": "30",
            },
        )
        assert post.status_code == 302
    assert CourseResult.objects.filter(enrolment=enrolment).count() == len(courses)
    roster = client.get(reverse("cohorts:inspect", args=[cohort.pk]), {"export": "csv"})
    assert roster.status_code == 200
    body = b"".join(roster.streaming_content) if roster.streaming else roster.content
    assert student.person.name_ar in body.decode("utf-8-sig")
    action = reverse("students_action", args=[leaver.pk, "withdraw"])
    assert client.post(action, {"reason_code": "personal"}).status_code == 302
    leaver.refresh_from_db()
    assert leaver.status == StudentStatus.WITHDRAWN
    rollover = reverse("students_rollover", args=[cohort.pk])
    assert client.get(rollover, {"year": 2025}).status_code == 200
    assert client.post(rollover, {"year": 2025}).status_code == 302
    assert student.enrolments.filter(academic_year=2026, year_of_study=2).exists()


def test_results_sheet_refuses_a_foreign_enrolment_in_the_post(
    world, client, cohort, cohort_b
):
    course = cohort.curriculum_version.courses.get(year=1, code__startswith="Y1C0")
    mine = enrolled_student(cohort).enrolments.get()
    foreign = enrolled_student(cohort_b).enrolments.get()
    client.force_login(world.a.admin)
    response = client.post(
        _sheet_url(cohort, course),
        {
            "enrolment": [mine.pk, foreign.pk],
            f"t{mine.pk}": "70",
            f"p{mine.pk}": "30",
            f"t{foreign.pk}": "70",
            f"p{foreign.pk}": "30",
        },
    )
    assert response.status_code == 200
    assert not CourseResult.objects.exists()


def test_results_sheet_saves_all_or_shows_cell_errors(world, client, cohort):
    course = cohort.curriculum_version.courses.get(code__startswith="Y1C0")
    a, b = (enrolled_student(cohort).enrolments.get() for _ in range(2))
    client.force_login(world.a.admin)
    url = _sheet_url(cohort, course)
    bad = client.post(
        url,
        {
            "enrolment": [a.pk, b.pk],
            f"t{a.pk}": "70",
            f"p{a.pk}": "30",
            f"t{b.pk}": "170",
            f"p{b.pk}": "30",
        },
    )
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in bad.content.decode()
    assert 'value="170"' in bad.content.decode()  # what was typed is kept
    assert not CourseResult.objects.exists()
    good = client.post(
        url,
        {
            "enrolment": [a.pk, b.pk],
            f"t{a.pk}": "70",
            f"p{a.pk}": "30",
            f"t{b.pk}": "60",
            f"p{b.pk}": "30",
        },
    )
    assert good.status_code == 302
    assert CourseResult.objects.count() == 2
    export = client.get(url, {"export": "csv", "year": 2025})
    assert export.content.decode("utf-8-sig").count("\n") == 3


def test_rollover_screen_preview_then_confirm(world, client, cohort):
    student = enrolled_student(cohort)
    client.force_login(world.a.admin)
    url = reverse("students_rollover", args=[cohort.pk])
    preview = client.get(url, {"year": 2025})
    assert student.person.name_ar in preview.content.decode()
    assert Enrolment.objects.count() == 1  # the preview writes nothing
    response = client.post(url, {"year": 2025})
    assert response.status_code == 302
    assert Enrolment.objects.count() == 1  # blocked: no marks yet


def test_lifecycle_action_on_own_student(world, client, cohort):
    student = enrolled_student(cohort)
    client.force_login(world.a.admin)
    url = reverse("students_action", args=[student.pk, "suspend"])
    client.post(url, {"note": "مرض"})
    student.refresh_from_db()
    assert student.status == StudentStatus.SUSPENDED
    assert student.events.get().recorded_by == world.a.admin


def test_student_page_shows_record_history_and_results(world, client, cohort):
    student = enrolled_student(cohort)
    client.force_login(world.a.admin)
    response = client.get(reverse("students:inspect", args=[student.pk]))
    body = response.content.decode()
    assert student.person.name_ar in body
    assert student.person.national_id in body


def test_student_page_shows_events_recorded_without_a_user(world, client, cohort):
    from students.services import student_record_correction, student_suspend

    student = enrolled_student(cohort)
    student_suspend(student=student, by=None, note="مرض")  # e.g. an import, a task
    student_record_correction(student=student, by=world.a.admin, note="تصحيح الاسم")
    client.force_login(world.a.admin)
    response = client.get(reverse("students:inspect", args=[student.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "النظام" in body  # "system" recorded the suspension
    admin = world.a.admin
    assert (admin.get_full_name() or admin.username) in body  # a person corrected


def test_student_list_queries_do_not_grow_with_the_page(world, client, cohort):
    client.force_login(world.a.admin)
    url = reverse("students:index")
    for _ in range(3):
        enrolled_student(cohort)
    few = _count_queries(client, url)
    for _ in range(12):
        enrolled_student(cohort)
    assert _count_queries(client, url) == few


def test_roster_and_results_sheet_queries_do_not_grow(world, client, cohort):
    client.force_login(world.a.admin)
    course = cohort.curriculum_version.courses.get(code__startswith="Y1C0")
    roster = reverse("cohorts:inspect", args=[cohort.pk])
    sheet = _sheet_url(cohort, course)
    for _ in range(2):
        enrolled_student(cohort)
    few = (_count_queries(client, roster), _count_queries(client, sheet))
    for _ in range(10):
        enrolled_student(cohort)
    assert (_count_queries(client, roster), _count_queries(client, sheet)) == few


def test_student_list_search_ignores_arabic_variants(world, client, cohort):
    enrolled_student(cohort, person__name_ar="أسماء عبدالرحمن مصطفى")
    enrolled_student(cohort, person__name_ar="فاطمة علي")
    client.force_login(world.a.admin)
    index = reverse("students:index_results")
    for query in ("اسماء عبد الرحمن", "أَسْمَاء", "مصطفي"):
        body = client.get(index, {"q": query}).content.decode()
        assert "أسماء عبدالرحمن مصطفى" in body, query
        assert "فاطمة علي" not in body


def test_student_search_with_an_impossible_page_number_shows_the_first(
    world, client, cohort
):
    enrolled_student(cohort, person__name_ar="أسماء عبدالرحمن مصطفى")
    client.force_login(world.a.admin)
    index = reverse("students:index_results")
    for page in ("9" * 25, "abc", "-3"):
        response = client.get(index, {"q": "أسماء", "p": page})
        assert response.status_code == 200, page
        assert "أسماء عبدالرحمن مصطفى" in response.content.decode()


def test_student_list_export_neutralises_formulas(world, client, cohort):
    enrolled_student(cohort, person__name_en="=HYPERLINK(1)")
    client.force_login(world.a.admin)
    export = client.get(reverse("students:index"), {"export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_dashboard_panel_counts_only_own_students(world, client, cohort, cohort_b):
    enrolled_student(cohort)
    enrolled_student(cohort_b)
    client.force_login(world.a.admin)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert world.a.institute.name_ar in body
    assert world.b.institute.name_ar not in body


def _students_table_queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    touching = [q for q in ctx.captured_queries if "students_student" in q["sql"]]
    return len(touching), response.content.decode()


def test_admin_home_counts_students_once_then_from_the_cache(
    world, client, cohort, django_capture_on_commit_callbacks
):
    from students.services import student_suspend

    students = [enrolled_student(cohort) for _ in range(3)]
    client.force_login(world.authority)
    home = reverse("wagtailadmin_home")
    counted, _body = _students_table_queries(client, home)
    assert counted >= 4  # institute, year, status and sex counts
    again, body = _students_table_queries(client, home)
    assert again == 0, "the whole students table is aggregated on every view"
    assert ": 3</" in body or ': 3"' in body

    # A status change through a service recounts at the next view.
    with django_capture_on_commit_callbacks(execute=True):
        student_suspend(student=students[0], by=world.a.admin, note="مرض")
    recounted, body = _students_table_queries(client, home)
    assert recounted >= 4
    assert ': 1"' in body and ': 2"' in body  # one suspended, two enrolled


def test_student_add_form_checks_the_national_id_against_birth_date(
    world, client, cohort
):
    from students.factories import national_id_for

    client.force_login(world.a.admin)
    url = reverse("students:add")
    number = national_id_for(__import__("datetime").date(2009, 5, 17), "f", serial=77)
    data = {
        "cohort": cohort.pk,
        "document_type": "eg_national_id",
        "document_number": number,
        "name_ar": "منى أحمد",
        "birth_date": "2009-05-18",
        "sex": "f",
        "governorate": "29",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    data["birth_date"] = "2009-05-17"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    from students.models import Student

    student = Student.objects.get(person__national_id=number)
    assert student.status == StudentStatus.APPLICANT
    assert student.events.get().recorded_by == world.a.admin
    # The registrar lands on the student just added, not on the whole list.
    assert response["Location"] == reverse("students:inspect", args=[student.pk])


def test_student_add_form_refuses_invisible_characters_in_printed_fields(
    world, client, cohort
):
    import datetime

    from students.factories import national_id_for
    from students.models import Student

    client.force_login(world.a.admin)
    number = national_id_for(datetime.date(2009, 5, 17), "f", serial=78)
    data = {
        "cohort": cohort.pk,
        "document_type": "eg_national_id",
        "document_number": number,
        "document_country": "EG",
        "nationality": "EG",
        "name_ar": "منى \u202eدمحأ",
        "birth_date": "2009-05-17",
        "sex": "f",
        "governorate": "29",
        "guardian_name": "أحمد\u200f علي",
    }
    response = client.post(reverse("students:add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "U+202E" in errors["name_ar"][0]
    assert "U+200F" in errors["guardian_name"][0]
    assert response.context["form"]["guardian_name"].value() == data["guardian_name"]
    assert not Student.objects.filter(person__national_id=number).exists()
    data.update(name_ar="منى أحمد", guardian_name="أحمد علي")
    assert client.post(reverse("students:add"), data).status_code == 302


def test_results_sheet_prints_totals_without_a_comma_decimal(world, client, cohort):
    course = cohort.curriculum_version.courses.get(code__startswith="Y1C0")
    a, b = (enrolled_student(cohort).enrolments.get() for _ in range(2))
    client.force_login(world.a.admin)
    url = _sheet_url(cohort, course)
    client.post(
        url,
        {
            "enrolment": [a.pk, b.pk],
            f"t{a.pk}": "70",
            f"p{a.pk}": "30",
            f"t{b.pk}": "60.5",
            f"p{b.pk}": "30",
        },
    )
    page = client.get(url).content.decode()  # Arabic (the default language)
    assert "<td>100</td>" in page and "<td>90.5</td>" in page
    assert "100,0" not in page and "90,5" not in page
