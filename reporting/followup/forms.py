"""Forms of the follow-through: a cadre's rank, an outcome, a 督办函 or 提示函."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from reporting.followup.bodies import RANKS
from reporting.followup.outcomes import COUNTS, yuan_of_wan
from reporting.forms import Form, SelectField
from reporting.labels import DETAIL_LABELS, KIND_LABELS

MAX_COUNT = 100_000
MAX_WAN = 10_000_000  # 一千亿元: past any one case, within a 64-bit column


class RankForm(Form):
    rank = SelectField(_l("Rank of the person reported"),
                       choices=[SelectChoice("", _l("Not known"))] + [SelectChoice(rank) for rank in RANKS])


def count_field(name: str) -> IntegerField:
    return IntegerField(DETAIL_LABELS[name], default=0,
                        validators=[InputRequired(_l("Enter a number (0 for none).")), NumberRange(0, MAX_COUNT)])


class OutcomeForm(Form):
    concluded_on = DateField(DETAIL_LABELS["concluded_on"], validators=[Optional()])
    cases = count_field("cases")
    persons = count_field("persons")
    detained = count_field("detained")
    disciplined = count_field("disciplined")
    organisational = count_field("organisational")
    admonished = count_field("admonished")
    money_wan = DecimalField(_l("Money recovered (万元)"), default=0, places=None,
                             validators=[InputRequired(_l("Enter a number (0 for none).")), NumberRange(0, MAX_WAN)])

    def validate_money_wan(self, field):
        if field.data is not None:
            try:
                yuan_of_wan(field.data)
            except ValueError:
                raise ValidationError(_l("At most four decimals (one yuan).")) from None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name).data for name in COUNTS}

    def money_yuan(self) -> int:
        return yuan_of_wan(self.money_wan.data)


class ReminderForm(Form):
    kind = SelectField(_l("Kind of letter"), choices=[SelectChoice(kind, KIND_LABELS[kind])
                                                      for kind in ("supervision", "prompt")])
    sent_on = DateField(DETAIL_LABELS["sent_on"], validators=[DataRequired(_l("Enter the date it was sent."))])
    reference = StringField(DETAIL_LABELS["reference"], validators=[Length(max=100)])
