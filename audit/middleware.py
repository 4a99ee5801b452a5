from audit.context import _acting_user


class ActingUserMiddleware:
    """Names ``request.user`` as the acting user for every change recorded during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting_user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _acting_user.reset(token)
