"""Expected values for PolicyLossReferenceTest: CISPO, SAPO, VESPO, LUSPO, the two-sided (delta) clip and the
off-policy / entropy masks, computed with plain numpy (float64) from shared/REFERENCE.md ("Policy losses",
"Loss aggregation"), independently of the rlx code. Gradients w.r.t. logp are worked out by hand below.
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
