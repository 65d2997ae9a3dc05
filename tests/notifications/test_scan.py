"""Time-based notices from the worker's scan: each written once, however often it runs."""

from datetime import timedelta

from app import formats
from app.bids import dialogue
from app.models import utcnow
from app.notifications import worker
from app.notifications.kinds import describe
from app.notifications.service import Notice, notify
from app.notifications.service import _insert as insert_notification
from tests.bids.conftest import future, make_bid, pass_deadline
from tests.builders import make_manufacturer, make_need, make_supplier
from tests.notifications.conftest import mails, notices, recipients

AHEAD = timedelta(hours=48)


def test_deadline_near_tells_invited_and_bidders_once(session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(hours=30))
    later = make_need(session, owner, deadline_at=utcnow() + timedelta(hours=72))
    invited, bidder, other = (make_supplier(session, n) for n in ("초대AI", "입찰AI", "무관AI"))
    dialogue.invite(session, owner, need.id, invited.organization_id)
    make_bid(session, bidder, need)
    make_bid(session, bidder, later)
    now = utcnow()
    assert worker.deadline_near(session, now, AHEAD) == 2
    assert worker.deadline_near(session, now + timedelta(minutes=5), AHEAD) == 0
    assert recipients(session, "deadline_near") == {invited.id, bidder.id}
    notice = notices(session, bidder, "deadline_near")[0]
    assert notice.link == f"/needs/{need.id}/bid"
    assert formats.when(need.deadline_at, "en") in describe(notice.kind, notice.params, "en")
    assert notices(session, other) == []


def test_a_moved_deadline_is_told_again(session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=utcnow() + timedelta(hours=30))
    bidder = make_supplier(session)
    make_bid(session, bidder, need)
    worker.deadline_near(session, utcnow(), AHEAD)
    need.deadline_at = utcnow() + timedelta(hours=40)
    session.flush()
    worker.deadline_near(session, utcnow(), AHEAD)
    assert len(notices(session, bidder, "deadline_near")) == 2


def test_bids_ready_tells_the_manufacturer_once_when_there_are_bids(session) -> None:
    owner = make_manufacturer(session)
    need = make_need(session, owner, deadline_at=future())
    empty = make_need(session, owner, deadline_at=future())
    alpha, beta = make_supplier(session, "알파AI"), make_supplier(session, "베타AI")
    make_bid(session, alpha, need)
    make_bid(session, beta, need)
    assert worker.bids_ready(session, utcnow()) == 0  # still sealed
    pass_deadline(session, need)
    pass_deadline(session, empty)
    assert worker.bids_ready(session, utcnow()) == 1
    assert worker.bids_ready(session, utcnow()) == 0
    notice = notices(session, owner, "bids_ready")[0]
    assert notice.params == {"title": need.title, "count": 2}
    assert notice.link == f"/needs/{need.id}/bids"
    assert recipients(session, "bids_ready") == {owner.id}
    assert len(mails(session, owner)) == 1


def test_a_dedupe_key_holds_against_a_second_writer(session) -> None:
    """The unique key is the last line of defence: a writer that missed the first row (a
    concurrent scan) inserts nothing and sends no e-mail."""
    owner = make_manufacturer(session)
    notice = Notice("bids_ready", {"title": "t", "count": 1}, "/needs/1/bids", "bids_ready:t")
    assert notify(session, [owner], notice) == 1
    assert insert_notification(session, owner.id, notice, f"bids_ready:t:{owner.id}") is None
    assert notify(session, [owner], notice) == 0
    assert len(notices(session, owner)) == 1 and len(mails(session, owner)) == 1
