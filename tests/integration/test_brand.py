"""The committed brand images are what scripts/brand draws, at the sizes Home Assistant wants."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[2]
BRAND_DIR = ROOT / "custom_components" / "rep_coach" / "brand"


def _brand_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("brand", ROOT / "scripts" / "brand.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_brand_images_are_current(tmp_path: Path) -> None:
    """Redrawing gives the committed pixels (run scripts/brand after changing the drawing)."""
    for drawn in _brand_script().render(tmp_path):
        committed = BRAND_DIR / drawn.name
        assert committed.exists(), f"{drawn.name} missing: run scripts/brand"
        with Image.open(drawn) as new, Image.open(committed) as old:
            assert new.size == old.size
            assert ImageChops.difference(new, old).getbbox() is None, f"{drawn.name} is stale"


def test_brand_image_sizes() -> None:
    """Icons are square (256 and 512 px); logos are landscape, 128 and 256 px high."""
    sizes = {path.name: Image.open(path).size for path in BRAND_DIR.glob("*.png")}
    assert sizes["icon.png"] == (256, 256)
    assert sizes["icon@2x.png"] == (512, 512)
    assert sizes["logo.png"][1] == 128
    assert sizes["logo.png"][0] > 128
    assert sizes["logo@2x.png"][1] == 256
