from django.urls import path

from compliance import views

app_name = "compliance"

school = "s/<slug:school_code>/standard/"
academy = "academy/standard/"

urlpatterns = [
    path(school, views.AssessmentListView.as_view(), name="assessment_list"),
    path(school + "open/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path(school + "<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path(school + "<int:pk>/export/", views.AssessmentExportView.as_view(), name="assessment_export"),
    path(school + "<int:pk>/refresh/", views.AssessmentRefreshView.as_view(), name="assessment_refresh"),
    path(school + "<int:pk>/submit/", views.AssessmentSubmitView.as_view(), name="assessment_submit"),
    path(school + "<int:pk>/review/request-evidence/", views.RequestEvidenceView.as_view(), name="review_request_evidence"),
    path(school + "<int:pk>/review/survey/", views.SurveyView.as_view(), name="review_survey"),
    path(school + "<int:pk>/review/council/", views.CouncilView.as_view(), name="review_council"),
    path(school + "<int:pk>/review/recognise/", views.RecogniseView.as_view(), name="review_recognise"),
    path(school + "answers/<int:pk>/", views.AnswerUpdateView.as_view(), name="answer_update"),
    path(school + "answers/<int:pk>/comment/", views.CommentView.as_view(), name="answer_comment"),
    path(school + "evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(school + "evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path(school + "metrics/<str:metric>/", views.MetricEvidenceView.as_view(), name="metric_evidence"),
    path(school + "gap/", views.GapView.as_view(), name="gap"),
    path(academy, views.ConsoleView.as_view(), name="console"),
    path(academy + "standards/", views.StandardListView.as_view(), name="standard_list"),
    path(academy + "standards/<int:pk>/", views.StandardDetailView.as_view(), name="standard_detail"),
    path(academy + "standards/<int:pk>/export/", views.StandardExportView.as_view(), name="standard_export"),
    path(academy + "standards/import/", views.StandardImportView.as_view(), name="standard_import"),
    path(academy + "indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
]
