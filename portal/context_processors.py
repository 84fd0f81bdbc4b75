from django.utils.functional import SimpleLazyObject

from campaigns.models import roles_of


def roles(request) -> dict:
    """The signed-in user's roles, for the navigation: worked out only when a template asks
    (from ``assignments_of``, read once per request), so a partial without the navigation
    costs nothing; none for guests."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {
        "user_roles": SimpleLazyObject(
            lambda: roles_of(user) | ({"secretary"} if user.is_superuser else set())
        )
    }
