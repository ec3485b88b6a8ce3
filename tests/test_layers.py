"""The house's layers (docs/architecture.md, "Layers"): which app may import
which. Every import in the apps' code counts — at the top of a module or inside
a function — except in their tests and migrations. Nothing imports upward."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "civicgrid"

# The layers, lowest first; an app may import the apps of the layers below its
# own, never its neighbours' or above. An app missing here fails the test: a new
# app says where it sits before it lands.
LAYERS: list[tuple[str, ...]] = [
    ("core",),
    ("accounts",),
    ("org",),
    ("notifications", "api"),
    ("appeals",),
    ("whistles",),
    ("ledger",),
    ("partybuilding",),
    ("cobuilding",),
    ("metrics",),
    ("open311", "synthetic"),
]
BELOW: dict[str, set[str]] = {
    app: {lower for layer in LAYERS[:level] for lower in layer}
    for level, apps in enumerate(LAYERS)
    for app in apps
}
# The sealed discipline channel stands beside the house, not in it: it rests
# on the calendar, accounts and the area tree alone, and no app imports it.
SEALED = "discipline"
BELOW[SEALED] = {"core", "accounts", "org"}

# What metrics may read of the apps below it: never their writes.
WRITING_MODULES = {"actions", "steps", "jobs", "notify", "demo"}
ORM_WRITES = {
    "create",
    "bulk_create",
    "bulk_update",
    "update",
    "update_or_create",
    "get_or_create",
    "delete",
    "save",
}
# …but it may queue messages in the outbox, as every app does: its own
# decisions (核减 requests and reviews) tell the people they concern.
OUTBOX = {"civicgrid.notifications.actions"}


def app_modules(root: Path = ROOT) -> Iterator[tuple[str, Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or "migrations" in parts:
            continue
        yield parts[0], path, ast.parse(path.read_text(), filename=str(path))


def module_name(path: Path, root: Path) -> list[str]:
    parts = ["civicgrid", *path.relative_to(root).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported(path: Path, tree: ast.Module, root: Path) -> Iterator[tuple[int, str]]:
    """Every module a file imports, resolved to its dotted name."""
    package = module_name(path, root)
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # "from civicgrid.x import actions"
                yield node.lineno, f"{name}.{alias.name}"


def upward_imports(apps: dict[str, set[str]], root: Path = ROOT) -> list[str]:
    found = []
    for app, path, tree in app_modules(root):
        for line, name in imported(path, tree, root):
            parts = name.split(".")
            if parts[0] != "civicgrid" or len(parts) < 2:
                continue
            target = parts[1]
            if target == app or not (root / target).is_dir():
                continue
            if target not in apps.get(app, set()):
                found.append(f"{path.relative_to(root)}:{line} imports {target}")
    return sorted(set(found))


def test_every_app_has_its_place():
    apps = {p.name for p in ROOT.iterdir() if (p / "apps.py").exists()}
    assert apps == set(BELOW), "say in BELOW where a new app sits"


def test_no_app_imports_upward():
    assert upward_imports(BELOW) == []


def test_no_app_imports_the_sealed_channel():
    """Nothing of the discipline channel reaches appeals, dashboards, the
    outbox or any other app: none of them may import it."""
    assert all(SEALED not in below for app, below in BELOW.items())
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for app, path, tree in app_modules()
        if app != SEALED
        for line, name in imported(path, tree, ROOT)
        if name.split(".")[:2] == ["civicgrid", SEALED]
    ]
    assert found == []


def test_the_sealed_channel_grants_nothing_by_role():
    """Its access is its own roster and grants: it reads no memberships and
    asks the access module nothing (a superuser there is nobody here)."""
    found = [
        f"{path.relative_to(ROOT)}:{line} {name}"
        for app, path, tree in app_modules()
        if app == SEALED
        for line, name in imported(path, tree, ROOT)
        if name.startswith(("civicgrid.accounts.access", "civicgrid.accounts.models"))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("app", "source", "target"),
    [
        ("core", "from civicgrid.appeals.models import Appeal", "appeals"),
        ("appeals", "from civicgrid import metrics", "metrics"),
        ("appeals", "def f():\n    from civicgrid.whistles import actions", "whistles"),
        ("appeals", "import civicgrid.open311.views", "open311"),
        ("org", "from ...appeals import selectors", "appeals"),
        ("accounts", "from civicgrid.org.models import Area", "org"),
    ],
)
def test_an_upward_import_is_found(tmp_path, app, source, target):
    """A tree like ours with one upward import added fails the rule."""
    for name in BELOW:
        (tmp_path / name).mkdir()
        (tmp_path / name / "apps.py").write_text("")
    (tmp_path / app / "sub").mkdir()
    (tmp_path / app / "sub" / "upward.py").write_text(source + "\n")
    line = source.count("\n") + 1  # the import is the source's last line
    assert upward_imports(BELOW, tmp_path) == [
        f"{app}/sub/upward.py:{line} imports {target}"
    ]
    # and the same tree without it passes
    (tmp_path / app / "sub" / "upward.py").write_text("import os\n")
    assert upward_imports(BELOW, tmp_path) == []


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("core", {"accounts", "org", "api", "appeals", "whistles", "metrics"}),
        ("accounts", {"org", "appeals"}),
        ("org", {"appeals", "whistles", "metrics"}),
        ("appeals", {"whistles", "metrics", "open311"}),
        ("whistles", {"metrics", "open311"}),
    ],
)
def test_the_design_rules_hold(app, forbidden):
    """The rules the design names, stated on their own."""
    assert not BELOW[app] & forbidden


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def foreign_writes(app: str) -> list[str]:
    """Places where ``app`` calls another app's writing modules, or writes
    through another app's models (``Appeal.objects….update(…)``)."""
    found = []
    for owner, path, tree in app_modules():
        if owner != app:
            continue
        foreign_models: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module not in OUTBOX:
                parts = (node.module or "").split(".")
                if parts[0] == "civicgrid" and len(parts) > 2 and parts[1] != app:
                    if parts[2] in WRITING_MODULES:
                        found.append(f"{path.name}:{node.lineno} {node.module}")
                    if parts[2] == "models":
                        foreign_models |= {a.asname or a.name for a in node.names}
                    found += [
                        f"{path.name}:{node.lineno} {node.module}.{a.name}"
                        for a in node.names
                        if a.name in WRITING_MODULES
                    ]
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ORM_WRITES
                and _root_name(node.func.value) in foreign_models
            ):
                found.append(f"{path.name}:{node.lineno} {ast.unparse(node.func)}")
    return found


def test_metrics_writes_nothing_outside_its_own_tables():
    assert foreign_writes("metrics") == []


def test_the_write_check_sees_a_foreign_write():
    """Synthetic history writes appeals' rows on purpose: the check finds them."""
    assert foreign_writes("synthetic")


# Modules outside accounts that touch memberships, and why: they write them.
MEMBERSHIP_WRITERS = {"demo.py", "bulk.py", "admin.py"}


def membership_readers() -> list[str]:
    found = []
    for app, path, tree in app_modules():
        if app == "accounts" or path.name in MEMBERSHIP_WRITERS:
            continue
        source = ast.unparse(tree)
        found += [
            f"{path.relative_to(ROOT)}: {needle}"
            for needle in ("Membership.objects", "memberships__", ".memberships.")
            if needle in source
        ]
    return found


def test_only_the_access_module_reads_memberships():
    """Who holds which role where is answered by accounts.access alone: nothing
    else grants access by reading memberships itself."""
    assert membership_readers() == []
