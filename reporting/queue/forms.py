"""The queue's filter form: a plain GET form, so that it works without JavaScript and its URL can be shared.

It only renders what `QueueFilters` parsed: values the parser dropped are not shown as if they applied.
"""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, StringField
from wtforms.fields.choices import SelectChoice

from reporting.forms import SelectField
from reporting.labels import CHANNEL_LABELS, STATUS_LABELS
from reporting.models import CHANNELS, REPORT_STATUSES
from reporting.queue.services import MAX_TERM_LENGTH, OPEN_STATUSES, UNROUTED, FilterChoices, QueueFilters

ALL = _l("All")
NOT_ROUTED = _l("Not routed to a team yet (待分派)")
STILL_OPEN = _l("Every status still being worked (在办)")
NOT_A_DAY = _l("Not a date (year-month-day), so not applied.")
# What `QueueFilters.ignored` names, said on the field it concerns.
IGNORED = {
    "from": ("received_from", NOT_A_DAY),
    "to": ("received_to", NOT_A_DAY),
    "range": ("received_to", _l("Before the start date, so neither date was applied.")),
}


class QueueFilterForm(Form):
    # Field names are the query-string names of QueueFilters.ARG_NAMES.
    round = SelectField(_l("Round"))
    team = SelectField(_l("Team"))
    unit = SelectField(_l("Unit"))
    status = SelectField(_l("Status"))
    category = SelectField(_l("Category"))
    channel = SelectField(_l("Channel"))
    q = StringField(_l("Search the content and the person reported"), render_kw={"maxlength": MAX_TERM_LENGTH})
    # `from` is a Python keyword: the fields keep the query string's names through `name`.
    received_from = DateField(_l("Received from"), name="from")
    received_to = DateField(_l("Received to"), name="to")


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice("", ALL)] + [SelectChoice(str(value), label) for value, label in pairs]


def filter_form(filters: QueueFilters, choices: FilterChoices) -> QueueFilterForm:
    """The form showing `filters`, offering `choices`; teams and units name their round when several are listed."""
    several_rounds = len(choices.rounds) > 1
    form = QueueFilterForm(data=filters.as_args() | {"received_from": filters.received_from,
                                                     "received_to": filters.received_to})
    for reason in filters.ignored:
        name, message = IGNORED[reason]
        form[name].errors = [message]
    form.round.choices = options((round_.id, round_.name) for round_ in choices.rounds)
    form.team.choices = options(
        (team.id, f"{team.round.name} · {team.name}" if several_rounds else team.name) for team in choices.teams
    ) + ([SelectChoice(UNROUTED, NOT_ROUTED)] if choices.routes else [])
    team_names = {team.id: team.name for team in choices.teams}
    form.unit.choices = options((unit.id, f"{unit.name} ({team_names[unit.team_id]})") for unit in choices.units)
    form.status.choices = options([(OPEN_STATUSES, STILL_OPEN)] + [(status, STATUS_LABELS[status])
                                                                   for status in REPORT_STATUSES])
    categories = choices.categories
    if filters.category is not None and filters.category not in categories:
        categories = [*categories, filters.category]  # a category from a link (an older round's) shows as applied
    form.category.choices = options((category, category) for category in categories)
    form.channel.choices = options((channel, CHANNEL_LABELS[channel]) for channel in CHANNELS)
    return form
