from django.urls import path

from awards import views

app_name = "awards"

base = "s/<slug:school_code>/awards/"

urlpatterns = [
    path(base, views.AwardRegisterView.as_view(), name="register"),
    path(base + "add/", views.AwardCreateView.as_view(), name="award_create"),
    path(base + "<int:pk>/edit/", views.AwardUpdateView.as_view(), name="award_update"),
    path(base + "<int:pk>/delete/", views.AwardDeleteView.as_view(), name="award_delete"),
]
