"""Builders of domain objects for tests, going through the same services the app uses."""
import re
import time
from datetime import date, timedelta

import pyotp
from sqlalchemy import func, select

from reporting.extensions import db
from reporting.models import ReportTally, Round, StaffUser
from reporting.rounds.services import TeamPlan, create_round
from reporting.security import seal
from reporting.staff.services import create_staff_user
from reporting.submission.services import Submission


def make_round(teams: list[TeamPlan] | None = None, **fields) -> Round:
    """An open round that started yesterday and ends in a month, with one team of two units by default."""
    today = date.today()
    defaults = {
        "name": "测试巡察",
        "starts_on": today - timedelta(days=1),
        "ends_on": today + timedelta(days=30),
        "status": "open",
        "phone": "0000-1234567",
        "postal_box": "测试信箱 1 号",
        "categories": ["廉洁纪律", "其他"],
    }
    teams = teams if teams is not None else [TeamPlan("第一组", ["甲单位", "乙单位"])]
    return create_round(defaults | fields, teams)


def make_staff(role: str = "member", teams=(), username: str | None = None,
               password: str = "staff password") -> StaffUser:
    """A staff account, through the same service as `users create`."""
    global _staff_serial
    _staff_serial += 1
    return create_staff_user(username or f"{role}{_staff_serial}", password, role, [team.id for team in teams])


_staff_serial = 0


CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The form token of a page, as a browser would send it back."""
    return CSRF.search(html).group(1)


def csrf_from(client, path: str = "/staff/login") -> str:
    """The form token `client` gets on the page at `path`."""
    return csrf_token(client.get(path).get_data(as_text=True))


def submission(anonymous=True, unit=None, content="反映甲单位领导违规发放津贴的问题。", **fields) -> Submission:
    """What a resident sends, as the intake form hands it to the services: anonymous unless told otherwise."""
    values = {"anonymous": anonymous, "reporter_name": "" if anonymous else "李四",
              "reporter_phone": "" if anonymous else "13912345678", "unit_id": unit.id if unit else None,
              "category": "", "subject_name": "", "subject_unit": "", "subject_position": "", "content": content}
    return Submission(**(values | fields))


def shown_secret(client) -> str:
    """The second factor's secret that /staff/account shows the logged-in user while they set it up."""
    return re.search(r'<code class="secret">([A-Z2-7]+)</code>', client.get("/staff/account").get_data(as_text=True))[1]


def log_in(client, user: StaffUser) -> None:
    """Log `user` in on `client` the way a successful login leaves the session (password and 2FA done)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session["seen_at"] = session["started_at"] = time.time()


def tallied(round_id: int, team_key: int, status: str) -> int:
    """What the tally counts for a round, team (0: not routed) and status, over all its shards."""
    return int(db.session.scalar(select(func.coalesce(func.sum(ReportTally.count), 0)).where(
        ReportTally.round_id == round_id, ReportTally.team_key == team_key, ReportTally.status == status)))


def with_totp(user: StaffUser) -> str:
    """Give `user` a second factor, as setting one up leaves it; returns the secret an app would hold."""
    secret = pyotp.random_base32()
    user.totp_secret = seal(f"staff:{user.id}", secret.encode())
    db.session.commit()
    return secret
