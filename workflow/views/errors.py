from django.contrib import messages
from django.core.exceptions import ValidationError

from ..exceptions import WorkflowError


def call_service(request, form, service, **kwargs):
    """Call a service; put its refusals beside the form's fields or in a message. Returns the
    service's result, or None when it refused (nothing was written: services are atomic)."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        if form is not None and hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        elif form is not None:
            form.add_error(None, exc)
        else:
            messages.error(request, " ".join(exc.messages))
    except WorkflowError as exc:
        if form is not None:
            form.add_error(None, exc.message)
        messages.error(request, exc.message)
    return None
