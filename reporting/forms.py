"""The house's form base and widgets, shared by every form: WTForms' own messages in the reader's language,
and a select whose options cost little to write out."""
from functools import lru_cache

import wtforms
from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import widgets
from wtforms.i18n import messages_path

OPTION = Markup('<option value="%s">%s</option>')
SELECTED_OPTION = Markup('<option selected value="%s">%s</option>')  # WTForms' own order: the page is unchanged


@lru_cache(maxsize=8)
def wtforms_translations(locale: str) -> support.NullTranslations:
    """WTForms' messages for one language, read once: Flask-WTF reads the catalogue again on every request. WTForms
    has no Tibetan or Uyghur: those pages read its messages in Chinese, like any string their catalogs lack."""
    return support.Translations.load(messages_path(), [locale, "zh"], domain="wtforms")


class Form(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_translations(str(get_locale()))


class Select(widgets.Select):
    """WTForms' select, each plain option written with one escaped format: its generic attribute writer was a
    tenth of the intake page's CPU with a round of thirty units."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool):
            return super().render_option(choice, **kwargs)
        return (SELECTED_OPTION if choice.selected else OPTION) % (choice.value, choice.label or choice.value)


class SelectField(wtforms.SelectField):
    widget = Select()


class CheckboxesField(wtforms.SelectMultipleField):
    """Several choices as boxes to tick: a multiple select needs Ctrl-click, which no one guesses."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
