"""Goldens for @gradsight/gradient-monitor: the statistics it records, computed by PyTorch.

Writes packages/gradient-monitor/test/fixtures/monitor.json. Each case is a small
Sequential MLP (Linear layers and activations, indexed like gradsight's Sequential), one
batch, softmax cross-entropy (mean), and one plain SGD step. The fixture stores:

  "layers":  [{"type": "Linear", "in": 8, "out": 16} | {"type": "Tanh"} | ...]
  "params":  {"0.weight": {"shape": [in, out], "data": [...]}, "0.bias": ...}   gradsight layout
  "x", "labels", "lr"
  "expected": {
    "loss": float,
    "params":      {name: {gradNorm, gradMaxAbs, gradMean, gradStd, gradMeanAbs, weightNorm, updateRatio}},
    "layers":      {path: {gradNorm, gradMeanAbs, gradMaxAbs, gradRms, weightNorm, updateRatio}},
    "activations": {path: {mean, std, deadFraction | null, saturatedFraction | null}}
  }

Definitions (the monitor's, computed here in float64 from the float32 inputs):
  gradStd is the population standard deviation; gradRms = ‖g‖/√n over the layer's parameters;
  updateRatio = ‖Δw‖/‖w‖ with Δw = −lr·g (plain SGD) and ‖w‖ before the update;
  deadFraction: share of ReLU units that are 0 for every example of the batch;
  saturatedFraction: share of outputs with |tanh| > 0.97, or sigmoid outside [0.03, 0.97].
Inputs are resampled until no activation lies within 1e-4 of a threshold (0 for ReLU
pre-activations), so the counts do not depend on float32 rounding.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from common import REPO_ROOT, case_rng, fmt_float, setup_torch, to_f32, write_fixture

OUTPUT = REPO_ROOT / "packages" / "gradient-monitor" / "test" / "fixtures" / "monitor.json"
TANH_LIM = 0.97
SIG_LO, SIG_HI = 0.03, 0.97
MARGIN = 1e-4


def arr(a: np.ndarray) -> dict:
    a = np.asarray(a)
    return {"shape": [int(d) for d in a.shape], "data": [fmt_float(v) for v in a.reshape(-1)]}


def build(name: str, spec: list[tuple], batch: int, classes: int, weight_scale: float, bias_shift: float, x_scale: float) -> dict:
    for attempt in range(200):
        rng = case_rng(f"{name}/{attempt}")
        params: dict[str, np.ndarray] = {}
        layers = []
        for i, layer in enumerate(spec):
            if layer[0] == "Linear":
                _, fan_in, fan_out = layer
                bound = weight_scale / math.sqrt(fan_in)
                params[f"{i}.weight"] = to_f32(rng.uniform(-bound, bound, (fan_in, fan_out)))
                params[f"{i}.bias"] = to_f32(rng.uniform(-bound, bound, (fan_out,)) + bias_shift * rng.uniform(-1, 1, (fan_out,)))
                layers.append({"type": "Linear", "in": fan_in, "out": fan_out})
            else:
                layers.append({"type": layer[0]})
        x = to_f32(rng.uniform(-x_scale, x_scale, (batch, spec[0][1])))
        labels = rng.integers(0, classes, (batch,))
        result = run(spec, params, x, labels, lr=0.1)
        if result is not None:
            return {
                "name": name,
                "layers": layers,
                "params": {k: arr(v) for k, v in params.items()},
                "x": arr(x),
                "labels": [int(v) for v in labels],
                "lr": 0.1,
                "expected": result,
            }
    raise RuntimeError(f"{name}: no sample kept activations away from the thresholds")


def run(spec, params_np, x_np, labels_np, lr):
    params = {k: torch.tensor(v, requires_grad=True) for k, v in params_np.items()}
    h = torch.tensor(x_np)
    acts = {}
    for i, layer in enumerate(spec):
        kind = layer[0]
        if kind == "Linear":
            h = h @ params[f"{i}.weight"] + params[f"{i}.bias"]
        elif kind == "ReLU":
            if (h.detach().abs() < MARGIN).any():
                return None
            h = torch.relu(h)
            acts[str(i)] = ("relu", h)
        elif kind == "Tanh":
            h = torch.tanh(h)
            if ((h.detach().abs() - TANH_LIM).abs() < MARGIN).any():
                return None
            acts[str(i)] = ("tanh", h)
        elif kind == "Sigmoid":
            h = torch.sigmoid(h)
            d = h.detach()
            if ((d - SIG_LO).abs() < MARGIN).any() or ((d - SIG_HI).abs() < MARGIN).any():
                return None
            acts[str(i)] = ("sigmoid", h)
        else:
            raise ValueError(kind)
    loss = torch.nn.functional.cross_entropy(h, torch.tensor(labels_np, dtype=torch.int64))
    loss.backward()

    out_params = {}
    for name, p in params.items():
        g = p.grad.detach().numpy().reshape(-1)
        w = p.detach().numpy().reshape(-1)
        out_params[name] = {
            "gradNorm": fmt_float(np.sqrt(np.sum(g * g))),
            "gradMaxAbs": fmt_float(np.max(np.abs(g))),
            "gradMean": fmt_float(np.mean(g)),
            "gradStd": fmt_float(np.std(g)),
            "gradMeanAbs": fmt_float(np.mean(np.abs(g))),
            "weightNorm": fmt_float(np.sqrt(np.sum(w * w))),
            "updateRatio": fmt_float(lr * np.sqrt(np.sum(g * g)) / np.sqrt(np.sum(w * w))),
        }
    out_layers = {}
    for path in sorted({n.rsplit(".", 1)[0] for n in params}, key=int):
        gs = [params[n].grad.detach().numpy().reshape(-1) for n in params if n.rsplit(".", 1)[0] == path]
        ws = [params[n].detach().numpy().reshape(-1) for n in params if n.rsplit(".", 1)[0] == path]
        g = np.concatenate(gs)
        w = np.concatenate(ws)
        out_layers[path] = {
            "gradNorm": fmt_float(np.sqrt(np.sum(g * g))),
            "gradMeanAbs": fmt_float(np.mean(np.abs(g))),
            "gradMaxAbs": fmt_float(np.max(np.abs(g))),
            "gradRms": fmt_float(np.sqrt(np.mean(g * g))),
            "weightNorm": fmt_float(np.sqrt(np.sum(w * w))),
            "updateRatio": fmt_float(lr * np.sqrt(np.sum(g * g)) / np.sqrt(np.sum(w * w))),
        }
    out_acts = {}
    for path, (kind, a) in acts.items():
        a = a.detach().numpy()
        entry = {"mean": fmt_float(np.mean(a)), "std": fmt_float(np.std(a)), "deadFraction": None, "saturatedFraction": None}
        if kind == "relu":
            entry["deadFraction"] = fmt_float(np.mean(np.all(a <= 0, axis=0)))
        elif kind == "tanh":
            entry["saturatedFraction"] = fmt_float(np.mean(np.abs(a) > TANH_LIM))
        else:
            entry["saturatedFraction"] = fmt_float(np.mean((a < SIG_LO) | (a > SIG_HI)))
        out_acts[path] = entry
    return {"loss": fmt_float(loss.item()), "params": out_params, "layers": out_layers, "activations": out_acts}


def main() -> int:
    setup_torch()
    cases = [
        # large weights and inputs: some tanh/sigmoid outputs saturate; shifted biases kill some ReLU units
        build(
            "mlp/tanh-relu-sigmoid",
            [("Linear", 8, 16), ("Tanh",), ("Linear", 16, 16), ("ReLU",), ("Linear", 16, 16), ("Sigmoid",), ("Linear", 16, 4)],
            batch=8, classes=4, weight_scale=4.0, bias_shift=2.0, x_scale=2.0,
        ),
        # a deeper sigmoid stack with default-like init: the gradient profile the vanishing rule reads
        build(
            "mlp/sigmoid-depth6",
            [("Linear", 6, 12), ("Sigmoid",), ("Linear", 12, 12), ("Sigmoid",), ("Linear", 12, 12), ("Sigmoid",),
             ("Linear", 12, 12), ("Sigmoid",), ("Linear", 12, 12), ("Sigmoid",), ("Linear", 12, 3)],
            batch=16, classes=3, weight_scale=1.0, bias_shift=0.0, x_scale=1.0,
        ),
    ]
    size = write_fixture(OUTPUT, "scripts/goldens/monitor_goldens.py", cases)
    print(f"monitor_goldens: {len(cases)} cases, {size} bytes -> {OUTPUT.relative_to(REPO_ROOT)}")
    return len(cases)


if __name__ == "__main__":
    main()
