"""Back-office URLs, mounted under /admin/certificates/ by wagtail_hooks."""

from django.urls import path

from . import views

app_name = "certificates_admin"

urlpatterns = [
    path("issue/", views.issue, name="issue"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/reissue/", views.reissue, name="reissue"),
    path("<int:pk>/rerender/", views.rerender, name="rerender"),
    path("bulk/", views.bulk_index, name="bulk"),
    path("bulk/new/<str:key>/", views.bulk_new, name="bulk_new"),
    path("bulk/<int:pk>/", views.bulk_job, name="bulk_job"),
    path("bulk/<int:pk>/status/", views.bulk_status, name="bulk_status"),
    path("bulk/<int:pk>/<str:what>/", views.bulk_download, name="bulk_download"),
]
