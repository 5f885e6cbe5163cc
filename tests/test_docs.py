"""The documentation keeps up with the code: the README is a front door with the two setup commands
CI runs, the manual in docs/ names every setting and every command-line option, its links lead
somewhere, and the generated page of saved questions is the one scripts/docs.py makes."""

from __future__ import annotations

import importlib
import importlib.util
import re
import tomllib
import unicodedata
from pathlib import Path

import click
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(markdown: str, heading: str) -> str:
    """The text under a heading (any level), up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\s*$", markdown, re.MULTILINE)
    assert match, f"no heading {heading!r}"
    level = len(match.group(1))
    rest = markdown[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.MULTILINE)
    return rest[: end.start()] if end else rest


# 1. Every setting of the app is on docs/viewer.md. ------------------------------------------------

def app_settings() -> dict:
    """The app's settings with their defaults, wherever the viewer keeps them."""
    for module_name in ("kasograph_web.settings", "kasograph_web.app", "kasograph.web.app"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name and module_name.startswith(error.name):
                continue  # that module does not exist (yet, or any more)
            raise
        for attribute in ("DEFAULTS", "SETTINGS"):
            if isinstance(getattr(module, attribute, None), dict):
                return getattr(module, attribute)
    pytest.fail("no settings found in kasograph_web.settings, kasograph_web.app or kasograph.web.app")


def test_the_viewer_page_lists_every_setting():
    table = section(text(DOCS / "viewer.md"), "Settings")
    settings = app_settings()
    assert settings
    for setting in settings:
        assert re.search(rf"^\| `{setting}` \|", table, re.MULTILINE), f"{setting} is not in the settings table of docs/viewer.md"


def test_the_settings_table_says_what_the_settings_declare():
    """Each setting's default and meaning are written once, in kasograph_web.settings; the manual shows them."""
    from kasograph_web.settings import markdown_table

    assert markdown_table() in section(text(DOCS / "viewer.md"), "Settings"), (
        "the settings table of docs/viewer.md is stale: paste the output of .venv/bin/python -m kasograph_web.settings")


def test_the_remote_store_page_lists_every_store_setting():
    from kasograph.store.remote.settings import markdown_table

    assert markdown_table() in text(DOCS / "remote.md"), (
        "the store settings table of docs/remote.md is stale: paste kasograph.store.remote.settings.markdown_table()")


# 2. Every option of every command is on docs/commands.md. -----------------------------------------

def commands(group: click.Group, prefix: str = "kasograph"):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from commands(command, f"{prefix} {name}")


def mentions(markdown: str, option: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", markdown) is not None


def test_the_commands_page_has_every_command_and_option():
    from kasograph.cli import main

    page = text(DOCS / "commands.md")
    everywhere = section(page, "Options of every command")
    for param in main.params:
        if isinstance(param, click.Option):
            for option in param.opts + param.secondary_opts:
                assert mentions(everywhere, option), f"kasograph {option} is not in 'Options of every command'"
    for name, command in commands(main):
        described = section(page, f"`{name}`")
        for param in command.params:
            if isinstance(param, click.Option):
                for option in param.opts + param.secondary_opts:
                    assert mentions(described, option), f"{name} {option} is not in its section of docs/commands.md"


# 3. The README is a front door, with the two commands CI runs. -------------------------------------

def test_the_readme_is_short_and_its_setup_commands_are_the_ones_ci_uses():
    readme = text(README)
    assert len(readme.splitlines()) < 300
    setup = section(readme, "Set up: two commands")
    blocks = re.findall(r"^```sh\n(.*?)\n```$", setup, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 2, blocks
    install_and_serve, run_tests = blocks
    # The second is what CI runs.
    assert run_tests == "scripts/test"
    assert "exec scripts/test" in text(ROOT / ".ci" / "run").splitlines()
    assert (ROOT / "scripts" / "test").exists()
    # The first makes the same virtual environment as scripts/test and runs the installed command.
    assert install_and_serve == "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/kasograph serve"
    assert "python3 -m venv .venv" in text(ROOT / "scripts" / "test")
    scripts = tomllib.loads(text(ROOT / "pyproject.toml"))["project"]["scripts"]
    assert scripts.get("kasograph") == "kasograph.cli:main"
    from kasograph.cli import main

    assert "serve" in main.commands


# 4. Every relative link leads to a file, and to a heading in it. -----------------------------------

def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    heading = re.sub(r"<[^>]+>", "", heading)  # inline HTML
    heading = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    heading = heading.strip().lower()
    kept = "".join(c for c in heading if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in without_fences(markdown).splitlines():
        heading = re.match(r"^#{1,6} (.+?)\s*#*\s*$", line)
        if heading:
            base = slug(heading.group(1))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    found.update(re.findall(r'<a (?:id|name)="([^"]+)"', markdown))
    return found


def without_fences(markdown: str) -> str:
    """The text less its fenced code blocks."""
    return re.sub(r"^(```|~~~).*?^\1\s*$", "", markdown, flags=re.MULTILINE | re.DOTALL)


def without_code(markdown: str) -> str:
    """The text less its fenced code blocks and inline code, where a link is only an example."""
    return re.sub(r"`[^`\n]*`", "", without_fences(markdown))


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PAGES = [README, *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_relative_links_lead_somewhere(page):
    broken = []
    for target in LINK.findall(without_code(text(page))):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(text(resolved)):
            broken.append(f"{target}: no such heading in {resolved.relative_to(ROOT)}")
    assert not broken, broken


def test_the_manual_is_where_the_readme_says():
    readme = text(README)
    for page in sorted(DOCS.glob("*.md")):
        assert f"docs/{page.name}" in readme or page.name == "README.md" and "docs/README.md" in readme, page.name


# 5. docs/saved-questions.md is the page scripts/docs.py makes. ------------------------------------

def test_the_saved_questions_page_is_up_to_date():
    spec = importlib.util.spec_from_file_location("kasograph_docs_script", ROOT / "scripts" / "docs.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert text(script.PAGE) == script.render(), "docs/saved-questions.md is stale: run .venv/bin/python scripts/docs.py"
