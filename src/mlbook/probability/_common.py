"""Checks shared by the modules of :mod:`mlbook.probability`."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..validation import check_positive

LOG_2PI = float(np.log(2 * np.pi))


def check_count(n: Any, name: str = "n") -> int:
    """Refuse anything but a positive integer count."""
    check_positive(n, name, integer=True)
    return int(n)


def check_level(level: Any) -> float:
    """Refuse a confidence level outside (0, 1), with a hint for percentages."""
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) or not 0 < level < 1:
        hint = " (pass 0.95, not 95)" if isinstance(level, (int, float)) and 1 < level < 100 else ""
        raise ValueError(f"level must be a number strictly between 0 and 1, got {level!r}{hint}")
    return float(level)
