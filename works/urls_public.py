"""The public pages' URLs (filled in by its own change)."""

urlpatterns: list = []
