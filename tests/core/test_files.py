import base64
from pathlib import Path

import pytest
from pydantic import ValidationError

from xietong.core import files
from xietong.core.settings import Settings


def test_files_are_named_relative_to_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert files.shown(data / "reports" / "月销量报表-2026-11.xlsx", data) == "data/reports/月销量报表-2026-11.xlsx"
    assert files.shown(tmp_path / "elsewhere" / "x.xlsx", data) == "x.xlsx"  # outside it: the name alone


def test_qq_gets_a_path_or_the_bytes(tmp_path: Path) -> None:
    file = tmp_path / "a.xlsx"
    file.write_bytes(b"PK\x03\x04 workbook")
    assert files.for_qq(file, "path") == str(file.resolve())
    encoded = files.for_qq(file, "base64")
    assert encoded.startswith("base64://") and base64.b64decode(encoded[9:]) == file.read_bytes()


def test_the_file_mode_setting_is_path_or_base64() -> None:
    assert Settings().xietong_file_mode == "path"
    assert Settings(xietong_file_mode="base64").xietong_file_mode == "base64"
    with pytest.raises(ValidationError):
        Settings(xietong_file_mode="url")
