"""Admin screens of the staff-training wing, mounted under /admin/training/."""

from django.urls import path

from .views import (
    attendance_correct_view,
    compliance_hospital,
    compliance_national,
    compliance_people,
    graduate_hire_view,
    my_sessions,
    registration_cancel_view,
    session_cancel_view,
    session_detail,
    session_paper_entry,
    session_register,
    session_sign_in_sheet,
    staff_import,
    staff_record_view,
    staffing_nationality,
)

urlpatterns = [
    path("staff/import/", staff_import, name="training_staff_import"),
    path(
        "sessions/<int:pk>/sign-in-sheet.pdf",
        session_sign_in_sheet,
        name="training_session_sign_in_sheet",
    ),
    path("my-sessions/", my_sessions, name="training_my_sessions"),
    path("sessions/<int:pk>/", session_detail, name="training_session_detail"),
    path(
        "sessions/<int:pk>/register/",
        session_register,
        name="training_session_register",
    ),
    path(
        "sessions/<int:pk>/cancel/",
        session_cancel_view,
        name="training_session_cancel",
    ),
    path(
        "sessions/<int:pk>/paper/",
        session_paper_entry,
        name="training_session_paper",
    ),
    path(
        "registrations/<int:pk>/cancel/",
        registration_cancel_view,
        name="training_registration_cancel",
    ),
    path(
        "attendance/<int:pk>/correct/",
        attendance_correct_view,
        name="training_attendance_correct",
    ),
    path("staff/<int:pk>/record/", staff_record_view, name="training_staff_record"),
    path(
        "people/<int:person_pk>/hire/",
        graduate_hire_view,
        name="training_graduate_hire",
    ),
    path("compliance/", compliance_hospital, name="training_compliance"),
    path(
        "compliance/national/",
        compliance_national,
        name="training_compliance_national",
    ),
    path("compliance/people/", compliance_people, name="training_compliance_people"),
    path(
        "staffing/nationality/",
        staffing_nationality,
        name="training_staffing_nationality",
    ),
]
