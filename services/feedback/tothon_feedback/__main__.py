"""``tothon-feedback api|worker|rebuild``: run the feedback service as its own processes."""

from tothon_feedback.bootstrap import DEFINITION
from tothon_shared.runtime.cli import service_main


def main() -> None:
    """Entry point of the feedback service's processes."""
    service_main(DEFINITION)


if __name__ == "__main__":
    main()
