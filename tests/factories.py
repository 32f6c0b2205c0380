"""Builders of domain objects for tests, going through the same services the app uses."""
from datetime import date, timedelta

from reporting.models import Round
from reporting.rounds.services import TeamPlan, create_round


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
