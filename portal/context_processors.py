from django.utils.functional import SimpleLazyObject

from households.models import roles_of


def roles(request) -> dict:
    """The signed-in user's roles, for the navigation: read (one query) only when a template
    asks, so a partial without the navigation costs none; none for guests."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    return {
        "user_roles": SimpleLazyObject(
            lambda: roles_of(user) | ({"secretary"} if user.is_superuser else set())
        )
    }
