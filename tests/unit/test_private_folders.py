"""Folders of personal data the platform writes itself are its own account's alone (R14)."""

import stat

from xinyong.core.private_folders import private_folder


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_folder_is_made_private_whatever_the_umask(tmp_path):
    import os

    before = os.umask(0o022)
    try:
        made = private_folder(tmp_path / "var" / "imports")
    finally:
        os.umask(before)
    assert made.is_dir() and _mode(made) == 0o700


def test_a_folder_an_older_release_left_open_is_closed(tmp_path):
    folder = tmp_path / "screenings"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "result.csv").write_text("330106196001011234")
    assert _mode(private_folder(folder)) == 0o700
    assert (folder / "result.csv").exists()  # what was in it stays
