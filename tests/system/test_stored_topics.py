"""Every topic a service writes into its event store resolves in a fresh process.

A topic is resolved by its registration when the class is defined, or by the cache that writing
it fills. A process that wrote an event can always read it back; a new process (another replica,
a restart, a rebuild) can only if the class registered its topic. An account snapshot once failed
so: every request of that account answered 500 on a fresh API process."""

from __future__ import annotations

import subprocess
import sys

import pytest

SERVICES = ("registry", "communication", "feedback", "funds")

CHECK = """
import importlib, pkgutil, sys
from eventsourcing.utils import resolve_topic

package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)

def classes(owner):
    for value in vars(owner).values():
        if isinstance(value, type) and value.__module__.startswith(package.__name__):
            yield value
            yield from classes(value)

seen, failed = 0, []
for name, module in list(sys.modules.items()):
    if not name.startswith(package.__name__ + "."):
        continue
    for cls in classes(module):
        topic = cls.__dict__.get("TOPIC")
        if not isinstance(topic, str) or cls.__qualname__.endswith(".Event"):
            continue  # an aggregate's base event class is never stored
        seen += 1
        try:
            if resolve_topic(topic) is not cls:
                failed.append(f"{topic} names another class")
        except Exception as error:
            failed.append(f"{topic}: {error}")
print(seen)
if failed:
    sys.exit("\\n".join(sorted(set(failed))))
"""


@pytest.mark.parametrize("service", SERVICES)
def test_every_stored_topic_resolves_in_a_fresh_process(service: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK, f"tothon_{service}"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    if service == "registry":
        assert int(done.stdout) > 40  # the check saw the registry's events
