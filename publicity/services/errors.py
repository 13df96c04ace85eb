from core.errors import DomainError, ForbiddenError, StateError


class PublicityError(DomainError):
    """A publicity write that cannot be done; ``errors`` maps field names (or ``non_field_errors``) to Chinese
    messages. ``add_to(form)`` shows them on the page's form."""


class PublicityStateError(PublicityError, StateError):
    """The licensing decision, publication or request is no longer in a state that allows the action."""


class PublicityForbiddenError(PublicityError, ForbiddenError):
    """The clerk named an office they may not enter licensing decisions for (403, on ``office``)."""
