"""The resident's receipt lookup and the form that adds information to a report."""
from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from reporting.forms import Form
from reporting.submission.forms import MAX_MESSAGE
from reporting.text import clean_text


class LookupForm(Form):
    receipt = StringField(_l("Receipt code"), validators=[DataRequired(_l("Enter your receipt code."))])


class AddInformationForm(LookupForm):
    message = TextAreaField(_l("More information"), filters=[clean_text],
                            validators=[Length(max=MAX_MESSAGE)])
    attachments = MultipleFileField(_l("Photos (optional)"))
