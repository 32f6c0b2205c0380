"""Forms of the staff accounts: login, own password and second factor, the admin's account editor."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from reporting.access import ADMIN, LEADER, MEMBER, ROLES
from reporting.forms import CheckboxesField, Form, SelectField
from reporting.staff.services import MAX_DISPLAY_NAME, MIN_PASSWORD_LENGTH, single_line

ROLE_LABELS = {ADMIN: _l("Administrator"), LEADER: _l("Team leader"), MEMBER: _l("Team member")}


class LoginForm(Form):
    username = StringField(_l("User name"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    code = StringField(_l("Code from your authenticator app (if you set one up)"))


class PasswordForm(Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, message=_l("At least %(min)d characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        EqualTo("new", message=_l("The two new passwords differ."))])


class TotpForm(Form):
    """Setting up a second factor: the secret stays on the server; the password proves who asks."""

    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    code = StringField(_l("Code shown by the app"), validators=[DataRequired(), Regexp(r"^\s*\d{6}\s*$")])


class UserForm(Form):
    """The admin's editor of an account: 姓名, role, teams, active, and a new password when given."""

    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=80)])
    display_name = StringField(_l("Name (姓名)"), filters=[single_line], validators=[
        Length(max=MAX_DISPLAY_NAME, message=_l("At most %(max)d characters."))],
        description=_l("Shown to staff instead of the user name; the user name still logs in."))
    role = SelectField(_l("Role"), choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])
    team_ids = CheckboxesField(_l("Teams"), coerce=int)
    active = BooleanField(_l("Account active"), default=True)
    password = PasswordField(_l("New password (leave empty to keep it)"))


class NewUserForm(UserForm):
    """A new account needs its first password."""

    password = PasswordField(_l("Password"), validators=[
        DataRequired(), Length(min=MIN_PASSWORD_LENGTH, message=_l("At least %(min)d characters."))])
