"""Training: the programme catalogue, annual plans, classes, learners, enrollments and marks.

Split by feature (the single module had passed 700 lines); everything is importable from
``courses.models`` as before:

- ``training``: programmes, modules, classification bands, annual plans, classes;
- ``learners``: the person (``Learner``), each school's own details of the person
  (``LearnerDetails``) and the school's list (``SchoolLearner``);
- ``enrollments``: a learner in a class, and the marks;
- ``imports``: an uploaded learner workbook between preview and confirmation.
"""

from courses.models.enrollments import Enrollment, Mark
from courses.models.imports import ImportBatch, _import_error_file_name, _import_file_name
from courses.models.learners import (
    DETAIL_FIELDS,
    IDENTITY_FIELDS,
    DocumentType,
    Learner,
    LearnerDetails,
    LearnerDetailsFields,
    LearnerQuerySet,
    SchoolLearner,
    party_dates_check,
)
from courses.models.training import (
    DEFAULT_BANDS,
    MARK_VALIDATORS,
    AnnualPlan,
    Classification,
    ClassificationBand,
    Module,
    PlanLine,
    Programme,
    TrainingClass,
    mark_field,
    mark_range_check,
)

__all__ = [
    "DEFAULT_BANDS", "DETAIL_FIELDS", "IDENTITY_FIELDS", "MARK_VALIDATORS", "AnnualPlan", "Classification",
    "ClassificationBand", "DocumentType", "Enrollment", "ImportBatch", "Learner", "LearnerDetails",
    "LearnerDetailsFields", "LearnerQuerySet", "Mark", "Module", "PlanLine", "Programme", "SchoolLearner",
    "TrainingClass", "_import_error_file_name", "_import_file_name", "mark_field", "mark_range_check",
    "party_dates_check",
]
