"""Golden fixtures for gradsight's core ops.

Writes packages/core/test/fixtures/ops.json. Every case is computed in float64
by PyTorch from float32-representable inputs, so the stored output and
gradients are the exact-math answers for the float32 inputs.

Layouts follow gradsight/tfjs: images NHWC, conv filters [kh, kw, cin, cout].
The torch functions below convert to NCHW / [cout, cin, kh, kw] and back.

Run directly or through generate.py:
    /usr/bin/python3 scripts/goldens/core_ops.py
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    REPO_ROOT,
    build_case,
    case_rng,
    choice,
    fin,
    iin,
    integers,
    js,
    resolve_padding,
    sample,
    setup_torch,
    shape_str,
    write_fixture,
)

GENERATOR = "scripts/goldens/core_ops.py"
OUTPUT = REPO_ROOT / "packages" / "core" / "test" / "fixtures" / "ops.json"

# Minimum distance of inputs from kinks, and between values whose order matters.
MARGIN = 0.05


def all_dims(x: torch.Tensor) -> tuple[int, ...]:
    return tuple(range(x.dim()))


def torch_dims(axis, x: torch.Tensor) -> tuple[int, ...]:
    """gradsight axis (null | int | int[]) -> torch dim tuple."""
    if axis is None:
        return all_dims(x)
    if isinstance(axis, int):
        return (axis,)
    return tuple(axis)


# ----------------------------------------------------------------------------
# Unary
# ----------------------------------------------------------------------------

UNARY_SHAPE = (3, 4)


def softplus_inputs(rng, beta: float, threshold: float) -> np.ndarray:
    """Mostly moderate values, some just below and some above threshold/beta."""
    cut = threshold / beta
    parts = [
        sample(rng, (7,), -4.0, 4.0),
        sample(rng, (2,), cut - 3.0, cut - 0.5),
        sample(rng, (3,), cut + 0.5, cut + 8.0),
    ]
    return np.concatenate(parts).reshape(UNARY_SHAPE)


def unary_cases() -> list[dict]:
    # (name suffix, op, attrs, torch fn, sampling kwargs or custom generator)
    specs = [
        ("", "neg", {}, lambda x: -x, {}),
        ("", "abs", {}, torch.abs, {"avoid": (0.0,)}),
        ("", "exp", {}, torch.exp, {"lo": -3.0, "hi": 3.0}),
        ("positive", "log", {}, torch.log, {"lo": 0.1, "hi": 5.0}),
        ("positive", "sqrt", {}, torch.sqrt, {"lo": 0.1, "hi": 5.0}),
        ("positive", "rsqrt", {}, torch.rsqrt, {"lo": 0.2, "hi": 5.0}),
        ("", "square", {}, torch.square, {}),
        ("", "sin", {}, torch.sin, {"lo": -4.0, "hi": 4.0}),
        ("", "cos", {}, torch.cos, {"lo": -4.0, "hi": 4.0}),
        ("", "tanh", {}, torch.tanh, {"lo": -3.0, "hi": 3.0}),
        ("", "sigmoid", {}, torch.sigmoid, {"lo": -5.0, "hi": 5.0}),
        ("", "erf", {}, torch.erf, {"lo": -2.5, "hi": 2.5}),
        ("", "relu", {}, F.relu, {"avoid": (0.0,)}),
        (
            "negativeSlope=0.2",
            "leakyRelu",
            {"negativeSlope": 0.2},
            lambda x: F.leaky_relu(x, 0.2),
            {"avoid": (0.0,)},
        ),
        ("default", "leakyRelu", {}, lambda x: F.leaky_relu(x, 0.01), {"avoid": (0.0,)}),
        ("alpha=1", "elu", {"alpha": 1.0}, lambda x: F.elu(x, alpha=1.0), {"lo": -3.0, "avoid": (0.0,)}),
        ("alpha=0.5", "elu", {"alpha": 0.5}, lambda x: F.elu(x, alpha=0.5), {"lo": -3.0, "avoid": (0.0,)}),
        ("", "selu", {}, F.selu, {"lo": -3.0, "avoid": (0.0,)}),
        (
            "approximate=none",
            "gelu",
            {"approximate": "none"},
            lambda x: F.gelu(x, approximate="none"),
            {"lo": -3.0, "hi": 3.0},
        ),
        (
            "approximate=tanh",
            "gelu",
            {"approximate": "tanh"},
            lambda x: F.gelu(x, approximate="tanh"),
            {"lo": -3.0, "hi": 3.0},
        ),
        (
            "beta=1/threshold=20",
            "softplus",
            {"beta": 1, "threshold": 20},
            lambda x: F.softplus(x, beta=1, threshold=20),
            ("softplus", 1, 20),
        ),
        (
            "beta=2/threshold=5",
            "softplus",
            {"beta": 2, "threshold": 5},
            lambda x: F.softplus(x, beta=2, threshold=5),
            ("softplus", 2, 5),
        ),
        ("", "silu", {}, F.silu, {"lo": -4.0, "hi": 4.0}),
        (
            "min=-0.5/max=0.7",
            "clip",
            {"min": -0.5, "max": 0.7},
            lambda x: torch.clamp(x, -0.5, 0.7),
            {"lo": -1.5, "hi": 1.5, "avoid": (-0.5, 0.7)},
        ),
    ]
    cases = []
    for suffix, op, attrs, fn, gen in specs:
        name = f"{op}/{suffix}/{shape_str(UNARY_SHAPE)}" if suffix else f"{op}/{shape_str(UNARY_SHAPE)}"
        rng = case_rng(name)
        if isinstance(gen, tuple):
            _, beta, threshold = gen
            x = softplus_inputs(rng, beta, threshold)
        else:
            kw = {"lo": -2.0, "hi": 2.0, "margin": MARGIN, **gen}
            x = sample(rng, UNARY_SHAPE, **kw)
        cases.append(build_case(name, op, [fin(x)], attrs, fn, rng))
    return cases


# ----------------------------------------------------------------------------
# Binary (numpy broadcasting)
# ----------------------------------------------------------------------------

BINARY_SHAPES = [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((4, 1), (1, 5)),
    ((2, 1, 3), (4, 1)),
    ((), (2, 2)),
    ((2, 2), ()),
]


def binary_cases() -> list[dict]:
    specs = [
        ("add", torch.add, {}),
        ("sub", torch.sub, {}),
        ("mul", torch.mul, {}),
        ("div", torch.div, {"b": "nonzero"}),
        ("pow", torch.pow, {"a": "positive"}),
        ("minimum", torch.minimum, {"distinct": True}),
        ("maximum", torch.maximum, {"distinct": True}),
    ]
    cases = []
    for op, fn, opts in specs:
        for sa, sb in BINARY_SHAPES:
            name = f"{op}/{shape_str(sa)}&{shape_str(sb)}"
            rng = case_rng(name)
            if opts.get("a") == "positive":
                a = sample(rng, sa, 0.3, 2.5)
                b = sample(rng, sb, -2.0, 2.0)
            else:
                a = sample(rng, sa, -2.0, 2.0)
                if opts.get("b") == "nonzero":
                    b = sample(rng, sb, -2.0, 2.0, avoid=(0.0,), margin=0.5)
                else:
                    b = sample(rng, sb, -2.0, 2.0)
            if opts.get("distinct"):
                # keep every broadcast pair more than MARGIN apart (no ties)
                for _ in range(10_000):
                    if np.min(np.abs(a - b)) > MARGIN:
                        break
                    b = sample(rng, sb, -2.0, 2.0)
                else:  # pragma: no cover
                    raise RuntimeError(name)
            cases.append(build_case(name, op, [fin(a), fin(b)], {}, fn, rng))
    return cases


def where_cases() -> list[dict]:
    shapes = [
        ((2, 3), (2, 3), (2, 3)),
        ((2, 1), (1, 3), (2, 3)),
        ((3,), (2, 3), ()),
        ((2, 3), (), (3,)),
        ((4, 1, 1), (1, 2, 1), (1, 1, 3)),
    ]
    cases = []
    for sc, sa, sb in shapes:
        name = f"where/{shape_str(sc)}&{shape_str(sa)}&{shape_str(sb)}"
        rng = case_rng(name)
        for _ in range(1000):
            cond = integers(rng, sc, 0, 2)
            if cond.size < 2 or (cond.min() == 0 and cond.max() == 1):
                break
        a = sample(rng, sa)
        b = sample(rng, sb)
        cases.append(
            build_case(
                name,
                "where",
                [iin(cond), fin(a), fin(b)],
                {},
                lambda c, x, y: torch.where(c != 0, x, y),
                rng,
            )
        )
    return cases


def comparison_cases() -> list[dict]:
    specs = [
        ("equal", torch.eq),
        ("notEqual", torch.ne),
        ("less", torch.lt),
        ("lessEqual", torch.le),
        ("greater", torch.gt),
        ("greaterEqual", torch.ge),
    ]
    shapes = [((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1), (1, 5)), ((), (2, 2))]
    grid = [-1.0, -0.5, 0.0, 0.5, 1.0]
    cases = []
    for op, fn in specs:
        for sa, sb in shapes:
            name = f"{op}/{shape_str(sa)}&{shape_str(sb)}"
            rng = case_rng(name)
            a = choice(rng, sa, grid)
            b = choice(rng, sb, grid)
            cases.append(
                build_case(
                    name,
                    op,
                    [fin(a), fin(b)],
                    {},
                    lambda x, y, fn=fn: fn(x, y).to(torch.int64),
                    rng,
                    differentiable=False,
                )
            )
    return cases


# ----------------------------------------------------------------------------
# Reductions
# ----------------------------------------------------------------------------

REDUCTION_AXES = {
    (3, 4): [None, 0, 1, -1, [0, 1]],
    (2, 3, 4): [None, 0, -2, [0, 2], [-1, 0], [0, 1, 2]],
}


def reduction_cases() -> list[dict]:
    def sum_(x, axis, keep):
        return torch.sum(x, dim=torch_dims(axis, x), keepdim=keep)

    def mean_(x, axis, keep):
        return torch.mean(x, dim=torch_dims(axis, x), keepdim=keep)

    def max_(x, axis, keep):
        return torch.amax(x, dim=torch_dims(axis, x), keepdim=keep)

    def min_(x, axis, keep):
        return torch.amin(x, dim=torch_dims(axis, x), keepdim=keep)

    def lse_(x, axis, keep):
        return torch.logsumexp(x, dim=torch_dims(axis, x), keepdim=keep)

    specs = [
        ("sum", sum_, {}),
        ("mean", mean_, {}),
        ("max", max_, {"gap": MARGIN}),
        ("min", min_, {"gap": MARGIN}),
        ("logSumExp", lse_, {}),
    ]
    cases = []
    for op, fn, kw in specs:
        for shape, axes in REDUCTION_AXES.items():
            for axis in axes:
                for keep in (False, True):
                    name = f"{op}/{shape_str(shape)}/axis={js(axis)}/keepDims={js(keep)}"
                    rng = case_rng(name)
                    x = sample(rng, shape, -3.0, 3.0, **kw)
                    attrs = {"axis": axis, "keepDims": keep}
                    cases.append(
                        build_case(
                            name, op, [fin(x)], attrs, lambda t, fn=fn, a=axis, k=keep: fn(t, a, k), rng
                        )
                    )

    # variance with Bessel correction 0 or 1
    for shape, axes in REDUCTION_AXES.items():
        for axis in axes:
            for keep in (False, True):
                for correction in (0, 1):
                    name = (
                        f"variance/{shape_str(shape)}/axis={js(axis)}/keepDims={js(keep)}"
                        f"/correction={correction}"
                    )
                    rng = case_rng(name)
                    x = sample(rng, shape, -3.0, 3.0)
                    attrs = {"axis": axis, "keepDims": keep, "correction": correction}

                    def var_(t, a=axis, k=keep, c=correction):
                        return torch.var(t, dim=torch_dims(a, t), unbiased=bool(c), keepdim=k)

                    cases.append(build_case(name, "variance", [fin(x)], attrs, var_, rng))

    # argmax / argmin (int32 output, not differentiable)
    arg_axes = {(3, 4): [0, 1, -1], (2, 3, 4): [0, 1, -1]}
    for op, fn in (("argmax", torch.argmax), ("argmin", torch.argmin)):
        for shape, axes in arg_axes.items():
            for axis in axes:
                for keep in (False, True):
                    name = f"{op}/{shape_str(shape)}/axis={axis}/keepDims={js(keep)}"
                    rng = case_rng(name)
                    x = sample(rng, shape, -3.0, 3.0, gap=MARGIN)
                    attrs = {"axis": axis, "keepDims": keep}
                    cases.append(
                        build_case(
                            name,
                            op,
                            [fin(x)],
                            attrs,
                            lambda t, fn=fn, a=axis, k=keep: fn(t, dim=a, keepdim=k),
                            rng,
                            differentiable=False,
                        )
                    )
    return cases


# ----------------------------------------------------------------------------
# Matmul
# ----------------------------------------------------------------------------


def matmul_cases() -> list[dict]:
    def mm(a, b, ta, tb):
        if ta:
            a = a.transpose(-1, -2)
        if tb:
            b = b.transpose(-1, -2)
        return torch.matmul(a, b)

    # (logical A shape [.., M, K], logical B shape [.., K, N], transposeA, transposeB)
    specs = []
    for ta in (False, True):
        for tb in (False, True):
            specs.append(((3, 4), (4, 5), ta, tb))
    specs += [
        ((2, 3, 4), (4, 5), False, False),
        ((1, 3, 4), (2, 4, 5), False, False),
        ((3, 4), (2, 4, 5), False, False),
        ((2, 1, 3, 4), (3, 4, 2), False, False),
        ((2, 3, 4), (2, 4, 5), True, True),
        ((2, 3, 4), (4, 5), True, False),
        ((1, 3, 4), (2, 4, 5), False, True),
    ]
    cases = []
    for la, lb, ta, tb in specs:
        # stored shapes: transposed inputs are stored already transposed
        sa = la[:-2] + (la[-1], la[-2]) if ta else la
        sb = lb[:-2] + (lb[-1], lb[-2]) if tb else lb
        name = f"matmul/{shape_str(sa)}@{shape_str(sb)}/transposeA={js(ta)}/transposeB={js(tb)}"
        rng = case_rng(name)
        a = sample(rng, sa)
        b = sample(rng, sb)
        attrs = {"transposeA": ta, "transposeB": tb}
        cases.append(
            build_case(name, "matmul", [fin(a), fin(b)], attrs, lambda x, y, ta=ta, tb=tb: mm(x, y, ta, tb), rng)
        )
    return cases


# ----------------------------------------------------------------------------
# Shape ops
# ----------------------------------------------------------------------------


def shape_cases() -> list[dict]:
    cases = []

    def add(name, op, inputs, attrs, fn, rng, differentiable=True):
        cases.append(build_case(name, op, inputs, attrs, fn, rng, differentiable=differentiable))

    # reshape
    for shape, target in [
        ((2, 3, 4), [6, 4]),
        ((2, 3, 4), [4, -1]),
        ((2, 3, 4), [24]),
        ((2, 3, 4), [2, 1, -1]),
        ((2, 3), [3, 2]),
        ((6,), [-1, 2, 3]),
    ]:
        name = f"reshape/{shape_str(shape)}/shape={js(target)}"
        rng = case_rng(name)
        add(name, "reshape", [fin(sample(rng, shape))], {"shape": target}, lambda x, s=target: x.reshape(s), rng)

    # transpose
    for shape, perm in [
        ((2, 3), [1, 0]),
        ((2, 3, 4), [2, 0, 1]),
        ((2, 3, 4), [0, 2, 1]),
        ((2, 3, 4), [1, 2, 0]),
        ((2, 3, 1, 2), [3, 1, 0, 2]),
    ]:
        name = f"transpose/{shape_str(shape)}/perm={js(perm)}"
        rng = case_rng(name)
        add(name, "transpose", [fin(sample(rng, shape))], {"perm": perm}, lambda x, p=perm: x.permute(p), rng)

    # expandDims
    for shape, axis in [((2, 3), 0), ((2, 3), 1), ((2, 3), 2), ((2, 3), -1), ((2, 3), -3)]:
        name = f"expandDims/{shape_str(shape)}/axis={axis}"
        rng = case_rng(name)
        add(name, "expandDims", [fin(sample(rng, shape))], {"axis": axis}, lambda x, a=axis: x.unsqueeze(a), rng)

    # squeeze
    for shape, axis in [((1, 3, 1, 2), None), ((1, 3, 1, 2), 0), ((1, 3, 1, 2), 2), ((1, 3, 1, 2), -2), ((1, 1), None)]:
        name = f"squeeze/{shape_str(shape)}/axis={js(axis)}"
        rng = case_rng(name)

        def sq(x, a=axis):
            return x.squeeze() if a is None else x.squeeze(a)

        add(name, "squeeze", [fin(sample(rng, shape))], {"axis": axis}, sq, rng)

    # concat
    for shapes, axis in [
        (((2, 3), (2, 4)), 1),
        (((2, 3), (1, 3), (3, 3)), 0),
        (((2, 2, 3), (2, 2, 1)), -1),
        (((2, 3, 2), (2, 1, 2), (2, 2, 2)), 1),
    ]:
        name = f"concat/{'&'.join(shape_str(s) for s in shapes)}/axis={axis}"
        rng = case_rng(name)
        inputs = [fin(sample(rng, s)) for s in shapes]
        add(name, "concat", inputs, {"axis": axis}, lambda *xs, a=axis: torch.cat(xs, dim=a), rng)

    # stack
    for shape, count, axis in [((2, 3), 2, 0), ((2, 3), 3, 1), ((2, 3), 2, -1), ((2, 3), 3, 2), ((4,), 3, 0)]:
        name = f"stack/{count}x{shape_str(shape)}/axis={axis}"
        rng = case_rng(name)
        inputs = [fin(sample(rng, shape)) for _ in range(count)]
        add(name, "stack", inputs, {"axis": axis}, lambda *xs, a=axis: torch.stack(xs, dim=a), rng)

    # slice
    def slc(x, begin, size):
        idx = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
        return x[idx]

    for shape, begin, size in [
        ((4, 5), [1, 2], [2, 3]),
        ((4, 5), [0, 1], [-1, 2]),
        ((2, 3, 4), [1, 0, 1], [1, -1, -1]),
        ((2, 3, 4), [0, 1, 0], [2, 2, 3]),
        ((5,), [2], [-1]),
    ]:
        name = f"slice/{shape_str(shape)}/begin={js(begin)}/size={js(size)}"
        rng = case_rng(name)
        add(
            name,
            "slice",
            [fin(sample(rng, shape))],
            {"begin": begin, "size": size},
            lambda x, b=begin, s=size: slc(x, b, s),
            rng,
        )

    # gather (indices int32, repeated indices included)
    def gather(x, idx, axis):
        ax = axis % x.dim()
        flat = torch.index_select(x, ax, idx.reshape(-1))
        return flat.reshape(tuple(x.shape[:ax]) + tuple(idx.shape) + tuple(x.shape[ax + 1 :]))

    for shape, indices, axis in [
        ((4, 3), [2, 0, 2, 3], 0),
        ((4, 3), [1, 1, 0], 1),
        ((2, 3, 4), [3, 0, 3, 3], -1),
        ((2, 3, 4), [2, 1], 1),
        ((5,), [4, 0, 4, 1, 1, 2], 0),
        ((3, 4), [[0, 2], [2, 2]], 0),
    ]:
        idx = np.asarray(indices)
        name = f"gather/{shape_str(shape)}/indices={shape_str(idx.shape)}/axis={axis}"
        rng = case_rng(name)
        add(
            name,
            "gather",
            [fin(sample(rng, shape)), iin(idx)],
            {"axis": axis},
            lambda x, i, a=axis: gather(x, i, a),
            rng,
        )

    # pad (constant)
    def pad(x, paddings, value):
        flat = []
        for before, after in reversed(paddings):
            flat += [before, after]
        return F.pad(x, flat, mode="constant", value=value)

    for shape, paddings, value in [
        ((2, 3), [[1, 2], [0, 1]], 0),
        ((2, 3), [[0, 0], [2, 0]], -1.5),
        ((2, 2, 3), [[1, 0], [0, 1], [2, 2]], 0.25),
        ((4,), [[3, 1]], 2),
    ]:
        name = f"pad/{shape_str(shape)}/paddings={js(paddings)}/value={js(value)}"
        rng = case_rng(name)
        add(
            name,
            "pad",
            [fin(sample(rng, shape))],
            {"paddings": paddings, "value": value},
            lambda x, p=paddings, v=value: pad(x, p, float(v)),
            rng,
        )

    # oneHot (int32 in, float32 out, no grads)
    for shape, depth in [((4,), 5), ((2, 3), 4), ((3,), 1)]:
        name = f"oneHot/{shape_str(shape)}/depth={depth}"
        rng = case_rng(name)
        idx = integers(rng, shape, 0, depth)
        if idx.size >= 3 and depth > 1:
            idx.reshape(-1)[-1] = idx.reshape(-1)[0]  # make sure an index repeats
        add(
            name,
            "oneHot",
            [iin(idx)],
            {"depth": depth},
            lambda i, d=depth: F.one_hot(i, d).to(torch.float64),
            rng,
            differentiable=False,
        )

    return cases


# ----------------------------------------------------------------------------
# softmax / logSoftmax
# ----------------------------------------------------------------------------


def softmax_cases() -> list[dict]:
    cases = []
    for op, fn in (("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)):
        for shape, axis in [((3, 4), -1), ((3, 4), 0), ((2, 3, 4), -1), ((2, 3, 4), 1)]:
            name = f"{op}/{shape_str(shape)}/axis={axis}"
            rng = case_rng(name)
            x = sample(rng, shape, -3.0, 3.0)
            cases.append(
                build_case(name, op, [fin(x)], {"axis": axis}, lambda t, fn=fn, a=axis: fn(t, dim=a), rng)
            )
    return cases


# ----------------------------------------------------------------------------
# conv2d
# ----------------------------------------------------------------------------


def conv2d_nhwc(x, w, stride, padding, dilation):
    """gradsight conv2d: x NHWC, w [kh, kw, cin, cout] -> NHWC."""
    kh, kw = int(w.shape[0]), int(w.shape[1])
    (top, bottom), (left, right) = resolve_padding(
        padding, (int(x.shape[1]), int(x.shape[2])), (kh, kw), stride, dilation
    )
    xt = x.permute(0, 3, 1, 2)
    wt = w.permute(3, 2, 0, 1)
    xt = F.pad(xt, (left, right, top, bottom))
    y = F.conv2d(xt, wt, stride=tuple(stride), dilation=tuple(dilation))
    return y.permute(0, 2, 3, 1)


def padding_str(padding) -> str:
    return padding if isinstance(padding, str) else "explicit" + js(padding)


def conv2d_cases() -> list[dict]:
    # (label, x shape NHWC, filter [kh, kw, cin, cout], stride, padding, dilation)
    specs = [
        ("k3x3", (1, 5, 5, 2), (3, 3, 2, 3), [1, 1], "valid", [1, 1]),
        ("k3x3", (1, 5, 5, 2), (3, 3, 2, 2), [1, 1], "same", [1, 1]),
        ("k3x3/evenInput", (1, 6, 6, 2), (3, 3, 2, 2), [2, 2], "same", [1, 1]),
        ("k3x3/oddInput", (1, 5, 5, 2), (3, 3, 2, 2), [2, 2], "same", [1, 1]),
        ("k3x3", (1, 6, 6, 2), (3, 3, 2, 2), [2, 2], "valid", [1, 1]),
        ("k2x2/asymmetric", (1, 4, 4, 2), (2, 2, 2, 3), [1, 1], "same", [1, 1]),
        ("k3x3", (1, 7, 7, 2), (3, 3, 2, 2), [1, 1], "valid", [2, 2]),
        ("k3x3", (1, 6, 6, 2), (3, 3, 2, 2), [1, 1], "same", [2, 2]),
        ("k3x3", (1, 5, 5, 2), (3, 3, 2, 2), [1, 1], [[1, 0], [2, 1]], [1, 1]),
        ("k1x1", (1, 4, 4, 3), (1, 1, 3, 4), [1, 1], "valid", [1, 1]),
        ("k3x3/batch2/cin3/cout4", (2, 5, 5, 3), (3, 3, 3, 4), [1, 1], "same", [1, 1]),
        ("k2x3/nonSquare", (1, 5, 7, 2), (2, 3, 2, 2), [1, 2], "valid", [1, 1]),
        ("k3x2/nonSquare", (1, 6, 5, 1), (3, 2, 1, 2), [2, 1], "same", [1, 2]),
    ]
    cases = []
    for label, xs, ws, stride, padding, dilation in specs:
        name = (
            f"conv2d/{padding_str(padding)}/stride{stride[0]}x{stride[1]}/dilation{dilation[0]}x{dilation[1]}"
            f"/{label}/x{shape_str(xs)}/w{shape_str(ws)}"
        )
        rng = case_rng(name)
        x = sample(rng, xs, -1.0, 1.0)
        w = sample(rng, ws, -1.0, 1.0)
        attrs = {"stride": stride, "padding": padding, "dilation": dilation}
        cases.append(
            build_case(
                name,
                "conv2d",
                [fin(x), fin(w)],
                attrs,
                lambda a, b, s=stride, p=padding, d=dilation: conv2d_nhwc(a, b, s, p, d),
                rng,
            )
        )
    return cases


# ----------------------------------------------------------------------------
# pooling
# ----------------------------------------------------------------------------


def symmetric_pool_padding(padding, x_shape, kernel, stride):
    """Resolved (ph, pw) if torch can express it natively, else None."""
    (top, bottom), (left, right) = resolve_padding(padding, (x_shape[1], x_shape[2]), kernel, stride)
    if top != bottom or left != right:
        return None
    if top > kernel[0] // 2 or left > kernel[1] // 2:
        return None
    return (top, left)


def max_pool_nhwc(x, kernel, stride, pads):
    y = F.max_pool2d(x.permute(0, 3, 1, 2), tuple(kernel), tuple(stride), padding=pads)
    return y.permute(0, 2, 3, 1)


def avg_pool_nhwc(x, kernel, stride, pads, count_include_pad):
    y = F.avg_pool2d(
        x.permute(0, 3, 1, 2), tuple(kernel), tuple(stride), padding=pads, count_include_pad=count_include_pad
    )
    return y.permute(0, 2, 3, 1)


POOL_SPECS = [
    # (label, x shape NHWC, kernel, stride, padding)
    ("", (1, 4, 4, 2), [2, 2], [2, 2], "valid"),
    ("oddInput", (1, 5, 5, 2), [2, 2], [2, 2], "valid"),
    ("overlapping", (1, 5, 5, 2), [2, 2], [1, 1], "valid"),
    ("overlapping", (1, 7, 7, 2), [3, 3], [2, 2], "valid"),
    ("", (1, 5, 5, 2), [3, 3], [1, 1], "same"),
    ("zeroPad", (1, 4, 4, 2), [2, 2], [2, 2], "same"),
    ("oddInput", (1, 5, 5, 2), [3, 3], [2, 2], "same"),
    ("", (1, 5, 5, 2), [3, 3], [2, 2], [[1, 1], [1, 1]]),
    ("evenInput", (1, 6, 6, 1), [3, 3], [2, 2], [[1, 1], [1, 1]]),
    ("nonSquare", (1, 5, 6, 2), [2, 3], [2, 1], "valid"),
    ("batch2", (2, 4, 4, 3), [2, 2], [2, 2], "valid"),
    # 'same' that resolves to asymmetric padding: torch cannot express it -> skipped
    ("evenInput", (1, 6, 6, 2), [3, 3], [2, 2], "same"),
]

SKIPPED: list[str] = []


def pool_cases() -> list[dict]:
    cases = []
    for op in ("maxPool2d", "avgPool2d"):
        for label, xs, kernel, stride, padding in POOL_SPECS:
            pads = symmetric_pool_padding(padding, xs, kernel, stride)
            includes = (False,) if op == "maxPool2d" else (True, False)
            for include in includes:
                base = (
                    f"{op}/{padding_str(padding)}/k{kernel[0]}x{kernel[1]}/stride{stride[0]}x{stride[1]}"
                    + (f"/{label}" if label else "")
                    + f"/x{shape_str(xs)}"
                )
                # countIncludePad only changes anything when there is padding,
                # but cover both values for every avg case so the attr is exercised.
                name = base if op == "maxPool2d" else f"{base}/countIncludePad={js(include)}"
                if pads is None:
                    SKIPPED.append(f"{name}: resolved padding is asymmetric or > kernel/2")
                    continue
                rng = case_rng(name)
                if op == "maxPool2d":
                    # distinct values (unique window maxima); widen the range for big inputs
                    half = max(2.0, 0.1 * math.prod(xs))
                    x = sample(rng, xs, -half, half, gap=MARGIN)
                    attrs = {"kernelSize": kernel, "stride": stride, "padding": padding}
                    fn = lambda t, k=kernel, s=stride, p=pads: max_pool_nhwc(t, k, s, p)  # noqa: E731
                else:
                    x = sample(rng, xs, -2.0, 2.0)
                    attrs = {
                        "kernelSize": kernel,
                        "stride": stride,
                        "padding": padding,
                        "countIncludePad": include,
                    }
                    fn = lambda t, k=kernel, s=stride, p=pads, c=include: avg_pool_nhwc(t, k, s, p, c)  # noqa: E731
                cases.append(build_case(name, op, [fin(x)], attrs, fn, rng))
    return cases


# ----------------------------------------------------------------------------


def build_all() -> list[dict]:
    return (
        unary_cases()
        + binary_cases()
        + where_cases()
        + comparison_cases()
        + reduction_cases()
        + matmul_cases()
        + shape_cases()
        + softmax_cases()
        + conv2d_cases()
        + pool_cases()
    )


def main() -> int:
    setup_torch()
    SKIPPED.clear()
    cases = build_all()
    size = write_fixture(OUTPUT, GENERATOR, cases)
    per_op = Counter(c["op"] for c in cases)
    rel = OUTPUT.relative_to(REPO_ROOT)
    print(f"core_ops: wrote {len(cases)} cases to {rel} ({size} bytes)")
    print("  " + ", ".join(f"{op}={n}" for op, n in per_op.items()))
    for s in SKIPPED:
        print(f"  skipped {s}")
    return len(cases)


if __name__ == "__main__":
    main()
