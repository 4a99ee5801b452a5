"""Geometry of the server-rendered SVG bar charts (templates/includes/bar_chart.html).

Pure arithmetic, no app knowledge: a view passes labelled values (and optionally a plan to compare
with) and gets coordinates in SVG units. Each label sits on its own line above its bar, so a long
Vietnamese label is never cut, and the text keeps its size (13 units, drawn at about 1:1).
"""

from decimal import Decimal

WIDTH = 440
VALUE_ROOM = 70  # room right of the longest bar for its value
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
GAP = 10


def bar_chart(rows, *, title: str, value_label: str = "", plan_label: str = "") -> dict:
    """``rows``: dicts with ``label``, ``value`` and, for a chart against a plan, ``plan``.

    Returns ``{"title", "value_label", "plan_label", "has_plan", "width", "height", "rows"}`` where each
    row gains ``y`` (label baseline), ``bar_y``, ``length``, ``plan_length`` and ``text_x``.
    """
    rows = [dict(row) for row in rows]
    has_plan = any(row.get("plan") is not None for row in rows)
    top = max([Decimal(row.get("value") or 0) for row in rows]
              + [Decimal(row.get("plan") or 0) for row in rows] + [Decimal(0)])
    span = WIDTH - VALUE_ROOM
    y = 0
    for row in rows:
        value, plan = Decimal(row.get("value") or 0), row.get("plan")
        row["y"] = y + LABEL_HEIGHT - 4
        row["bar_y"] = y + LABEL_HEIGHT
        row["length"] = int(value * span / top) if top else 0
        row["plan_length"] = int(Decimal(plan) * span / top) if top and plan is not None else 0
        row["text_x"] = max(row["length"], row["plan_length"]) + 6
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    return {"title": title, "value_label": value_label, "plan_label": plan_label, "has_plan": has_plan,
            "width": WIDTH, "height": max(y - GAP, 1), "rows": rows, "empty": not top}
