"""Shared helpers for the golden-fixture generators.

Every generator builds a list of *cases*. A case records the inputs of one op
call (float32 values, or int32 indices), the op's attributes, the exact float64
answer PyTorch computes for those float32 inputs, a seeded random cotangent and
the vector-Jacobian product d(sum(output * cotangent)) / d(input_i).

Determinism: each case draws its random numbers from its own generator, seeded
from BASE_SEED and the case name, so adding, removing or reordering cases never
changes the data of the other cases, and regenerating is byte-identical.
"""

from __future__ import annotations

import json
import math
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import torch

REPO_ROOT = Path(__file__).resolve().parents[2]
BASE_SEED = 0

FLOAT32 = "float32"
INT32 = "int32"


def setup_torch() -> None:
    """Make torch as reproducible as it can be (single thread, float64)."""
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float64)
    torch.use_deterministic_algorithms(True)
    torch.manual_seed(BASE_SEED)


# ----------------------------------------------------------------------------
# Seeded input generation
# ----------------------------------------------------------------------------


def case_rng(name: str) -> np.random.Generator:
    """A generator private to one case, seeded from the case name."""
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode("utf-8"))])


def to_f32(values) -> np.ndarray:
    """Round to float32 and widen back to float64 (exactly representable)."""
    return np.asarray(values, dtype=np.float64).astype(np.float32).astype(np.float64)


def _size(shape: Sequence[int]) -> int:
    return math.prod(shape)


def sample(
    rng: np.random.Generator,
    shape: Sequence[int],
    lo: float = -2.0,
    hi: float = 2.0,
    *,
    avoid: Iterable[float] = (),
    margin: float = 0.05,
    gap: float | None = None,
) -> np.ndarray:
    """Uniform float32 values in [lo, hi), returned as float64.

    avoid:  points (kinks, discontinuities) every value keeps more than
            `margin` away from.
    gap:    if given, all values are pairwise more than `gap` apart (so that
            argmax/argmin/max-pool winners are unique).
    """
    avoid = tuple(avoid)
    n = _size(shape)
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        for _ in range(100_000):
            v = float(to_f32(rng.uniform(lo, hi)))
            if any(abs(v - k) <= margin for k in avoid):
                continue
            if gap is not None and i > 0 and np.min(np.abs(out[:i] - v)) <= gap:
                continue
            out[i] = v
            break
        else:  # pragma: no cover - only with impossible constraints
            raise RuntimeError(f"could not sample {n} values in [{lo}, {hi}) with the constraints")
    return out.reshape(tuple(shape))


def choice(rng: np.random.Generator, shape: Sequence[int], values: Sequence[float]) -> np.ndarray:
    """float32 values drawn (with replacement) from a small set; gives ties on purpose."""
    return to_f32(rng.choice(np.asarray(values, dtype=np.float64), size=tuple(shape)))


def integers(rng: np.random.Generator, shape: Sequence[int], lo: int, hi: int) -> np.ndarray:
    """int values in [lo, hi)."""
    return rng.integers(lo, hi, size=tuple(shape)).astype(np.int64)


# ----------------------------------------------------------------------------
# Case inputs
# ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    array: np.ndarray
    dtype: str  # FLOAT32 or INT32


def fin(array) -> Input:
    """A float32 input (the values must already be float32-representable)."""
    arr = np.asarray(array, dtype=np.float64)
    if not np.array_equal(arr, to_f32(arr)):
        raise ValueError("float input is not float32-representable; use to_f32/sample")
    return Input(arr, FLOAT32)


def iin(array) -> Input:
    """An int32 input."""
    arr = np.asarray(array, dtype=np.int64)
    if arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
        raise ValueError("int input out of int32 range")
    return Input(arr, INT32)


# ----------------------------------------------------------------------------
# Tensor -> JSON
# ----------------------------------------------------------------------------


def fmt_float(x: float) -> float:
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"non-finite value {x} cannot be stored in a fixture")
    return float(f"{x:.9g}")


def flat_data(array: np.ndarray, dtype: str) -> list:
    flat = np.asarray(array).reshape(-1)
    if dtype == INT32:
        return [int(v) for v in flat]
    return [fmt_float(v) for v in flat]


def tensor_json(array: np.ndarray, dtype: str) -> dict:
    array = np.asarray(array)
    return {"shape": [int(d) for d in array.shape], "dtype": dtype, "data": flat_data(array, dtype)}


def grad_json(array: np.ndarray) -> dict:
    array = np.asarray(array)
    return {"shape": [int(d) for d in array.shape], "data": flat_data(array, FLOAT32)}


# ----------------------------------------------------------------------------
# Building a case
# ----------------------------------------------------------------------------


def build_case(
    name: str,
    op: str,
    inputs: Sequence[Input],
    attrs: dict,
    fn: Callable[..., torch.Tensor],
    rng: np.random.Generator,
    *,
    differentiable: bool = True,
) -> dict:
    """Run `fn` on float64 copies of the inputs and record output and gradients.

    `fn` receives one torch tensor per input: float64 (requiring grad when the
    case is differentiable) for float32 inputs, int64 for int32 inputs.
    The cotangent is drawn from `rng` after the inputs, rounded to float32.
    """
    tensors = []
    for inp in inputs:
        if inp.dtype == FLOAT32:
            tensors.append(torch.tensor(inp.array, dtype=torch.float64, requires_grad=differentiable))
        else:
            tensors.append(torch.tensor(inp.array, dtype=torch.int64))

    out = fn(*tensors)
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"{name}: op function must return a tensor")
    out_is_int = not out.is_floating_point()
    out_dtype = INT32 if out_is_int else FLOAT32
    out_np = out.detach().numpy()
    if out_is_int:
        out_np = out_np.astype(np.int64)

    float_tensors = [t for t in tensors if t.requires_grad]
    cotangent = None
    grads: list = [None] * len(inputs)
    if differentiable and not out_is_int and float_tensors:
        cot = sample(rng, tuple(out.shape), -1.0, 1.0)
        loss = (out * torch.tensor(cot, dtype=torch.float64)).sum()
        computed = torch.autograd.grad(loss, float_tensors, allow_unused=True)
        it = iter(computed)
        for i, t in enumerate(tensors):
            if t.requires_grad:
                g = next(it)
                g_np = np.zeros(tuple(t.shape)) if g is None else g.detach().numpy()
                grads[i] = grad_json(g_np)
        cotangent = grad_json(cot)

    return {
        "name": name,
        "op": op,
        "inputs": [tensor_json(inp.array, inp.dtype) for inp in inputs],
        "attrs": attrs,
        "output": tensor_json(out_np, out_dtype),
        "cotangent": cotangent,
        "grads": grads,
    }


# ----------------------------------------------------------------------------
# Naming helpers
# ----------------------------------------------------------------------------


def shape_str(shape: Sequence[int]) -> str:
    return "x".join(str(d) for d in shape) if len(shape) else "scalar"


def js(value) -> str:
    """Compact JSON spelling of an attribute value, for case names."""
    return json.dumps(value, separators=(",", ":"))


# ----------------------------------------------------------------------------
# Writing fixtures
# ----------------------------------------------------------------------------


def _dump(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False, ensure_ascii=True)


def write_fixture(output: Path, generator: str, cases: list[dict]) -> int:
    """Write {"generator", "torch", "cases"} as compact JSON, one case per line.

    Returns the file size in bytes.
    """
    names = [c["name"] for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"duplicate case names: {dupes}")

    header = '{"generator":' + _dump(generator) + ',"torch":' + _dump(torch.__version__) + ',"cases":['
    body = ",\n".join(_dump(c) for c in cases)
    text = header + "\n" + body + "\n]}\n"
    json.loads(text)  # must parse back

    output.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    output.write_bytes(data)
    return len(data)


# ----------------------------------------------------------------------------
# Spatial padding (TensorFlow conventions)
# ----------------------------------------------------------------------------


def resolve_padding(
    padding,
    in_hw: Sequence[int],
    kernel: Sequence[int],
    stride: Sequence[int],
    dilation: Sequence[int] = (1, 1),
) -> list[list[int]]:
    """Resolve "valid" | "same" | [[top, bottom], [left, right]] to explicit pads.

    'same' follows TensorFlow: out = ceil(in / stride),
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0),
    before = floor(total / 2), after = total - before.
    """
    if padding == "valid":
        return [[0, 0], [0, 0]]
    if padding == "same":
        pads = []
        for size, k, s, d in zip(in_hw, kernel, stride, dilation):
            out = -(-size // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
            pads.append([total // 2, total - total // 2])
        return pads
    return [[int(a), int(b)] for a, b in padding]
