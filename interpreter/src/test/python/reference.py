"""Expected values for StdlibReferenceTest, computed from shared/REFERENCE.md with plain numpy (float64),
independently of the rlx code. Run: python3 interpreter/src/test/python/reference.py
The printed numbers are pasted into the Java test as literals."""
import numpy as np

np.set_printoptions(precision=8, suppress=False, floatmode="maxprec")

def show(name, x):
    print(name, "=", np.array2string(np.asarray(x, dtype=np.float64), separator=", ", precision=8))

# ---- shared inputs (the Java test builds the same tensors)
scores6 = np.array([1., 0., 1., 0., 0., 1.])
scores4 = np.array([0.5, 2.0, -1.0, 3.0])
mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], dtype=float)
r3 = np.array([1.0, -0.5, 2.0])
values = np.array([[0.1, 0.2, 0.3, 0.4], [0.5, 0.1, 0.2, 0.3], [-0.2, 0.0, 0.4, 0.1]])
logp = np.array([[-1.0, -2.0, -0.5, -0.7], [-1.5, -0.2, -3.0, -1.0], [-0.3, -0.9, -1.1, -2.2]])
old = np.array([[-1.2, -1.8, -0.5, -0.1], [-1.0, -0.9, -2.0, -1.0], [-0.35, -0.6, -1.5, -2.0]])
ref = np.array([[-1.1, -2.5, -0.4, -0.9], [-1.3, -0.1, -2.9, -1.2], [-0.5, -0.8, -1.0, -2.6]])
adv_b = np.array([1.0, -1.0, 0.5])
L = mask.sum(1)
B, T = mask.shape

def groups(x, n):
    return x.reshape(-1, n)

def gmean(x, n):
    return np.repeat(groups(x, n).mean(1), n) if n > 1 else np.zeros_like(x)

def gstd(x, n):
    return np.repeat(groups(x, n).std(1, ddof=1), n) if n > 1 else np.ones_like(x)

# ---- outcome advantages
for n in (3, 2, 1):
    show(f"grpo_group_n{n}", (scores6 - gmean(scores6, n)) / (gstd(scores6, n) + 1e-6))
show("grpo_none_n3", scores6 - gmean(scores6, 3))
show("grpo_batch_n3", (scores6 - gmean(scores6, 3)) / (scores6.std(ddof=1) + 1e-6))
show("grpo_group_scores4_n2", (scores4 - gmean(scores4, 2)) / (gstd(scores4, 2) + 1e-6))

def rloo(x, n):
    g = groups(x, n)
    return (g - (g.sum(1, keepdims=True) - g) / (n - 1)).reshape(-1)
show("rloo_n2", rloo(scores4, 2))
show("rloo_n3", rloo(scores6, 3))

lens4 = np.array([3., 1., 2., 4.])
def opo(x, lens, n):
    g, l = groups(x, n), groups(lens, n)
    b = (g * l).sum(1, keepdims=True) / l.sum(1, keepdims=True)
    return (g - b).reshape(-1)
show("opo_n2", opo(scores4, lens4, 2))

def gpg(x, n):
    alpha = len(x) / max(1, np.count_nonzero(x))
    return alpha * (x - gmean(x, n))
show("gpg_n3", gpg(scores6, 3))
show("gpg_n2_scores4", gpg(scores4, 2))

def pass_at_k(x, n, eps=1e-6):
    out = np.zeros_like(x)
    for gi, g in enumerate(groups(x, n)):
        best = int(np.argmax(g))
        second = np.max(np.delete(g, best))
        out[gi * n + best] = (g[best] - second) / (g.std(ddof=1) + eps)
    return out
show("pass_at_k_scores4_n2", pass_at_k(scores4, 2))
s6b = np.array([0.2, 0.9, 0.4, 1.0, 1.0, 0.0])
show("pass_at_k_s6b_n3", pass_at_k(s6b, 3))

# ---- token level
R = np.zeros((B, T))
for i in range(B):
    R[i, int(L[i]) - 1] = r3[i]
show("terminal", R)
show("broadcast", r3[:, None] * mask)

def disc(Rx, m, gamma):
    G = np.zeros_like(Rx)
    for i in range(Rx.shape[0]):
        nxt = 0.0
        for t in reversed(range(Rx.shape[1])):
            nxt = Rx[i, t] + gamma * nxt if m[i, t] else 0.0
            G[i, t] = nxt
    return G

def whiten(x, m, shift=True):
    n = m.sum()
    mu = (x * m).sum() / n
    var = (((x - mu) ** 2) * m).sum() / (n - 1)
    w = (x - mu) / np.sqrt(var + 1e-8)
    return (w if shift else w + mu) * m

Rdense = R + np.array([[0.1, 0.0, -0.2, 0.0], [0.0, 0.3, 0.0, 0.0], [0.0, 0.0, 0.1, 0.0]])
show("discounted_0.9", disc(Rdense, mask, 0.9))
show("rpp_adv_0.9", whiten(disc(Rdense, mask, 0.9), mask))
show("rpp_baseline_n3", whiten((np.array([1., 0., 2.]) - np.array([1., 0., 2.]).mean())[:, None] * mask, mask))
show("whiten_noshift", whiten(values, mask, shift=False))
G = np.flip(np.cumsum(np.flip(Rdense * mask, 1), 1), 1) * mask
show("remax_returns", G)
show("remax_adv", G - np.array([0.5, 0.0, 1.0])[:, None] * mask)

def gae(Rx, V, m, gamma, lam):
    A = np.zeros_like(Rx)
    for i in range(Rx.shape[0]):
        nextv, lasta = 0.0, 0.0
        for t in reversed(range(Rx.shape[1])):
            if m[i, t]:
                delta = Rx[i, t] + gamma * nextv - V[i, t]
                lasta = delta + gamma * lam * lasta
                nextv = V[i, t]
            A[i, t] = lasta
    return A, A + V
A, ret = gae(Rdense, values, mask, 0.99, 0.95)
show("gae_adv_raw", A * mask)
show("gae_adv_white", whiten(A, mask))
show("gae_returns", ret * mask)
# a mask with a gap inside the response (observation tokens skipped)
mgap = np.array([[1, 0, 1, 1], [1, 1, 1, 0], [1, 1, 1, 1]], dtype=float)
A2, ret2 = gae(Rdense, values, mgap, 1.0, 1.0)
show("gae_gap_raw", A2 * mgap)

# ---- KL
d = logp - ref
k3 = np.clip(np.exp(np.clip(-d, -20, 20)) - np.clip(-d, -20, 20) - 1, -10, 10)
show("k1", d); show("abs", np.abs(d)); show("k2", d * d / 2); show("k3", k3)
big_lp, big_ref = np.array([[0.0, 0.0]]), np.array([[30.0, -30.0]])
dd = big_lp - big_ref
show("k3_clamped", np.clip(np.exp(np.clip(-dd, -20, 20)) - np.clip(-dd, -20, 20) - 1, -10, 10))
k1old = old - ref
show("in_reward_k1", R - 0.05 * k1old * mask)
s_big = np.array([12.0, -0.5, -15.0])
Rb = np.zeros((B, T))
for i in range(B):
    Rb[i, int(L[i]) - 1] = np.clip(s_big[i], -10, 10)
kold3 = np.clip(np.exp(np.clip(-(old - ref), -20, 20)) - np.clip(-(old - ref), -20, 20) - 1, -10, 10)
show("in_reward_k3_clip", Rb - 0.1 * kold3 * mask)
beta = 0.1
for kl, n in ((12.0, 256), (3.0, 256), (6.6, 1000)):
    beta = beta * (1 + np.clip(kl / 6.0 - 1, -0.2, 0.2) * n / 10000)
    show(f"adaptive_beta_after_{kl}", beta)

# ---- aggregation and losses
Lt = logp * 2 - old
def agg(x, m, mode):
    if mode == "token-mean": return (x * m).sum() / m.sum()
    if mode == "seq-mean-token-sum": return (x * m).sum(1).mean()
    if mode == "seq-mean-token-mean": return ((x * m).sum(1) / m.sum(1)).mean()
    if mode == "seq-mean-token-sum-norm": return (x * m).sum() / (x.shape[0] * x.shape[1])
for mode in ("token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm"):
    show("agg_" + mode, agg(Lt, mask, mode))

def ppo(lp, o, A, m, el, eh, dual, mode):
    rho = np.exp(np.clip(lp - o, -20, 20))
    l1 = -A * rho
    l2 = -A * np.clip(rho, 1 - el, 1 + eh)
    lc = np.maximum(l1, l2)
    l = lc if dual is None else np.where(A < 0, np.minimum(-A * dual, lc), lc)
    clipfrac = ((l2 > l1) * m).sum() / m.sum()
    lower = 0.0 if dual is None else (((A < 0) & (lc > -A * dual)) * m).sum() / m.sum()
    return agg(l, m, mode), clipfrac, lower, ((o - lp) * m).sum() / m.sum()
Atok = adv_b[:, None] * mask
show("ppo_default", ppo(logp, old, Atok, mask, 0.2, 0.2, None, "token-mean"))
show("ppo_asym", ppo(logp, old, Atok, mask, 0.1, 0.3, None, "token-mean"))
# dual clip needs a large ratio with A < 0: row 1 has logp - old = 0.7 at t=1
Adual = np.array([1.0, -2.0, 0.5])[:, None] * mask
show("ppo_dual", ppo(logp, old, Adual, mask, 0.2, 0.2, 1.5, "token-mean"))
show("ppo_seqmeantokenmean", ppo(logp, old, Atok, mask, 0.2, 0.28, None, "seq-mean-token-mean"))

def gspo(lp, o, A, m, el, eh):
    logs = ((lp - o) * m).sum(1) / m.sum(1)
    lr = np.repeat(logs[:, None], lp.shape[1], 1)
    rho = np.exp(np.clip(lr, -20, 20))
    l1 = -A * rho
    l2 = -A * np.clip(rho, 1 - el, 1 + eh)
    return agg(np.maximum(l1, l2), m, "seq-mean-token-mean")
show("gspo", gspo(logp, old, Atok, mask, 0.2, 0.2))
show("gspo_tight", gspo(logp, old, Atok, mask, 0.01, 0.01))

show("kl_loss_k3", agg(k3, mask, "token-mean"))
show("kl_loss_k1_seqsum", agg(d, mask, "seq-mean-token-sum"))
ent = np.abs(logp)
show("entropy_bonus", -0.01 * agg(ent, mask, "token-mean"))

def vloss(V, Vo, Gr, m, c):
    l1 = (V - Gr) ** 2
    vc = np.clip(V, Vo - c, Vo + c)
    l2 = (vc - Gr) ** 2
    return agg(np.maximum(l1, l2), m, "token-mean") / 2, ((l2 > l1) * m).sum() / m.sum()
vold = values + np.array([[0.6, -0.1, 0.0, 0.2], [-0.7, 0.3, 0.0, 0.0], [0.1, 0.55, -0.6, 0.0]])
show("value_loss", vloss(values, vold, ret, mask, 0.5))

def logsig(x): return -np.log1p(np.exp(-x))
ch, rj, rch, rrj = np.array([-1.0, -3.0, -2.0]), np.array([-2.0, -1.0, -2.5]), np.array([-1.5, -2.0, -2.2]), np.array([-1.5, -2.0, -2.2])
h = (ch - rch) - (rj - rrj)
show("dpo_sigmoid", (-logsig(0.1 * h)).mean())
show("dpo_cdpo", (-(1 - 0.1) * logsig(0.5 * h) - 0.1 * logsig(-0.5 * h)).mean())
show("dpo_ipo", ((h - 1 / (2 * 0.1)) ** 2).mean())
show("dpo_accuracy", (h > 0).mean())
show("bt", (-logsig(np.array([1.0, 0.2, -0.5]) - np.array([0.0, 0.7, -1.0]))).mean())
show("gspo_tight_neg", gspo(logp, old, -Atok, mask, 0.01, 0.01))
