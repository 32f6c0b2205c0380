"""The resident's receipt lookup and the form that adds information to a report."""
from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from reporting.forms import Form
from reporting.labels import RATING_LABELS
from reporting.models import RATINGS
from reporting.submission.forms import MAX_MESSAGE
from reporting.text import clean_text


class LookupForm(Form):
    receipt = StringField(_l("Receipt code"), validators=[DataRequired(_l("Enter your receipt code."))])


class AddInformationForm(LookupForm):
    message = TextAreaField(_l("More information"), filters=[clean_text],
                            validators=[Length(max=MAX_MESSAGE)])
    attachments = MultipleFileField(_l("Photos (optional)"))


MAX_COMMENT = 2000


class RatingForm(LookupForm):
    """满意度: the reporter's rating of a finished report, with an optional comment."""

    rating = RadioField(_l("How satisfied are you with how your report was handled?"),
                        choices=[SelectChoice(rating, RATING_LABELS[rating]) for rating in RATINGS],
                        validators=[InputRequired(_l("Choose one."))])
    comment = TextAreaField(_l("Comment (optional)"), filters=[clean_text], validators=[Length(max=MAX_COMMENT)])
