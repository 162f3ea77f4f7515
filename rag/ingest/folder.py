"""A corpus folder's files: those to ingest, in name order, and those never ingested, said
apart: the corpus's own notes (README, LICENSE, ...), hidden and "_" names and what lies
under them, the index's own data folder, and symbolic links that point outside the folder
(listed, so the caller reports them rather than leaving them out silently).
"""

from __future__ import annotations

from pathlib import Path

# A corpus folder's own notes (README.md, LICENSE, ATTRIBUTION.md, SOURCES.txt), by exact name
# (any case, an "s" for the plural): "sources-of-the-nile.txt" or "noticeboard.md" are corpus files.
IGNORED_NAMES = ("readme", "license", "licence", "attribution", "notice", "source")


def is_note(path: Path) -> bool:
    """A file that tells about the corpus rather than belonging to it (never ingested)."""
    stem = path.stem.lower()
    return stem in IGNORED_NAMES or (stem.endswith("s") and stem[:-1] in IGNORED_NAMES)


def corpus_files(root: Path, exclude: Path | None = None) -> list[Path]:
    """Files to ingest under root: supported or not (unsupported ones are reported), no dotfiles,
    no README/LICENSE/ATTRIBUTION notes, nothing under `exclude` (the index's own data folder).
    Symbolic links are listed; `outside` tells the caller which point out of root."""
    if root.is_file():
        return [root]
    skip = exclude.resolve() if exclude is not None else None
    files = []
    for path in _walked(root):
        if not path.is_file() or is_note(path):
            continue
        if skip is not None and (path.parent.resolve() == skip or skip in path.parent.resolve().parents):
            continue
        files.append(path)
    return files


def linked_folders(root: Path, base: Path) -> list[Path]:
    """Symbolic links to folders outside root, under root (not walked, like the files under
    them), so they can be reported rather than silently left out."""
    return [path for path in _walked(root) if path.is_symlink() and path.is_dir() and outside(path, base)]


def _walked(root: Path) -> list[Path]:
    """Everything under root in name order, less hidden and "_" names and what lies under them."""
    return [path for path in sorted(root.rglob("*"))
            if not any(part.startswith((".", "_")) for part in path.relative_to(root).parts)]


def outside(path: Path, root: Path) -> bool:
    """A symbolic link whose target lies outside root: never followed."""
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())
