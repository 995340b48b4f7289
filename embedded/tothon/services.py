"""The four services, in the order they start."""

from tothon_communication.bootstrap import DEFINITION as COMMUNICATION
from tothon_feedback.bootstrap import DEFINITION as FEEDBACK
from tothon_funds.bootstrap import DEFINITION as FUNDS
from tothon_registry.bootstrap import DEFINITION as REGISTRY

DEFINITIONS = (REGISTRY, COMMUNICATION, FEEDBACK, FUNDS)
