"""Expected values for PrimeCreditReferenceTest: PRIME's masked leave-one-out, its advantages and returns, its
token rewards, and the implicit-PRM cross-entropy loss with its accuracies, computed with plain numpy (float64)
from shared/REFERENCE.md ("Process rewards") and the formulas of verl's recipe/prime, with loops over rows,
groups and pairs (independently of the vectorized rlx code). Run: python3 interpreter/src/test/python/prime.py
The printed numbers are pasted into the Java test as literals."""
import numpy as np

np.set_printoptions(precision=8, suppress=False, floatmode="maxprec")


def show(name, x):
    print(name, "=", np.array2string(np.asarray(x, dtype=np.float64).reshape(-1), separator=", ", precision=8))


# ---- inputs (the Java test binds the same tensors). 12 rows of lengths 3 1 4 2 | 4 2 3 1 | 2 4 3 4, so groups
# of 3 and of 4 both mix lengths. Padding holds junk that must not leak.
L = np.array([3, 1, 4, 2, 4, 2, 3, 1, 2, 4, 3, 4])
B, T = len(L), 4
m = (np.arange(T)[None, :] < L[:, None]).astype(float)
pr = np.array([[0.2, -0.1, 0.4, 9.0], [0.3, 9.0, 9.0, 9.0], [-0.2, 0.1, 0.0, 0.5], [0.6, -0.3, 9.0, 9.0],
               [0.1, 0.1, -0.4, 0.2], [-0.5, 0.25, 9.0, 9.0], [0.05, 0.3, -0.1, 9.0], [0.7, 9.0, 9.0, 9.0],
               [-0.15, 0.2, 9.0, 9.0], [0.0, -0.2, 0.3, 0.1], [0.4, 0.4, -0.6, 9.0], [-0.1, 0.05, 0.2, -0.3]])
# groups of 3: 111 | 101 (mixed) | 000 | 000;  groups of 4: 1111 | 0100 (mixed) | 0000
o = np.array([1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0], dtype=float)
ref = np.array([[-1.0, -2.0, -0.5, -9.0], [-0.25, -9.0, -9.0, -9.0], [-1.5, -0.75, -2.0, -1.0],
                [-0.5, -1.25, -9.0, -9.0], [-0.5, -1.25, -0.5, -2.5], [-2.0, -0.125, -9.0, -9.0],
                [-1.0, -1.0, -0.25, -9.0], [-0.75, -9.0, -9.0, -9.0], [-1.0, -3.0, -9.0, -9.0],
                [-0.5, -0.5, -1.5, -0.25], [-2.5, -1.0, -0.375, -9.0], [-0.125, -0.625, -1.0, -0.5]])
# q = prm - ref, dyadic so that float32 sums are exact: rows 3 and 4 tie (sum 0.25, outcomes 1 and 0),
# row 7 has q = 0 (score exactly 0). Padding of prm is -5 (q = 4 there, which must not leak).
q = np.array([[0.5, 0.25, -0.125, 0], [-0.5, 0, 0, 0], [0.25, 0.5, 0.75, -0.25], [0.5, -0.25, 0, 0],
              [0.5, -0.25, 0.0, 0.0], [-0.25, 0.125, 0, 0], [0.125, 0.25, -0.75, 0], [0.0, 0, 0, 0],
              [-0.25, -0.5, 0, 0], [1.0, 0.5, -0.25, 0.25], [-0.5, 0.25, 0.125, 0], [0.25, -0.125, 0.5, 0.375]])
prm = np.where(m > 0, ref + q, -5.0)


def print_inputs():
    for name, x in (("pr", pr), ("ref", ref), ("prm", prm)):
        rows = ", ".join("[" + ", ".join(repr(float(v)) for v in r) + "]" for r in x)
        print(f"{name}12 = tensor([{rows}])")


# ---- PRIME credit (verl compute_rloo_advantage_return)
def masked_rloo(x, mask, n):
    """Per group of n rows: x * n/(n-1) - sum_j mean_t(x_j over its mask) / (n-1) on the mask, 0 elsewhere."""
    out = np.zeros_like(x)
    for g in range(0, len(x), n):
        means = [x[j][mask[j] > 0].mean() for j in range(g, g + n)]
        base = sum(means) / (n - 1)
        for i in range(g, g + n):
            for t in range(x.shape[1]):
                if mask[i, t] > 0:
                    out[i, t] = x[i, t] * n / (n - 1) - base
    return out


def at_last(v):
    out = np.zeros((B, T))
    out[np.arange(B), L - 1] = v
    return out


last = at_last(np.ones(B))


def prime(rewards, n, c_rm=5.0, c_gt=5.0):
    R = c_rm * masked_rloo(rewards, m, n) + c_gt * masked_rloo(at_last(o), last, n)
    G = np.zeros((B, T))
    for i in range(B):
        acc = 0.0
        for t in reversed(range(T)):
            acc += R[i, t] * m[i, t]
            G[i, t] = acc
    mu = (G * m).sum() / m.sum()
    var = (((G - mu) ** 2) * m).sum() / (m.sum() - 1)   # verl masked_var: unbiased
    A = (G - mu) / np.sqrt(var + 1e-8) * m              # verl masked_whiten: shift_mean=True
    return A, G * m


def token_rewards(beta=0.05, norm=True):
    """verl PRIME's rm_scores: beta*q on the response except its last token (prime_granularity "token"),
    divided by max |reverse cumsum| + 1e-6 over the batch (prime_norm "batch_norm")."""
    r = np.zeros((B, T))
    for i in range(B):
        r[i, :L[i] - 1] = beta * q[i, :L[i] - 1]
    if norm:
        rc = np.cumsum(r[:, ::-1], axis=1)[:, ::-1]
        r = r / (np.abs(rc).max() + 1e-6)
    return r


# ---- implicit-PRM loss (verl compute_ce_dpo_loss_rm, compute_dpo_abs_accuracy, compute_dpo_accuracy)
def sig(x):
    return 1 / (1 + np.exp(-x))


def score(beta):
    return beta * (q * m).sum(1)


def prime_ce(beta):
    s = score(beta)
    p = sig(s)
    bce = -(o * np.log(p) + (1 - o) * np.log(1 - p))
    grad = (p - o)[:, None] * beta * m / B          # d mean(bce) / d prm[i,t]
    return bce.mean(), grad


def abs_accuracy(beta):
    return np.mean(np.sign(score(beta)) == np.sign(2 * o - 1))


def pair_accuracy(beta, n):
    s = score(beta)
    accs = []
    for g in range(0, B, n):
        num = den = 0.0
        for i in range(g, g + n):
            for j in range(i + 1, g + n):
                w = abs(o[i] - o[j])
                num += w * float((s[i] - s[j] > 0) == (o[i] - o[j] > 0))
                den += w
        accs.append(0.5 if den == 0 else num / den)
    return np.mean(accs)


def token_reward_stats(beta):
    r = beta * q
    mu = (r * m).sum() / m.sum()
    var = (((r - mu) ** 2) * m).sum() / (m.sum() - 1)
    return mu, np.sqrt(var)


if __name__ == "__main__":
    print_inputs()
    for n in (3, 4, 2):
        show(f"masked_rloo_pr_n{n}", masked_rloo(pr, m, n))
    show("masked_rloo_outcome_n3", masked_rloo(at_last(o), last, 3))
    for n, c_rm, c_gt in ((3, 5.0, 5.0), (4, 5.0, 5.0), (3, 2.0, 0.5), (4, 0.0, 3.0), (4, 1.5, 0.0)):
        A, G = prime(pr, n, c_rm, c_gt)
        show(f"prime_n{n}_rm{c_rm}_gt{c_gt}.advantages", A)
        show(f"prime_n{n}_rm{c_rm}_gt{c_gt}.returns", G)
    show("token_rewards", token_rewards())
    show("token_rewards_beta0.5_nonorm", token_rewards(0.5, False))
    A, _ = prime(token_rewards(), 4)
    show("prime_n4_of_token_rewards.advantages", A)
    for beta in (0.05, 0.5):
        loss, grad = prime_ce(beta)
        show(f"prime_ce_beta{beta}.loss", loss)
        show(f"prime_ce_beta{beta}.grad_times_B_over_beta", grad * B / beta)
        show(f"prime_ce_beta{beta}.accuracy", abs_accuracy(beta))
        show(f"prime_ce_beta{beta}.pair_accuracy_n3", pair_accuracy(beta, 3))
        show(f"prime_ce_beta{beta}.pair_accuracy_n4", pair_accuracy(beta, 4))
        show(f"prime_ce_beta{beta}.score", score(beta).mean())
        show(f"prime_ce_beta{beta}.token_reward_mean_std", token_reward_stats(beta))
    show("scores_beta0.05", score(0.05))
