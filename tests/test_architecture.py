"""The package's shape: layers whose imports point down only, no import cycle, modules of one noun.

Every import counts, including those inside functions (a lazy import that points up or round is
still a dependency a reader has to hold in their head)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "debatebot"

# lower number = lower layer; a module may import its own layer or lower ones
LAYERS = {
    "core": 0,
    "corpus": 1,
    "judge": 2,
    "verify": 3,
    "answers": 4,
    "evaluation": 5,
    "interfaces": 6,
}
MAX_LINES = 400
# modules above MAX_LINES that own one noun (the reason is the test's documentation)
ONE_NOUN = {
    "corpus/store.py": "the Chroma store: the one module that talks to Chroma (client, collections, manifest)",
}


def module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PKG.rglob("*.py")}


def imports_of(path: Path, name: str, known: set[str]) -> set[str]:
    """Package modules `path` imports (resolved to the deepest module that exists)."""
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from x import y, z`: each of y and z that is a module, else x itself
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("debatebot") and t != name:
                out.add(t)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, name, known) for name, path in mods.items()}


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.get(parts[1]) if len(parts) > 1 else None


def test_every_module_lies_in_a_layer():
    loose = [m for m in modules() if layer(m) is None and m not in ("debatebot", "debatebot.__main__")]
    assert loose == []


def test_imports_point_down_only():
    up = sorted(f"{a} -> {b}" for a, deps in graph().items() for b in deps
                if layer(a) is not None and layer(b) is not None and layer(b) > layer(a))
    assert up == []


def test_no_import_cycle():
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(g.get(n, ())):
            if d == "debatebot" or n == "debatebot":
                continue  # the top-level API re-exports lazily; nothing inside imports it
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)
    assert cycles == []


def test_nothing_inside_imports_the_top_level_api():
    inside = sorted(a for a, deps in graph().items() if "debatebot" in deps and a != "debatebot.__main__")
    assert inside == []


@pytest.mark.parametrize("path", sorted(PKG.rglob("*.py")), ids=lambda p: str(p.relative_to(PKG)))
def test_modules_stay_small_unless_they_own_one_noun(path: Path):
    rel = path.relative_to(PKG).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES or rel in ONE_NOUN, f"{rel} has {lines} lines"


def test_the_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    # the graph code itself, on a tiny fake package: a cycle and an upward arrow are found
    pkg = tmp_path / "debatebot"
    (pkg / "core").mkdir(parents=True)
    (pkg / "answers").mkdir()
    for p in (pkg, pkg / "core", pkg / "answers"):
        (p / "__init__.py").write_text("")
    (pkg / "core" / "a.py").write_text("def f():\n    from debatebot.answers.b import g\n")
    (pkg / "answers" / "b.py").write_text("from ..core import a\n")
    known = {module_name_in(pkg, p) for p in pkg.rglob("*.py")}
    a = imports_of(pkg / "core" / "a.py", "debatebot.core.a", known)
    b = imports_of(pkg / "answers" / "b.py", "debatebot.answers.b", known)
    assert a == {"debatebot.answers.b"} and b == {"debatebot.core.a"}
    assert layer("debatebot.answers.b") > layer("debatebot.core.a")


def module_name_in(pkg: Path, path: Path) -> str:
    rel = path.relative_to(pkg.parent).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts)


def test_the_public_api_imports_from_the_top_and_touches_nothing():
    # `import debatebot` (and its public names) changes no environment variable and loads no heavy library
    code = ("import os, sys, json; before = dict(os.environ); "
            "from debatebot import Answer, Engine, Library, Mode, Request, Settings, DebatebotError; "
            "import debatebot.interfaces.cli.main; "
            "print(json.dumps({'env_changed': dict(os.environ) != before, "
            "'heavy': sorted(m for m in ('chromadb', 'gradio', 'torch', 'onnxruntime') if m in sys.modules), "
            "'names': [Engine.__name__, Library.__name__, Mode.argue.value, Request.__name__, Settings.__name__, "
            "Answer.__name__]}))")
    import json
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("GRADIO_ANALYTICS_ENABLED", "HF_HUB_OFFLINE",
                                                           "TRANSFORMERS_OFFLINE", "ANONYMIZED_TELEMETRY")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                         cwd=PKG.parent)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got == {"env_changed": False, "heavy": [], "names": ["Engine", "Library", "argue", "Request", "Settings",
                                                                  "Answer"]}
