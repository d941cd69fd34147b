"""read_text: extract_text within the server's limits, for files nobody has vouched for.

In a web request (`ocr=False`) a file is read within EXTRACTION_TIMEOUT_SECONDS; pictures and
scanned pages raise NeedsOCR and are read on the worker (`ocr=True`), within
OCR_TIMEOUT_SECONDS. Either way the parsing runs in a child process with EXTRACTION_MEMORY_MB of
address space beyond the caller's (bounded.py).
"""

from django.conf import settings

from .bounded import run_bounded
from .extract import extract_text


def read_text(data: bytes, name: str, *, ocr: bool = False) -> str:
    timeout = settings.OCR_TIMEOUT_SECONDS if ocr else settings.EXTRACTION_TIMEOUT_SECONDS
    if ocr:
        # The child reports its own OCR deadline (a clearer message) a moment before the
        # parent's, which is the backstop.
        timeout += 5
    return run_bounded(
        lambda: extract_text(data, name, ocr=ocr),
        name=name,
        timeout=timeout,
        memory_mb=settings.EXTRACTION_MEMORY_MB,
    )
