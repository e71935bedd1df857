"""The core's import graph: every kb module imports, none imports one that imports it back (imports inside
functions count; imports only for type checkers do not), and none imports MkDocs."""

import ast
import graphlib
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
           for path in sorted((ROOT / "kb").rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The modules `name` imports, whether at the top or inside a function, outside `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = []
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in MODULES}
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_core_module_imports(name):
    importlib.import_module(name)


def test_the_core_has_no_import_cycle():
    # a package's __init__ importing its own modules is how a package names them, not a cycle
    edges = {name: {m for m in found if m in MODULES and m != name and not (name == m.rpartition(".")[0] and
                                                              MODULES[name].name == "__init__.py")}
             for name, found in GRAPH.items()}
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as error:
        pytest.fail(f"import cycle: {' -> '.join(error.args[1])}")


def test_the_core_never_imports_mkdocs():
    offenders = {name: sorted(m for m in found if m.split(".")[0] in ("mkdocs", "material", "kb_mkdocs"))
                 for name, found in GRAPH.items()}
    assert {name: found for name, found in offenders.items() if found} == {}
