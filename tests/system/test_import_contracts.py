"""The architecture contracts in .importlinter: kept by the real tree, and each one broken by a
copy of the tree with one forbidden import added, so a contract that can no longer fail shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
# Where each root package of the contracts lives in the workspace.
PACKAGES = {
    "tothon_shared": ROOT / "shared",
    "tothon_registry": ROOT / "services/registry",
    "tothon_communication": ROOT / "services/communication",
    "tothon_feedback": ROOT / "services/feedback",
    "tothon_funds": ROOT / "services/funds",
    "tothon": ROOT / "embedded",
}


def _lint(pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        # The copy comes before the editable installs, which sit at the end of the import path.
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / ".importlinter"), "--no-cache"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_tree_keeps_every_contract() -> None:
    linted = _lint()
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "0 broken" in linted.stdout


# Each contract (by the start of its name), the module given a forbidden import, and the import.
VIOLATIONS = [
    ("A service's domain imports no framework", "tothon_registry/domain/household.py", "import fastapi"),
    ("A service's domain imports no framework", "tothon_registry/domain/unit.py", "import sqlalchemy"),
    (
        "A service's domain imports no framework",
        "tothon_registry/domain/person.py",
        "import tothon_registry.readmodels",
    ),
    ("Services never import each other", "tothon_funds/bootstrap.py", "import tothon_registry.application"),
    ("tothon_shared imports no service", "tothon_shared/http/web.py", "import tothon_registry"),
    ("The embedded wiring (tothon) reaches", "tothon/embedded.py", "import tothon_registry.api"),
    ("Only the wiring that builds", "tothon_registry/application.py", "import tothon_shared.throughput"),
]


@pytest.mark.parametrize(
    ("contract", "module", "forbidden"), VIOLATIONS, ids=[f"{m}:{f}" for _c, m, f in VIOLATIONS]
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, contract: str, module: str, forbidden: str
) -> None:
    for package, home in PACKAGES.items():
        shutil.copytree(home / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__"))
    changed = tmp_path / module
    changed.write_text(changed.read_text(encoding="utf-8") + f"\n{forbidden}  # noqa\n", encoding="utf-8")

    linted = _lint(pythonpath=tmp_path)

    assert linted.returncode == 1, linted.stdout + linted.stderr
    # The summary names each contract then KEPT or BROKEN (wrapped over lines: joined here).
    summary = " ".join(linted.stdout.split())
    verdict = re.search(re.escape(contract) + r".*? (KEPT|BROKEN)\b", summary)
    assert verdict is not None, linted.stdout
    assert verdict.group(1) == "BROKEN", linted.stdout


STATIC_IMPORT = r"""(?:^|\s)(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']"""


def test_the_web_frontend_imports_only_its_own_modules() -> None:
    """frontends/web reaches the services over HTTP only: every ES module import is a relative
    path that stays inside frontends/web (the Python contracts cannot see JavaScript)."""
    web = ROOT / "frontends/web"
    scripts = sorted(web.rglob("*.js"))
    assert scripts
    for script in scripts:
        source = script.read_text(encoding="utf-8")
        for specifier in re.findall(STATIC_IMPORT, source):
            assert specifier.startswith(("./", "../")), f"{script}: {specifier}"
            assert (script.parent / specifier).resolve().is_relative_to(web), f"{script}: {specifier}"
        for specifier in re.findall(r"""\bimport\(\s*["']([^"']+)["']""", source):
            assert (script.parent / specifier).resolve().is_relative_to(web), f"{script}: {specifier}"
