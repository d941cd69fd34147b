"""A CAPTCHA for the public request form, made and checked on this server: no third-party
service and no CDN (the product runs on government intranets, and an applicant's visit must not
be reported to anyone else).

The image view draws a fresh random code into a distorted PNG (Pillow) and keeps the code in the
visitor's session, with the time it was made. The form's check takes the code out of the session
whatever the answer, so each code is good for one try: a wrong or repeated answer needs a new
picture, which the form shows at once. A code older than CAPTCHA_MAX_AGE_SECONDS is refused.
Sessions are kept on the server (the database), so the code never travels to the browser.

django-simple-captcha (in the package index) was considered: it keeps a wrong answer's code
valid for further guesses until it expires, writes a database row per picture that needs a
cleaning job, and offers its test mode as one global switch. This module is the small part of it
the form needs.

Accessibility: a picture cannot be read by a screen reader. The field says in words how to get
another picture, and that a request may also be made by letter, by fax or in person
(Regulation Art. 29), which the unit's disclosure guide lists.
"""

import io
import math
import secrets
import time
import unicodedata

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .client_ip import client_ip
from .limits import rate_exceeded

SESSION_KEY = "public_captcha"
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: read at a glance, also by older eyes.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
WIDTH, HEIGHT = 168, 56


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _n in range(settings.CAPTCHA_LENGTH))


def captcha_issue(request) -> str:
    """Make a new code for this visitor, replacing any earlier one; returns it."""
    code = _new_code()
    request.session[SESSION_KEY] = {"code": code, "at": time.time()}
    return code


def captcha_refusal(request, answer: str) -> str:
    """Why `answer` does not pass, or "" when it does. Spends the session's code either way."""
    issued = request.session.pop(SESSION_KEY, None)
    # NFKC: letters and digits typed in full width (a Chinese input method's default) count as
    # the characters they are.
    answer = "".join(unicodedata.normalize("NFKC", str(answer or "")).split()).upper()
    if not issued:
        return _(
            "The picture has been used or was never loaded. Type the characters of the new picture."
        )
    if time.time() - issued.get("at", 0) > settings.CAPTCHA_MAX_AGE_SECONDS:
        return _("The picture has expired. Type the characters of the new picture.")
    # Compared as bytes: compare_digest refuses str with characters outside ASCII (a TypeError).
    expected = str(issued.get("code", "")).encode()
    if not answer or not secrets.compare_digest(answer.encode(), expected):
        return _("The characters do not match the picture. Type the characters of the new picture.")
    return ""


def _font(size: int) -> ImageFont.ImageFont:
    # Pillow's own scalable font (FreeType): nothing to ship, nothing to fetch.
    return ImageFont.load_default(size=size)


def captcha_png(code: str) -> bytes:
    """The code drawn as a PNG: each character turned and moved a little, over lines and dots,
    then waved, so that text recognition has to work for it while a person still reads it."""
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (247, 244, 238))
    draw = ImageDraw.Draw(image)
    for _n in range(6):
        colour = tuple(rng.randint(150, 210) for _n in range(3))
        points = [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _n in range(2)]
        draw.line(points, fill=colour, width=2)
    step = (WIDTH - 16) // max(len(code), 1)
    for index, char in enumerate(code):
        glyph = Image.new("RGBA", (44, 52), (0, 0, 0, 0))
        colour = (rng.randint(20, 110), rng.randint(20, 90), rng.randint(40, 130), 255)
        ImageDraw.Draw(glyph).text((8, 4), char, font=_font(36), fill=colour)
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=False)
        image.paste(glyph, (8 + index * step + rng.randint(-3, 3), rng.randint(-2, 6)), glyph)
    for _n in range(140):
        draw.point(
            (rng.randrange(WIDTH), rng.randrange(HEIGHT)),
            fill=tuple(rng.randint(60, 200) for _n in range(3)),
        )
    # A gentle horizontal wave: each column slides up or down.
    amplitude, period, phase = rng.uniform(2, 4), rng.uniform(40, 70), rng.uniform(0, math.tau)
    waved = Image.new("RGB", (WIDTH, HEIGHT), (247, 244, 238))
    for x in range(WIDTH):
        shift = int(amplitude * math.sin(phase + x * math.tau / period))
        waved.paste(image.crop((x, 0, x + 1, HEIGHT)), (x, shift))
    waved = waved.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    waved.save(out, format="PNG", optimize=True)
    return out.getvalue()


@never_cache
def captcha_image(request):
    """A new picture (and code) for this visitor. Limited per address like the portal's pages,
    since each picture costs some drawing."""
    retry = rate_exceeded(
        address=client_ip(request), scope="captcha", rate=settings.CAPTCHA_IMAGE_RATE
    )
    if retry:
        response = HttpResponse(status=429)
        response["Retry-After"] = str(retry)
        return response
    response = HttpResponse(captcha_png(captcha_issue(request)), content_type="image/png")
    response["X-Robots-Tag"] = "noindex"
    return response
