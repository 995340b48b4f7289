"""The feedback service's use cases."""

from tothon_shared.eventstore.application import TothonApplication


class FeedbackApplication(TothonApplication):
    """The feedback service's event store. Its own aggregates come with its capability issue; until
    then it keeps, from the registry's events, the directory it will need."""

    name = "feedback"
