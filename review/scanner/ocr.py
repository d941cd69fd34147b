"""Text recognition (OCR) of pictures and scanned PDF pages with Tesseract and its chi_sim model.

Tesseract is Debian's package (tesseract-ocr, tesseract-ocr-chi-sim), called as a program, so
there is no Python binding to build. It runs on the Celery worker only (review/tasks.py), inside
the bounded child process of bounded.py; each call also has its own deadline.

The pages of a scanned PDF are the pictures embedded in them, taken out with pypdf: poppler and
Ghostscript, which would render whole pages, are not installed and would be more packages to keep
patched, and a scanner's PDF is one picture per page. Text drawn as outlines (no text layer, no
picture) cannot be recognised this way; such a file stays unreadable, for a person to check.
"""

import io
import os
import re
import subprocess
import time

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ExtractionError, ExtractionRefused

LANGUAGE = "chi_sim"  # Simplified Chinese; it reads Latin letters and digits well enough
# Page segmentation 3 (fully automatic): a page with columns, a table or a stamp.
_ARGS = ("-l", LANGUAGE, "--psm", "3")
# A picture smaller than this holds no readable line of text (logos, rules, bullets).
MIN_SIDE = 32
# Beyond this a picture is not a page scanned at any sensible resolution (A3 at 600 dpi is 70
# million pixels), and Tesseract would take minutes over it.
MAX_PIXELS = 100_000_000

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
# chi_sim recognises Chinese text set with a space between characters, and emits the spaces.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
# The model has no ★: in 机密★10年 it reads a character such as 女, 妇 or 廊 instead. Before a
# secrecy period, or alone after the level at the head of a line (the corner of a 公文), one
# character there is taken back to the star, so that the mark is still found (疑密从紧).
_PERIOD = r"[ \u3000]?(?:[0-9]{1,3}[ \u3000]?年|[一二三四五六七八九十]{1,3}年|[0-9]{1,3}个月|长期)"
_NOT_A_STAR = r"[^\s\d★☆*＊级件，。、；：:,.;（）()【】〔〕\[\]“”\"']"
_STAR_BEFORE_PERIOD = re.compile(rf"(绝密|机密|秘密){_NOT_A_STAR}(?={_PERIOD})")
_STAR_AT_LINE_END = re.compile(rf"(?m)^([ \t\u3000]*(?:绝密|机密|秘密)){_NOT_A_STAR}[ \t\u3000]*$")


def command() -> str:
    return getattr(settings, "OCR_TESSERACT_COMMAND", "tesseract")


class Recogniser:
    """One file's recognition: the deadline is shared by all its pictures."""

    def __init__(self, name: str, *, timeout: float) -> None:
        self.name = name
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.command = command()
        self._check_installed()

    def _check_installed(self) -> None:
        try:
            listed = subprocess.run(  # noqa: S603 - our setting, no shell
                [self.command, "--list-langs"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError):
            raise self._missing() from None
        # Tesseract 4 printed the list on stderr, 5 prints it on stdout.
        languages = (listed.stdout + listed.stderr).decode("utf-8", "replace").split()
        if LANGUAGE not in languages:
            raise self._missing()

    def _missing(self) -> ExtractionError:
        return ExtractionError(
            _(
                "%(name)s: text recognition (OCR) is not installed on the server, so the text of "
                "this scan or picture cannot be read. Check the file by eye, page by page. (The "
                "administrator should install tesseract-ocr and tesseract-ocr-chi-sim.)"
            )
            % {"name": self.name},
            code="ocr_missing",
        )

    def picture(self, image) -> str:
        """The text in a Pillow image."""
        try:
            png = _as_png(image)
        except (OSError, ValueError, SyntaxError):  # Pillow decodes lazily: damage shows here
            raise ExtractionError(
                _("%(name)s: the picture is damaged and cannot be opened.") % {"name": self.name},
                code="corrupt",
            ) from None
        return self._run(png)

    def _run(self, png: bytes) -> str:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._too_slow()
        # One thread: the worker runs several files at once, and Tesseract's OpenMP threads
        # would each reserve address space against the child's memory limit.
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(  # noqa: S603 - our setting, no shell
                [self.command, "stdin", "stdout", *_ARGS],
                input=png,
                capture_output=True,
                timeout=left,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise self._too_slow() from None
        except OSError:
            raise self._missing() from None
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
            raise ExtractionError(
                _(
                    "%(name)s: text recognition (OCR) failed (%(detail)s). Check the file by eye, "
                    "page by page."
                )
                % {"name": self.name, "detail": detail[0][:200]},
                code="ocr_failed",
            )
        return tidy(done.stdout.decode("utf-8", "replace"))

    def _too_slow(self) -> ExtractionRefused:
        return ExtractionRefused(
            _(
                "%(name)s: text recognition (OCR) took longer than %(seconds)s seconds and was "
                "stopped. Check the file by eye, page by page."
            )
            % {"name": self.name, "seconds": f"{self.timeout:g}"},
            code="timeout",
        )


def tidy(text: str) -> str:
    text = text.replace("\f", "").strip("\n")
    text = _CJK_SPACE.sub("", text)
    text = _STAR_BEFORE_PERIOD.sub(r"\1★", text)
    return _STAR_AT_LINE_END.sub(r"\1★", text)


def open_picture(data: bytes, name: str):
    """A PNG or JPEG as a Pillow image, its size checked from the header before it is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
    except Image.DecompressionBombError:  # Pillow's own limit, far beyond ours
        raise _too_many_pixels(name) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ExtractionError(
            _("%(name)s: the picture is damaged and cannot be opened.") % {"name": name},
            code="corrupt",
        ) from None
    check_pixels(width, height, name)
    return image


def check_pixels(width: int, height: int, name: str) -> None:
    if width * height > MAX_PIXELS:
        raise _too_many_pixels(name)


def _too_many_pixels(name: str) -> ExtractionRefused:
    return ExtractionRefused(
        _(
            "%(name)s: the picture is too large (more than %(limit)s million pixels). Scan it "
            "again at a lower resolution (300dpi is enough)."
        )
        % {"name": name, "limit": MAX_PIXELS // 1_000_000},
        code="picture_too_large",
    )


def _as_png(image) -> bytes:
    """Grey, upright, on white: a phone photo's EXIF rotation applied, transparency flattened
    (Tesseract would see a transparent background as black)."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        background = Image.new("RGBA", image.size, "white")
        background.alpha_composite(image.convert("RGBA"))
        image = background
    out = io.BytesIO()
    image.convert("L").save(out, "PNG")
    return out.getvalue()
