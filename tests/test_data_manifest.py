"""The shipped datasets match their manifest, and the build reproduces them byte for byte."""

import hashlib

import pytest

from medkit.data._paths import datasets_dir, shared_data_dir
from medkit.data.build import MANIFEST, write_all


def _manifest():
    lines = (datasets_dir() / MANIFEST).read_text().splitlines()
    return dict(reversed(line.split("  ", 1)) for line in lines)


def test_every_file_matches_manifest():
    manifest = _manifest()
    assert {"cities_national.csv", "movers_zhejiang.csv.gz", "README.md"} <= set(manifest)
    for name, digest in manifest.items():
        data = (datasets_dir() / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_every_shipped_file_is_in_the_manifest():
    shipped = {
        str(path.relative_to(datasets_dir()))
        for path in datasets_dir().rglob("*")
        if path.is_file() and path.name != MANIFEST and "__pycache__" not in path.parts
    }
    assert shipped == set(_manifest()), shipped ^ set(_manifest())


def test_datasets_under_25_mb():
    total = sum((datasets_dir() / name).stat().st_size for name in _manifest())
    assert total < 25 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.skipif(not shared_data_dir().exists(), reason="needs ../shared/data")
def test_build_is_byte_for_byte(tmp_path):
    digests = write_all(tmp_path)
    assert digests == _manifest()
