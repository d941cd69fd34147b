"""Applicants' details that pass workflow.validators, and the CAPTCHA of the public form solved
the way a person does: load the picture, read the code (here: from the session the server wrote
it to, in the test process)."""

from django.urls import reverse

from security.captcha import SESSION_KEY

# Resident ID numbers with their check digit (GB 11643), born 1990-03-07 and 1980-01-01 in
# Beijing's 东城区; a unified social credit code (GB 32100) from python-stdnum's documentation.
ID_NUMBER = "110101199003071233"
OTHER_ID_NUMBER = "110101198001010053"
CREDIT_CODE = "91110000600037341L"
MOBILE = "13912345678"


def captcha_code(client) -> str:
    """Load the form's picture as a browser does and return the code the server drew in it."""
    response = client.get(reverse("public:captcha"))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return client.session[SESSION_KEY]["code"]
