"""What the change log records for training (issue "Trust": learners, enrollments and marks)."""

import audit
from courses.models import Enrollment, Learner, Mark, TrainingClass


def changed_after_graduation(obj, action, changes):
    """Marks (and results) changed once the learner has graduated must stand out in the log."""
    enrollment = obj if isinstance(obj, Enrollment) else obj.enrollment
    if enrollment.status == Enrollment.Status.GRADUATED and (action != "update" or set(changes) - {"status"}):
        return "Sửa điểm sau khi học viên đã tốt nghiệp"
    return False


def register() -> None:
    audit.register(Learner)
    audit.register(TrainingClass)  # opening/closing decisions and the graduation that closes a class
    audit.register(Enrollment, flag=changed_after_graduation)
    audit.register(Mark, flag=changed_after_graduation)
