"""Help that teaches: every command's help ends with real command lines (run by tests/test_readme.py)."""

from __future__ import annotations


def examples(*lines: str) -> str:
    """A command's help epilog: two or three real command lines, kept as typed (not re-wrapped)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def modes_in_words(modes: tuple[str, ...] | list[str], last: str = "or") -> str:
    """``std (720p) or pro (1080p)``: quality modes with the resolution each maps to (the catalog's
    ``MODE_RESOLUTION``), for help texts that would otherwise type the mapping."""
    from klingkit import catalog

    words = [
        m if catalog.MODE_RESOLUTION.get(m, m) == m else f"{m} ({catalog.MODE_RESOLUTION[m]})" for m in modes
    ]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"
