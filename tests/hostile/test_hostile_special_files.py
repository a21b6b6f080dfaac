"""Files that are not files: devices and FIFOs are refused at once, never read for ever."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main


def _refused(path: Path) -> str:
    result = CliRunner().invoke(main, ["check", str(path), "--kind", "budget"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    return result.stderr


@pytest.mark.parametrize("name", ["zero.csv", "zero.json", "zero.xlsx"])
def test_device_behind_a_symlink_is_refused(tmp_path: Path, name: str) -> None:
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    assert "not a regular file" in _refused(link)


def test_fifo_without_a_writer_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert "not a regular file" in _refused(fifo)
