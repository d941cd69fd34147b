"""`python manage.py scan <file> [--unit CODE] [--verbose]`: the confidentiality scanner on one
file, for administrators checking a document or tuning the negative list.

Prints one JSON object per finding per line, offsets into the extracted text:
    {"kind": "id_number", "start": 12, "end": 30, "text": "110105194912310026"}
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from review.scanner import ExtractionError, read_text, scan_text
from review.scanner.extract import MAX_INPUT_BYTES
from review.selectors import negative_terms_for
from workflow.models import Unit


class Command(BaseCommand):
    help = (
        "Scan a .docx, .pdf or .txt file for classification marks, personal data and negative-list "
        "terms; print one JSON finding per line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the file to scan (its content decides the format)")
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="use this unit's negative list (and its district's); default: every active term",
        )
        parser.add_argument(
            "--verbose",
            action="store_true",
            help="also print each finding's confidence and detail",
        )

    def handle(self, *args, file: str, unit: str | None, verbose: bool, **options) -> None:
        path = Path(file)
        try:
            # Read one byte past the limit: enough for read_text to refuse a larger file
            # without loading all of it.
            with path.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from None
        try:
            # As the worker reads an attachment: bounded, and pictures and scans through OCR.
            text = read_text(data, path.name, ocr=True)
        except ExtractionError as exc:
            raise CommandError(str(exc)) from None

        unit_obj = None
        if unit is not None:
            unit_obj = Unit.objects.filter(code=unit).first()
            if unit_obj is None:
                raise CommandError(f"No unit with the code {unit!r}.")
        terms = negative_terms_for(unit=unit_obj)

        for finding in scan_text(text, negative_terms=terms):
            row = finding.as_json()
            if verbose:
                row |= {"confidence": finding.confidence, "detail": finding.detail}
            self.stdout.write(json.dumps(row, ensure_ascii=False))
