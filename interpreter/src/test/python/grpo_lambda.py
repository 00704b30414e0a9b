"""Expected values for GrpoLambdaReferenceTest: GRPO-lambda's top-lambda group selection, its length penalty and
the shaped scores, then GRPO's advantages on them, written in plain Python (float64, loops and a sort, no tensor
code) from the method's description (Dai, Liu and Si 2025, arXiv 2505.18086), independently of std/credit.rlx:

  * groups ranked by accuracy (the share of correct rows), highest first, by a stable sort, so ties keep batch
    order; the first max(1, ceil(lam * G)) groups are the top ones (ceil of the exact decimal product);
  * a correct row of a top group scores s - alpha * sigmoid((L - mean_c) / std_c), mean_c and the population
    std_c over the group's correct rows (z = 0 when std_c is 0); every other row keeps s;
  * GRPO: (r - mean_g) / (unbiased std_g + 1e-6).

Run: python3 interpreter/src/test/python/grpo_lambda.py
The printed numbers are pasted into the Java test as literals."""
import math
import statistics
from fractions import Fraction


def top_group_ids(correct, group, lam):
    n = len(correct) // group
    acc = [sum(correct[g * group:(g + 1) * group]) / group for g in range(n)]
    # the exact decimal product, so that 0.1 x 30 is 3 (the float product is 3.0000000000000004)
    k = max(1, math.ceil(Fraction(str(lam)) * n))
    order = sorted(range(n), key=lambda g: -acc[g])  # stable: ties stay in batch order
    return set(order[:k])


def top_rows(correct, group, lam):
    ids = top_group_ids(correct, group, lam)
    return [1.0 if i // group in ids else 0.0 for i in range(len(correct))]


def penalty(correct, lengths, group):
    out = []
    for g0 in range(0, len(correct), group):
        cs = correct[g0:g0 + group]
        ls = lengths[g0:g0 + group]
        right = [l_ for c, l_ in zip(cs, ls) if c]
        mu = statistics.fmean(right) if right else 0.0
        sd = statistics.pstdev(right) if right else 0.0
        for c, l_ in zip(cs, ls):
            if not c:
                out.append(0.0)
            else:
                z = (l_ - mu) / sd if sd > 0 else 0.0
                out.append(1.0 / (1.0 + math.exp(-z)))
    return out


def shaped(scores, correct, lengths, group, lam=0.2, alpha=0.6):
    top = top_rows(correct, group, lam)
    pen = penalty(correct, lengths, group)
    return [s - alpha * t * p for s, t, p in zip(scores, top, pen)]


def grpo(scores, group, eps=1e-6):
    out = []
    for g0 in range(0, len(scores), group):
        xs = scores[g0:g0 + group]
        mu = statistics.fmean(xs)
        sd = statistics.stdev(xs)
        out.extend((x - mu) / (sd + eps) for x in xs)
    return out


def show(name, xs):
    print(name, "=", ", ".join("%.8f" % x for x in xs))


# Five groups of 4: accuracies 3/4, 1, 0, 1, 3/4; lengths vary within each group.
C20 = [1, 1, 0, 1,  1, 1, 1, 1,  0, 0, 0, 0,  1, 1, 1, 1,  0, 1, 1, 1]
L20 = [4, 8, 20, 6,  5, 5, 9, 13,  7, 3, 2, 9,  6, 6, 6, 6,  10, 3, 12, 3]
# the verifier plus a format term that is not 0/1
S20 = [c + f for c, f in zip(C20, [0.0, -0.5, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0, -0.5, 0.0,
                                   0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5])]

if __name__ == "__main__":
    for lam in (0.2, 0.4, 0.5, 1.0):
        show("top_rows lam=%s" % lam, top_rows(C20, 4, lam))
    # thirty singleton groups, three of them correct: lam 0.1 picks 3, the correct ones, not 4
    c30 = [1 if i in (4, 17, 25) else 0 for i in range(30)]
    show("top_rows 30 singletons lam=0.1", top_rows(c30, 1, 0.1))
    show("penalty", penalty(C20, L20, 4))
    show("shaped lam=0.2 alpha=0.6", shaped(C20, C20, L20, 4))
    show("shaped lam=0.5 alpha=0.6", shaped(C20, C20, L20, 4, lam=0.5))
    show("shaped lam=1.0 alpha=0.3", shaped(C20, C20, L20, 4, lam=1.0, alpha=0.3))
    show("shaped S20 lam=0.5 alpha=0.6", shaped(S20, C20, L20, 4, lam=0.5))
    show("grpo(shaped lam=0.5)", grpo(shaped(C20, C20, L20, 4, lam=0.5), 4))
