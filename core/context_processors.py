from core.navigation import build_menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    school = getattr(request, "school", None)
    return {"menu": build_menu(user, school), "menu_school": school}
