"""The admin's handover form: force past undecided reports, and put identities in (both off by default)."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from reporting.forms import Form


class HandoverForm(Form):
    force = BooleanField(_l("Hand over although reports are still undecided"))
    with_identity = BooleanField(_l("Include the names and phone numbers of named reporters"))
