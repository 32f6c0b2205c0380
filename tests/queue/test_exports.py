"""Whether a ledger goes to a job: decided without counting past the threshold."""
from reporting.queue.exports import more_rows_than
from reporting.queue.services import QueueFilters
from tests.queue.conftest import file_report


def test_the_tally_answers_when_few_and_a_bounded_count_when_the_filters_narrow_it(world):
    for number in range(3):
        file_report(world.current, world.unit("甲单位"), content=f"甲单位第 {number} 件")
    file_report(world.current, world.unit("丙单位"), content="丙单位的一件")
    scope = QueueFilters(round_id=world.current.id)
    assert more_rows_than(world.admin, scope, 3) and not more_rows_than(world.admin, scope, 4)
    searched = QueueFilters(round_id=world.current.id, q="丙单位")
    assert not more_rows_than(world.admin, searched, 1)  # the tally's bound is 4, the filtered count 1
    assert more_rows_than(world.admin, searched, 0)
    assert not more_rows_than(world.member2, scope, 1)  # team 2 sees one of the four
