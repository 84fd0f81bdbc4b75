import subprocess
from pathlib import Path


def read_pdf(pdf: bytes, tmp_path: Path) -> tuple[str, str]:
    """(pdffonts, pdftotext) of a PDF."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return fonts, text


def cjk_embedded(fonts: str) -> bool:
    """The project's CJK font is in the PDF, and every font is embedded."""
    rows = fonts.strip().splitlines()[2:]
    return any("Noto-Sans-SC" in row for row in rows) and all(
        row.split()[-5] == "yes" for row in rows
    )
