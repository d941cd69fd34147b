from django.conf import settings


def client_ip(request) -> str:
    """The client's address: the socket's, or the one the outermost trusted proxy saw.

    Counted from the right of X-Forwarded-For, as Django REST framework does with NUM_PROXIES:
    every address left of what our own proxies appended was written by the client and proves
    nothing."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")
