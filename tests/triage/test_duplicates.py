"""`suggest_duplicates`: the same person reported, or nearly the same words, in the same round."""
from reporting.triage.duplicates import pairs, similarity, suggest_duplicates
from tests.triage.conftest import act, new_report, two_team_round

TEXT = "张家村村委会主任王某把低保名额给了自己的亲戚，真正困难的五保户没有评上，请巡察组调查。"


def test_reports_about_the_same_person_are_suggested_whatever_the_spacing_width_or_case(round_):
    first = new_report(round_, round_.units[0], content="第一件", subject_name="王 某", subject_unit="张家村ＡＢ组")
    second = new_report(round_, round_.units[2], content="第二件，完全不同的内容。", subject_name="王某",
                        subject_unit="张家村ab组")
    new_report(round_, round_.units[0], content="第三件", subject_name="李某", subject_unit="张家村ab组")
    assert suggest_duplicates(first) == [second]
    assert suggest_duplicates(second) == [first]


def test_nearly_identical_text_is_suggested_and_a_different_complaint_is_not(round_):
    report = new_report(round_, round_.units[0], content=TEXT)
    retyped = new_report(round_, round_.units[1],
                         content=TEXT.replace("，", ", ").replace("请巡察组调查", "请巡察组调查！"))
    edited = new_report(round_, round_.units[1],
                        content="张家村村委会主任王某把低保名额给了他的亲戚，"
                                "真正困难的五保户没评上，请巡察组调查处理。")
    new_report(round_, round_.units[1],
               content="张家村村委会主任王某长期不在村里办公，群众办事找不到人，请巡察组关注。")
    assert suggest_duplicates(report) == [retyped, edited]


def test_never_the_report_itself_nor_another_rounds_nor_those_merged_into_it(round_, staff):
    report = new_report(round_, round_.units[0], content=TEXT, subject_name="王某")
    merged = new_report(round_, round_.units[0], content=TEXT, subject_name="王某")
    act(merged, staff.leader, "duplicate", original_id=str(report.id))
    elsewhere = two_team_round()
    new_report(elsewhere, elsewhere.units[0], content=TEXT, subject_name="王某")
    assert suggest_duplicates(report) == []
    assert suggest_duplicates(merged) == [report]


def test_same_subject_first_then_same_team_then_earliest_within_the_limit(round_):
    report = new_report(round_, round_.units[0], content=TEXT, subject_name="王某")
    other_team = new_report(round_, round_.units[2], content="另一组收到的反映", subject_name="王某")
    same_team = new_report(round_, round_.units[1], content="同一组收到的反映", subject_name="王某")
    same_words = new_report(round_, round_.units[0], content=TEXT)
    assert suggest_duplicates(report) == [same_team, other_team, same_words]
    assert suggest_duplicates(report, limit=2) == [same_team, other_team]


def test_an_unnamed_subject_matches_nothing_by_subject(round_):
    report = new_report(round_, round_.units[0], content="第一件反映")
    new_report(round_, round_.units[0], content="第二件，内容完全不一样")
    assert suggest_duplicates(report) == []


def test_similarity_ignores_punctuation_and_width_and_needs_text():
    assert similarity(pairs("低保名额，给了亲戚！"), pairs("低保名额给了亲戚")) == 1.0
    assert similarity(pairs("ＡＢＣ"), pairs("abc")) == 1.0
    assert similarity(pairs("。。。"), pairs("！！")) == 0.0
    assert similarity(pairs("好"), pairs("好")) == 1.0
