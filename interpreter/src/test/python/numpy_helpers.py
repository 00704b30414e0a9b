"""Helpers shared by the numpy reference scripts here (each script stays runnable on its own: python3 NAME.py)."""
import numpy as np

np.set_printoptions(precision=8, suppress=False, floatmode="maxprec")


def show(name, x):
    print(name, "=", np.array2string(np.asarray(x, dtype=np.float64).reshape(-1), separator=", ", precision=8))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def logsig(x):
    return -np.logaddexp(0, -x)


def fd_grad(f, x, h=1e-6):
    """Central differences of the scalar f at x, element by element."""
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g
