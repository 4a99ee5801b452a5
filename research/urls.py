from django.urls import path

from research import views

app_name = "research"

base = "s/<slug:school_code>/research/"

urlpatterns = [
    path(base + "topics/", views.TopicListView.as_view(), name="topic_list"),
    path(base + "topics/add/", views.TopicCreateView.as_view(), name="topic_create"),
    path(base + "topics/<int:pk>/", views.TopicDetailView.as_view(), name="topic_detail"),
    path(base + "topics/<int:pk>/edit/", views.TopicUpdateView.as_view(), name="topic_update"),
    path(base + "topics/<int:pk>/delete/", views.TopicDeleteView.as_view(), name="topic_delete"),
    path(base + "topics/<int:pk>/<slug:action>/", views.TopicTransitionView.as_view(), name="topic_transition"),
    path(base + "events/", views.EventListView.as_view(), name="event_list"),
    path(base + "events/add/", views.EventCreateView.as_view(), name="event_create"),
    path(base + "events/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path(base + "events/<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path(base + "events/<int:pk>/delete/", views.EventDeleteView.as_view(), name="event_delete"),
    path(base + "publications/", views.PublicationListView.as_view(), name="publication_list"),
    path(base + "publications/add/", views.PublicationCreateView.as_view(), name="publication_create"),
    path(base + "publications/<int:pk>/", views.PublicationDetailView.as_view(), name="publication_detail"),
    path(base + "publications/<int:pk>/edit/", views.PublicationUpdateView.as_view(), name="publication_update"),
    path(base + "publications/<int:pk>/delete/", views.PublicationDeleteView.as_view(), name="publication_delete"),
    path(base + "publications/<int:issue_pk>/articles/add/", views.ArticleCreateView.as_view(),
         name="article_create"),
    path(base + "publications/<int:issue_pk>/articles/<int:pk>/edit/", views.ArticleUpdateView.as_view(),
         name="article_update"),
    path(base + "publications/<int:issue_pk>/articles/<int:pk>/delete/", views.ArticleDeleteView.as_view(),
         name="article_delete"),
    path(base + "field-trips/", views.FieldTripListView.as_view(), name="fieldtrip_list"),
    path(base + "field-trips/add/", views.FieldTripCreateView.as_view(), name="fieldtrip_create"),
    path(base + "field-trips/<int:pk>/", views.FieldTripDetailView.as_view(), name="fieldtrip_detail"),
    path(base + "field-trips/<int:pk>/edit/", views.FieldTripUpdateView.as_view(), name="fieldtrip_update"),
    path(base + "field-trips/<int:pk>/delete/", views.FieldTripDeleteView.as_view(), name="fieldtrip_delete"),
    path(base + "summary/", views.SummaryView.as_view(), name="summary"),
]
