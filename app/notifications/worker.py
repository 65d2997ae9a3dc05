"""The background worker: time-based notices (deadline near, bids ready) and the outbox.

Runs as `axmatch worker` (one or several processes), or as a thread of `axmatch serve` when
AXMATCH_WORKER_IN_APP is on (the default in development). Any number may run at once: scans
write each notice once (dedupe keys) and claims never hand one e-mail to two senders.
"""

import logging
import threading
import time
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.config import Settings
from app.coordinator import membership
from app.db import Database
from app.models import Bid, BidStatus, Need, NeedStatus, utcnow
from app.notifications import outbox
from app.notifications.events import bidder_orgs, invited_orgs, manufacturer_users, supplier_users
from app.notifications.service import Notice, coordinators, notify

log = logging.getLogger("axmatch.worker")
BIDS_READY_WINDOW = timedelta(days=14)  # a need whose deadline passed longer ago is left alone
BATCH = 50


def deadline_near(session: Session, now: datetime, ahead: timedelta) -> int:
    """Invited suppliers and bidders, once per deadline (a moved deadline is told again)."""
    query = select(Need).where(
        Need.status == NeedStatus.open, Need.deadline_at > now, Need.deadline_at <= now + ahead
    )
    written = 0
    for need in session.scalars(query.order_by(Need.id)).all():
        assert need.deadline_at is not None
        orgs = bidder_orgs(session, need.id) | invited_orgs(session, need.id)
        params = {"title": need.title, "deadline": need.deadline_at.isoformat()}
        key = f"deadline:{need.id}:{int(need.deadline_at.timestamp())}"
        notice = Notice("deadline_near", params, f"/needs/{need.id}/bid", key)
        written += notify(session, supplier_users(session, orgs), notice)
    return written


def bids_ready(session: Session, now: datetime) -> int:
    """The manufacturer, once, when the deadline of its open need passed with bids."""
    live = (Bid.need_id == Need.id) & (Bid.status == BidStatus.submitted)
    query = select(Need).where(
        Need.status == NeedStatus.open,
        Need.deadline_at <= now,
        Need.deadline_at > now - BIDS_READY_WINDOW,
        exists().where(live),
    )
    written = 0
    for need in session.scalars(query.order_by(Need.id)).all():
        bids = select(func.count(Bid.id)).where(Bid.need_id == need.id)
        count = session.scalar(bids.where(Bid.status == BidStatus.submitted))
        params = {"title": need.title, "count": count}
        notice = Notice("bids_ready", params, f"/needs/{need.id}/bids", f"bids_ready:{need.id}")
        written += notify(session, manufacturer_users(session, need), notice)
    return written


def membership_reviews(session: Session, settings: Settings, now: datetime) -> int:
    """Admissions get review dates; coordinators are reminded, once per review date, of those
    due; admissions ignored past the grace period expire (the supplier is told: the audit
    entry `membership.expired` notifies, see `app.notifications.decisions`)."""
    membership.schedule_unscheduled(session, settings)
    written = 0
    for profile in membership.due_profiles(session, settings, now):
        assert profile.membership_review_at is not None
        params = {
            "name": profile.organization.name,
            "deadline": profile.membership_review_at.isoformat(),
        }
        key = f"review:{profile.id}:{int(profile.membership_review_at.timestamp())}"
        notice = Notice("membership_review_due", params, "/coordinator/reviews", key)
        written += notify(session, coordinators(session), notice)
    return written + len(membership.expire_overdue(session, settings, now))


def scan(session: Session, settings: Settings, now: datetime) -> int:
    ahead = timedelta(hours=settings.deadline_notice_hours)
    found = deadline_near(session, now, ahead) + bids_ready(session, now)
    return found + membership_reviews(session, settings, now)


class Worker:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings

    def scan_once(self, now: datetime | None = None) -> int:
        with self.db.transaction() as session:
            return scan(session, self.settings, now or utcnow())

    def send_once(self, now: datetime | None = None, limit: int = BATCH) -> dict[int, str | None]:
        """Claim, send and record one batch; returns each claimed mail's error or None."""
        with self.db.transaction() as session:
            mails = outbox.claim(session, now or utcnow(), limit)
        if not mails:
            return {}
        return outbox.send_all(self.settings, mails, self._record)

    def _record(self, mail_id: int, error: str | None, final: bool) -> None:
        """Each result in a transaction of its own, as soon as it is known."""
        with self.db.transaction() as session:
            outbox.record(session, self.settings, mail_id, error, utcnow(), final)

    def run(self, stop: threading.Event) -> None:
        """Until `stop` is set: scan every worker_scan_seconds, send every poll."""
        next_scan = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() >= next_scan:
                    self.scan_once()
                    next_scan = time.monotonic() + self.settings.worker_scan_seconds
                while not stop.is_set() and len(self.send_once()) == BATCH:
                    pass
            except SQLAlchemyError as exc:  # the database is away: keep going, try again
                log.warning("worker: database error (%s); retrying", exc)
            stop.wait(self.settings.worker_poll_seconds)


def configure_logging() -> None:
    """Show the worker's and the e-mail log's INFO lines when nothing else set up logging."""
    logger = logging.getLogger("axmatch")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def start_thread(db: Database, settings: Settings) -> threading.Event:
    """Run a worker in a daemon thread of this process; set the returned event to stop it."""
    configure_logging()
    stop = threading.Event()
    thread = threading.Thread(
        target=Worker(db, settings).run, args=(stop,), name="axmatch-worker", daemon=True
    )
    thread.start()
    return stop
