"""What reading a file's text can end in, besides the text.

Three outcomes matter to the callers, so each is a class of its own:
- ExtractionError: the text cannot be read (encrypted, damaged, an unsupported format). The file
  may still be kept; a person then reads it by eye.
- ExtractionRefused: reading it would cost more than we allow (a "zip bomb", too slow, too much
  memory). An upload is refused; a file already kept is treated as unreadable.
- NeedsOCR: only text recognition (OCR) can read it (a picture, a scanned PDF), and OCR runs on
  the worker, not here.

The message is shown to people as it is (translated where it is raised); `code` names the case
for programs and tests, whatever the language.
"""


class ExtractionError(Exception):
    """The file's text could not be read: unsupported format, encrypted, corrupt, or no text."""

    def __init__(self, message: str, *, code: str = "unreadable") -> None:
        super().__init__(message)
        self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ExtractionRefused(ExtractionError):
    """Reading the file was refused or stopped to protect the server."""


class NeedsOCR(ExtractionError):
    """The file holds pictures of text: only OCR can read it."""


def error_from(kind: str, message: str, code: str) -> ExtractionError:
    """Rebuild an error sent across a process boundary by name (never by unpickling)."""
    cls = {"ExtractionRefused": ExtractionRefused, "NeedsOCR": NeedsOCR}.get(kind, ExtractionError)
    return cls(message, code=code)
