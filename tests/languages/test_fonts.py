"""The faces the language switch names its languages with: one per language with a font of its own, holding every
character of the name the switch shows, declared for that language's link."""
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from reporting.i18n import SITE_LANGUAGES

STATIC = Path(__file__).resolve().parents[2] / "static"
SITE_CSS = (STATIC / "css" / "site.css").read_text()


@pytest.mark.parametrize("language", [language for language in SITE_LANGUAGES if language.font],
                         ids=lambda language: language.code)
def test_the_switch_draws_each_scripts_name_with_a_face_of_its_own(language):
    face = STATIC / "fonts" / f"name-{language.code}.woff"
    characters = TTFont(face).getBestCmap()
    assert [character for character in language.native if ord(character) not in characters] == []
    family = f'"Language name {language.code}"'
    declared = re.search(r'@font-face \{\s*font-family: ' + family + r';\s*src: url\("([^"]+)"\)', SITE_CSS)
    assert declared is not None and declared[1] == f"../fonts/{face.name}"
    assert f'.languages a[lang="{language.tag}"] {{ font-family: {family},' in SITE_CSS
