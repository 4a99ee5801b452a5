from django.urls import path

from courses import views_import

app_name = "courses"

school = "s/<slug:school_code>/"

urlpatterns: list = [
    # --- Excel import of learners into a class (branch `import`; views in courses/views_import.py) ---
    path(school + "classes/<int:pk>/import/", views_import.ClassImportView.as_view(), name="class_import"),
    path(school + "imports/template.xlsx", views_import.ImportTemplateView.as_view(), name="import_template"),
    path(school + "imports/<uuid:pk>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path(school + "imports/<uuid:pk>/confirm/", views_import.ImportConfirmView.as_view(), name="import_confirm"),
    path(school + "imports/<uuid:pk>/cancel/", views_import.ImportCancelView.as_view(), name="import_cancel"),
    path(school + "imports/<uuid:pk>/errors.xlsx", views_import.ImportErrorsView.as_view(), name="import_errors"),
    # --- end of the import block ---
]
