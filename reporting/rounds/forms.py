"""The admin's forms for a round, its teams, units and posting locations."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FormField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from reporting.followup.bodies import (
    DEFAULT_BODIES,
    DEFAULT_RANK_BODIES,
    bodies_refusal,
    distinct_bodies,
    parse_rank_table,
    rank_table_text,
)
from reporting.forms import CheckboxesField, Form, SelectField
from reporting.i18n import LANGUAGES, ROUND_LANGUAGES
from reporting.models import DEFAULT_TIMEZONE, Round, Team, Unit, column_length
from reporting.rounds.services import DEFAULT_CATEGORIES

TIMEZONES = (DEFAULT_TIMEZONE, "Asia/Urumqi")
# How offices name them: 北京时间 for the country's time, 新疆时间 for the local time kept in Xinjiang.
TIMEZONE_LABELS = {DEFAULT_TIMEZONE: _l("Beijing time"), "Asia/Urumqi": _l("Xinjiang time (Urumqi)")}
MAX_CATEGORY = column_length("category")  # a report keeps the category it was given
MAX_BODY = column_length("transfer_body")
ROUND_FORM_FIELDS = ("name", "level", "starts_on", "ends_on", "timezone", "intake_hours", "phone", "postal_box",
                     "email", "notice", "languages")
# How staff name the languages a round may add, each followed by its own name as residents read it.
LANGUAGE_NAMES = {"bo": _l("Tibetan"), "ug": _l("Uyghur"), "en": _l("English")}


class RoundTextForm(Form):
    """A round's own words in one of its languages; what is left empty reads in Chinese on its pages."""

    class Meta:
        csrf = False  # part of the round's form, which carries the token

    name = StringField(_l("Name of the round"), validators=[Length(max=200)])
    notice = TextAreaField(_l("Scope notice (受理范围); paragraphs, bold, lists and links are kept"))
    intake_hours = StringField(_l("Intake hours"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=100)])
    postal_box = StringField(_l("Postal box"), validators=[Length(max=300)])
    email = StringField(_l("Email"), validators=[Length(max=200)])

    def written(self) -> dict[str, str]:
        return {name: value.strip() for name, value in self.data.items() if value and value.strip()}


class RoundForm(Form):
    text_codes: tuple[str, ...] = ()  # the languages it has a RoundTextForm for, as `text_CODE`
    name = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), choices=[SelectChoice("province", _l("Provincial inspection (巡视)")),
                                              SelectChoice("city", _l("City inspection (巡察)")),
                                              SelectChoice("county", _l("County inspection (巡察)"))])
    starts_on = DateField(_l("Reports accepted from"), validators=[DataRequired()])
    ends_on = DateField(_l("Reports accepted until (end of that day)"), validators=[DataRequired()])
    timezone = SelectField(_l("Time zone"), choices=[SelectChoice(zone, TIMEZONE_LABELS[zone]) for zone in TIMEZONES])
    intake_hours = StringField(_l("Intake hours"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=100)])
    postal_box = StringField(_l("Postal box"), validators=[Length(max=300)])
    email = StringField(_l("Email"), validators=[
        Optional(), Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address.")), Length(max=200)])
    notice = TextAreaField(_l("Scope notice (受理范围); paragraphs, bold, lists and links are kept"))
    categories = TextAreaField(_l("Kinds of problem, one per line"), validators=[DataRequired()])
    default_team_id = SelectField(_l("Team for web reports whose unit decides none"), default="")
    receiving_bodies = TextAreaField(_l("Receiving bodies of transfers (接收单位), one per line"),
                                     validators=[DataRequired()])
    rank_bodies = TextAreaField(_l("Body suggested for each rank of the person reported (干部管理权限), one rank=body "
                                   "per line"))
    parent_id = SelectField(_l("Linked to (parent round)"), default="")
    is_revisit = BooleanField(_l("A revisit (回头看) of the parent round"))
    replies_need_approval = BooleanField(_l("A member's reply to a reporter goes out once a leader approves it"))
    languages = CheckboxesField(_l("Languages beside Chinese (residents' pages and posters)"))

    @classmethod
    def for_round(cls, round_: Round | None, parents: list[Round], **kwargs) -> "RoundForm":
        """The form showing `round_` as stored (or a new round's defaults); a POST's own values win. `parents`
        are the rounds it may be linked to (see `rounds.lineage.possible_parents`): no other can be posted.

        Built from `data`, not `obj`: WTForms lets `obj` win, and the categories list would show as its repr.
        """
        data = {"categories": "\n".join(DEFAULT_CATEGORIES), "level": "county",
                "receiving_bodies": "\n".join(DEFAULT_BODIES), "rank_bodies": rank_table_text(DEFAULT_RANK_BODIES)}
        if round_ is not None:
            data = {name: getattr(round_, name) for name in ROUND_FORM_FIELDS} | {
                "categories": "\n".join(round_.categories), "default_team_id": str(round_.default_team_id or ""),
                "receiving_bodies": "\n".join(round_.receiving_bodies),
                "rank_bodies": rank_table_text(round_.rank_bodies), "parent_id": str(round_.parent_id or ""),
                "is_revisit": round_.is_revisit, "replies_need_approval": round_.replies_need_approval} | {
                f"text_{code}": round_.translations.get(code, {}) for code in round_.languages}
        form = cls.in_languages(round_.languages if round_ else [])(data=data, **kwargs)
        form.default_team_id.choices = [SelectChoice("", _l("None: reports wait for an administrator (待分派)"))] + [
            SelectChoice(str(team.id), team.name) for team in (round_.teams if round_ else [])]
        form.parent_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(parent.id), parent.name) for parent in parents]
        form.languages.choices = [SelectChoice(code, f"{LANGUAGE_NAMES[code]} {LANGUAGES[code].native}")
                                  for code in ROUND_LANGUAGES]
        for name in ("level", "timezone"):  # a value typed in an import stays as it is when the form is saved
            keep_current_choice(getattr(form, name), data.get(name))
        return form

    @classmethod
    def in_languages(cls, codes: list[str]) -> type["RoundForm"]:
        """The form with the round's own words for each of `codes`: fields differ per round, so the class does."""
        if not codes:
            return cls
        texts = {f"text_{code}": FormField(RoundTextForm, label=LANGUAGE_NAMES[code]) for code in codes}
        return type(cls.__name__, (cls,), texts | {"text_codes": tuple(codes)})

    def validate_categories(self, field):
        if any(len(line.strip()) > MAX_CATEGORY for line in field.data.splitlines()):
            raise ValidationError(_l("Each kind of problem may have at most %(num)d characters.", num=MAX_CATEGORY))

    def bodies(self) -> list[str]:
        return distinct_bodies(self.receiving_bodies.data.splitlines())

    def validate_receiving_bodies(self, field):
        if refusal := bodies_refusal(self.bodies(), MAX_BODY):
            raise ValidationError(refusal)

    def validate_rank_bodies(self, field):
        try:
            parse_rank_table(field.data, self.bodies())
        except ValueError as error:
            raise ValidationError(_l("Not a known rank and one of the bodies above: %(line)s", line=str(error)))

    def validate_is_revisit(self, field):
        if field.data and not self.parent_id.data:
            raise ValidationError(_l("A revisit names the round it revisits as its parent."))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The round cannot end before it starts."))

    def round_fields(self) -> dict:
        fields = {name: getattr(self, name).data for name in ROUND_FORM_FIELDS}
        fields["categories"] = [line.strip() for line in self.categories.data.splitlines() if line.strip()]
        fields["default_team_id"] = int(self.default_team_id.data) if self.default_team_id.data else None
        fields["receiving_bodies"] = self.bodies()
        fields["rank_bodies"] = parse_rank_table(self.rank_bodies.data, self.bodies())
        fields["parent_id"] = int(self.parent_id.data) if self.parent_id.data else None
        fields["is_revisit"] = bool(self.is_revisit.data)
        fields["replies_need_approval"] = bool(self.replies_need_approval.data)
        fields["languages"] = [code for code in ROUND_LANGUAGES if code in (self.languages.data or [])]
        fields["translations"] = {code: written for code in self.text_codes
                                  if (written := getattr(self, f"text_{code}").form.written())}
        return fields


def keep_current_choice(field: SelectField, value: str | None) -> None:
    """Offer a stored value that is not among the choices, so that saving the form unchanged keeps it."""
    if value is not None and value not in {choice.value for choice in field.choices}:
        field.choices = [SelectChoice(value, value or "—"), *field.choices]


class TeamForm(Form):
    name = StringField(_l("Name of the team"), validators=[DataRequired(), Length(max=200)])


class UnitForm(Form):
    team_id = SelectField(_l("Team"), coerce=int)
    name = StringField(_l("Name of the unit"), validators=[DataRequired(), Length(max=200)])


class RevokeForm(Form):
    reason = StringField(_l("Why (for the record)"), validators=[DataRequired(), Length(max=200)])


class RenameForm(Form):
    """A team's or unit's new name; `max_length` is its model's column."""
    name = StringField(_l("New name"), filters=[lambda value: value.strip() if value else value],
                       validators=[DataRequired()])

    @classmethod
    def for_model(cls, model: type[Team] | type[Unit]) -> "RenameForm":
        form = cls()
        form.name.validators = [*form.name.validators, Length(max=column_length("name", model))]
        return form


class MoveForm(Form):
    team_id = SelectField(_l("Move to the team"), coerce=int)


class LocationForm(Form):
    # "" the whole round, "t<id>" a team only, "u<id>" a unit (and so its team): see `pinned_choices`
    pinned = SelectField(_l("The code leads reports to"), coerce=str, default="")
    label = StringField(_l("Where the poster hangs"), validators=[DataRequired(), Length(max=300)])


def pinned_choices(round_: Round) -> list[SelectChoice]:
    """Where a location's code sends its reports: the whole round, one team, or one unit of a team."""
    return ([SelectChoice("", _l("Whole round"))]
            + [SelectChoice(f"t{team.id}", _l("%(team)s (the team only)", team=team.name)) for team in round_.teams]
            + [SelectChoice(f"u{unit.id}", f"{unit.team.name} · {unit.name}") for unit in round_.units])


def pinned_to(round_: Round, value: str) -> tuple[Team | None, Unit | None]:
    """The team or unit of the round that a `pinned` value names (both None: the whole round)."""
    teams = {f"t{team.id}": team for team in round_.teams}
    units = {f"u{unit.id}": unit for unit in round_.units}
    return teams.get(value), units.get(value)
