"""The numbers the prose quotes, against closed forms computed with `math`.

`facts` computes them with PyTorch on a grid (step 1e-4 on [-10, 10]); here
they come from formulas and plain bisection, with no PyTorch at all.
"""

from __future__ import annotations

import math

import pytest

from activation_tutorial import facts

STEP = 1e-4  # the grid step of facts


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def phi(x: float) -> float:
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def Phi(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def bisect(f, low: float, high: float) -> float:
    """The root of `f` in [low, high], where `f` changes sign."""
    f_low = f(low)
    assert f_low * f(high) < 0
    for _ in range(200):
        mid = (low + high) / 2
        if f(mid) * f_low > 0:
            low, f_low = mid, f(mid)
        else:
            high = mid
    return (low + high) / 2


def test_sigmoid_derivative_peaks_at_one_quarter_at_zero():
    peak, at = facts.derivative_peak("sigmoid")
    # sigma'(x) = sigma(x)(1 - sigma(x)), largest at sigma = 1/2, i.e. x = 0
    assert peak == pytest.approx(sigmoid(0) * (1 - sigmoid(0)), abs=1e-12)
    assert peak == pytest.approx(0.25, abs=1e-12)
    assert at == 0.0


def test_tanh_derivative_peaks_at_one_at_zero_four_times_the_sigmoid():
    peak, at = facts.derivative_peak("tanh")
    assert peak == pytest.approx(1 - math.tanh(0) ** 2, abs=1e-12)
    assert at == 0.0
    assert peak / facts.derivative_peak("sigmoid")[0] == pytest.approx(4.0)


def test_gelu_derivative_peaks_at_root_two():
    # (Phi(x) + x phi(x))' = phi(x) (2 - x^2): the peak is at x = sqrt(2)
    x = math.sqrt(2)
    peak, at = facts.derivative_peak("gelu")
    assert at == pytest.approx(x, abs=STEP)
    assert peak == pytest.approx(Phi(x) + x * phi(x), abs=1e-7)


def test_silu_derivative_peak():
    # f'' = s(1 - s)(2 + x(1 - 2s)) with s = sigmoid(x)
    x = bisect(lambda x: 2 + x * (1 - 2 * sigmoid(x)), 1, 4)
    peak, at = facts.derivative_peak("silu")
    assert at == pytest.approx(x, abs=STEP)
    s = sigmoid(x)
    assert peak == pytest.approx(s * (1 + x * (1 - s)), abs=1e-7)


def test_silu_minimum():
    # f' = s (1 + x (1 - s)) = 0
    x = bisect(lambda x: 1 + x * (1 - sigmoid(x)), -3, -0.5)
    low, at = facts.function_minimum("silu")
    assert at == pytest.approx(x, abs=STEP)
    assert low == pytest.approx(x * sigmoid(x), abs=1e-7)
    assert (round(low, 3), round(at, 2)) == (-0.278, -1.28)


def test_gelu_minimum():
    # f' = Phi(x) + x phi(x) = 0
    x = bisect(lambda x: Phi(x) + x * phi(x), -2, -0.1)
    low, at = facts.function_minimum("gelu")
    assert at == pytest.approx(x, abs=STEP)
    assert low == pytest.approx(x * Phi(x), abs=1e-7)


def test_sigmoid_inputs_are_the_logits_of_the_outputs():
    xs = facts.sigmoid_inputs_for()
    assert len(xs) == len(facts.ORIGINAL_SIGMOID_OUTPUTS)
    for p, x in zip(facts.ORIGINAL_SIGMOID_OUTPUTS, xs, strict=True):
        assert x == pytest.approx(math.log(p / (1 - p)), rel=1e-9)
        # and the sigmoid of that input prints as the article printed it
        assert f"{sigmoid(x):.8f}" == f"{p:.8f}"


def test_sigmoid_inputs_for_other_outputs():
    assert facts.sigmoid_inputs_for((0.5,)) == [0.0]
    assert facts.sigmoid_inputs_for((0.999,))[0] == pytest.approx(math.log(999))


@pytest.mark.parametrize(("a", "b"), [(7, 13), (7, 55), (-2, 2), (0, 0)])
def test_sigmoid_gap(a, b):
    assert facts.sigmoid_gap(a, b) == pytest.approx(
        abs(sigmoid(b) - sigmoid(a)), abs=1e-15
    )


def test_sigmoid_gap_is_tiny_far_from_zero():
    assert facts.sigmoid_gap(7, 13) < 1e-3
    assert facts.sigmoid_gap(7, 55) < 1e-3


def test_leaky_slope_is_pytorchs_documented_default():
    assert facts.leaky_slope() == 0.01
