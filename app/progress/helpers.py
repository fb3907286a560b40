"""What templates use of progress against the charter: labels of measures, months, years, themes and rows, the
charts' geometry and the measures' columns (app.core.templating receives them from the root)."""

from typing import Any

from app.progress.charts import bars
from app.progress.labels import (
    area_name,
    by_name,
    measure_label,
    month_label,
    objective_status,
    principle_name,
    theme_label,
    type_name,
    year_label,
)
from app.uptake.measures import COLUMNS, PEOPLE_COLUMNS
from app.uptake.published import principle_order

TEMPLATE_HELPERS: dict[str, Any] = {
    "measure_label": measure_label,
    "objective_status": objective_status,
    "month_label": month_label,
    "year_label": year_label,
    "theme_label": theme_label,
    "bar_chart": bars,
    "principle_name": principle_name,
    "area_name": area_name,
    "type_name": type_name,
    "by_name": by_name,
    "principle_order": principle_order,
    "COLUMNS": COLUMNS,
    "PEOPLE_COLUMNS": PEOPLE_COLUMNS,
}
