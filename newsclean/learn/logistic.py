"""A logistic regression small enough to read: named features, one weight each.

Features are standardised (mean and scale stored with the weights), so a
weight says how much one typical deviation of that feature moves the log-odds.
Training is plain batch gradient descent with an L2 penalty; the data sets
here have hundreds of rows, so no numerical library is needed.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Features = Mapping[str, float]


@dataclass(frozen=True)
class LogisticModel:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]

    def _standard(self, features: Features) -> list[float]:
        return [
            (float(features.get(name, 0.0)) - mean) / scale
            for name, mean, scale in zip(self.names, self.means, self.scales)
        ]

    def log_odds(self, features: Features) -> float:
        values = self._standard(features)
        return self.bias + sum(w * x for w, x in zip(self.weights, values))

    def probability(self, features: Features) -> float:
        return _sigmoid(self.log_odds(features))

    def explain(self, features: Features, top: int = 3) -> list[tuple[str, float]]:
        """The features that moved this decision most, with their push in log-odds."""
        pushes = [(n, w * x) for n, w, x in zip(self.names, self.weights, self._standard(features))]
        pushes.sort(key=lambda item: -abs(item[1]))
        return pushes[:top]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": "newsclean.logistic/1",
            "bias": self.bias,
            "features": [
                {"name": n, "weight": w, "mean": m, "scale": s}
                for n, w, m, s in zip(self.names, self.weights, self.means, self.scales)
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LogisticModel:
        rows = data["features"]
        assert isinstance(rows, list)
        return cls(
            names=tuple(row["name"] for row in rows),
            weights=tuple(float(row["weight"]) for row in rows),
            bias=float(data["bias"]),  # type: ignore[arg-type]
            means=tuple(float(row["mean"]) for row in rows),
            scales=tuple(float(row["scale"]) for row in rows),
        )

    @classmethod
    def load(cls, path: Path) -> LogisticModel:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def fit(
    rows: Sequence[Features],
    labels: Sequence[int],
    names: Sequence[str],
    l2: float = 0.01,
    epochs: int = 800,
    rate: float = 0.5,
) -> LogisticModel:
    """Fit weights by batch gradient descent on standardised features."""
    columns = [[float(row.get(name, 0.0)) for row in rows] for name in names]
    means = [sum(col) / len(col) for col in columns]
    scales = [
        math.sqrt(sum((x - m) ** 2 for x in col) / len(col)) or 1.0
        for col, m in zip(columns, means)
    ]
    data = [
        [(columns[j][i] - means[j]) / scales[j] for j in range(len(names))]
        for i in range(len(rows))
    ]
    weights = [0.0] * len(names)
    bias = 0.0
    n = len(rows)
    for _ in range(epochs):
        grad = [0.0] * len(names)
        grad_bias = 0.0
        for x, y in zip(data, labels):
            error = _sigmoid(bias + sum(w * v for w, v in zip(weights, x))) - y
            grad_bias += error
            for j, v in enumerate(x):
                grad[j] += error * v
        bias -= rate * grad_bias / n
        weights = [w - rate * (g / n + l2 * w) for w, g in zip(weights, grad)]
    return LogisticModel(tuple(names), tuple(weights), bias, tuple(means), tuple(scales))
