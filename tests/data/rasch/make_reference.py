"""Expected Rasch (1PL) figures for certprep's calibration tests, from the PyPI package girth.

Run from the repository root:
    python3 -m venv /tmp/irt && /tmp/irt/bin/pip install numpy scipy girth==0.8.0
    /tmp/irt/bin/python tests/data/rasch/make_reference.py
It rewrites tests/data/rasch/reference.json. Simulated responses (fixed seed) go in the same
file, so the Rust test reads exactly what girth read.

- item difficulties: girth.rasch_conditional (conditional maximum likelihood, difficulties
  summing to zero), run to 500 sweeps;
- abilities: girth.ability_mle (maximum likelihood given those difficulties) for members
  with neither zero nor a full score;
- standard errors of the difficulties: not in girth, so computed here a second way, from a
  numerical (finite-difference) Hessian of the conditional log-likelihood at girth's
  estimate in n - 1 free difficulties (the last is minus their sum), inverted and mapped
  back to all n;
- the standard errors of the abilities: 1 / sqrt(sum p(1 - p)) at girth's estimates.
"""
import json
import pathlib

import numpy as np
import girth

SEED = 19
N_ITEMS = 24
N_MEMBERS = 400

rng = np.random.default_rng(SEED)
true_b = np.sort(rng.normal(0.0, 1.0, N_ITEMS))
true_theta = rng.normal(0.4, 1.0, N_MEMBERS)
p = 1.0 / (1.0 + np.exp(-(true_theta[None, :] - true_b[:, None])))
data = (rng.random(p.shape) < p).astype(int)  # [items x members]

b = girth.rasch_conditional(data, options={"max_iteration": 500})["Difficulty"]
theta = girth.ability_mle(data, b, 1.0)


def esf(betas):
    out = np.array([1.0])
    for e in np.exp(-betas):
        out = np.convolve(out, [1.0, e])
    return out


def cond_loglik(betas):
    scores = data.sum(axis=0)
    keep = (scores > 0) & (scores < N_ITEMS)
    g = esf(betas)
    return -(data[:, keep].sum(axis=1) @ betas) - np.log(g[scores[keep]]).sum()


# Free parameters: the first n - 1 difficulties; the last is minus their sum.
h = 1e-4
n = N_ITEMS
free = b[:-1].copy()


def loglik_free(x):
    return cond_loglik(np.append(x, -x.sum()))


hess = np.zeros((n - 1, n - 1))
for i in range(n - 1):
    for j in range(i, n - 1):
        def f(di, dj):
            x = free.copy()
            x[i] += di
            x[j] += dj
            return loglik_free(x)
        v = (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h)
        hess[i, j] = hess[j, i] = v
cov_free = np.linalg.inv(-hess)
# b = T x with T the (n x n-1) map appending minus the sum.
T = np.vstack([np.eye(n - 1), -np.ones((1, n - 1))])
cov = T @ cov_free @ T.T
se_b = np.sqrt(np.diag(cov))

scores = data.sum(axis=0)
inner = (scores > 0) & (scores < N_ITEMS)
pm = 1.0 / (1.0 + np.exp(-(theta[None, :] - b[:, None])))
se_theta = 1.0 / np.sqrt((pm * (1 - pm)).sum(axis=0))

ref = {
    "source": "girth 0.8.0 rasch_conditional and ability_mle; SEs by numerical Hessian (make_reference.py)",
    "seed": SEED,
    "items": [f"q{i + 1:02}" for i in range(N_ITEMS)],
    "responses": [[int(x) for x in data[:, m]] for m in range(N_MEMBERS)],
    "difficulty": [round(float(x), 6) for x in b],
    "difficulty_se": [round(float(x), 6) for x in se_b],
    "ability": [round(float(theta[m]), 6) if inner[m] else None for m in range(N_MEMBERS)],
    "ability_se": [round(float(se_theta[m]), 6) if inner[m] else None for m in range(N_MEMBERS)],
}
out = pathlib.Path(__file__).with_name("reference.json")
out.write_text(json.dumps(ref, separators=(",", ":")) + "\n")
print("wrote", out, "difficulties", np.round(b, 3))
print("se range", se_b.min(), se_b.max())
