"""The README's layout table matches the tree: every path it names exists, every top-level part
of the repository and every tools module is in it."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).parents[2]
README = REPO / "README.md"
TOOLS = REPO / "rep_coach_tools"
ROW = re.compile(r"^\| (`[^|]+`(?:, `[^|]+`)*) \| (.+) \|$", re.M)
CODE = re.compile(r"`([^`]+)`")


def layout_rows() -> dict[str, str]:
    """The table that follows the README's "Layout" line: first-column paths -> description."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("Layout (three parts") :]
    section = section[: section.index("\n\n", section.index("| path |"))]
    return {
        path: description
        for paths, description in ROW.findall(section)
        for path in CODE.findall(paths)
    }


def test_every_path_in_the_layout_table_exists() -> None:
    rows = layout_rows()
    assert rows
    for path in rows:
        assert (REPO / path).exists(), path


def test_every_tracked_top_level_folder_is_in_the_layout_table() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    folders = {name.split("/")[0] for name in tracked if "/" in name}
    named = {path.strip("/").split("/")[0] for path in layout_rows()}
    assert folders <= named


def test_the_tools_row_names_each_tools_module_and_nothing_else() -> None:
    description = layout_rows()["rep_coach_tools/"]
    named = set(CODE.findall(description))
    modules = {
        f"{path.name}/" if path.is_dir() else path.name
        for path in TOOLS.iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py")
        or (path.is_dir() and (path / "__init__.py").exists())
    }
    named_modules = {name for name in named if name.endswith((".py", "/"))}
    assert named_modules == modules
