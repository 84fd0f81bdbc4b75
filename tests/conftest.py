from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PACKET_ROOT = tmp_path / "packets"
    settings.REGISTER_UPLOAD_ROOT = tmp_path / "register-uploads"
    settings.PACKET_JOBS = 1
    settings.LANGUAGE_CODE = "zh-hans"
    cache.clear()  # cached public pages and rate-limit counters start afresh in each test


# --- the demo campaign, seeded once for the tests that read it -------------------------------
#
# ``demo`` runs seed_demo once, in a transaction that stays open while the tests that ask for
# it run (each inside its own savepoint, rolled back after it, as always) and is rolled back
# after the last of them. Those tests run together, after the other tests inside a transaction
# and before the transactional ones (pytest_collection_modifyitems), so no other test sees the
# demo. A transactional test (a browser journey, a migration) cannot share that transaction: it
# seeds its own demo with call_command("seed_demo").


class DemoTransaction:
    """The transaction the demo lives in, open from the first test that reads it to the last."""

    atomic = blocker = None
    rolled_back = False

    def open(self, blocker) -> None:
        if connection.in_atomic_block:
            raise pytest.UsageError(
                "the demo was set up inside a test's transaction: ask for it by its name (not "
                "through getfixturevalue or a fixture of the same name)"
            )
        self.blocker, self.atomic = blocker, transaction.atomic()
        self.atomic.__enter__()

    def roll_back(self) -> None:
        if self.atomic is not None:
            if connection.atomic_blocks[-1:] != [self.atomic]:
                raise RuntimeError("a fixture still holds a transaction inside the demo's")
            with self.blocker.unblock():
                transaction.set_rollback(True)
                self.atomic.__exit__(None, None, None)
            self.atomic, self.rolled_back = None, True


DEMO_TRANSACTION = DemoTransaction()


def is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    flags = marker.kwargs if marker else {}
    return bool(
        flags.get("transaction")
        or flags.get("reset_sequences")
        or {"transactional_db", "live_server"} & set(item.fixturenames)
    )


def reads_the_demo(item) -> bool:
    return "demo" in getattr(item, "fixturenames", ())


# After pytest-django has put the tests in its order (inside a transaction, transactional, no
# database), the tests that read the demo go last among those inside a transaction.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if reads_the_demo(item) and is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test seeds its own demo "
                '(call_command("seed_demo")); the demo fixture is for tests inside a transaction'
            )
    readers = [item for item in items if reads_the_demo(item)]
    others = [item for item in items if not reads_the_demo(item)]
    in_transaction = [
        n
        for n, item in enumerate(others)
        if (item.get_closest_marker("django_db") or "db" in item.fixturenames)
        and not is_transactional(item)
    ]
    end = in_transaction[-1] + 1 if in_transaction else 0
    items[:] = others[:end] + readers + others[end:]


def pytest_runtest_setup(item):
    if reads_the_demo(item) and DEMO_TRANSACTION.rolled_back:
        pytest.fail("the demo was rolled back before this test: run the tests in their order")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if nextitem is None or not reads_the_demo(nextitem):
            DEMO_TRANSACTION.roll_back()


class Demo:
    """The demo campaign as seed_demo builds it, read afresh on every use (a test may change
    what it reads; its changes are rolled back after it as usual)."""

    def __init__(self, output: str, media=None) -> None:
        self.output = output  # what seed_demo printed
        self.media = media  # where its photos and files were saved (MEDIA_ROOT)

    @property
    def campaign(self):
        from campaigns.models import Campaign

        return Campaign.objects.get(slug="ningkang-2026")

    @property
    def unit(self):
        """The seed unit, 1栋1单元."""
        return self.campaign.buildings.get(name="1栋").units.get(name="1单元")

    @property
    def users(self) -> dict:
        return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Demo:
    """The demo campaign ningkang-2026 (seed_demo), seeded once for the tests that ask for it."""
    out, media = StringIO(), tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        DEMO_TRANSACTION.open(django_db_blocker)
        try:
            with override_settings(MEDIA_ROOT=media):
                call_command("seed_demo", stdout=out)
        except BaseException:
            DEMO_TRANSACTION.roll_back()
            raise
    yield Demo(out.getvalue(), media)
    DEMO_TRANSACTION.roll_back()
