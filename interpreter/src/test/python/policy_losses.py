"""Expected values for PolicyLossReferenceTest: CISPO, SAPO, VESPO, LUSPO, the two-sided (delta) clip and the
off-policy / entropy masks, computed with plain numpy (float64) from shared/REFERENCE.md ("Policy losses",
"Loss aggregation"), independently of the rlx code. Gradients w.r.t. logp are worked out by hand below.
Also for FoundingMethodsReferenceTest: GMPO, GVPO, QRPO, the reward quantiles and the Kimi k1.5 length reward,
with loops over rows and groups; their hand gradients are checked against central differences (no torch needed).
Run: python3 interpreter/src/test/python/policy_losses.py
The printed numbers are pasted into the Java test as literals.

With torch and trl importable (a venv from shared/STACK.md "Python on this machine"), it also checks the hand
gradients against torch autograd and the masks and VESPO weights against TRL 1.13's own GRPOTrainer helpers;
without them it says so and skips that part."""
import math
import numpy as np

np.set_printoptions(precision=8, suppress=False, floatmode="maxprec")


def show(name, x):
    print(name, "=", np.array2string(np.asarray(x, dtype=np.float64).reshape(-1), separator=", ", precision=8))


# ---- inputs (the Java test binds the same tensors). Rows of lengths 3, 1, 5, 2; padding holds junk that
# must not leak (logp -9, old 0: a ratio of e^-9; entropy 9.9; token advantages 5.0).
m = np.array([[1, 1, 1, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=float)
lp = np.array([[-0.5, -2.0, -1.0, -9.0, -9.0],
               [-0.1, -9.0, -9.0, -9.0, -9.0],
               [-1.2, -0.3, -2.5, -0.8, -1.6],
               [-3.0, -0.05, -9.0, -9.0, -9.0]])
old = np.array([[-2.3, -1.8, -1.1, 0.0, 0.0],    # log-ratios 1.8 (rho 6.05), -0.2, 0.1
                [-2.5, 0.0, 0.0, 0.0, 0.0],      # 2.4 (rho 11.0)
                [-1.0, -0.4, -0.5, -0.9, -1.5],  # -0.2, 0.1, -2.0 (rho 0.135), 0.1, -0.1
                [-1.0, -0.2, 0.0, 0.0, 0.0]])    # -2.0, 0.15
a = np.array([1.5, -0.7, -1.2, 0.8])
at = np.array([[1.0, -0.5, 2.0, 5.0, 5.0],
               [-0.7, 5.0, 5.0, 5.0, 5.0],
               [0.3, -1.2, 0.0, 0.9, -0.4],
               [0.8, -2.0, 5.0, 5.0, 5.0]])
samp = lp + np.array([[1.0, 1.5, 0.5, 0, 0], [0.3, 0, 0, 0, 0], [0.5, 1.0, 0.9, 0.6, 1.0], [-0.2, -0.4, 0, 0, 0]])
samp = np.where(m > 0, samp, 0.0)  # the sampler's log-probs are 0 at padding
ent = np.array([[0.9, 0.1, 0.4, 9.9, 9.9],
                [1.3, 9.9, 9.9, 9.9, 9.9],
                [0.2, 0.9, 0.05, 0.7, 0.3],
                [0.6, 1.1, 9.9, 9.9, 9.9]])
B, T = m.shape
L = m.sum(1)
N = m.sum()


def tok(adv):
    return adv[:, None] * m if adv.ndim == 1 else adv


def rho_of(lp_, old_):
    return np.exp(np.clip(lp_ - old_, -20, 20))


def token_mean(x):
    return (x * m).sum() / N


def seq_mean_token_mean(x):
    return ((x * m).sum(1) / np.maximum(L, 1)).mean()


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ---- PPO clip with the two-sided clip
def ppo(adv, el=0.2, eh=0.2, delta=None, keep=None):
    A, r = tok(adv), rho_of(lp, old)
    l1 = -A * (r if delta is None else np.minimum(r, delta))
    l2 = -A * np.clip(r, 1 - el, 1 + eh)
    per = np.maximum(l1, l2)
    if keep is not None:
        per = per * (keep[:, None] if keep.ndim == 1 else keep)
    return token_mean(per), token_mean((l2 > l1).astype(float))


# ---- CISPO
def cispo(adv, eh=5.0, keep=None):
    A, r = tok(adv), rho_of(lp, old)
    w = np.minimum(r, eh)
    k = 1.0 if keep is None else (keep[:, None] if keep.ndim == 1 else keep)
    loss = token_mean(-w * A * lp * k)
    grad = -w * A * k * m / N          # w is a stopped weight: d/dlogp (-w A logp) = -w A
    return loss, token_mean(((r > eh) & (A > 0)).astype(float)), grad


# ---- SAPO
def sapo(adv, tp=1.0, tn=1.05):
    A, r = tok(adv), rho_of(lp, old)
    tau = np.where(A > 0, tp, tn)
    s = sigmoid(tau * (r - 1))
    per = -(4 / tau) * s * A
    g = 4 * s * (1 - s)
    # d per / d logp = -(4/tau) s(1-s) tau rho A = -g rho A; seq-mean-token-mean divides by L_i and B
    grad = -g * r * A * m / np.maximum(L, 1)[:, None] / B
    return seq_mean_token_mean(per), token_mean(g), grad


# ---- VESPO
def vespo(adv, kp=2.0, lp_=3.0, kn=3.0, ln=2.0):
    A = tok(adv)
    logw = np.clip((np.clip(lp - old, -20, 20) * m).sum(1), math.log(1e-8), 20)
    sel = adv if adv.ndim == 1 else A
    k = np.where(sel >= 0, kp, kn)
    lam = np.maximum(np.where(sel >= 0, lp_, ln), 1e-4)
    lw = logw if adv.ndim == 1 else logw[:, None]
    phi = np.exp(lam + k * lw - lam * np.exp(lw))
    phi = np.where(np.isfinite(phi), phi, 0.0)
    phi_t = phi[:, None] if adv.ndim == 1 else phi
    loss = token_mean(-phi_t * A * lp)
    grad = -phi_t * A * m / N
    phi_mean = phi.mean() if adv.ndim == 1 else token_mean(phi)
    return loss, phi_mean, grad, phi


# ---- LUSPO
def luspo(adv, el=0.2, eh=0.2):
    A = tok(adv)
    log_s = (m * (lp - old)).sum(1) / np.maximum(L, 1)
    s = np.exp(np.clip(log_s, -20, 20))[:, None]
    l1, l2 = -A * s, -A * np.clip(s, 1 - el, 1 + eh)
    per = np.maximum(l1, l2)
    loss = (per * m).sum(1).mean()
    # the gradient flows through s_i only where the unclipped term wins: d l / d log s_i = -A s_i
    dl = np.where(l2 > l1, 0.0, -A * s) * m
    grad = dl.sum(1, keepdims=True) * m / np.maximum(L, 1)[:, None] / B
    return loss, token_mean((l2 > l1).astype(float)), grad


# ---- masks
def opsm(adv, thr):
    kl = (m * (samp - lp)).sum(1) / np.maximum(L, 1)
    kl = kl if adv.ndim == 1 else kl[:, None]
    return ((adv >= 0) | (kl <= thr)).astype(float)


def entropy_mask(top):
    t = np.quantile(ent[m > 0], 1 - top)  # numpy's default "linear" = torch.quantile's
    return ((ent >= t) & (m > 0)).astype(float), t


# ---- GMPO (verl's geo_mean), GVPO, QRPO and their credit helpers (FoundingMethodsReferenceTest). Written with
# loops over rows and groups, from shared/REFERENCE.md's bullets, not from the vectorized rlx code.
def gmpo(adv, el=0.4, eh=0.4):
    A = tok(adv)
    losses, ratios, clipped, grad = [], [], 0.0, np.zeros((B, T))
    for i in range(B):
        num, a_sum, kept = 0.0, 0.0, []
        for t in range(T):
            if m[i, t] == 0:
                continue
            d, s = lp[i, t] - old[i, t], np.sign(A[i, t])
            dc = min(max(d, -el), eh)
            d_min = s * min(s * d, s * dc)
            binds = s * dc < s * d            # the clipped side is the smaller: d' is a constant
            clipped += binds
            num += d_min
            a_sum += A[i, t]
            kept.append((t, s != 0 and not binds))
        n_i = L[i] + 1e-8
        ratio, a_i = math.exp(num / n_i), a_sum / n_i
        ratios.append(ratio)
        losses.append(-a_i * ratio)
        # d(-a_i ratio_i)/d logp[i,t] = -a_i ratio_i / n_i where d' = d (the clip leaves it, s != 0), else 0
        for t, live in kept:
            grad[i, t] = -a_i * ratio / n_i / B if live else 0.0
    return np.mean(losses), clipped / N, np.mean(ratios), grad


def gvpo(lp_, old_, m_, adv, group, beta=0.1, mean_at=None):
    """mean_at: take the group means from these log-probs instead (held fixed, for the numeric gradient)."""
    Bg = m_.shape[0]
    L_ = m_.sum(1)
    r = beta * (m_ * (lp_ - old_)).sum(1)
    r_mean = r if mean_at is None else beta * (m_ * (mean_at - old_)).sum(1)
    a_ = adv if adv.ndim == 1 else (adv * m_).sum(1) / L_
    loss, grad = 0.0, np.zeros_like(lp_)
    for g0 in range(0, Bg, group):
        mean_r = r_mean[g0:g0 + group].mean()
        for i in range(g0, g0 + group):
            resid = (r[i] - mean_r) - a_[i]
            loss += 0.5 * resid ** 2
            # the group mean carries no gradient (the authors' recipe detaches it): d/dlogp = resid * beta * m
            grad[i] = resid * beta * m_[i] / (group - 1)
    return loss / (group - 1), r.mean(), grad


def qrpo(lp_, ref_, m_, qs, beta=0.1):
    log_z = math.log(beta * (math.exp(1 / beta) - 1))
    lr = (m_ * (lp_ - ref_)).sum(1)
    resid = qs - beta * log_z - beta * lr
    grad = (2 * resid * -beta)[:, None] * m_ / len(qs)
    return np.mean(resid ** 2), np.mean(beta * lr), log_z, grad


def reward_quantiles(rw, ref_rw):
    return np.array([np.mean([x <= rw[i] for x in ref_rw[i]]) for i in range(len(rw))])


def kimi_length_reward(correct, lengths, group):
    out = []
    for g0 in range(0, len(lengths), group):
        ls = lengths[g0:g0 + group]
        lo, hi = min(ls), max(ls)
        for c, l_ in zip(correct[g0:g0 + group], ls):
            lam = 0.0 if hi == lo else 0.5 - (l_ - lo) / (hi - lo)
            out.append(lam if c else min(0.0, lam))
    return np.array(out)


# 6 rows of lengths 4 2 3 | 1 4 3 (two groups of 3, or three of 2); padding holds junk (logp -7, old 3).
m6 = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 0]], dtype=float)
lp6 = np.array([[-0.4, -1.1, -0.9, -2.0], [-1.5, -0.3, -7.0, -7.0], [-0.8, -0.6, -1.9, -7.0],
                [-2.2, -7.0, -7.0, -7.0], [-0.1, -0.5, -1.3, -0.7], [-1.0, -0.2, -0.6, -7.0]])
old6 = np.array([[-0.6, -1.0, -1.2, -1.5], [-1.1, -0.5, 3.0, 3.0], [-0.9, -0.9, -1.4, 3.0],
                 [-1.7, 3.0, 3.0, 3.0], [-0.3, -0.4, -1.0, -1.1], [-0.7, -0.6, -0.5, 3.0]])
a6 = np.array([0.5, -0.8, 0.3, -0.4, -0.2, 0.6])           # centered in each group of 3 (Dr. GRPO)
a6u = np.array([1.0, -0.5, 0.2, 0.7, -0.1, 0.0])           # not centered: the detached mean shows in the gradient
at6 = np.array([[0.4, 0.6, 0.5, 0.5], [-0.8, -0.8, 5.0, 5.0], [0.1, 0.5, 0.3, 5.0],
                [-0.4, 5.0, 5.0, 5.0], [-0.2, -0.3, -0.1, -0.2], [0.6, 0.9, 0.3, 5.0]])  # row means = a6
ref4 = np.array([[-0.7, -1.5, -1.3, 2.0, 2.0], [-0.4, 2.0, 2.0, 2.0, 2.0],
                 [-1.0, -0.6, -2.0, -1.0, -1.2], [-2.5, -0.3, 2.0, 2.0, 2.0]])
q4 = np.array([0.25, 1.0, 0.0, 0.6])
rw4 = np.array([0.5, 1.0, 0.0, 0.7])
refrw4 = np.array([[0.2, 0.5, 0.9, 0.5], [0.0, 0.0, 0.0, 0.0], [0.1, 0.3, 0.2, 0.4], [0.7, 0.7, 0.7, 0.7]])


def numeric_grad(f, x, h=1e-6):
    """Central differences in float64: an independent check of the hand-worked gradients above."""
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


if __name__ == "__main__":
    show("ppo_delta_none", ppo(a))
    show("ppo_delta3", ppo(a, delta=3.0))
    show("ppo_delta3_tok", ppo(at, delta=3.0))
    show("cispo_default", cispo(a)[:2])
    show("cispo_default_grad", cispo(a)[2])
    show("cispo_eh1.2_tok", cispo(at, eh=1.2)[:2])
    show("cispo_eh1.2_tok_grad", cispo(at, eh=1.2)[2])
    show("sapo_default", sapo(a)[:2])
    show("sapo_default_grad", sapo(a)[2])
    show("sapo_tok_t2_05", sapo(at, tp=2.0, tn=0.5)[:2])
    show("vespo_default", vespo(a)[:2])
    show("vespo_default_phi_per_seq", vespo(a)[3])
    show("vespo_default_grad", vespo(a)[2])
    show("vespo_tok", vespo(at)[:2])
    show("vespo_k1_l5", vespo(a, kp=1.0, lp_=5.0, kn=1.0, ln=0.0)[:2])
    show("luspo_default", luspo(a)[:2])
    show("luspo_default_grad", luspo(a)[2])
    show("luspo_tok_wide", luspo(at, el=0.5, eh=0.5)[:2])
    show("opsm_0.5", opsm(a, 0.5))
    show("opsm_0.2", opsm(a, 0.2))
    show("opsm_tok_0.5", opsm(at, 0.5))
    show("opsm_kl", (m * (samp - lp)).sum(1) / np.maximum(L, 1))
    for top in (0.2, 0.35, 0.5, 1.0, 0.0):
        km, t = entropy_mask(top)
        show(f"entropy_mask_top{top}", km)
        show(f"entropy_thr_top{top}", t)
    keep_e = entropy_mask(0.2)[0]
    show("ppo_keep_entropy", ppo(a, keep=keep_e))
    show("cispo_keep_opsm", cispo(a, keep=opsm(a, 0.5))[:2])
    show("ppo_masked_entropy_renormalized", (np.maximum(-tok(a) * rho_of(lp, old), -tok(a) * np.clip(rho_of(lp, old), 0.8, 1.2)) * m * keep_e).sum() / (m * keep_e).sum())

    # ---- GMPO / GVPO / QRPO / reward quantiles / Kimi length reward
    show("gmpo_default", gmpo(a)[:3])
    show("gmpo_default_grad", gmpo(a)[3])
    show("gmpo_asym_0.15_0.25", gmpo(a, el=0.15, eh=0.25)[:3])
    show("gmpo_tok", gmpo(at)[:3])
    show("gmpo_tok_grad", gmpo(at)[3])
    show("gvpo_a6_g3", gvpo(lp6, old6, m6, a6, 3)[:2])
    show("gvpo_a6_g3_beta1", gvpo(lp6, old6, m6, a6, 3, beta=1.0)[:2])
    show("gvpo_a6_g3_beta1_grad", gvpo(lp6, old6, m6, a6, 3, beta=1.0)[2])
    show("gvpo_at6_g3_beta1", gvpo(lp6, old6, m6, at6, 3, beta=1.0)[:2])
    show("gvpo_a6u_g3_beta1", gvpo(lp6, old6, m6, a6u, 3, beta=1.0)[:2])
    show("gvpo_a6u_g3_beta1_grad", gvpo(lp6, old6, m6, a6u, 3, beta=1.0)[2])
    show("gvpo_a6_g2", gvpo(lp6, old6, m6, a6, 2)[:2])
    show("gvpo_a4_g2_beta0.5", gvpo(lp, old, m, a, 2, beta=0.5)[:2])
    show("qrpo_default", qrpo(lp, ref4, m, q4)[:3])
    show("qrpo_default_grad", qrpo(lp, ref4, m, q4)[3])
    show("qrpo_beta0.5", qrpo(lp, ref4, m, q4, beta=0.5)[:3])
    show("qrpo_beta0.01", qrpo(lp, ref4, m, q4, beta=0.01)[:3])
    show("reward_quantiles", reward_quantiles(rw4, refrw4))
    show("qrpo_from_quantiles", qrpo(lp, ref4, m, reward_quantiles(rw4, refrw4))[:3])
    show("kimi_g3", kimi_length_reward([1, 0, 1, 0, 1, 1], [10, 20, 30, 7, 7, 7], 3))
    show("kimi_g4", kimi_length_reward([0, 1, 1, 0, 1, 0, 1, 0], [12, 4, 8, 4, 5, 5, 5, 5], 4))
    show("kimi_g2", kimi_length_reward([1, 0, 1, 0, 1, 1], [10, 20, 30, 7, 7, 7], 2))
    show("kimi_m6_lengths_g3", kimi_length_reward([1, 0, 0, 1, 0, 1], m6.sum(1), 3))
    # the hand-worked gradients against central differences (float64)
    for name, hand, f in (
            ("gmpo", gmpo(a)[3], None),
            ("gmpo tok", gmpo(at)[3], None),
            # centered advantages: the same gradient whether the group mean is detached or not
            ("gvpo", gvpo(lp6, old6, m6, a6, 3, beta=1.0)[2], lambda x: gvpo(x, old6, m6, a6, 3, beta=1.0)[0]),
            ("gvpo detached mean", gvpo(lp6, old6, m6, a6u, 3, beta=1.0)[2],
             lambda x: gvpo(x, old6, m6, a6u, 3, beta=1.0, mean_at=lp6)[0]),
            ("qrpo", qrpo(lp, ref4, m, q4)[3], lambda x: qrpo(x, ref4, m, q4)[0])):
        if f is None:  # gmpo reads the module's lp: rebind it for each probe
            adv = a if name == "gmpo" else at

            def f(x, adv=adv):
                global lp
                saved, lp = lp, x
                try:
                    return gmpo(adv)[0]
                finally:
                    lp = saved
        x0 = lp6 if name.startswith("gvpo") else lp
        assert np.allclose(numeric_grad(f, x0.copy()), hand, atol=1e-7), name + " gradient"
    print("hand gradients of gmpo, gvpo and qrpo agree with central differences")

    try:
        import torch
        from trl.trainer.grpo_trainer import GRPOTrainer
    except ImportError as e:
        print("skipping the torch/TRL cross-check:", e)
        raise SystemExit(0)
    t = lambda x: torch.tensor(x, dtype=torch.float64)
    # autograd of the same formulas, written in torch
    x = t(lp).requires_grad_(True)
    w = torch.clamp(torch.exp(x - t(old)), max=5.0).detach()
    ((-w * t(tok(a)) * x * t(m)).sum() / N).backward()
    assert np.allclose(x.grad.numpy(), cispo(a)[2]), "cispo grad"
    x = t(lp).requires_grad_(True)
    A = t(tok(a))
    tau = torch.where(A > 0, 1.0, 1.05)
    per = -(4 / tau) * torch.sigmoid(tau * (torch.exp(x - t(old)) - 1)) * A
    (((per * t(m)).sum(1) / t(L)).mean()).backward()
    assert np.allclose(x.grad.numpy(), sapo(a)[2]), "sapo grad"
    x = t(lp).requires_grad_(True)
    s = torch.exp(((x - t(old)) * t(m)).sum(1, keepdim=True) / t(L)[:, None])
    per = torch.maximum(-A * s, -A * torch.clamp(s, 0.8, 1.2))
    ((per * t(m)).sum(1).mean()).backward()
    assert np.allclose(x.grad.numpy(), luspo(a)[2]), "luspo grad"
    # TRL's own helpers
    phi = GRPOTrainer.get_gamma_weights(t(a)[:, None], t(lp - old), t(m), None)
    assert np.allclose(phi.numpy()[:, 0], vespo(a)[3]), "vespo phi"
    phi = GRPOTrainer.get_gamma_weights(t(at), t(lp - old), t(m), None)
    assert np.allclose(phi.numpy(), vespo(at)[3]), "vespo phi per token"
    keep = GRPOTrainer.get_off_policy_mask(t(a)[:, None], t(lp), t(samp), t(m), 0.5)
    assert np.allclose(keep.numpy()[:, 0], opsm(a, 0.5)), "opsm"
    keep = GRPOTrainer.get_off_policy_mask(t(at), t(lp), t(samp), t(m), 0.5)
    assert np.allclose(keep.numpy(), opsm(at, 0.5)), "opsm per token"
    for top in (0.2, 0.35, 0.5, 1.0, 0.0):
        class Acc:  # the single-process parts of accelerate that get_high_entropy_mask calls
            pad_across_processes = staticmethod(lambda x, dim, pad_index: x)
            gather = staticmethod(lambda x: x)
        me = type("T", (), {"accelerator": Acc()})()
        km = GRPOTrainer.get_high_entropy_mask(me, t(ent).float(), t(m), 1 - top)
        assert np.array_equal(km.numpy().astype(float), entropy_mask(top)[0]), f"entropy mask top {top}"
    print("torch autograd and TRL 1.13 agree")
