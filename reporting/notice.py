"""The round's intake notice (受理范围): the one place where HTML written by an admin is shown.

Cleaned with bleach both when saved and when shown, behind this one function so it can be swapped.
"""
import re
from functools import lru_cache
from html.parser import HTMLParser

import bleach
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "h3", "h4", "a"}
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = {"http", "https", "mailto", "tel"}
A_TAG = re.compile(r"<[a-zA-Z/!]")
BLANK_LINES = re.compile(r"\n\s*\n")


@lru_cache(maxsize=256)
def clean_notice(html: str) -> str:
    """Kept per text: the intake page shows the same notice to every resident, and bleach costs a millisecond."""
    return bleach.clean(html or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        protocols=ALLOWED_PROTOCOLS, strip=True)


def paragraphs(text: str) -> str:
    """A notice typed as plain text keeps its paragraphs and lines, as its poster does; HTML passes as it is.
    Its text was escaped when it was saved (and is cleaned again after this), so it is wrapped, not escaped."""
    if A_TAG.search(text):
        return text
    blocks = (block.strip() for block in BLANK_LINES.split(text.replace("\r\n", "\n")))
    return "".join(f"<p>{'<br>'.join(line.strip() for line in block.splitlines())}</p>" for block in blocks if block)


def notice_markup(html: str) -> Markup:
    """For templates: `{{ round.notice | notice }}`. A notice typed as plain text is kept as typed and shown
    in paragraphs."""
    return Markup(clean_notice(paragraphs(html or "")))


def notice_text(html: str) -> str:
    """The notice as plain lines, one per paragraph or list item: the poster prints text, not HTML."""
    parser = _PlainText()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


class _PlainText(HTMLParser):
    BREAKS = ALLOWED_TAGS - {"strong", "em", "b", "i", "u", "a"}  # the block tags: each starts a line

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in self.BREAKS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        self.parts.append(data)
