"""Where features meet the ground floor: the hooks the app factory and the CLI register.

`app.db` and `app.audit` import no feature; whatever must happen on every write is
registered here, once per process, before any session is opened:

- `app.matches.tracking`: stored vectors and the workers' index caches follow every change
  to what matching reads (texts, membership, capacity, engagements, verified results,
  reviews), in the same transaction;
- `app.notifications.events`: decisions recorded in the audit log notify whoever must act.
"""

from app import audit


def install() -> None:
    """Register every hook (idempotent)."""
    from app.matches import tracking
    from app.notifications.events import on_audit

    tracking.install()
    audit.listen(on_audit)
