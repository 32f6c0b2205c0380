"""Flask extensions, created unbound and attached to an app in `create_app`."""
from functools import cached_property

from babel import support
from flask import Flask
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from reporting.security import client_key

# Named constraints, so that Alembic can alter and drop them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class AppLimiter(Limiter):
    """Flask-Limiter keeps "the storage is down" and "limits are off" on the limiter object, which every app built
    in a process shares (tests build one per test): without this, an app would start in the in-memory fallback
    left by an earlier app's dead Redis (and switch to its own storage, counts lost, at some later request), or
    with no limits at all after an app that turned them off."""

    def init_app(self, app: Flask) -> None:
        app.config.setdefault("RATELIMIT_ENABLED", True)  # else Flask-Limiter takes the last app's setting
        super().init_app(app)
        self._storage_dead = False


class ChineseFallbackDomain(Domain):
    """A minority language's catalog covers what residents read: a string it lacks is read in Chinese, the
    site's language, rather than in the English of the message id (gettext's own fallback). English has no
    catalog: its strings are the message ids."""

    def get_translations(self):
        translations = super().get_translations()
        locale = get_locale()  # None outside an app context: no catalog at all, as before
        if locale is None or str(locale) in (str(babel.default_locale), "en"):
            return translations
        if getattr(translations, "_fallback", None) is None:
            # Kept in Flask-Babel's cache with the catalog, so the Chinese one is loaded once per language.
            translations.add_fallback(support.Translations.load(self.translation_directories[0],
                                                                [babel.default_locale]))
        return translations


class SiteBabel(Babel):
    @cached_property
    def domain_instance(self):
        return ChineseFallbackDomain(domain=self.domain)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
babel = SiteBabel()
login_manager = LoginManager()
limiter = AppLimiter(key_func=client_key)
