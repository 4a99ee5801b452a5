from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("s/<slug:school_code>/history/<str:model_label>/<int:pk>/", views.HistoryView.as_view(), name="history"),
    path("academy/audit/", views.LogListView.as_view(), name="log_list"),
]
