"""The house's form base and select: the same page as WTForms writes, and its messages in the reader's language."""
import pytest
from flask_babel import refresh
from wtforms import Form as PlainForm
from wtforms import SelectField as PlainSelectField
from wtforms.fields.choices import SelectChoice

from reporting.forms import Form, SelectField, wtforms_translations

CHOICES = [SelectChoice("", "不确定"), SelectChoice("1", "北坡村 <东>"), SelectChoice("2", 'a "quoted" & b')]


class Plain(PlainForm):
    unit = PlainSelectField(choices=CHOICES)


class House(PlainForm):
    unit = SelectField(choices=CHOICES)


@pytest.mark.parametrize("chosen", ["", "1", "2", "9"])
def test_the_select_writes_what_wtforms_writes(chosen):
    assert str(House(data={"unit": chosen}).unit()) == str(Plain(data={"unit": chosen}).unit())


def test_options_with_attributes_are_left_to_wtforms():
    form = House(data={"unit": "1"})
    form.unit.choices = [SelectChoice("1", "甲", render_kw={"disabled": True})]
    assert str(form.unit()) == '<select id="unit" name="unit"><option disabled selected value="1">甲</option></select>'


class Posted(Form):
    unit = SelectField(choices=CHOICES)


def test_wtforms_messages_follow_the_language_and_are_read_once(app):
    wtforms_translations.cache_clear()
    for language, message in (("zh", "不是有效的选择"), ("en", "Not a valid choice")):
        for _ in range(2):
            with app.test_request_context(f"/?lang={language}", method="POST", data={"unit": "9"}):
                refresh()  # the fixture's app context is shared by these requests: forget the last one's language
                form = Posted(meta={"csrf": False})
                assert not form.validate()
                assert message in form.unit.errors[0]
    assert wtforms_translations.cache_info().misses == 2
