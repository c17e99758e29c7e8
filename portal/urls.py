"""Portal URLs, inside the /ar/ and /en/ prefixes: /ar/my/ ..."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("my/", views.home, name="home"),
    path("my/sign-in/", views.sign_in, name="sign_in"),
    path("my/sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("my/sign-in/password/", views.sign_in_password, name="sign_in_password"),
    path("my/sign-out/", views.sign_out, name="sign_out"),
    path("my/placements/", views.placements, name="placements"),
    path("my/hours/", views.hours, name="hours"),
    path("my/hours/<str:day_id>/", views.hours_enter, name="hours_enter"),
    path("my/record/", views.record, name="record"),
    path("my/documents/", views.documents, name="documents"),
    path(
        "my/documents/<str:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path("my/training/", views.training, name="training"),
    path(
        "my/training/sessions/<str:session_id>/book/", views.session_book, name="book"
    ),
    path(
        "my/training/bookings/<str:registration_id>/cancel/",
        views.booking_cancel,
        name="cancel",
    ),
    path("my/activity/", views.activity, name="activity"),
    path("my/calendar/", views.calendar, name="calendar"),
    path("my/calendar/<str:token>.ics", views.feed, name="feed"),
    path("my/correction/", views.correction, name="correction"),
    path("my/settings/", views.account_settings, name="settings"),
    path(
        "my/settings/password/remove/",
        views.password_remove,
        name="password_remove",
    ),
]
