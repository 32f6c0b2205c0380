"""The round's intake notice (受理范围): the one place where HTML written by an admin is shown.

Cleaned with bleach both when saved and when shown, behind this one function so it can be swapped.
"""
import bleach
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}


def clean_notice(html: str) -> str:
    return bleach.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        protocols=ALLOWED_PROTOCOLS, strip=True)


def notice_markup(html: str) -> Markup:
    """For templates: `{{ round.notice | notice }}`."""
    return Markup(clean_notice(html))
