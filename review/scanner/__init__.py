"""The confidentiality scanner: finds what must not be published in an item's text.

Public surface (other modules import only these names):
- NegativeTerm(term, note): a negative-list term to look for.
- Finding(kind, start, end, text, confidence, detail): one finding; offsets index the scanned text.
- Kind: the finding kinds (a TextChoices, also used by review.models.Finding).
- scan_text(text, *, negative_terms=()) -> list[Finding], sorted by start.
- extract_text(data: bytes, name: str) -> str: the text of a .docx, .pdf (text layer) or .txt.
- ExtractionError: the file's text could not be read (unsupported, encrypted, corrupt, no text).
"""

from .detectors import scan_text
from .extract import ExtractionError, extract_text
from .kinds import Finding, Kind, NegativeTerm

__all__ = ["ExtractionError", "Finding", "Kind", "NegativeTerm", "extract_text", "scan_text"]
