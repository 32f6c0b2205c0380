"""The admin's forms for a round, its teams, units and posting locations."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from reporting.models import DEFAULT_TIMEZONE

TIMEZONES = (DEFAULT_TIMEZONE, "Asia/Urumqi")


class RoundForm(FlaskForm):
    name = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), choices=[SelectChoice("province", _l("Provincial inspection (巡视)")),
                                              SelectChoice("city", _l("City inspection (巡察)")),
                                              SelectChoice("county", _l("County inspection (巡察)"))])
    starts_on = DateField(_l("Reports accepted from"), validators=[DataRequired()])
    ends_on = DateField(_l("Reports accepted until (end of that day)"), validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(zone) for zone in TIMEZONES])
    intake_hours = StringField(_l("Intake hours"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=100)])
    postal_box = StringField(_l("Postal box"), validators=[Length(max=300)])
    email = StringField(_l("Email"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address.")), Length(max=200)])
    notice = TextAreaField(_l("Scope notice (受理范围); paragraphs, bold, lists and links are kept"))
    categories = TextAreaField(_l("Kinds of problem, one per line"), validators=[DataRequired()])

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The round cannot end before it starts."))

    def round_fields(self) -> dict:
        fields = {name: getattr(self, name).data for name in (
            "name", "level", "starts_on", "ends_on", "timezone", "intake_hours", "phone", "postal_box", "email",
            "notice")}
        fields["categories"] = [line.strip() for line in self.categories.data.splitlines() if line.strip()]
        return fields


class TeamForm(FlaskForm):
    name = StringField(_l("Name of the team"), validators=[DataRequired(), Length(max=200)])


class UnitForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    name = StringField(_l("Name of the unit"), validators=[DataRequired(), Length(max=200)])


class LocationForm(FlaskForm):
    unit_id = SelectField(_l("Unit"), coerce=str, default="")
    label = StringField(_l("Where the poster hangs"), validators=[DataRequired(), Length(max=300)])
