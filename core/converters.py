"""The path converter every id in a URL goes through: ``<id:pk>``.

Django's ``<int:pk>`` matches any run of digits, and an id past the largest 64-bit integer
makes SQLite fail with an overflow (a server error). ``IdConverter`` matches only ids a
database can hold; a larger one matches no URL, which answers 404 like any other unknown id.
"""

from django.urls import register_converter

LARGEST_ID = 2**63 - 1  # a BigAutoField's upper end, on every database


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("no record has an id this large")  # Django: the URL does not match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
