"""Expected values for TRegLossReferenceTest: T-REG's token rewards and its DPO-REG loss (std/loss token_rewards and
t_reg) with every diagnostic, computed with plain numpy (float64) from the definitions as summaries of Zhou et al.
2024 ("T-REG: Preference Optimization with Token-Level Reward Regularization") state them, independently of the rlx
code:
    r_t = sigmoid(better_t - worse_t) - 0.5           (0 on padding)
    reg(y) = -beta * sum_t r_t * logp_t
    w = sg(sigmoid(-beta * h)),  h = (c - rc) - (r - rr)
    loss = mean(-log sigmoid(beta * h)) + alpha * mean(w * (reg(chosen) + reg(rejected)))
Gradients are worked out by hand below and checked against central finite differences (with w held at its value,
which is what the stop-gradient means).
Run: python3 interpreter/src/test/python/t_reg.py
The printed numbers are pasted into the Java test as literals."""
import numpy as np

from numpy_helpers import fd_grad, logsig, show, sigmoid


# 3 pairs: c - rc = 0.5, -0.5, 1.0; r - rr = -0.5, 0.5, -0.5; so h = 1.0, -1.0, 1.5
c = np.array([-6.0, -9.5, -4.0])
r = np.array([-7.5, -8.0, -6.5])
rc = np.array([-6.5, -9.0, -5.0])
rr = np.array([-7.0, -8.5, -6.0])
h = (c - rc) - (r - rr)

# token fields [3,4]: chosen lengths 3, 4, 2; rejected lengths 4, 2, 3. bc[0,3] / wc[0,3] sit on padding: the
# mask must zero their reward
ctl = np.array([[-1.0, -2.0, -3.0, 0.0], [-0.5, -1.5, -2.5, -5.0], [-1.2, -2.8, 0.0, 0.0]])
cm = np.array([[1, 1, 1, 0], [1, 1, 1, 1], [1, 1, 0, 0]], dtype=float)
bc = np.array([[-0.8, -2.5, -2.0, 0.7], [-0.4, -1.0, -3.5, -4.0], [-1.5, -2.0, 0.0, 0.0]])
wc = np.array([[-1.3, -1.5, -3.2, -0.3], [-0.9, -1.0, -2.0, -6.0], [-1.0, -3.0, 0.0, 0.0]])
rtl = np.array([[-2.0, -1.0, -0.5, -3.0], [-1.5, -2.5, 0.0, 0.0], [-0.7, -3.3, -1.1, 0.0]])
rm = np.array([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]], dtype=float)
br = np.array([[-2.2, -0.9, -1.5, -2.0], [-1.0, -3.0, 0.0, 0.0], [-0.7, -2.0, -1.9, 0.0]])
wr = np.array([[-1.8, -1.4, -0.4, -3.5], [-2.0, -2.2, 0.0, 0.0], [-0.9, -3.6, -0.6, 0.0]])


def token_rewards(b, w_, m):
    return (sigmoid(b - w_) - 0.5) * m


rwc = token_rewards(bc, wc, cm)
rwr = token_rewards(br, wr, rm)
show("token_rewards_chosen", rwc)
show("token_rewards_rejected", rwr)


def t_reg(cc, ctl_, beta, alpha, w=None):
    hh = (cc - rc) - (r - rr)
    if w is None:
        w = sigmoid(-beta * hh)
    reg_c = -beta * (rwc * ctl_).sum(axis=1)
    reg_r = -beta * (rwr * rtl).sum(axis=1)
    reg = (w * (reg_c + reg_r)).mean()
    return (-logsig(beta * hh)).mean() + alpha * reg, reg, w


for beta, alpha in ((0.1, 0.1), (0.5, 0.25)):
    tag = f"b{beta}_a{alpha}"
    loss, reg, w = t_reg(c, ctl, beta, alpha)
    show(f"loss_{tag}", loss)
    show(f"reg_{tag}", reg)
    show(f"weight_{tag}", w.mean())
    show(f"margin_{tag}", (beta * h).mean())
    show(f"chosen_reward_{tag}", (beta * (c - rc)).mean())
    show(f"rejected_reward_{tag}", (beta * (r - rr)).mean())
show("accuracy", (h > 0).mean())

# gradients at beta 0.5, alpha 0.25, B = 3:
#   d/d ctl[i,t] = alpha * w_i * (-beta * r_it) / B          (the regularizer only)
#   d/d c_i      = -(beta / B) * (1 - sigmoid(beta * h_i))    (DPO only: w carries no gradient)
beta, alpha, B = 0.5, 0.25, 3
w0 = sigmoid(-beta * h)
g_ctl = alpha * w0[:, None] * (-beta * rwc) / B
g_c = -(beta / B) * (1 - sigmoid(beta * h))
fd_ctl = fd_grad(lambda x: t_reg(c, x, beta, alpha, w=w0)[0], ctl)
fd_c = fd_grad(lambda x: t_reg(x, ctl, beta, alpha, w=w0)[0], c)
assert np.allclose(g_ctl, fd_ctl, atol=1e-8), (g_ctl, fd_ctl)
assert np.allclose(g_c, fd_c, atol=1e-8), (g_c, fd_c)
show("grad_ctl_b0.5_a0.25", g_ctl)
show("grad_c_b0.5_a0.25", g_c)
