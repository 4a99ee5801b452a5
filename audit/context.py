"""The acting user of the current request, command or task (a context variable)."""

import contextlib
import contextvars

_acting_user = contextvars.ContextVar("audit_acting_user", default=None)


def current_user():
    """The authenticated user acting now, or None (system, anonymous, or not set)."""
    user = _acting_user.get()
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


@contextlib.contextmanager
def acting_as(user):
    """``with acting_as(user):`` — changes inside are recorded as made by ``user``."""
    token = _acting_user.set(user)
    try:
        yield user
    finally:
        _acting_user.reset(token)
