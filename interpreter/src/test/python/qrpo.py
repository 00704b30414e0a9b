"""Expected values for QrpoRunTest: std/recipes/qrpo's loss on a tiny batch of scored completions, and the first
step of the recipe on a tiny scored JSONL file, computed with plain Python floats (float64) from the definition in
Matrenok et al. 2025, "Quantile Reward Policy Optimization" (arXiv 2507.08068), as shared/REFERENCE.md states it,
independently of the rlx code:
    q_i   = (1/K) * #{k : reference_rewards[i][k] <= reward_i}     (the empirical CDF of the reference rewards)
    log Z = log(beta * (e^(1/beta) - 1))
    loss  = mean_i (q_i - beta * log Z - beta * sum_t m (logp - ref_logp))^2
At the recipe's first step the policy is the reference, so the sum is 0 and loss = mean_i (q_i - beta log Z)^2.
Run: python3 interpreter/src/test/python/qrpo.py
The printed numbers are pasted into the Java test as literals."""
import math


def quantile(reward, refs):
    return sum(1 for r in refs if r <= reward) / len(refs)


def log_z(beta):
    return math.log(beta * (math.exp(1.0 / beta) - 1.0))


def qrpo(lp, ref, mask, rewards, ref_rewards, beta):
    lz = log_z(beta)
    terms, implied = [], []
    for i in range(len(rewards)):
        s = sum(m * (a - b) for a, b, m in zip(lp[i], ref[i], mask[i]))
        implied.append(beta * s)
        terms.append((quantile(rewards[i], ref_rewards[i]) - beta * lz - beta * s) ** 2)
    return sum(terms) / len(terms), sum(implied) / len(implied), lz


# ---- a hand-made batch: 3 rows of lengths 2, 1, 3 (padding holds junk that must not leak), K = 4
LP = [[-0.5, -1.0, -9.0], [-0.2, -9.0, -9.0], [-1.5, -0.3, -0.7]]
REF = [[-0.7, -0.6, 5.0], [-0.5, 5.0, 5.0], [-1.0, -0.9, -0.2]]
MASK = [[1, 1, 0], [1, 0, 0], [1, 1, 1]]
REWARD = [0.5, 2.0, -1.0]  # quantiles 3/4 (ties count), 3/4, 0
REFRW = [[0.0, 0.5, 1.0, 0.25], [3.0, 1.0, 2.0, 2.0], [0.0, -0.5, 1.0, 2.0]]

# ---- the JSONL file of QrpoRunTest (rewards and K = 3 reference rewards per line)
FILE_REWARD = [1.0, 0.0, 0.5, 2.0]  # quantiles 1, 1/3, 2/3, 0
FILE_REFRW = [[0.0, 1.0, 0.5], [0.0, 0.5, 1.0], [0.5, -1.0, 1.0], [3.0, 2.5, 4.0]]

if __name__ == "__main__":
    for beta in (0.1, 0.5):
        loss, implied, lz = qrpo(LP, REF, MASK, REWARD, REFRW, beta)
        print(f"batch beta={beta}: loss = {loss:.10f}, implied_reward = {implied:.10f}, log_z = {lz:.10f}")
    zeros = [[0.0] * 3 for _ in FILE_REWARD]
    ones = [[1, 1, 1] for _ in FILE_REWARD]
    loss, _, _ = qrpo(zeros, zeros, ones, FILE_REWARD, FILE_REFRW, 0.1)
    print(f"file, first step (policy = reference), beta=0.1: loss = {loss:.10f}")
