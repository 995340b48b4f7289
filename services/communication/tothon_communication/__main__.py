"""``tothon-communication api|worker|rebuild``: run the communication service as its own processes."""

from tothon_communication.bootstrap import DEFINITION
from tothon_shared.runtime.cli import service_main


def main() -> None:
    """Entry point of the communication service's processes."""
    service_main(DEFINITION)


if __name__ == "__main__":
    main()
