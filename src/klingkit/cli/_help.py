"""Help that teaches: every command's help ends with real command lines (run by tests/test_readme.py)."""

from __future__ import annotations


def examples(*lines: str) -> str:
    """A command's help epilog: two or three real command lines, kept as typed (not re-wrapped)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def modes_in_words(modes: tuple[str, ...] | list[str], last: str = "or") -> str:
    """``std (720p) or pro (1080p)``: the catalog's words for quality modes (read when a help is built)."""
    from klingkit.catalog.lists import modes_in_words as words

    return words(modes, last)
