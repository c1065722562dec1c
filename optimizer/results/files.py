"""Writing results safely: a new file or folder appears whole or not at all, and never
replaces an earlier one; text a spreadsheet would run as a formula is escaped.

Results are evidence; a planner must be able to trust that nothing was silently replaced and
that a file present is complete.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from optimizer.errors import UserError
from optimizer.instance.safe_text import FORMULA_START, escape_text, unescape_text

__all__ = ["FORMULA_START", "check_out", "escape_text", "folder_name", "read_csv",
           "refuse_existing", "safe_csv", "staged_folder", "unescape_text", "write_new_file",
           "write_new_files"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def refuse_existing(path: Path) -> None:
    if os.path.lexists(path):
        what = "a broken link" if path.is_symlink() and not path.exists() else "already exists"
        raise UserError(f"{path} {what}; earlier results are never overwritten. "
                        "Choose another name or move the old one away.")


STAGING_EXTRA = 24  # characters a staging name adds: "." + name + ".XXXXXXXX.partial"


def check_out(out: Path) -> None:
    """Refuse an output path that could not be written, before any solving is done.

    Catches an existing path or broken link, a parent that is a file, a place that cannot be
    written, and a name too long for the file system (its staging name is longer still).
    """
    refuse_existing(out)
    if not out.name or out.name in (".", ".."):
        raise UserError(f"--out {out}: give the name of a new folder")
    parent = out.parent
    for ancestor in [parent, *parent.parents]:
        if ancestor.is_dir():
            break
        if os.path.lexists(ancestor):
            raise UserError(f"cannot write to {out}: {ancestor} is not a folder (a file or a "
                            "broken link)")
    limit = _name_max(parent)
    if len(out.name.encode()) + STAGING_EXTRA > limit:
        raise UserError(f"cannot write to {out}: the folder name is too long for this file "
                        f"system (at most {limit - STAGING_EXTRA} bytes here)")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=parent)
        os.rmdir(probe)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserError(f"cannot write to {out}: {reason}") from exc


def _name_max(folder: Path) -> int:
    for place in [folder, *folder.parents]:
        if place.is_dir():
            try:
                return os.pathconf(place, "PC_NAME_MAX")
            except (OSError, ValueError, AttributeError):
                return 255
    return 255


def folder_name(name: str) -> str:
    """An instance name made safe as one folder name: it can never point elsewhere."""
    safe = re.sub(r"[^\w.-]", "_", name).lstrip(".")[:80]
    return safe or "instance"


@contextlib.contextmanager
def staged_folder(out: Path) -> Iterator[Path]:
    """An empty folder named like `out`, in a hidden holder beside it, moved to `out` only if
    the block succeeds.

    Writers (results, then reports) fill it; only a complete folder ever appears under the
    name the user asked for, and what is written inside sees its final name. On any failure
    or Ctrl-C the holder is removed.
    """
    refuse_existing(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    holder = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        staging = holder / out.name
        staging.mkdir()  # with the umask's permissions (mkdtemp's holder is owner-only)
        yield staging
        refuse_existing(out)
        os.rename(staging, out)
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def write_new_file(path: Path, data: str | bytes) -> Path:
    """Write a file under a temporary name, then link it into place; refuse an existing one."""
    return write_new_files(path.parent, {path.name: data})[0]


def write_new_files(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Put several new files into a folder together: all of them, or none.

    Each is written under a temporary name first; only then are they linked into place. If
    one of them exists already, or anything fails or is interrupted on the way, the files
    already linked are taken away again, so that no set is left half-written.
    """
    paths = [folder / name for name in files]
    for path in paths:
        refuse_existing(path)
    folder.mkdir(parents=True, exist_ok=True)
    temporary: list[str] = []
    placed: list[Path] = []
    try:
        for name, data in files.items():
            temporary.append(_write_temporary(folder, name, data))
        for tmp, path in zip(temporary, paths, strict=True):
            _link(tmp, path)
            placed.append(path)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    finally:
        for tmp in temporary:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return paths


def _write_temporary(folder: Path, name: str, data: str | bytes) -> str:
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=folder)
    os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes it owner-only; results are for sharing
    with os.fdopen(fd, "wb") as handle:
        handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return tmp


def _link(tmp: str, path: Path) -> None:
    """Link `tmp` in as `path`, never replacing a file that appeared meanwhile."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        refuse_existing(path)
        raise
    except OSError:  # a file system without hard links: check, then rename
        refuse_existing(path)
        os.replace(tmp, path)


def safe_csv(frame: pd.DataFrame, index: bool = False) -> str:
    """CSV text with text cells escaped against formula injection, as report.py writes it."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
            safe[col] = safe[col].map(escape_text)
    if index:
        safe.index = safe.index.map(escape_text)  # region ids label the rows of matrices
    safe.columns = [escape_text(c) for c in safe.columns]  # ids and run names head columns
    return safe.to_csv(index=index, float_format="%.6g")


def read_csv(path: Path, index_col: int | None = None,
             columns: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """One of our CSV tables, or None if the run did not write it.

    A damaged file (unreadable, not a table, lacking one of `columns`) is a UserError naming
    the file, so `compare` and `report` end cleanly on a damaged run folder.
    """
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path, index_col=index_col, keep_default_na=False, na_values=[""])
    except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise UserError(f"{path} is damaged: it cannot be read as a CSV table "
                        f"({str(exc).strip() or type(exc).__name__})") from exc
    frame.columns = [unescape_text(c) for c in frame.columns]
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(unescape_text)
    if index_col is not None:
        frame.index = frame.index.map(unescape_text)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UserError(f"{path} is damaged: it lacks column {missing[0]!r} (a file written by "
                        "solve has it)")
    return frame
