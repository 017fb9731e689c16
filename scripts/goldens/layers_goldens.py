"""Golden fixtures for @gradsight/layers.

Writes, under packages/layers/test/fixtures/:
  layers.json       one case per layer configuration: the module's parameters in PyTorch
                    layout (the test converts them with loadTorchStateDict, which doubles as
                    the import test), inputs in gradsight layout, forward outputs, seeded
                    cotangents, the vector-Jacobian products for every float input and every
                    parameter (PyTorch layout), batch-norm buffers after the training step and
                    an eval-mode output.
  losses.json       every loss with its options and the gradient of its input.
  safetensors.json  small PyTorch models saved as safetensors bytes (base64; written by hand,
                    since Python's safetensors package is not needed for this trivial format),
                    an input and PyTorch's output.

Layouts: gradsight images are NHWC (PyTorch NCHW), BatchNorm1d's [N, L, C] is PyTorch's
[N, C, L]; the functions below permute on the way in and out. Everything is computed in
float64 from float32-representable values, so the stored numbers are the exact answers for
the float32 inputs and parameters.

Case format (layers.json):
  { "name", "layer", "args": [...], "options": {...}, "mode": "train" | "eval",
    "state": { torchKey: {shape, dtype, data} },                 # PyTorch layout and names
    "inputs": [ {shape, dtype, data} | null ],                   # gradsight layout; null = omitted
    "outputs": [ {shape, dtype, data} ],                         # forward (RNN: output, hN[, cN])
    "cotangents": [ {shape, data} ],                             # one per output
    "inputGrads": [ {shape, data} | null ],                      # d(sum_i out_i * cot_i)/d input
    "paramGrads": { torchKey: {shape, data} },                   # PyTorch layout
    "buffersAfter": { torchKey: {...} },                         # batch norm only
    "evalInput", "evalOutput" }                                  # batch norm only

Run directly or through generate.py:
    /usr/bin/python3 scripts/goldens/layers_goldens.py
"""

from __future__ import annotations

import base64
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    FLOAT32,
    INT32,
    REPO_ROOT,
    case_rng,
    grad_json,
    integers,
    sample,
    setup_torch,
    tensor_json,
    to_f32,
    write_fixture,
)

GENERATOR = "scripts/goldens/layers_goldens.py"
FIXTURES = REPO_ROOT / "packages" / "layers" / "test" / "fixtures"
MARGIN = 0.05

# ----------------------------------------------------------------------------
# Layout adapters: gradsight tensor <-> torch tensor
# ----------------------------------------------------------------------------


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


def nlc_to_ncl(x):
    return x.permute(0, 2, 1)


IDENTITY = (lambda x: x, lambda y: y)
IMAGE = (nhwc_to_nchw, nchw_to_nhwc)
SEQ_CHANNELS = (nlc_to_ncl, nlc_to_ncl)


def set_params(module: nn.Module, rng, lo=-0.6, hi=0.6) -> None:
    with torch.no_grad():
        for _, p in module.named_parameters():
            p.copy_(torch.tensor(sample(rng, tuple(p.shape), lo, hi)))


def state_json(module: nn.Module) -> dict:
    out = {}
    for k, v in module.state_dict().items():
        if v.is_floating_point():
            out[k] = tensor_json(v.detach().numpy(), FLOAT32)
        else:
            out[k] = tensor_json(v.detach().numpy().astype(np.int64), INT32)
    return out


def layer_case(
    name: str,
    layer: str,
    args: list,
    options: dict,
    module: nn.Module,
    inputs: list,
    rng,
    *,
    adapt=IDENTITY,
    mode: str = "train",
    run=None,
    eval_input=None,
    buffers: bool = False,
    param_range=(-0.6, 0.6),
    keep_params: bool = False,
) -> dict:
    """inputs: list of (numpy array | None, dtype). `run(module, *torch_inputs)` returns a tuple
    of outputs in gradsight layout; by default `adapt` maps the single input and output."""
    if not keep_params:
        set_params(module, rng, *param_range)
    module.train(mode == "train")
    state = state_json(module)
    to_torch, from_torch = adapt
    tensors = []
    for arr, dtype in inputs:
        if arr is None:
            tensors.append(None)
        elif dtype == FLOAT32:
            tensors.append(torch.tensor(arr, dtype=torch.float64, requires_grad=True))
        else:
            tensors.append(torch.tensor(arr, dtype=torch.int64))
    if run is None:
        outs = (from_torch(module(to_torch(tensors[0]))),)
    else:
        outs = tuple(run(module, *tensors))
    cots = [sample(rng, tuple(o.shape), -1.0, 1.0) for o in outs]
    loss = sum((o * torch.tensor(c)).sum() for o, c in zip(outs, cots))
    float_inputs = [t for t in tensors if t is not None and t.requires_grad]
    params = list(module.named_parameters())
    grads = torch.autograd.grad(loss, float_inputs + [p for _, p in params], allow_unused=True)
    it = iter(grads)
    input_grads = []
    for t in tensors:
        if t is not None and t.requires_grad:
            g = next(it)
            input_grads.append(grad_json(np.zeros(tuple(t.shape)) if g is None else g.numpy()))
        else:
            input_grads.append(None)
    param_grads = {}
    for pname, p in params:
        g = next(it)
        param_grads[pname] = grad_json(np.zeros(tuple(p.shape)) if g is None else g.numpy())
    case = {
        "name": name,
        "layer": layer,
        "args": args,
        "options": options,
        "mode": mode,
        "state": state,
        "inputs": [None if arr is None else tensor_json(arr, dtype) for arr, dtype in inputs],
        "outputs": [tensor_json(o.detach().numpy(), FLOAT32) for o in outs],
        "cotangents": [grad_json(c) for c in cots],
        "inputGrads": input_grads,
        "paramGrads": param_grads,
    }
    if buffers:
        after = {}
        for k, v in module.state_dict().items():
            if k.startswith("running") or k.endswith("num_batches_tracked"):
                dt = FLOAT32 if v.is_floating_point() else INT32
                after[k] = tensor_json(v.numpy().astype(np.int64) if dt == INT32 else v.numpy(), dt)
        case["buffersAfter"] = after
    if eval_input is not None:
        module.eval()
        with torch.no_grad():
            y = from_torch(module(to_torch(torch.tensor(eval_input))))
        case["evalInput"] = tensor_json(eval_input, FLOAT32)
        case["evalOutput"] = tensor_json(y.numpy(), FLOAT32)
    return case


def fx(rng, shape, lo=-2.0, hi=2.0, **kw):
    return (sample(rng, shape, lo, hi, **kw), FLOAT32)


# ----------------------------------------------------------------------------
# Layer cases
# ----------------------------------------------------------------------------


def linear_cases() -> list[dict]:
    cases = []
    for bias in (True, False):
        name = f"Linear/5->3/bias={bias}"
        rng = case_rng(name)
        cases.append(layer_case(name, "Linear", [5, 3], {"bias": bias}, nn.Linear(5, 3, bias=bias), [fx(rng, (4, 5))], rng))
    name = "Linear/rank3/4->2"
    rng = case_rng(name)
    cases.append(layer_case(name, "Linear", [4, 2], {}, nn.Linear(4, 2), [fx(rng, (2, 3, 4))], rng))
    return cases


def tf_pad_nchw(x, pads):
    (t, b), (l, r) = pads
    return F.pad(x, (l, r, t, b))


class SamePadConv(nn.Module):
    """Conv2d with TensorFlow 'same' padding (explicit, since torch's 'same' rejects stride > 1)."""

    def __init__(self, cin, cout, k, stride, dilation, bias, in_hw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, dilation=dilation, bias=bias)
        self.pads = []
        for size, s in zip(in_hw, (stride, stride)):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * dilation + 1 - size, 0)
            self.pads.append((total // 2, total - total // 2))

    def forward(self, x):
        return self.conv(tf_pad_nchw(x, self.pads))


def conv_cases() -> list[dict]:
    cases = []
    configs = [
        # (cin, cout, k, stride, padding, dilation, bias, hw)
        (2, 3, 3, 1, 0, 1, True, (5, 5)),
        (2, 3, 3, 2, 1, 1, True, (6, 5)),
        (3, 2, 2, 1, 1, 2, False, (5, 6)),
        (2, 4, 1, 1, 0, 1, True, (3, 3)),
        (2, 2, 3, 2, (1, 0), 1, True, (5, 6)),
    ]
    for cin, cout, k, stride, padding, dilation, bias, hw in configs:
        name = f"Conv2d/{cin}->{cout}/k{k}/s{stride}/p{padding}/d{dilation}/bias={bias}/{hw[0]}x{hw[1]}"
        rng = case_rng(name)
        module = nn.Conv2d(cin, cout, k, stride=stride, padding=padding, dilation=dilation, bias=bias)
        opts = {"stride": stride, "padding": list(padding) if isinstance(padding, tuple) else padding, "dilation": dilation, "bias": bias}
        cases.append(layer_case(name, "Conv2d", [cin, cout, k], opts, module, [fx(rng, (2, hw[0], hw[1], cin))], rng, adapt=IMAGE))
    for stride, dilation, hw in ((1, 1, (5, 5)), (2, 1, (6, 7)), (1, 2, (6, 6))):
        name = f"Conv2d/same/s{stride}/d{dilation}/{hw[0]}x{hw[1]}"
        rng = case_rng(name)
        module = SamePadConv(2, 3, 3, stride, dilation, True, hw)

        def run(m, x):
            return (nchw_to_nhwc(m(nhwc_to_nchw(x))),)

        case = layer_case(name, "Conv2d", [2, 3, 3], {"stride": stride, "padding": "same", "dilation": dilation}, module, [fx(rng, (2, hw[0], hw[1], 2))], rng, run=run)
        # the wrapper's keys are 'conv.weight'; the layer's are 'weight'
        case["state"] = {k.removeprefix("conv."): v for k, v in case["state"].items()}
        case["paramGrads"] = {k.removeprefix("conv."): v for k, v in case["paramGrads"].items()}
        cases.append(case)
    return cases


class GlobalAvg(nn.Module):
    def forward(self, x):
        return x.mean(dim=(2, 3))


def pool_cases() -> list[dict]:
    cases = []
    for k, s, p in ((2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 1, 0)):
        name = f"MaxPool2d/k{k}/s{s}/p{p}"
        rng = case_rng(name)
        x = sample(rng, (2, 5, 6, 3), -2, 2, gap=0.002)
        cases.append(layer_case(name, "MaxPool2d", [k], {"stride": s, "padding": p}, nn.MaxPool2d(k, s, p), [(x, FLOAT32)], rng, adapt=IMAGE))
    for k, s, p, cip in ((2, 2, 0, True), (3, 2, 1, True), (3, 2, 1, False), (3, 1, 1, False)):
        name = f"AvgPool2d/k{k}/s{s}/p{p}/countIncludePad={cip}"
        rng = case_rng(name)
        module = nn.AvgPool2d(k, s, p, count_include_pad=cip)
        cases.append(layer_case(name, "AvgPool2d", [k], {"stride": s, "padding": p, "countIncludePad": cip}, module, [fx(rng, (2, 5, 6, 3))], rng, adapt=IMAGE))
    name = "GlobalAvgPool2d"
    rng = case_rng(name)

    def run(m, x):
        return (m(nhwc_to_nchw(x)),)

    cases.append(layer_case(name, "GlobalAvgPool2d", [], {}, GlobalAvg(), [fx(rng, (2, 3, 4, 5))], rng, run=run))
    name = "Flatten/start1"
    rng = case_rng(name)
    cases.append(layer_case(name, "Flatten", [], {}, nn.Flatten(), [fx(rng, (2, 3, 4))], rng))
    return cases


def batch_norm_cases() -> list[dict]:
    cases = []
    configs = [
        # (kind, shape, momentum, affine, track, nbt0)
        ("BatchNorm1d", (6, 4), 0.1, True, True, 0),
        ("BatchNorm1d", (3, 5, 4), 0.3, True, True, 2),
        ("BatchNorm1d", (6, 4), None, True, True, 2),
        ("BatchNorm1d", (6, 4), 0.1, False, True, 0),
        ("BatchNorm1d", (6, 4), 0.1, True, False, 0),
        ("BatchNorm2d", (2, 3, 4, 3), 0.1, True, True, 0),
        ("BatchNorm2d", (2, 3, 3, 2), None, False, True, 4),
        ("BatchNorm2d", (2, 3, 3, 2), 0.1, True, False, 0),
    ]
    for kind, shape, momentum, affine, track, nbt0 in configs:
        c = shape[-1]
        name = f"{kind}/{'x'.join(map(str, shape))}/momentum={momentum}/affine={affine}/track={track}/nbt0={nbt0}"
        rng = case_rng(name)
        cls = nn.BatchNorm1d if kind == "BatchNorm1d" else nn.BatchNorm2d
        module = cls(c, eps=1e-5, momentum=momentum, affine=affine, track_running_stats=track)
        set_params(module, rng, 0.5, 1.5)
        if track:
            with torch.no_grad():
                module.running_mean.copy_(torch.tensor(sample(rng, (c,), -0.5, 0.5)))
                module.running_var.copy_(torch.tensor(sample(rng, (c,), 0.5, 2.0)))
                module.num_batches_tracked.fill_(nbt0)
        adapt = IMAGE if len(shape) == 4 else SEQ_CHANNELS if len(shape) == 3 else IDENTITY
        x = sample(rng, shape, -2, 2)
        eval_x = sample(rng, shape, -2, 2)
        opts = {"momentum": momentum, "affine": affine, "trackRunningStats": track}
        cases.append(layer_case(name, kind, [c], opts, module, [(x, FLOAT32)], rng, adapt=adapt, buffers=track, eval_input=eval_x, keep_params=True))
    # eval mode from loaded running statistics: gradients flow through the affine normalisation
    name = "BatchNorm2d/eval/2x3x3x3"
    rng = case_rng(name)
    module = nn.BatchNorm2d(3)
    set_params(module, rng, 0.5, 1.5)
    with torch.no_grad():
        module.running_mean.copy_(torch.tensor(sample(rng, (3,), -0.5, 0.5)))
        module.running_var.copy_(torch.tensor(sample(rng, (3,), 0.5, 2.0)))
    cases.append(layer_case(name, "BatchNorm2d", [3], {}, module, [fx(rng, (2, 3, 3, 3))], rng, adapt=IMAGE, mode="eval", keep_params=True))
    return cases


def norm_embedding_cases() -> list[dict]:
    cases = []
    for shape, norm, affine in (((3, 5), [5], True), ((2, 3, 4), [3, 4], True), ((4, 6), [6], False)):
        name = f"LayerNorm/{'x'.join(map(str, shape))}/normalized={norm}/affine={affine}"
        rng = case_rng(name)
        module = nn.LayerNorm(norm, elementwise_affine=affine)
        cases.append(layer_case(name, "LayerNorm", [norm], {"elementwiseAffine": affine}, module, [fx(rng, shape)], rng, param_range=(0.5, 1.5)))
    for pad in (None, 2):
        name = f"Embedding/7x3/paddingIdx={pad}"
        rng = case_rng(name)
        module = nn.Embedding(7, 3, padding_idx=pad)
        ids = integers(rng, (2, 4), 0, 7)
        ids[0, 1] = 2  # the padding row is looked up at least once
        opts = {} if pad is None else {"paddingIdx": pad}

        def run(m, i):
            return (m(i),)

        cases.append(layer_case(name, "Embedding", [7, 3], opts, module, [(ids, INT32)], rng, run=run))
    return cases


def activation_cases() -> list[dict]:
    cases = []
    specs = [
        ("ReLU", [], {}, nn.ReLU(), (0.0,)),
        ("LeakyReLU", [0.2], {}, nn.LeakyReLU(0.2), (0.0,)),
        ("ELU", [0.5], {}, nn.ELU(0.5), (0.0,)),
        ("SELU", [], {}, nn.SELU(), (0.0,)),
        ("GELU", ["none"], {}, nn.GELU(approximate="none"), ()),
        ("GELU", ["tanh"], {}, nn.GELU(approximate="tanh"), ()),
        ("SiLU", [], {}, nn.SiLU(), ()),
        ("Sigmoid", [], {}, nn.Sigmoid(), ()),
        ("Tanh", [], {}, nn.Tanh(), ()),
        ("Softplus", [2, 3], {}, nn.Softplus(beta=2, threshold=3), (1.5,)),
        ("Softmax", [-1], {}, nn.Softmax(dim=-1), ()),
        ("LogSoftmax", [-1], {}, nn.LogSoftmax(dim=-1), ()),
    ]
    for layer, args, opts, module, avoid in specs:
        name = f"{layer}/{args}"
        rng = case_rng(name)
        cases.append(layer_case(name, layer, args, opts, module, [fx(rng, (3, 5), -3, 3, avoid=avoid, margin=MARGIN)], rng))
    # PReLU: shared slope, per-channel on [N, C] and on NHWC images (channels last)
    name = "PReLU/shared"
    rng = case_rng(name)
    cases.append(layer_case(name, "PReLU", [], {}, nn.PReLU(), [fx(rng, (3, 4), -2, 2, avoid=(0.0,))], rng, param_range=(0.05, 0.5)))
    name = "PReLU/perChannel/[N,C]"
    rng = case_rng(name)
    cases.append(layer_case(name, "PReLU", [], {"numParameters": 4}, nn.PReLU(4), [fx(rng, (3, 4), -2, 2, avoid=(0.0,))], rng, param_range=(0.05, 0.5)))
    name = "PReLU/perChannel/NHWC"
    rng = case_rng(name)
    cases.append(layer_case(name, "PReLU", [], {"numParameters": 3}, nn.PReLU(3), [fx(rng, (2, 2, 3, 3), -2, 2, avoid=(0.0,))], rng, adapt=IMAGE, param_range=(0.05, 0.5)))
    return cases


class TorchResidual(nn.Module):
    def __init__(self, block, shortcut=None):
        super().__init__()
        self.block = block
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        s = self.shortcut(x) if hasattr(self, "shortcut") else x
        return self.block(x) + s


def composite_cases() -> list[dict]:
    cases = []
    name = "Residual/identity"
    rng = case_rng(name)
    module = TorchResidual(nn.Sequential(nn.Linear(4, 4), nn.Tanh()))
    cases.append(layer_case(name, "ResidualIdentity", [], {}, module, [fx(rng, (3, 4))], rng))
    name = "Residual/projection"
    rng = case_rng(name)
    module = TorchResidual(nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6)), nn.Linear(4, 6, bias=False))
    cases.append(layer_case(name, "ResidualProjection", [], {}, module, [fx(rng, (3, 4))], rng))
    name = "Sequential/cnn"
    rng = case_rng(name)
    module = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 3 * 3, 5)
    )
    set_params(module, rng)
    x = sample(rng, (2, 6, 6, 3), -2, 2)

    def run(m, t):
        return (m(nhwc_to_nchw(t)),)

    cases.append(layer_case(name, "SequentialCnn", [], {}, module, [(x, FLOAT32)], rng, run=run, keep_params=True))
    return cases


def recurrent_cases() -> list[dict]:
    cases = []
    configs = [
        # (kind, nonlinearity, layers, batchFirst, with initial state, bias)
        ("RNN", "tanh", 2, False, True, True),
        ("RNN", "relu", 1, True, False, True),
        ("RNN", "tanh", 1, True, True, False),
        ("LSTM", None, 2, True, True, True),
        ("LSTM", None, 2, False, False, True),
        ("LSTM", None, 1, True, True, False),
        ("GRU", None, 2, False, True, True),
        ("GRU", None, 2, True, False, True),
        ("GRU", None, 1, True, True, False),
    ]
    T, B, I, H = 5, 3, 4, 5
    for kind, nl, layers, bf, init_state, bias in configs:
        name = f"{kind}/{nl or ''}/layers={layers}/batchFirst={bf}/h0={init_state}/bias={bias}"
        rng = case_rng(name)
        cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
        kwargs = {"num_layers": layers, "batch_first": bf, "bias": bias}
        opts = {"numLayers": layers, "batchFirst": bf, "bias": bias}
        if nl:
            kwargs["nonlinearity"] = nl
            opts["nonlinearity"] = nl
        module = cls(I, H, **kwargs)
        x = sample(rng, (B, T, I) if bf else (T, B, I), -1.5, 1.5)
        inputs = [(x, FLOAT32)]
        if init_state:
            inputs.append(fx(rng, (layers, B, H), -1, 1))
            if kind == "LSTM":
                inputs.append(fx(rng, (layers, B, H), -1, 1))

        def run(m, x, h0=None, c0=None, kind=kind):
            if kind == "LSTM":
                out, (hn, cn) = m(x, None if h0 is None else (h0, c0))
                return (out, hn, cn)
            out, hn = m(x, h0)
            return (out, hn)

        cases.append(layer_case(name, kind, [I, H], opts, module, inputs, rng, run=run))
    # unbatched input [T, I] with state [L, H]
    name = "GRU/unbatched"
    rng = case_rng(name)
    module = nn.GRU(I, H, num_layers=2)
    inputs = [fx(rng, (T, I), -1.5, 1.5), fx(rng, (2, H), -1, 1)]

    def run_gru(m, x, h0):
        out, hn = m(x, h0)
        return (out, hn)

    cases.append(layer_case(name, "GRU", [I, H], {"numLayers": 2}, module, inputs, rng, run=run_gru))
    return cases


# ----------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------


def loss_case(name, fn, options, inputs, tensor_options, torch_fn, rng) -> dict:
    """inputs: [(array, dtype)]: input (float, differentiable) then target."""
    x = torch.tensor(inputs[0][0], dtype=torch.float64, requires_grad=True)
    tgt = torch.tensor(inputs[1][0], dtype=torch.float64 if inputs[1][1] == FLOAT32 else torch.int64)
    topts = {k: torch.tensor(v) for k, v in tensor_options.items()}
    out = torch_fn(x, tgt, **topts)
    cot = sample(rng, tuple(out.shape), -1.0, 1.0) if out.dim() > 0 else to_f32(rng.uniform(0.5, 1.5))
    (g,) = torch.autograd.grad((out * torch.tensor(cot)).sum(), [x])
    return {
        "name": name,
        "fn": fn,
        "options": options,
        "tensorOptions": {k: tensor_json(v, FLOAT32) for k, v in tensor_options.items()},
        "inputs": [tensor_json(a, dt) for a, dt in inputs],
        "output": tensor_json(out.detach().numpy(), FLOAT32),
        "cotangent": grad_json(np.asarray(cot)),
        "grad": grad_json(g.numpy()),
    }


def loss_cases() -> list[dict]:
    cases = []
    N, C = 6, 4
    ce_configs = [
        # (reduction, weight, ignore, smoothing, extra dim)
        ("mean", False, False, 0.0, False),
        ("sum", False, False, 0.0, False),
        ("none", False, False, 0.0, False),
        ("mean", True, False, 0.0, False),
        ("mean", False, True, 0.0, False),
        ("mean", False, False, 0.1, False),
        ("sum", False, False, 0.2, False),
        ("mean", True, True, 0.15, False),
        ("none", True, True, 0.1, False),
        ("sum", True, True, 0.0, False),
        ("mean", False, False, 0.0, True),
        ("none", False, True, 0.1, True),
    ]
    for red, use_w, use_ignore, ls, extra in ce_configs:
        name = f"crossEntropy/{red}/weight={use_w}/ignore={use_ignore}/smoothing={ls}/extraDim={extra}"
        rng = case_rng(name)
        shape = (3, 2, C) if extra else (N, C)
        logits = sample(rng, shape, -3, 3)
        labels = integers(rng, shape[:-1], 0, C)
        options = {"reduction": red}
        if use_ignore:
            labels.reshape(-1)[1] = 2 if ls == 0.15 else -100
            labels.reshape(-1)[-1] = 2 if ls == 0.15 else -100
            options["ignoreIndex"] = 2 if ls == 0.15 else -100
        if ls:
            options["labelSmoothing"] = ls
        tensor_options = {"weight": sample(rng, (C,), 0.2, 2.0)} if use_w else {}

        def torch_ce(x, t, weight=None, options=options, extra=extra):
            xt = x.permute(0, 2, 1) if extra else x
            return F.cross_entropy(
                xt, t, weight=weight, ignore_index=options.get("ignoreIndex", -100), reduction=options["reduction"],
                label_smoothing=options.get("labelSmoothing", 0.0),
            )

        cases.append(loss_case(name, "crossEntropy", options, [(logits, FLOAT32), (labels, INT32)], tensor_options, torch_ce, rng))
    for red, use_w, use_ignore in (("mean", False, False), ("sum", True, False), ("mean", True, True), ("none", False, True)):
        name = f"nllLoss/{red}/weight={use_w}/ignore={use_ignore}"
        rng = case_rng(name)
        logp = np.log(to_f32(np.exp(sample(rng, (N, C), -3, 0))))
        logp = to_f32(logp)
        labels = integers(rng, (N,), 0, C)
        options = {"reduction": red}
        if use_ignore:
            labels[2] = 1
            labels[4] = 1
            options["ignoreIndex"] = 1
        tensor_options = {"weight": sample(rng, (C,), 0.2, 2.0)} if use_w else {}

        def torch_nll(x, t, weight=None, options=options):
            return F.nll_loss(x, t, weight=weight, ignore_index=options.get("ignoreIndex", -100), reduction=options["reduction"])

        cases.append(loss_case(name, "nllLoss", options, [(logp, FLOAT32), (labels, INT32)], tensor_options, torch_nll, rng))
    shape = (3, 4)
    for red in ("mean", "sum", "none"):
        name = f"mseLoss/{red}"
        rng = case_rng(name)
        cases.append(loss_case(name, "mseLoss", {"reduction": red}, [fx(rng, shape), fx(rng, shape)], {}, lambda x, t, red=red: F.mse_loss(x, t, reduction=red), rng))
        name = f"l1Loss/{red}"
        rng = case_rng(name)
        x = sample(rng, shape, -2, 2)
        t = to_f32(x + np.where(rng.uniform(size=shape) < 0.5, -1, 1) * rng.uniform(0.1, 1.5, size=shape))
        cases.append(loss_case(name, "l1Loss", {"reduction": red}, [(x, FLOAT32), (t, FLOAT32)], {}, lambda x, t, red=red: F.l1_loss(x, t, reduction=red), rng))
    for red, delta in (("mean", 1.0), ("sum", 0.5), ("none", 2.0)):
        name = f"huberLoss/{red}/delta={delta}"
        rng = case_rng(name)
        x = sample(rng, shape, -2, 2)
        d = np.concatenate([rng.uniform(0.05, delta - 0.1, size=6), rng.uniform(delta + 0.1, delta + 2, size=6)])
        d = d * np.where(rng.uniform(size=12) < 0.5, -1, 1)
        t = to_f32(x - d.reshape(shape))
        cases.append(loss_case(name, "huberLoss", {"reduction": red, "delta": delta}, [(x, FLOAT32), (t, FLOAT32)], {}, lambda x, t, red=red, delta=delta: F.huber_loss(x, t, reduction=red, delta=delta), rng))
    for red, use_w, use_pw in (("mean", False, False), ("sum", True, False), ("mean", False, True), ("none", True, True)):
        name = f"bceWithLogits/{red}/weight={use_w}/posWeight={use_pw}"
        rng = case_rng(name)
        tensor_options = {}
        if use_w:
            tensor_options["weight"] = sample(rng, shape, 0.2, 2.0)
        if use_pw:
            tensor_options["posWeight"] = sample(rng, (shape[-1],), 0.5, 3.0)

        def torch_bcel(x, t, weight=None, posWeight=None, red=red):
            return F.binary_cross_entropy_with_logits(x, t, weight=weight, pos_weight=posWeight, reduction=red)

        inputs = [fx(rng, shape, -4, 4), fx(rng, shape, 0, 1)]
        cases.append(loss_case(name, "bceWithLogits", {"reduction": red}, inputs, tensor_options, torch_bcel, rng))
    for red, use_w in (("mean", False), ("sum", True), ("none", False)):
        name = f"bce/{red}/weight={use_w}"
        rng = case_rng(name)
        tensor_options = {"weight": sample(rng, shape, 0.2, 2.0)} if use_w else {}

        def torch_bce(x, t, weight=None, red=red):
            return F.binary_cross_entropy(x, t, weight=weight, reduction=red)

        inputs = [fx(rng, shape, 0.05, 0.95), fx(rng, shape, 0, 1)]
        cases.append(loss_case(name, "bce", {"reduction": red}, inputs, tensor_options, torch_bce, rng))
    return cases


# ----------------------------------------------------------------------------
# Safetensors round trip
# ----------------------------------------------------------------------------


def safetensors_bytes(state: dict) -> bytes:
    """A safetensors file of a state dict: float tensors as F32, integer ones as I64 (as torch saves them)."""
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for key in sorted(state):
        v = state[key].detach()
        if v.is_floating_point():
            raw = v.numpy().astype("<f4").tobytes()
            dt = "F32"
        else:
            raw = v.numpy().astype("<i8").tobytes()
            dt = "I64"
        header[key] = {"dtype": dt, "shape": list(v.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


class GruClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(4, 6, num_layers=2, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def round_state_to_f32(module: nn.Module) -> None:
    with torch.no_grad():
        for v in module.state_dict().values():
            if v.is_floating_point():
                v.copy_(torch.tensor(to_f32(v.numpy())))


def safetensors_cases() -> list[dict]:
    cases = []
    name = "safetensors/cnn"
    rng = case_rng(name)
    cnn = nn.Sequential(
        nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 3 * 3, 5)
    )
    set_params(cnn, rng)
    # a few training steps give non-trivial running statistics and num_batches_tracked = 3
    cnn.train()
    with torch.no_grad():
        for _ in range(3):
            cnn(torch.tensor(sample(rng, (4, 3, 6, 6), -2, 2)))
    round_state_to_f32(cnn)
    cnn.eval()
    x = sample(rng, (2, 6, 6, 3), -2, 2)
    with torch.no_grad():
        y = cnn(nhwc_to_nchw(torch.tensor(x)))
    cases.append({
        "name": name,
        "model": "cnn",
        "bytesBase64": base64.b64encode(safetensors_bytes(cnn.state_dict())).decode("ascii"),
        "input": tensor_json(x, FLOAT32),
        "output": tensor_json(y.numpy(), FLOAT32),
    })
    name = "safetensors/gru"
    rng = case_rng(name)
    gru = GruClassifier()
    set_params(gru, rng)
    gru.eval()
    x = sample(rng, (2, 5, 4), -1.5, 1.5)
    with torch.no_grad():
        y = gru(torch.tensor(x))
    cases.append({
        "name": name,
        "model": "gru",
        "bytesBase64": base64.b64encode(safetensors_bytes(gru.state_dict())).decode("ascii"),
        "input": tensor_json(x, FLOAT32),
        "output": tensor_json(y.numpy(), FLOAT32),
    })
    return cases


def main() -> int:
    setup_torch()
    layer = linear_cases() + conv_cases() + pool_cases() + batch_norm_cases() + norm_embedding_cases()
    layer += activation_cases() + composite_cases() + recurrent_cases()
    losses = loss_cases()
    st = safetensors_cases()
    write_fixture(FIXTURES / "layers.json", GENERATOR, layer)
    write_fixture(FIXTURES / "losses.json", GENERATOR, losses)
    write_fixture(FIXTURES / "safetensors.json", GENERATOR, st)
    total = len(layer) + len(losses) + len(st)
    print(f"layers_goldens: {len(layer)} layer cases, {len(losses)} loss cases, {len(st)} safetensors cases")
    return total


if __name__ == "__main__":
    main()
