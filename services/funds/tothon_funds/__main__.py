"""``tothon-funds api|worker|rebuild``: run the funds service as its own processes."""

from tothon_funds.bootstrap import DEFINITION
from tothon_shared.runtime.cli import service_main


def main() -> None:
    """Entry point of the funds service's processes."""
    service_main(DEFINITION)


if __name__ == "__main__":
    main()
