"""Admin screens of the students app, mounted under /admin/student-records/."""

from django.urls import path

from .views import results_sheet, rollover, student_action, student_import

urlpatterns = [
    path(
        "student/<int:pk>/action/<slug:action>/",
        student_action,
        name="students_action",
    ),
    path(
        "cohort/<int:cohort_pk>/results/<int:course_pk>/",
        results_sheet,
        name="students_results_sheet",
    ),
    path(
        "cohort/<int:cohort_pk>/rollover/",
        rollover,
        name="students_rollover",
    ),
    path("import/", student_import, name="students_import"),
]
