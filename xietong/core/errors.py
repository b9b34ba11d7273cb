"""Domain errors carry a short message meant for the chat; anything else is a bug."""


class DomainError(Exception):
    """A refusal or bad input, answered to the user as is; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Forbidden(DomainError):
    """The caller lacks the role a command needs."""


class NotFound(DomainError):
    """The order, customer or ticket named does not exist."""
