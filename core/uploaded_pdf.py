"""Whether an uploaded file is a plain PDF document: it opens, has pages, and can do nothing.

A file that starts with ``%PDF-`` may still be an HTML page, or a PDF whose opening runs
JavaScript or launches a program. ``check`` opens the file with pypdf and walks every object
reachable from its trailer, refusing active content wherever it sits (names are compared as
pypdf decodes them, so ``/J#53`` is ``/JS``); it decodes no content stream.
"""

import io

from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_OBJECTS = 200_000  # a scanned form has dozens; a file with more is refused, not walked
# Keys that hold scripts (an action's /JS, the document's /JavaScript names tree) or actions
# run on events without the reader asking (/AA). An /OpenAction is refused by what it does.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA"}
# Action types that run code, another program, or send data, wherever they are linked from.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/Rendition", "/ImportData", "/SubmitForm"}


class UnusablePDF(ValueError):
    """The file cannot be kept as a PDF document; the message says why, in words for staff."""


def check(data: bytes) -> int:
    """The number of pages of a plain PDF document, or UnusablePDF."""
    unreadable = UnusablePDF(_("PDF 文件无法打开或没有页面，请重新扫描后上传。"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnusablePDF(_("PDF 文件设有密码，请去掉密码或重新扫描后上传。"))
        pages = len(reader.pages)
        active = any(is_active(each) for each in dictionaries(reader.trailer))
    except UnusablePDF:
        raise
    except Exception:  # pypdf raises many kinds of error on a hostile file; all mean "unusable"
        raise unreadable from None
    if pages < 1:
        raise unreadable
    if active:
        raise UnusablePDF(
            _("PDF 文件含有脚本或自动运行的动作，不能作为扫描件保存，请用扫描仪重新扫描后上传。")
        )
    return pages


def is_active(dictionary: DictionaryObject) -> bool:
    """Whether a PDF dictionary is, or holds, a script or an action that runs by itself."""
    if ACTIVE_KEYS.intersection(dictionary.keys()):
        return True
    kind = dictionary.get("/S")  # an action's type
    return isinstance(kind, str) and kind in ACTIVE_ACTIONS


def dictionaries(root):
    """Every dictionary (and stream) reachable from ``root``, each once."""
    seen, stack, count = set(), [root], 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        count += 1
        if count > MAX_OBJECTS:
            raise UnusablePDF(_("PDF 文件结构过于复杂，请重新扫描后上传。"))
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(dict.values(item))  # as stored: references stay references
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
