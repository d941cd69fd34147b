"""The confidentiality scanner: finds what must not be published in an item's text.

Public surface (other modules import only these names):
- NegativeTerm(term, note): a negative-list term to look for.
- Finding(kind, start, end, text, confidence, detail): one finding; offsets index the scanned text.
- Kind: the finding kinds (a TextChoices, also used by review.models.Finding).
- scan_text(text, *, negative_terms=()) -> list[Finding], sorted by start.
- extract_text(data: bytes, name: str, *, ocr=False) -> str: the text of a .docx, .xlsx, .pdf,
  .txt, or with `ocr` of a PNG/JPEG picture or a PDF's scanned pages; in this process, unbounded.
- read_text(data, name, *, ocr=False) -> str: the same in a child process within the limits of
  the settings (EXTRACTION_*, OCR_*): for files nobody has vouched for.
- ExtractionError: the file's text could not be read (unsupported, encrypted, corrupt, no text);
  `code` names the case. ExtractionRefused: reading it would cost too much (a zip bomb, too slow,
  too much memory). NeedsOCR: only text recognition can read it.
- classification_marks(text) -> list[Finding]: the classification marks (密级标志) alone.
"""

from .detectors import scan_text
from .errors import ExtractionError, ExtractionRefused, NeedsOCR
from .extract import extract_text
from .kinds import Finding, Kind, NegativeTerm
from .marks import classification_marks
from .read import read_text

__all__ = [
    "ExtractionError",
    "ExtractionRefused",
    "NeedsOCR",
    "classification_marks",
    "Finding",
    "Kind",
    "NegativeTerm",
    "extract_text",
    "read_text",
    "scan_text",
]
