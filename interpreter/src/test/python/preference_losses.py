"""Expected values for PreferenceLossReferenceTest: the offline preference losses of std/loss (dpo with its
sigmoid / cdpo / ipo variants, simpo, orpo, kto) and their diagnostics, computed with plain numpy (float64)
from shared/REFERENCE.md "Preference losses (offline)", independently of the rlx code. Gradients are worked
out by hand below and checked here against central finite differences of the same numpy losses.
Run: python3 interpreter/src/test/python/preference_losses.py
The printed numbers are pasted into the Java test as literals."""
import numpy as np

from numpy_helpers import fd_grad, logsig, show, sigmoid


# ---- DPO family: sequence sums of 5 pairs. c - rc = 0.5, -1, 1.25, 1.5, 0.5; r - rr = -1, 1, -1, -2, 0.5,
# so h = 1.5, -2, 2.25, 3.5, 0 (a tie: not counted as correct)
c = np.array([-12.5, -20.0, -8.25, -30.0, -5.0])
r = np.array([-15.0, -18.5, -9.0, -29.0, -7.0])
rc = np.array([-13.0, -19.0, -9.5, -31.5, -5.5])
rr = np.array([-14.0, -19.5, -8.0, -27.0, -7.5])
h = (c - rc) - (r - rr)


def dpo(beta, e=0.0):
    return (-(1 - e) * logsig(beta * h) - e * logsig(-beta * h)).mean()


def ipo(beta):
    return ((h - 1 / (2 * beta)) ** 2).mean()


show("dpo_b01", dpo(0.1))
show("dpo_b05", dpo(0.5))
show("cdpo_b05_e01", dpo(0.5, 0.1))
show("cdpo_b01_e02", dpo(0.1, 0.2))
show("ipo_b01", ipo(0.1))
show("ipo_b05", ipo(0.5))
show("dpo_accuracy", (h > 0).mean())
for beta in (0.1, 0.5):
    show(f"dpo_margin_b{beta}", (beta * h).mean())
    show(f"dpo_chosen_reward_b{beta}", (beta * (c - rc)).mean())
    show(f"dpo_rejected_reward_b{beta}", (beta * (r - rr)).mean())

# ---- SimPO: length-averaged log-probs of 4 pairs, ac - ar = 0.3, -0.2, 1.0, 0 (a tie)
ac = np.array([-0.8, -1.2, -0.5, -2.0])
ar = np.array([-1.1, -1.0, -1.5, -2.0])


def simpo(a_c, beta, gamma):
    return (-logsig(beta * (a_c - ar) - gamma)).mean()


for beta, gamma in ((2.0, 1.0), (2.5, 0.5)):
    tag = f"b{beta}_g{gamma}"
    show(f"simpo_{tag}", simpo(ac, beta, gamma))
    show(f"simpo_margin_{tag}", (beta * (ac - ar)).mean())
    show(f"simpo_chosen_reward_{tag}", (beta * ac).mean())
    show(f"simpo_rejected_reward_{tag}", (beta * ar).mean())
show("simpo_accuracy", (ac > ar).mean())
# d/d ac_i of mean(-logsig(beta*(ac - ar) - gamma)) = -(beta / B) * (1 - sigmoid(beta*(ac_i - ar_i) - gamma))
g_simpo = -(2.0 / 4) * (1 - sigmoid(2.0 * (ac - ar) - 1.0))
assert np.allclose(g_simpo, fd_grad(lambda x: simpo(x, 2.0, 1.0), ac), atol=1e-8)
show("simpo_grad_chosen", g_simpo)

# ---- ORPO: length-averaged log-probs straddling -ln 2 (where log(1 - e^a) switches between log1p(-e^a) and
# log(-expm1(a)) in careful code); -0.001 is where the naive log(1 - exp(a)) in float32 loses ~1e-4
oc = np.array([-0.001, -0.3, -1.2, -2.5])
orj = np.array([-0.9, -0.1, -1.5, -0.6])
nll = np.array([0.9, 0.4, 1.3, 2.2])


def log_odds(a):
    return a - np.log(-np.expm1(a))   # log(p / (1 - p)) with p = e^a


def orpo(a_c, lam):
    z = log_odds(a_c) - log_odds(orj)
    return nll.mean() - lam * logsig(z).mean()


# the helper alone, near a = 0 where 1 - exp(a) in float32 keeps only a few digits (-11.5116 for -11.5129 at -1e-5)
show("log_odds", log_odds(np.array([-1e-5, -0.001, -0.5, -3.0])))
zr = log_odds(oc) - log_odds(orj)
for lam in (0.1, 0.25):
    show(f"orpo_l{lam}", orpo(oc, lam))
    show(f"orpo_margin_l{lam}", (lam * (oc - orj)).mean())
    show(f"orpo_chosen_reward_l{lam}", (lam * oc).mean())
    show(f"orpo_rejected_reward_l{lam}", (lam * orj).mean())
show("orpo_accuracy", (oc > orj).mean())
show("orpo_log_odds_ratio", zr.mean())
show("orpo_nll", nll.mean())
# d/d ac_i = -(lam / B) * (1 - sigmoid(z_i)) * d log_odds/da, with d log_odds/da = 1 / (1 - e^a)
g_orpo = -(0.1 / 4) * (1 - sigmoid(zr)) / (1 - np.exp(oc))
assert np.allclose(g_orpo, fd_grad(lambda x: orpo(x, 0.1), oc, h=1e-7), rtol=1e-6)
show("orpo_grad_chosen", g_orpo)

# ---- KTO: 6 unpaired rows, x = l - r of each, desirable flags mixed; z = max(0, kl), detached
kx = np.array([0.8, -0.4, 1.5, -1.2, 0.3, -2.0])
des = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])


def kto(x, kl, beta=0.1, lam_d=1.0, lam_u=1.0, d=des):
    z = max(0.0, kl)
    per = np.where(d > 0, lam_d * (1 - sigmoid(beta * (x - z))), lam_u * (1 - sigmoid(beta * (z - x))))
    return per.mean()   # TRL concatenates the desirable and undesirable losses and takes one mean


def group_mean(v, m):
    return (v * m).sum() / m.sum() if m.sum() > 0 else 0.0


for kl, beta, ld, lu in ((-0.3, 0.1, 1.0, 1.0), (0.6, 0.1, 1.0, 1.0), (0.6, 0.5, 1.33, 0.8), (-0.3, 0.5, 1.0, 1.0)):
    tag = f"kl{kl}_b{beta}_d{ld}_u{lu}"
    show(f"kto_{tag}", kto(kx, kl, beta, ld, lu))
for beta in (0.1, 0.5):
    cr, rj = group_mean(beta * kx, des), group_mean(beta * kx, 1 - des)
    show(f"kto_chosen_reward_b{beta}", cr)
    show(f"kto_rejected_reward_b{beta}", rj)
    show(f"kto_margin_b{beta}", cr - rj)
# every row desirable: the rejected reward has no rows (reported as 0)
show("kto_all_desirable_b0.1_kl0.6", kto(kx, 0.6, d=np.ones(6)))
show("kto_all_desirable_chosen_reward", (0.1 * kx).mean())
# d/dx_i: desirable -lam_d * beta * s(1 - s) / B with s = sigmoid(beta (x - z));
#         undesirable +lam_u * beta * s(1 - s) / B with s = sigmoid(beta (z - x)); d/dkl = 0 (z detached)
beta, ld, lu, z = 0.5, 1.33, 0.8, 0.6
sd, su = sigmoid(beta * (kx - z)), sigmoid(beta * (z - kx))
g_kto = np.where(des > 0, -ld * beta * sd * (1 - sd), lu * beta * su * (1 - su)) / kx.size
assert np.allclose(g_kto, fd_grad(lambda x: kto(x, 0.6, beta, ld, lu), kx), atol=1e-9)
show("kto_grad_x_kl0.6_b0.5_d1.33_u0.8", g_kto)
# were z not detached, d loss / d kl at kl = 0.6 would be this (not 0):
show("kto_grad_kl_if_attached", fd_grad(lambda k: kto(kx, k[0], beta, ld, lu), np.array([0.6])))
