"""The communication service's use cases."""

from tothon_shared.eventstore.application import TothonApplication


class CommunicationApplication(TothonApplication):
    """The communication service's event store. Its own aggregates come with its capability issue; until
    then it keeps, from the registry's events, the directory it will need."""

    name = "communication"
