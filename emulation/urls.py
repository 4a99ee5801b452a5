from django.urls import path

from emulation import views, views_results

app_name = "emulation"

year = "emulation/<slug:cluster_code>/<int:year>/"
card = year + "scorecards/<slug:school_code>/"
school = "s/<slug:school_code>/emulation/"

urlpatterns = [
    path("academy/emulation/", views.ClusterListView.as_view(), name="cluster_list"),
    path("academy/emulation/add/", views.ClusterCreateView.as_view(), name="cluster_create"),
    path("academy/emulation/<slug:cluster_code>/", views.ClusterDetailView.as_view(), name="cluster_detail"),
    path("academy/emulation/<slug:cluster_code>/edit/", views.ClusterUpdateView.as_view(), name="cluster_update"),
    path("academy/emulation/<slug:cluster_code>/years/add/", views.ClusterYearCreateView.as_view(), name="year_create"),
    path(year, views.YearDetailView.as_view(), name="year_detail"),
    path(year + "edit/", views.YearUpdateView.as_view(), name="year_update"),
    path(year + "calendar/", views.ScheduleUpdateView.as_view(), name="year_schedule"),
    path(year + "step/<slug:action>/", views.TransitionView.as_view(), name="year_transition"),
    path(year + "as-recorded/", views.RecordedEntryView.as_view(), name="year_recorded_entry"),
    path(year + "scheme/", views.SchemeView.as_view(), name="scheme"),
    path(year + "scheme/add/", views.CriterionCreateView.as_view(), name="criterion_create"),
    path(year + "scheme/copy/", views.SchemeCopyView.as_view(), name="scheme_copy"),
    path(year + "scheme/tie-break/", views.TieBreakView.as_view(), name="tie_break"),
    path(year + "scheme/<int:pk>/edit/", views.CriterionUpdateView.as_view(), name="criterion_update"),
    path(year + "scheme/<int:pk>/delete/", views.CriterionDeleteView.as_view(), name="criterion_delete"),
    path(card, views.ScorecardView.as_view(), name="scorecard"),
    path(card + "self-score/", views.SelfScoreView.as_view(), name="self_score"),
    path(card + "submit/", views.ScorecardSubmitView.as_view(), name="scorecard_submit"),
    path(card + "appraise/", views.AppraiseView.as_view(), name="appraise"),
    path(card + "evidence/<int:pk>/", views.EvidenceView.as_view(), name="evidence"),
    path(card + "appeal/<int:pk>/", views.AppealCreateView.as_view(), name="appeal_create"),
    path(year + "appeals/", views.AppealListView.as_view(), name="appeals"),
    path(year + "appeals/<int:pk>/", views.AppealResolveView.as_view(), name="appeal_resolve"),
    path(year + "ranking/", views_results.RankingView.as_view(), name="ranking"),
    path(year + "awards/", views_results.ProposalListView.as_view(), name="proposals"),
    path(year + "awards/add/", views_results.ProposalCreateView.as_view(), name="proposal_create"),
    path(year + "awards/<int:pk>/vote/", views_results.VoteView.as_view(), name="proposal_vote"),
    path(year + "awards/<int:pk>/decision/", views_results.DecisionView.as_view(), name="proposal_decide"),
    path(year + "conference/", views_results.MeetingView.as_view(), name="meeting"),
    path(year + "minutes/", views_results.MinutesView.as_view(), name="minutes"),
    path(school, views_results.SchoolClustersView.as_view(), name="school_clusters"),
    path(school + "scores/", views_results.SchoolScoresView.as_view(), name="school_scores"),
    path(school + "awards/", views_results.SchoolAwardsView.as_view(), name="school_awards"),
    path(school + "awards/staff/<int:pk>/", views_results.StaffAwardsView.as_view(), name="staff_awards"),
]
