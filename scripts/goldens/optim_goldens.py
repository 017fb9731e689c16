"""Golden fixtures for @gradsight/optim: optimiser trajectories, LR schedules, clipping.

Writes packages/optim/test/fixtures/optim.json.

Optimiser cases: a tiny tanh MLP regression loss (non-quadratic) over three float32
parameters. At every step torch computes the gradient at the current parameters in
float64, rounds it to float32, stores it, sets it as `.grad` and steps the torch
optimiser (float64 state). The TS test feeds the stored gradients step by step, so the
two trajectories are driven by identical gradients and only float32 rounding separates
them. A `null` gradient means "this parameter had no .grad at this step" (torch skips it).

Schedule cases: `get_last_lr()` of every parameter group after construction and after
each `step()`, with all 17 significant digits (both sides compute in float64); OneCycleLR cases also store the momentum (SGD) or beta1 (Adam) of every
group. ReduceLROnPlateau is fed the stored metric sequence.

Clipping cases: gradients, the returned total norm and the clipped gradients.

Options are written in gradsight's camelCase spelling; `to_torch_kwargs` maps them.

Run directly or through generate.py:
    /usr/bin/python3 scripts/goldens/optim_goldens.py
"""

from __future__ import annotations

import math
import re
import sys
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPO_ROOT, case_rng, fmt_float, grad_json, sample, setup_torch, to_f32, write_fixture  # noqa: E402

GENERATOR = "scripts/goldens/optim_goldens.py"
OUTPUT = REPO_ROOT / "packages" / "optim" / "test" / "fixtures" / "optim.json"

STEPS = 12
SCHEDULE_STEPS = 30

SPECIAL_NAMES = {"tMax": "T_max", "t0": "T_0", "tMult": "T_mult"}


def snake(name: str) -> str:
    if name in SPECIAL_NAMES:
        return SPECIAL_NAMES[name]
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def to_torch_kwargs(options: dict) -> dict:
    out = {}
    for k, v in options.items():
        out[snake(k)] = tuple(v) if k == "betas" else v
    return out


# ----------------------------------------------------------------------------
# Optimiser trajectories
# ----------------------------------------------------------------------------

PARAM_SHAPES = [(3, 4), (4,), (4, 2)]


def mlp_problem():
    """Initial float32 parameters and a loss closure over them (float64 math)."""
    rng = case_rng("problem")  # same problem for every case: trajectories are comparable
    x = torch.tensor(sample(rng, (6, 3), -1.5, 1.5))
    y = torch.tensor(sample(rng, (6, 2), -1.0, 1.0))
    init = [sample(rng, s, -1.0, 1.0) for s in PARAM_SHAPES]

    def loss_fn(w1, b1, w2):
        h = torch.tanh(x @ w1 + b1)
        out = h @ w2
        # a quartic term keeps the landscape non-quadratic even where tanh is near-linear
        return ((out - y) ** 2).mean() + 0.05 * (w1**4).sum()

    return init, loss_fn


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
    "NAdam": torch.optim.NAdam,
    "RAdam": torch.optim.RAdam,
}


def optimizer_case(name: str, opt: str, defaults: dict, groups=None, skip=None) -> dict:
    """groups: list of {"params": [indices], "options": {...}}; skip: {step: [param indices without grad]}."""
    init, loss_fn = mlp_problem()
    params = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in init]
    if groups is None:
        groups = [{"params": list(range(len(params))), "options": {}}]
    torch_groups = [{"params": [params[i] for i in g["params"]], **to_torch_kwargs(g["options"])} for g in groups]
    optimizer = OPTIMIZERS[opt](torch_groups, **to_torch_kwargs(defaults))
    skip = skip or {}

    steps = []
    for step in range(STEPS):
        for p in params:
            p.grad = None
        loss = loss_fn(*params)
        grads = torch.autograd.grad(loss, params)
        stored = []
        for i, (p, g) in enumerate(zip(params, grads)):
            if i in skip.get(step, []):
                p.grad = None
                stored.append(None)
            else:
                g32 = to_f32(g.detach().numpy())
                p.grad = torch.tensor(g32, dtype=torch.float64)
                stored.append(grad_json(g32))
        optimizer.step()
        steps.append({"grads": stored, "params": [grad_json(p.detach().numpy()) for p in params]})

    return {
        "name": name,
        "kind": "optimizer",
        "optimizer": opt,
        "defaults": defaults,
        "groups": groups,
        "initial": [grad_json(a) for a in init],
        "steps": steps,
    }


def optimizer_cases() -> list[dict]:
    c = []
    sgd = [
        ("plain", {"lr": 0.1}),
        ("momentum", {"lr": 0.05, "momentum": 0.9}),
        ("momentum+dampening", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
        ("nesterov", {"lr": 0.05, "momentum": 0.8, "nesterov": True}),
        ("weightDecay", {"lr": 0.1, "weightDecay": 0.05}),
        ("momentum+weightDecay+maximize", {"lr": 0.02, "momentum": 0.7, "weightDecay": 0.1, "maximize": True}),
        ("nesterov+weightDecay", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.01}),
    ]
    adam = [
        ("default", {"lr": 0.01}),
        ("amsgrad", {"lr": 0.02, "amsgrad": True}),
        ("weightDecay", {"lr": 0.02, "weightDecay": 0.1}),
        ("maximize", {"lr": 0.01, "maximize": True}),
        ("amsgrad+weightDecay+maximize", {"lr": 0.01, "amsgrad": True, "weightDecay": 0.05, "maximize": True}),
        ("betas+eps", {"lr": 0.03, "betas": [0.5, 0.9], "eps": 1e-3}),
    ]
    adamw = [
        ("default", {"lr": 0.01}),
        ("weightDecay0.1", {"lr": 0.02, "weightDecay": 0.1}),
        ("amsgrad", {"lr": 0.02, "amsgrad": True, "weightDecay": 0.05}),
        ("maximize", {"lr": 0.01, "maximize": True}),
        ("betas+eps", {"lr": 0.03, "betas": [0.8, 0.95], "eps": 1e-4, "weightDecay": 0.2}),
    ]
    rmsprop = [
        ("default", {"lr": 0.01}),
        ("centered", {"lr": 0.01, "centered": True}),
        ("momentum", {"lr": 0.005, "momentum": 0.9}),
        ("centered+momentum+weightDecay", {"lr": 0.005, "centered": True, "momentum": 0.5, "weightDecay": 0.1}),
        ("alpha+eps", {"lr": 0.01, "alpha": 0.9, "eps": 1e-3}),
        ("maximize", {"lr": 0.01, "maximize": True}),
    ]
    adagrad = [
        ("default", {"lr": 0.05}),
        ("lrDecay", {"lr": 0.1, "lrDecay": 0.2}),
        ("initialAccumulatorValue", {"lr": 0.1, "initialAccumulatorValue": 0.5}),
        ("weightDecay+eps", {"lr": 0.1, "weightDecay": 0.1, "eps": 1e-3}),
        ("maximize", {"lr": 0.05, "maximize": True}),
    ]
    nadam = [
        ("default", {"lr": 0.01}),
        ("momentumDecay", {"lr": 0.02, "momentumDecay": 0.1}),
        ("weightDecay+betas", {"lr": 0.02, "weightDecay": 0.1, "betas": [0.8, 0.99]}),
    ]
    radam = [
        ("default", {"lr": 0.01}),
        ("weightDecay+betas", {"lr": 0.02, "weightDecay": 0.1, "betas": [0.8, 0.99]}),
        ("eps", {"lr": 0.02, "eps": 1e-3}),
    ]
    for opt, variants in [
        ("SGD", sgd),
        ("Adam", adam),
        ("AdamW", adamw),
        ("RMSprop", rmsprop),
        ("Adagrad", adagrad),
        ("NAdam", nadam),
        ("RAdam", radam),
    ]:
        for label, defaults in variants:
            c.append(optimizer_case(f"{opt}/{label}", opt, defaults))

    # per-group options and parameters that miss a gradient on some steps
    c.append(
        optimizer_case(
            "SGD/groups+skipped",
            "SGD",
            {"lr": 0.05, "momentum": 0.9},
            groups=[{"params": [0, 1], "options": {}}, {"params": [2], "options": {"lr": 0.01, "nesterov": True}}],
            skip={2: [1], 3: [1, 2], 7: [0]},
        )
    )
    c.append(
        optimizer_case(
            "Adam/groups+skipped",
            "Adam",
            {"lr": 0.01},
            groups=[{"params": [0], "options": {"amsgrad": True}}, {"params": [1, 2], "options": {"lr": 0.03, "weightDecay": 0.1}}],
            skip={0: [2], 4: [0, 1]},
        )
    )
    c.append(
        optimizer_case(
            "RMSprop/groups+skipped",
            "RMSprop",
            {"lr": 0.01},
            groups=[{"params": [0, 2], "options": {"centered": True}}, {"params": [1], "options": {"momentum": 0.5}}],
            skip={1: [0], 5: [1]},
        )
    )
    c.append(
        optimizer_case(
            "Adagrad/groups+skipped",
            "Adagrad",
            {"lr": 0.05},
            groups=[{"params": [0], "options": {"lrDecay": 0.1}}, {"params": [1, 2], "options": {}}],
            skip={3: [0, 2]},
        )
    )
    c.append(optimizer_case("NAdam/skipped", "NAdam", {"lr": 0.01}, skip={2: [0], 6: [1]}))
    c.append(optimizer_case("RAdam/skipped", "RAdam", {"lr": 0.01}, skip={2: [0], 6: [1]}))
    c.append(optimizer_case("AdamW/skipped", "AdamW", {"lr": 0.01}, skip={1: [2], 9: [0, 1]}))
    return c


# ----------------------------------------------------------------------------
# Schedules
# ----------------------------------------------------------------------------

SCHEDULERS = {
    "StepLR": torch.optim.lr_scheduler.StepLR,
    "MultiStepLR": torch.optim.lr_scheduler.MultiStepLR,
    "ExponentialLR": torch.optim.lr_scheduler.ExponentialLR,
    "CosineAnnealingLR": torch.optim.lr_scheduler.CosineAnnealingLR,
    "CosineAnnealingWarmRestarts": torch.optim.lr_scheduler.CosineAnnealingWarmRestarts,
    "LinearLR": torch.optim.lr_scheduler.LinearLR,
    "OneCycleLR": torch.optim.lr_scheduler.OneCycleLR,
}

GROUP_LRS = [0.1, 0.02]


def make_optimizer(spec: dict):
    params = [torch.zeros(2, requires_grad=True) for _ in GROUP_LRS]
    groups = [{"params": [p], "lr": lr} for p, lr in zip(params, GROUP_LRS)]
    return OPTIMIZERS[spec["type"]](groups, **to_torch_kwargs(spec.get("defaults", {})))


def momenta(optimizer) -> list[float]:
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in optimizer.param_groups]


def schedule_case(name: str, sched: str, options: dict, opt_spec=None, steps=SCHEDULE_STEPS, **extra) -> dict:
    opt_spec = opt_spec or {"type": "SGD", "defaults": {"lr": 0.1, "momentum": 0.9}}
    optimizer = make_optimizer(opt_spec)
    record_momentum = sched == "OneCycleLR"
    lrs, moms = [], []

    if sched == "ReduceLROnPlateau":
        kwargs = to_torch_kwargs(options)
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, **kwargs)
        lrs.append([g["lr"] for g in optimizer.param_groups])
        for metric in extra["metrics"]:
            scheduler.step(metric)
            lrs.append(list(scheduler._last_lr))
    elif sched == "SequentialLR":
        subs = [SCHEDULERS[s["type"]](optimizer, **to_torch_kwargs(s["options"])) for s in options["schedulers"]]
        scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, subs, milestones=options["milestones"])
        lrs.append(list(scheduler.get_last_lr()))
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            lrs.append(list(scheduler.get_last_lr()))
    else:
        scheduler = SCHEDULERS[sched](optimizer, **to_torch_kwargs(options))
        lrs.append(list(scheduler.get_last_lr()))
        moms.append(momenta(optimizer))
        for _ in range(steps):
            optimizer.step()
            scheduler.step()
            lrs.append(list(scheduler.get_last_lr()))
            moms.append(momenta(optimizer))

    case = {
        "name": name,
        "kind": "schedule",
        "scheduler": sched,
        "optimizer": {"type": opt_spec["type"], "groupLrs": GROUP_LRS, "defaults": opt_spec.get("defaults", {})},
        "options": options,
        # schedules are float64 arithmetic on both sides: store every digit (repr round-trips)
        "lrs": [[float(v) for v in row] for row in lrs],
    }
    if "metrics" in extra:
        case["metrics"] = extra["metrics"]
    if record_momentum:
        case["momenta"] = [[float(v) for v in row] for row in moms]
    return case


def plateau_metrics(name: str) -> list[float]:
    """A noisy curve that improves, stalls, improves a little, then stalls: many reductions."""
    rng = case_rng(name)
    out = []
    for i in range(SCHEDULE_STEPS):
        base = 1.0 / (1 + i) if i < 8 else (0.125 if i < 16 else 0.125 - 0.00001 * (i - 15))
        out.append(fmt_float(to_f32(base + rng.uniform(0, 0.02) * (i % 3 == 0))))
    return out


def schedule_cases() -> list[dict]:
    c = []
    adam = {"type": "Adam", "defaults": {"lr": 0.1}}
    c.append(schedule_case("StepLR/3x0.5", "StepLR", {"stepSize": 3, "gamma": 0.5}))
    c.append(schedule_case("StepLR/7x0.1", "StepLR", {"stepSize": 7}))
    c.append(schedule_case("MultiStepLR/repeated", "MultiStepLR", {"milestones": [3, 7, 7, 15], "gamma": 0.3}))
    c.append(schedule_case("MultiStepLR/default", "MultiStepLR", {"milestones": [5, 20]}))
    c.append(schedule_case("ExponentialLR/0.9", "ExponentialLR", {"gamma": 0.9}))
    c.append(schedule_case("CosineAnnealingLR/tMax10+etaMin", "CosineAnnealingLR", {"tMax": 10, "etaMin": 0.001}))
    c.append(schedule_case("CosineAnnealingLR/tMax7", "CosineAnnealingLR", {"tMax": 7}))
    c.append(schedule_case("CosineAnnealingWarmRestarts/t0=5", "CosineAnnealingWarmRestarts", {"t0": 5}))
    c.append(
        schedule_case(
            "CosineAnnealingWarmRestarts/t0=3,tMult=2,etaMin",
            "CosineAnnealingWarmRestarts",
            {"t0": 3, "tMult": 2, "etaMin": 0.005},
        )
    )
    c.append(schedule_case("LinearLR/warmup", "LinearLR", {"startFactor": 0.25, "endFactor": 1.0, "totalIters": 6}))
    c.append(schedule_case("LinearLR/decay", "LinearLR", {"startFactor": 1.0, "endFactor": 0.1, "totalIters": 20}))
    c.append(schedule_case("LinearLR/default", "LinearLR", {}))
    onecycle = {"maxLr": [0.5, 0.1], "totalSteps": 25}
    c.append(schedule_case("OneCycleLR/cos/SGD", "OneCycleLR", onecycle, steps=24))
    c.append(
        schedule_case("OneCycleLR/linear/SGD", "OneCycleLR", {**onecycle, "annealStrategy": "linear", "pctStart": 0.4}, steps=24)
    )
    c.append(schedule_case("OneCycleLR/threePhase/SGD", "OneCycleLR", {**onecycle, "threePhase": True}, steps=24))
    c.append(
        schedule_case(
            "OneCycleLR/cos/Adam/epochs",
            "OneCycleLR",
            {"maxLr": 0.3, "epochs": 5, "stepsPerEpoch": 5, "divFactor": 10.0, "finalDivFactor": 100.0,
             "baseMomentum": [0.8, 0.7], "maxMomentum": 0.9},
            opt_spec=adam,
            steps=24,
        )
    )
    c.append(
        schedule_case(
            "OneCycleLR/threePhase+linear/Adam",
            "OneCycleLR",
            {**onecycle, "threePhase": True, "annealStrategy": "linear", "pctStart": 0.25},
            opt_spec=adam,
            steps=24,
        )
    )
    c.append(
        schedule_case("OneCycleLR/noMomentum", "OneCycleLR", {**onecycle, "cycleMomentum": False}, steps=24)
    )
    plateau = [
        ("min/rel", {"patience": 2}),
        ("min/rel/cooldown+minLr", {"patience": 1, "cooldown": 2, "factor": 0.5, "minLr": [0.01, 0.005]}),
        ("min/abs", {"patience": 2, "thresholdMode": "abs", "threshold": 0.01, "factor": 0.3}),
        ("max/rel", {"mode": "max", "patience": 2, "factor": 0.5}),
        ("max/abs+eps", {"mode": "max", "patience": 0, "thresholdMode": "abs", "threshold": 0.0, "factor": 0.5, "eps": 0.004}),
    ]
    for label, opts in plateau:
        name = f"ReduceLROnPlateau/{label}"
        metrics = plateau_metrics(name)
        if opts.get("mode") == "max":
            metrics = [fmt_float(to_f32(2.0 - m)) for m in metrics]  # rising, then stalling
        c.append(schedule_case(name, "ReduceLROnPlateau", opts, metrics=metrics))
    c.append(
        schedule_case(
            "SequentialLR/warmup+cosine",
            "SequentialLR",
            {
                "schedulers": [
                    {"type": "LinearLR", "options": {"startFactor": 0.1, "totalIters": 4}},
                    {"type": "CosineAnnealingLR", "options": {"tMax": 12, "etaMin": 0.001}},
                ],
                "milestones": [4],
            },
        )
    )
    c.append(
        schedule_case(
            "SequentialLR/linear+exp+step",
            "SequentialLR",
            {
                "schedulers": [
                    {"type": "LinearLR", "options": {"startFactor": 0.5, "totalIters": 3}},
                    {"type": "ExponentialLR", "options": {"gamma": 0.8}},
                    {"type": "StepLR", "options": {"stepSize": 4, "gamma": 0.5}},
                ],
                "milestones": [3, 10],
            },
        )
    )
    c.append(
        schedule_case(
            "SequentialLR/exp+restarts",
            "SequentialLR",
            {
                "schedulers": [
                    {"type": "ExponentialLR", "options": {"gamma": 0.7}},
                    {"type": "CosineAnnealingWarmRestarts", "options": {"t0": 4, "tMult": 2}},
                ],
                "milestones": [5],
            },
        )
    )
    return c


# ----------------------------------------------------------------------------
# Clipping
# ----------------------------------------------------------------------------


def clip_cases() -> list[dict]:
    c = []
    shapes = [(3, 4), (5,), (2, 2, 2)]
    for norm_type in [2, "inf", 1, 3]:
        for label, max_norm in [("clipped", 0.5), ("unclipped", 100.0)]:
            name = f"clipGradNorm/{norm_type}/{label}"
            rng = case_rng(name)
            arrays = [sample(rng, s, -2.0, 2.0) for s in shapes]
            grads = [torch.tensor(a) for a in arrays]
            params = [torch.zeros(s, requires_grad=True) for s in shapes]
            for p, g in zip(params, grads):
                p.grad = g.clone()
            p_type = math.inf if norm_type == "inf" else float(norm_type)
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=p_type)
            c.append(
                {
                    "name": name,
                    "kind": "clipGradNorm",
                    "maxNorm": max_norm,
                    "normType": norm_type,
                    "grads": [grad_json(a) for a in arrays],
                    "totalNorm": fmt_float(total.item()),
                    "clipped": [grad_json(p.grad.numpy()) for p in params],
                }
            )
    for value in [0.3, 1.5]:
        name = f"clipGradValue/{value}"
        rng = case_rng(name)
        arrays = [sample(rng, s, -2.0, 2.0) for s in shapes]
        params = [torch.zeros(s, requires_grad=True) for s in shapes]
        for p, a in zip(params, arrays):
            p.grad = torch.tensor(a)
        torch.nn.utils.clip_grad_value_(params, value)
        c.append(
            {
                "name": name,
                "kind": "clipGradValue",
                "value": value,
                "grads": [grad_json(a) for a in arrays],
                "clipped": [grad_json(p.grad.numpy()) for p in params],
            }
        )
    return c


def main() -> int:
    setup_torch()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about the deprecated step(epoch) inside SequentialLR
        cases = optimizer_cases() + schedule_cases() + clip_cases()
    size = write_fixture(OUTPUT, GENERATOR, cases)
    kinds = Counter(c["kind"] for c in cases)
    print(f"optim_goldens: wrote {len(cases)} cases to {OUTPUT.relative_to(REPO_ROOT)} ({size} bytes)")
    print("  " + ", ".join(f"{k}={n}" for k, n in kinds.items()))
    return len(cases)


if __name__ == "__main__":
    main()
