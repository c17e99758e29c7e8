"""Admin screens of the placements wing, mounted under /admin/training/placements/."""

from django.urls import path

from .views import (
    block_detail,
    block_place,
    block_propose,
    block_ward_add,
    cohort_schedule,
    hospital_schedule,
    hours_approve_many_view,
    hours_decide_view,
    my_students_today,
    past_years,
    past_years_import,
    placement_adjust,
    placement_detail,
    placement_evaluate,
    placement_signoff,
    placement_status,
    placements_dashboard,
    student_clinical_record,
    student_past_year,
    ward_schedule_pdf,
)

urlpatterns = [
    path("", placements_dashboard, name="training_placements_dashboard"),
    path("blocks/<int:pk>/", block_detail, name="training_block_detail"),
    path("blocks/<int:pk>/wards/", block_ward_add, name="training_block_ward_add"),
    path("blocks/<int:pk>/place/", block_place, name="training_block_place"),
    path("blocks/<int:pk>/propose/", block_propose, name="training_block_propose"),
    path("<int:pk>/", placement_detail, name="training_placement_detail"),
    path("<int:pk>/adjust/", placement_adjust, name="training_placement_adjust"),
    path("<int:pk>/status/", placement_status, name="training_placement_status"),
    path("<int:pk>/signoff/", placement_signoff, name="training_placement_signoff"),
    path("<int:pk>/evaluate/", placement_evaluate, name="training_placement_evaluate"),
    path("schedule/hospital/", hospital_schedule, name="training_hospital_schedule"),
    path("schedule/cohort/", cohort_schedule, name="training_cohort_schedule"),
    path(
        "schedule/ward/<int:pk>/pdf/",
        ward_schedule_pdf,
        name="training_ward_schedule_pdf",
    ),
    path("today/", my_students_today, name="training_my_students_today"),
    path("hours/<int:pk>/decide/", hours_decide_view, name="training_hours_decide"),
    path("hours/approve/", hours_approve_many_view, name="training_hours_approve_many"),
    path(
        "students/<int:pk>/",
        student_clinical_record,
        name="training_student_clinical_record",
    ),
    path(
        "students/<int:pk>/past-year/<int:year>/",
        student_past_year,
        name="training_student_past_year",
    ),
    path("past-years/", past_years, name="training_past_years"),
    path("past-years/import/", past_years_import, name="training_past_years_import"),
]
