"""Expected values for engine/src/test/java/dev/rlx/engine/tensor tests.

Written from shared/REFERENCE.md with numpy (float64), independently of the Java code.
Run: python3 engine/src/test/python/tensor_fixtures.py   and paste the printed numbers into the tests.
"""
import numpy as np

np.set_printoptions(precision=8, suppress=False, linewidth=150)

def show(name, v):
    print(f"{name} = {np.array2string(np.asarray(v, dtype=np.float64), separator=', ', precision=8, floatmode='maxprec')}")

# --- masked ops ---
x = np.array([[1.0, 2.0, 3.0, 4.0], [0.5, -1.0, 2.0, 0.0], [3.0, 1.0, -2.0, 1.5]])
m = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], dtype=np.float64)
show("masked_sum_all", (x * m).sum())
show("masked_sum_ax1", (x * m).sum(1))
show("masked_mean_all", (x * m).sum() / m.sum())
show("masked_mean_ax1", (x * m).sum(1) / m.sum(1))
n = m.sum()
mean = (x * m).sum() / n
var_u = ((x - mean) ** 2 * m).sum() / (n - 1)
var_b = ((x - mean) ** 2 * m).sum() / n
show("masked_var_unbiased", var_u)
show("masked_var_biased", var_b)
w = (x - mean) / np.sqrt(var_u + 1e-8)
show("whiten_shift", w)
show("whiten_keep_mean", w + mean)

# --- discounted cumsum, reset at padding ---
def disc(x, m, gamma):
    g = np.zeros_like(x)
    for b in range(x.shape[0]):
        nxt = 0.0
        for t in reversed(range(x.shape[1])):
            nxt = x[b, t] + gamma * nxt if m[b, t] else 0.0
            g[b, t] = nxt
    return g

R = np.array([[0.0, 0.0, 0.0, 1.0], [0.0, 0.5, 0.0, 0.0], [0.2, 0.0, 1.0, 0.0]])
V = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8], [-0.1, 0.0, 0.3, 0.9]])
m2 = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0]], dtype=np.float64)
show("disc_gamma1", disc(R, m2, 1.0))
show("disc_gamma09", disc(R, m2, 0.9))

# --- GAE, verl style (skip unmasked, carry nextV/lastA) ---
def gae(R, V, m, gamma, lam):
    A = np.zeros_like(R)
    for b in range(R.shape[0]):
        nextv, lasta = 0.0, 0.0
        for t in reversed(range(R.shape[1])):
            delta = R[b, t] + gamma * nextv - V[b, t]
            a_ = delta + gamma * lam * lasta
            if m[b, t]:
                nextv = V[b, t]
                lasta = a_
            A[b, t] = lasta
    return A, A + V

A, G = gae(R, V, m2, 0.9, 0.8)
show("gae_adv", A)
show("gae_ret", G)
A1, G1 = gae(R, V, m2, 1.0, 1.0)
show("gae_adv_11", A1)

# --- groups ---
r = np.array([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
g3 = r.reshape(2, 3)
show("group_mean3", np.repeat(g3.mean(1), 3))
show("group_std3", np.repeat(g3.std(1, ddof=1), 3))
g2 = r.reshape(3, 2)
show("group_std2", np.repeat(g2.std(1, ddof=1), 2))
s = np.array([0.3, 0.9, 0.9, 0.1, -1.0, 2.0])
show("group_max3", np.repeat(s.reshape(2, 3).max(1), 3))
show("group_sum2", np.repeat(s.reshape(3, 2).sum(1), 2))
y = np.array([[1.0, 2.0], [3.0, 5.0], [0.0, -1.0], [4.0, 1.0]])
show("group_mean_bt2", np.repeat(y.reshape(2, 2, 2).mean(1), 2, axis=0))
show("group_std_bt2", np.repeat(y.reshape(2, 2, 2).std(1, ddof=1), 2, axis=0))

# --- reductions ---
a = np.array([[1.0, 2.0, 4.0], [3.0, 7.0, -1.0]])
show("std_all", a.std(ddof=1))
show("std_ax0", a.std(0, ddof=1))
show("var_ax1_biased", a.var(1))
show("var_ax1", a.var(1, ddof=1))
show("mean_ax_neg1", a.mean(-1))

# --- stable functions ---
z = np.array([-100.0, -2.0, 0.0, 3.0, 100.0])
show("log_sigmoid", -np.logaddexp(0, -z))
show("sigmoid", 1 / (1 + np.exp(-z)))
q = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
show("softmax_ax1", np.exp(q) / np.exp(q).sum(1, keepdims=True))
show("log_softmax_ax0", q - np.log(np.exp(q).sum(0, keepdims=True)))

# --- log1p / expm1 (Tensor.log1p, Tensor.expm1): small |x| where 1 + x and exp(x) - 1 lose x to rounding,
# both sides of the |x| < 0.5 switch, and the ends (log1p(-1) = -inf, expm1(-100) = -1)
np.set_printoptions(precision=17, floatmode="maxprec")
u = np.array([-1.0, -0.9, -0.4, -1e-3, -1e-7, 0.0, 1e-10, 1e-6, 0.3, 2.0, 100.0])
print("log1p =", np.array2string(np.log1p(u), separator=", ", precision=17))
print("expm1 =", np.array2string(np.expm1(u), separator=", ", precision=17))
