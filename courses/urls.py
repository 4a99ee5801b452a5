from django.urls import path

from courses import views, views_import, views_joint, views_merge, views_people

app_name = "courses"

school = "s/<slug:school_code>/"
klass = school + "classes/<int:pk>/"

urlpatterns = [
    # the programme catalogue (Academy edits, everyone reads)
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/add/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("programmes/<int:pk>/delete/", views.ProgrammeDeleteView.as_view(), name="programme_delete"),
    # the Academy: learners across schools
    path("academy/learners/", views_people.AcademyLearnerListView.as_view(), name="academy_learner_list"),
    path("academy/learners/<int:pk>/", views_people.LearnerHistoryView.as_view(), name="learner_history"),
    path("academy/learners/links/", views_merge.LearnerLinkListView.as_view(), name="learner_links"),
    path("academy/learners/<int:pk>/merge/", views_merge.LearnerMergeView.as_view(), name="learner_merge"),
    path("academy/learners/<int:pk>/identity/", views_merge.LearnerIdentityUpdateView.as_view(),
         name="learner_identity"),
    path("academy/joint-classes/", views_joint.PartnerJointClassesView.as_view(), name="joint_classes"),
    # annual plans
    path(school + "plans/", views.PlanListView.as_view(), name="plan_list"),
    path(school + "plans/add/", views.PlanCreateView.as_view(), name="plan_create"),
    path(school + "plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(school + "plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_update"),
    path(school + "plans/<int:pk>/delete/", views.PlanDeleteView.as_view(), name="plan_delete"),
    # classes
    path(school + "classes/", views.ClassListView.as_view(), name="class_list"),
    path(school + "classes/add/", views.ClassCreate.as_view(), name="class_create"),
    path(klass, views.ClassDetailView.as_view(), name="class_detail"),
    path(klass + "edit/", views.ClassUpdate.as_view(), name="class_update"),
    path(klass + "delete/", views.ClassDeleteView.as_view(), name="class_delete"),
    path(klass + "roster/", views.RosterView.as_view(), name="roster"),
    path(klass + "graduation-list/", views.GraduationListView.as_view(), name="graduation_list"),
    path(klass + "graduation/", views.RecordGraduationView.as_view(), name="record_graduation"),
    path(klass + "marks/", views_people.GradeGridView.as_view(), name="grade_grid"),
    path(klass + "enroll/", views_people.EnrollView.as_view(), name="enroll"),
    path(klass + "diplomas/", views_people.DiplomaView.as_view(), name="diplomas"),
    # enrollments and learners
    path(school + "enrollments/<int:pk>/edit/", views_people.EnrollmentUpdateView.as_view(), name="enrollment_update"),
    path(school + "enrollments/<int:pk>/delete/", views_people.EnrollmentDeleteView.as_view(), name="enrollment_delete"),
    path(school + "learners/", views_people.LearnerListView.as_view(), name="learner_list"),
    path(school + "learners/<int:pk>/", views_people.LearnerDetailView.as_view(), name="learner_detail"),
    path(school + "learners/<int:pk>/edit/", views_people.LearnerUpdateView.as_view(), name="learner_update"),
    # --- Excel import of learners into a class (branch `import`; views in courses/views_import.py) ---
    path(school + "classes/<int:pk>/import/", views_import.ClassImportView.as_view(), name="class_import"),
    path(school + "imports/", views_import.ImportStartView.as_view(), name="import_start"),
    path(school + "imports/template.xlsx", views_import.ImportTemplateView.as_view(), name="import_template"),
    path(school + "imports/<uuid:pk>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path(school + "imports/<uuid:pk>/confirm/", views_import.ImportConfirmView.as_view(), name="import_confirm"),
    path(school + "imports/<uuid:pk>/cancel/", views_import.ImportCancelView.as_view(), name="import_cancel"),
    path(school + "imports/<uuid:pk>/errors.xlsx", views_import.ImportErrorsView.as_view(), name="import_errors"),
    # --- end of the import block ---
]
