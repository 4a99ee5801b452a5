from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="user_list"),
    path("accounts/add/", views.AccountCreateView.as_view(), name="user_create"),
    path("accounts/<int:pk>/edit/", views.AccountUpdateView.as_view(), name="user_update"),
]
