"""Staff forms on a report: a note or reply, a leader's review of a draft reply, and recording an offline item."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from reporting.forms import Form, SelectField
from reporting.labels import CHANNEL_LABELS
from reporting.models import today_in
from reporting.submission.forms import MAX_MESSAGE, ReportForm
from reporting.text import clean_text


class MessageForm(Form):
    kind = SelectField(_l("Kind"), choices=[SelectChoice("note", _l("Note for staff only")),
                                            SelectChoice("reply", _l("Reply to the reporter"))])
    body = TextAreaField(_l("Text"), filters=[clean_text],
                         validators=[DataRequired(_l("Write the text.")), Length(max=MAX_MESSAGE)])


class ApproveReplyForm(Form):
    """A leader approves a member's draft reply, as written or edited: this text is what the reporter reads."""

    body = TextAreaField(_l("Text the reporter reads"), filters=[clean_text],
                         validators=[DataRequired(_l("Write the text.")), Length(max=MAX_MESSAGE)])


class ReturnReplyForm(Form):
    note = TextAreaField(_l("Why it goes back (the member reads this)"), filters=[clean_text],
                         validators=[DataRequired(_l("Say why the reply goes back.")), Length(max=MAX_MESSAGE)])


class OfflineReportForm(ReportForm):
    """The web form's fields, plus how and when the item came in and, for items with no unit, the team."""

    channel = SelectField(_l("How it came in"), choices=[SelectChoice(key, CHANNEL_LABELS[key])
                                                         for key in ("letter", "visit", "call", "email")])
    received_on = DateField(_l("Date received"), validators=[DataRequired(_l("Enter the date received."))])
    team_id = SelectField(_l("Team"), coerce=str, default="")

    def __init__(self, round_, teams, allow_unrouted: bool, **kwargs):
        super().__init__(round_, **kwargs)
        # Staff record someone else's report: the fields speak of the reporter, not to them.
        self.anonymous.label.text = _l("How the person reports")
        self.reporter_name.label.text = _l("Reporter's name")
        self.reporter_phone.label.text = _l("Reporter's phone number")
        if not self.received_on.raw_data:
            self.received_on.data = self.received_on.data or today_in(round_.timezone)
        team_ids = {team.id for team in teams}
        self.unit_id.choices = [SelectChoice("", _l("Not sure / other"))] + [
            SelectChoice(str(unit.id), unit.name) for unit in round_.units if unit.team_id in team_ids
        ]
        self.allow_unrouted = allow_unrouted
        empty = _l("Not routed yet") if allow_unrouted else _l("Decided by the unit")
        self.team_id.choices = [SelectChoice("", empty)] + [SelectChoice(str(team.id), team.name) for team in teams]

    def validate_team_id(self, field):
        """Only an admin may leave an item without a team; others choose a team or a unit of theirs."""
        if not field.data and not self.unit_id.data and not self.allow_unrouted:
            raise ValidationError(_l("Choose the team, or a unit."))
