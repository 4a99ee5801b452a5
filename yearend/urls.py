from django.urls import path

from yearend import views

app_name = "yearend"

urlpatterns = [
    path("s/<slug:school_code>/chot-so-lieu/", views.SchoolLocksView.as_view(), name="school_locks"),
    path("s/<slug:school_code>/chot-so-lieu/<int:year>/", views.YearLockView.as_view(), name="year_lock"),
    path("academy/chot-so-lieu/", views.LockConsoleView.as_view(), name="console"),
]
