"""Suggest earlier reports a report may repeat: the same person reported, or nearly the same words.

Residents often report the same problem twice (a second poster, a friend's phone) or copy a text that
circulates in a village. The suggestions only help staff find the original; `duplicate` decides.
"""
import unicodedata

from sqlalchemy import case, func, or_, select

from reporting.extensions import db
from reporting.models import Report

# Near-identical: this share of character pairs in common (Jaccard), once spacing, width, case and
# punctuation are ignored. A copy of a 40-character complaint with three words changed scores about 0.75;
# another complaint about the same person in the same village about 0.2.
SIMILARITY = 0.6
# Texts whose lengths differ by more than this share cannot be near-identical, so are not compared.
LENGTH_SLACK = 0.2
# At most this many texts of the round are compared, the latest first: a bound on the page's work.
TEXT_CANDIDATES = 500


def suggest_duplicates(report: Report, limit: int = 5) -> list[Report]:
    """Up to `limit` other reports of the round: same subject first, then near-identical text.

    Reports of the same team come first, then the earliest, the likeliest original. Reports already
    merged into this one are left out. The caller filters what its user may see.
    """
    others = (
        select(Report)
        .where(Report.round_id == report.round_id, Report.id != report.id)
        .where(or_(Report.duplicate_of_id.is_(None), Report.duplicate_of_id != report.id))
    )
    same_team_first = (case((Report.team_id == report.team_id, 0), else_=1), Report.id)
    found: list[Report] = []
    if report.subject_key:
        found = list(db.session.scalars(
            others.where(Report.subject_key == report.subject_key).order_by(*same_team_first).limit(limit)
        ))
    if len(found) < limit:
        ids = similar_text_ids(report, exclude={other.id for other in found})
        if ids:
            found += db.session.scalars(
                others.where(Report.id.in_(ids)).order_by(*same_team_first).limit(limit - len(found))
            )
    return found


def similar_text_ids(report: Report, exclude: set[int]) -> list[int]:
    """Ids of the round's reports whose text is near-identical to this one's (lengths narrow it in SQL)."""
    length = len(report.content)
    shortest, longest = int(length * (1 - LENGTH_SLACK)), int(length * (1 + LENGTH_SLACK)) + 1
    rows = db.session.execute(
        select(Report.id, Report.content)
        .where(Report.round_id == report.round_id, Report.id != report.id)
        .where(func.length(Report.content).between(shortest, longest))
        .order_by(Report.id.desc())
        .limit(TEXT_CANDIDATES)
    )
    mine = pairs(report.content)
    return [id_ for id_, content in rows if id_ not in exclude and similarity(mine, pairs(content)) >= SIMILARITY]


def pairs(text: str) -> set[str]:
    """Adjacent character pairs of the text's letters and digits: Chinese words are one or two characters."""
    kept = "".join(
        char for char in unicodedata.normalize("NFKC", text).casefold()
        if unicodedata.category(char)[0] in "LN"
    )
    if len(kept) < 2:
        return {kept} if kept else set()
    return {kept[i:i + 2] for i in range(len(kept) - 1)}


def similarity(first: set[str], second: set[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
