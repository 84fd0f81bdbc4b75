"""An uploaded PDF is kept only if it is a plain document: it opens, has pages, runs nothing."""

import io

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from core.uploaded_pdf import UnusablePDF, check


def javascript(code: str = "app.alert('hi')") -> DictionaryObject:
    return DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(code)}
    )


def pdf(change=None, pages: int = 1) -> bytes:
    """A PDF as pypdf writes it, with ``pages`` blank A4 pages, after ``change(writer)``."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if change:
        change(writer)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def open_action(writer):
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(javascript())


def names_tree(writer):
    scripts = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("hi"), javascript()])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(scripts)}
    )


def page_opening_action(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript()})


def launch_link(writer):
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([]),
            NameObject("/A"): launch,
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])


def password(writer):
    writer.encrypt("secret")


def opening_on_the_first_page(writer):
    first = writer.pages[0].indirect_reference
    writer._root_object[NameObject("/OpenAction")] = ArrayObject([first, NameObject("/Fit")])


def test_a_plain_scanned_pdf_is_kept_and_its_pages_counted():
    assert check(pdf(pages=2)) == 2


def test_a_pdf_that_opens_on_its_first_page_is_kept():
    assert check(pdf(opening_on_the_first_page)) == 1


@pytest.mark.parametrize("change", [open_action, names_tree, page_opening_action, launch_link])
def test_a_pdf_that_runs_a_script_or_a_program_is_refused(change):
    with pytest.raises(UnusablePDF, match="含有脚本或自动运行的动作"):
        check(pdf(change))


def test_a_script_hidden_behind_an_escaped_name_is_still_found():
    escaped = pdf(open_action).replace(b"/JS ", b"/J#53 ").replace(b"/JS(", b"/J#53(")
    assert b"/J#53" in escaped
    with pytest.raises(UnusablePDF, match="含有脚本"):
        check(escaped)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        pdf(pages=0),
    ],
    ids=["html with a pdf header", "no catalogue", "no pages"],
)
def test_a_file_that_is_not_a_pdf_document_with_pages_is_refused(data):
    with pytest.raises(UnusablePDF, match="无法打开或没有页面"):
        check(data)


def test_a_pdf_behind_a_password_is_refused():
    with pytest.raises(UnusablePDF, match="设有密码"):
        check(pdf(password))
