from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """A refusal the user should read; views show `message` and change nothing."""

    default_message = _("The action could not be completed.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class TaskNotAvailable(WorkflowError):
    default_message = _(
        "This task is no longer open to you: someone else has already handled it, "
        "or it was never yours."
    )


class AuthorsOwnTask(TaskNotAvailable):
    """The separation of duties refused the item's own author (review.permissions)."""

    default_message = _("You drafted this item: you cannot review or approve what you drafted.")


class TaskBusy(WorkflowError):
    default_message = _("Someone else is working on this item right now. Please try again.")


class NotAllowed(WorkflowError):
    default_message = _("You are not allowed to do this.")


class PublicationRefused(WorkflowError):
    default_message = _(
        "Publication refused: the item has not passed confidentiality review and the approval "
        "its scope requires."
    )


class ContentChanged(WorkflowError):
    """Raised after the transaction committed: the item was sent back to review, nothing approved."""

    default_message = _(
        "The content changed after the confidentiality review, so nothing was approved: the item "
        "has gone back to review."
    )
