"""Where a screening's result may be written, checked before anything is read (item 6): found
out only at the end, a whole file's screening would be lost."""

from __future__ import annotations

import os
from pathlib import Path

from xinyong.core.errors import XinyongError
from xinyong.core.tables import is_excel

# Bytes a result's name leaves for the files a run writes beside it, whose names add to it (a
# run's own file, ``screening_jobs._own_file``, and its parts, ``screening.screen_file``).
OUTPUT_NAME_RESERVE = 48
PART_SUFFIX, SECOND_PART_SUFFIX = ".part", ".part2"  # the result's parts while written


def refuse_unusable_output(target: Path, reserve: int = OUTPUT_NAME_RESERVE) -> None:
    """Refuse, before anything is read, a result that could not be written where it is asked:
    found out only at the end, a whole file's screening would be lost. ``reserve``: the bytes
    its name must leave for the names of the files written beside it. The messages name no
    path: an API job's is the server's own (R14)."""
    if is_excel(target):
        raise XinyongError("screening-output-format", "结果文件仅支持 CSV 格式", status=422)
    if target.is_dir():
        raise XinyongError("screening-output-is-a-folder",
                           "结果文件路径是一个目录，请指定文件名", status=422)  # fmt: skip
    folder = target.parent
    if not folder.is_dir():
        raise XinyongError("screening-output-folder-missing", "结果文件所在的目录不存在",
                           status=422)  # fmt: skip
    # The result is written beside it, then renamed: the folder itself must take new files.
    if not os.access(folder, os.W_OK | os.X_OK):
        raise XinyongError("screening-output-folder-read-only", "结果文件所在的目录不可写入",
                           status=422)  # fmt: skip
    longest = _name_limit(folder) - reserve
    if len(os.fsencode(target.name)) > longest:
        message = f"结果文件名过长（不超过{longest}字节），请缩短文件名"
        raise XinyongError("screening-output-name-too-long", message, status=422)


def _name_limit(folder: Path) -> int:
    """The longest file name the folder's file system takes (255 bytes on Linux's)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255
