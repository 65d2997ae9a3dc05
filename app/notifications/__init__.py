"""Notifications: in-app notices, the e-mail outbox and its worker, saved searches."""
