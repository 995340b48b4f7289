"""``tothon-registry api|worker|rebuild``: run the registry as its own processes."""

from tothon_registry.bootstrap import DEFINITION
from tothon_shared.cli import service_main


def main() -> None:
    """Entry point of the registry's processes."""
    service_main(DEFINITION)


if __name__ == "__main__":
    main()
