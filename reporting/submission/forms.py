"""The report form, the same fields on the resident's page and the staff's offline entry. Limits come from
here and the model; every field keeps what was typed."""
from flask_babel import lazy_gettext as _l
from wtforms import MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from reporting.forms import Form, SelectField
from reporting.submission.phones import is_phone_number
from reporting.submission.services import Submission
from reporting.text import clean_text

MIN_CONTENT = 5
MAX_CONTENT = 5000
MAX_MESSAGE = 5000


class Honeypot(StringField):
    """A field people never see; a bot that fills it is refused (with its text kept, should it be a person)."""

    def pre_validate(self, form):
        if self.data:
            raise ValidationError(_l("Your browser filled in a hidden field. Check your text and send it again."))


def required_when_named(form, field):
    if form.anonymous.data == "0" and not (field.data or "").strip():
        raise ValidationError(_l("Required when reporting by name."))


def phone_number(form, field):
    """Checked only when given (and only used by name); WTForms' Optional would wipe the error above."""
    if field.data and not is_phone_number(field.data):
        raise ValidationError(_l("Enter a mobile number of 11 digits, or a landline with its area code, "
                                 "such as 0731-88888888."))


class ReportForm(Form):
    anonymous = RadioField(
        _l("How do you want to report?"),
        choices=[SelectChoice("1", _l("Anonymously")), SelectChoice("0", _l("By name"))],
        default="1",
        validate_choice=False,
    )
    reporter_name = StringField(_l("Your name"), filters=[clean_text],
                                validators=[required_when_named, Length(max=50)])
    reporter_phone = StringField(
        _l("Your phone number"), filters=[clean_text],
        validators=[required_when_named, phone_number],
    )
    unit_id = SelectField(_l("Unit concerned"), coerce=str, default="")
    category = SelectField(_l("Kind of problem"), coerce=str, default="")
    subject_name = StringField(_l("Name of the person reported"), filters=[clean_text],
                               validators=[Length(max=200)])
    subject_unit = StringField(_l("Their unit"), filters=[clean_text], validators=[Length(max=200)])
    subject_position = StringField(_l("Their position"), filters=[clean_text], validators=[Length(max=200)])
    content = TextAreaField(
        _l("What happened"), filters=[clean_text],
        validators=[DataRequired(_l("Describe the problem.")),
                    Length(min=MIN_CONTENT, max=MAX_CONTENT,
                           message=_l("Write between %(min)d and %(max)d characters."))],
    )
    attachments = MultipleFileField(_l("Photos (optional)"))
    homepage = Honeypot()

    def __init__(self, round_, pinned_unit_id: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.unit_id.choices = [SelectChoice("", _l("Not sure / other"))] + [
            SelectChoice(str(unit.id), unit.name) for unit in round_.units
        ]
        self.category.choices = [SelectChoice("", _l("Not sure"))] + [SelectChoice(c) for c in round_.categories]
        if pinned_unit_id and not self.is_submitted():
            self.unit_id.data = str(pinned_unit_id)
        if self.anonymous.data not in ("0", "1"):
            self.anonymous.data = "1"  # absent or unknown: anonymous, the safe reading

    @property
    def is_anonymous(self) -> bool:
        return self.anonymous.data != "0"

    def submission(self) -> Submission:
        """What was sent, cleaned, for `save_report`; a reporter's name and phone only when by name."""
        named = not self.is_anonymous
        return Submission(
            anonymous=not named,
            reporter_name=self.reporter_name.data.strip() if named else "",
            reporter_phone=self.reporter_phone.data.strip() if named else "",
            unit_id=int(self.unit_id.data) if self.unit_id.data else None,
            category=self.category.data or "",
            subject_name=self.subject_name.data.strip(),
            subject_unit=self.subject_unit.data.strip(),
            subject_position=self.subject_position.data.strip(),
            content=self.content.data,
        )
