"""Staff forms on a report: a note or reply, a leader's review of a draft reply, and recording an offline item."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from reporting.forms import Form, SelectField
from reporting.labels import CHANNEL_LABELS
from reporting.models import MAX_VISITORS, today_in
from reporting.submission.forms import MAX_MESSAGE, ReportForm, phone_number
from reporting.submission.services import Origin, Submission
from reporting.text import clean_text

# Each channel's own fields. Without script the page shows every group (a script hides the others): what a
# group of another channel holds is neither checked nor kept.
CHANNEL_FIELDS = {"visit": ("visitors", "receiving_officer"), "call": ("caller_number",)}


class MessageForm(Form):
    kind = SelectField(_l("Kind"), choices=[SelectChoice("note", _l("Note for staff only")),
                                            SelectChoice("reply", _l("Reply to the reporter"))])
    body = TextAreaField(_l("Text"), filters=[clean_text],
                         validators=[DataRequired(_l("Write the text.")), Length(max=MAX_MESSAGE)])


class CountField(IntegerField):
    """A number staff type: left blank it is no number (the validators ask for one), not a second error."""

    def process_formdata(self, valuelist):
        if valuelist and not str(valuelist[0]).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class ApproveReplyForm(Form):
    """A leader approves a member's draft reply, as written or edited: this text is what the reporter reads."""

    body = TextAreaField(_l("Text the reporter reads"), filters=[clean_text],
                         validators=[DataRequired(_l("Write the text.")), Length(max=MAX_MESSAGE)])


class ReviseReplyForm(Form):
    """The author rewrites the draft a leader returned."""

    body = TextAreaField(_l("Reply, revised"), filters=[clean_text],
                         validators=[DataRequired(_l("Write the text.")), Length(max=MAX_MESSAGE)])


class ReturnReplyForm(Form):
    note = TextAreaField(_l("Why it goes back (the member reads this)"), filters=[clean_text],
                         validators=[DataRequired(_l("Say why the reply goes back.")), Length(max=MAX_MESSAGE)])


class OfflineReportForm(ReportForm):
    """The web form's fields, plus how and when the item came in, for items with no unit the team, and what a
    visit or a call needs besides."""

    channel = SelectField(_l("How it came in"), choices=[SelectChoice(key, CHANNEL_LABELS[key])
                                                         for key in ("letter", "visit", "call", "email")])
    received_on = DateField(_l("Date received"), validators=[DataRequired(_l("Enter the date received."))])
    team_id = SelectField(_l("Team"), coerce=str, default="")
    visitors = CountField(_l("Number of visitors"), default=1, render_kw={"min": 1, "max": MAX_VISITORS},
                          validators=[NumberRange(min=1, max=MAX_VISITORS,
                                                  message=_l("Enter how many came: at least 1."))])
    receiving_officer = StringField(_l("Receiving officer"), filters=[clean_text],
                                    validators=[DataRequired(_l("Enter who received the visitors.")),
                                                Length(max=50)])
    caller_number = StringField(_l("Caller's number"), filters=[clean_text], validators=[phone_number])

    def __init__(self, round_, teams, allow_unrouted: bool, **kwargs):
        super().__init__(round_, **kwargs)
        # Staff record someone else's report: the fields speak of the reporter, not to them.
        self.anonymous.label.text = _l("How the person reports")
        self.reporter_name.label.text = _l("Reporter's name")
        self.reporter_phone.label.text = _l("Reporter's phone number")
        self.attachments.label.text = _l("Attachments (optional)")
        if not self.received_on.raw_data:
            self.received_on.data = self.received_on.data or today_in(round_.timezone)
        team_ids = {team.id for team in teams}
        self.unit_id.choices = [SelectChoice("", _l("Not sure / other"))] + [
            SelectChoice(str(unit.id), unit.name) for unit in round_.units if unit.team_id in team_ids
        ]
        self.allow_unrouted = allow_unrouted
        empty = _l("Not routed yet") if allow_unrouted else _l("Decided by the unit")
        self.team_id.choices = [SelectChoice("", empty)] + [SelectChoice(str(team.id), team.name) for team in teams]

    def validate(self, extra_validators=None) -> bool:
        """Every field is checked, then the errors of the groups of the channels not chosen are let go."""
        super().validate(extra_validators)
        for channel, names in CHANNEL_FIELDS.items():
            if channel != self.channel.data:
                for name in names:
                    self[name].errors = []
        return not self.errors

    def submission(self) -> Submission:
        """A call's number joins the identity, so it is kept only by name, as the name and phone are."""
        typed = super().submission()
        if self.channel.data == "call" and not typed.anonymous:
            typed.caller_number = self.caller_number.data.strip()
        return typed

    def origin(self) -> Origin:
        """How the item came in; a visit's headcount and receiving officer only for a visit."""
        visit = self.channel.data == "visit"
        return Origin(self.channel.data, self.received_on.data, int(self.team_id.data) if self.team_id.data else None,
                      visitors=self.visitors.data if visit else None,
                      receiving_officer=self.receiving_officer.data.strip() if visit else "")

    def validate_team_id(self, field):
        """Only an admin may leave an item without a team; others choose a team or a unit of theirs."""
        if not field.data and not self.unit_id.data and not self.allow_unrouted:
            raise ValidationError(_l("Choose the team, or a unit."))
