from django.utils.functional import SimpleLazyObject

from campaigns.models import roles_of

# The community's own staff: who works the doors, the dashboard and the public record. The
# parties' people (lawyer, reviewer, contractor, maintainer) get their own links only.
STAFF_ROLES = {"secretary", "grid_worker", "building_lead"}


def roles(request) -> dict:
    """The signed-in user's roles, for the navigation: worked out only when a template asks
    (from ``assignments_of``, read once per request), so a partial without the navigation
    costs nothing; none for guests. ``community_staff`` says whether any of them is the
    community's own staff."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set(), "community_staff": False}
    held = SimpleLazyObject(
        lambda: roles_of(user) | ({"secretary"} if user.is_superuser else set())
    )
    return {
        "user_roles": held,
        "community_staff": SimpleLazyObject(lambda: bool(STAFF_ROLES & set(held))),
    }
