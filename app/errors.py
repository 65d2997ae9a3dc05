"""Domain errors carry their HTTP status; one handler renders them as JSON or HTML."""

from typing import Any


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message  # an English msgid, translated when rendered
        self.params = params


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"


class Forbidden(AppError):
    status = 403
    code = "forbidden"


class NotMember(Forbidden):
    """A supplier that is not (or no longer) an admitted member: pages answer with what its
    membership is and what it can do next, not a bare 403."""

    code = "not_member"

    def __init__(
        self, message: str, membership: str | None = None, reason: str | None = None, **params: Any
    ) -> None:
        super().__init__(message, **params)
        self.membership, self.reason = membership, reason  # read while the session is open


class NotFound(AppError):
    status = 404
    code = "not_found"


class Conflict(AppError):
    status = 409
    code = "conflict"


class Invalid(AppError):
    status = 422
    code = "invalid"


class Throttled(AppError):
    status = 429
    code = "too_many_requests"
