from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.JobListView.as_view(), name="job_list"),
    path("reports/<uuid:pk>/status/", views.JobStatusView.as_view(), name="job_status"),
    path("reports/<uuid:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
    path("reports/<uuid:pk>/resend/", views.JobResendView.as_view(), name="job_resend"),
]
