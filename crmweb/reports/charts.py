"""Charts drawn on the server as SVG (no script, so the strict CSP holds and they print): the
geometry here, the markup in the templates; every chart has its numbers in a table beside it."""

from dataclasses import dataclass

from crmweb.reports.analysis import Pareto

WIDTH, HEIGHT, MARGIN = 640, 320, 44


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    first_rank: int  # the clients this point stands for, by place
    last_rank: int
    share_of_clients: float
    share_of_value: float


@dataclass(frozen=True)
class ParetoChart:
    width: int
    height: int
    margin: int
    points: list[ChartPoint]
    line: str  # the polyline's points attribute
    top_x: float  # where 20 % of the clients stand
    eighty_y: float  # where 80 % of the value stands


def _x(share: float) -> float:
    return round(MARGIN + share * (WIDTH - 2 * MARGIN), 1)


def _y(share: float) -> float:
    return round(HEIGHT - MARGIN - share * (HEIGHT - 2 * MARGIN), 1)


def pareto_chart(report: Pareto) -> ParetoChart:
    points, previous_rank = [], 0
    for point in report.points:
        points.append(
            ChartPoint(
                _x(point.share_of_clients),
                _y(point.share_of_value),
                previous_rank + 1,
                point.rank,
                point.share_of_clients,
                point.share_of_value,
            )
        )
        previous_rank = point.rank
    line = " ".join(f"{x},{y}" for x, y in [(_x(0), _y(0))] + [(p.x, p.y) for p in points])
    return ParetoChart(WIDTH, HEIGHT, MARGIN, points, line, _x(0.2), _y(0.8))


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    margin: int
    bar_width: float
    bars: list[Bar]


def bar_chart(rows: list[tuple], top: float = 5.0) -> BarChart:
    """(label, value, …) rows as bars on a 0–`top` scale (satisfaction by month: 1–5)."""
    inner = WIDTH - 2 * MARGIN
    slot = inner / max(1, len(rows))
    bars = []
    for index, (label, value, *_rest) in enumerate(rows):
        height = (HEIGHT - 2 * MARGIN) * min(value, top) / top
        bars.append(
            Bar(
                str(label),
                value,
                round(MARGIN + index * slot + slot * 0.15, 1),
                round(HEIGHT - MARGIN - height, 1),
                round(height, 1),
            )
        )
    return BarChart(WIDTH, HEIGHT, MARGIN, round(slot * 0.7, 1), bars)
