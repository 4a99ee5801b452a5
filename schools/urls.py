from django.urls import path

from schools import structure_views, views

app_name = "schools"

school = "s/<slug:school_code>/"

urlpatterns = [
    path("academy/", views.DashboardView.as_view(), name="dashboard"),
    path("academy/schools/", views.SchoolDirectoryView.as_view(), name="school_list"),
    path("academy/structure/", structure_views.StructureCheckView.as_view(), name="structure_check"),
    path("academy/schools/add/", views.SchoolCreate.as_view(), name="school_create"),
    path("academy/schools/<slug:school_code>/edit/", views.SchoolUpdate.as_view(), name="school_update"),
    path("academy/schools/<slug:school_code>/delete/", views.SchoolDelete.as_view(), name="school_delete"),
    path(school, views.OverviewView.as_view(), name="overview"),
    path(school + "units/", views.UnitListView.as_view(), name="unit_list"),
    path(school + "units/add/", views.UnitCreateView.as_view(), name="unit_create"),
    path(school + "units/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path(school + "units/<int:pk>/edit/", views.UnitUpdateView.as_view(), name="unit_update"),
    path(school + "units/<int:pk>/delete/", views.UnitDeleteView.as_view(), name="unit_delete"),
    path(school + "staff/", views.StaffListView.as_view(), name="staff_list"),
    path(school + "staff/add/", views.StaffCreateView.as_view(), name="staff_create"),
    path(school + "staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path(school + "staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path(school + "staff/<int:pk>/delete/", views.StaffDeleteView.as_view(), name="staff_delete"),
]
