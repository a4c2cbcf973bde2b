#!/usr/bin/python3
"""`cltv fit MODEL SUMMARY --penalty C` against an independent SciPy minimisation of the
penalised objective (lifetimes' `penalizer_coef`).

Usage: penalty_scipy_test.py CLTV_BINARY DATA_DIR [SHARED_DATA_DIR]
       penalty_scipy_test.py --self-check DATA_DIR   (no cltv: shows the checks can fail)

The objective, over log-parameters θ (what lifetimes minimises):

    f(θ) = −(1/N) Σ_i ll_i(θ) + C Σ_k θ̃_k²

N the customers the likelihood counts (Gamma-Gamma: those with x > 0); θ̃ the natural-scale
parameters with the time-rate ones (alpha; Pareto/NBD's beta too) divided by T_max, the
largest age: lifetimes rescales time so the longest age is 1 and penalises that fit's
parameters. ll_i are the models' own log-likelihoods without constants:
- BG/NBD: Fader, Hardie & Lee (2005), eq. 6;
- MBG/NBD: Batislam, Denizel & Filiztekin (2007), as lifetimes' ModifiedBetaGeoFitter;
- Pareto/NBD: Fader & Hardie, note 008 (2F1 form, both branches alpha >= beta, alpha < beta);
- Gamma-Gamma: Fader & Hardie, note 025, eq. 1a.

For each model and C (0, 0.001, 0.01, 0.1, 1, 10 on DATA_DIR's 200-customer CDNOW files;
0, 0.001, 0.1, 1 on the full 2,357-customer CDNOW summaries when SHARED_DATA_DIR holds
them), with C = 0 also run without the flag, checks:
- f at cltv's estimate is not above SciPy's minimum by more than 1e-9 relative, nor below
  it by more than 1e-8 relative (below would mean SciPy missed the optimum);
- cltv's parameters agree with SciPy's to 1e-4 relative, except at a boundary minimum
  (a parameter of SciPy's optimum below 1e-8, running off to 0), where only f is compared
  and cltv may instead refuse with "no interior maximum";
- cltv's "log_likelihood" is the unpenalised total log-likelihood at its own estimate
  (1e-9 relative), and "penalty" is C when C > 0;
- shrinkage: Σ θ̃² at the optimum does not grow as C grows (cltv's and SciPy's);
- sensitivity: the optimum of the objective with 2C (computed by SciPy) would fail the f
  check at C, so a penalty off by a factor 2 cannot pass. --self-check goes further, with
  no cltv: estimates from three wrong objectives (2C; no time scaling; the total instead of
  the mean log-likelihood) must each fail the checks, the right one must pass.
Prints one line per (data, model, C), then "ok". Exit 0 all agree, 1 a check failed,
77 (ctest's Skipped) when the cltv binary is missing, or NumPy/SciPy are (except under
CI=true, where that fails: Debian's python3-scipy).
"""
import json
import os
import subprocess
import sys
import time

try:
    import numpy as np
    from scipy.optimize import minimize
    from scipy.special import betaln, gammaln, hyp2f1
except ImportError as e:
    print(f"penalty_scipy_test.py: {e} (Debian: apt-get install python3-scipy)")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)

PENALTIES = [0.0, 0.001, 0.01, 0.1, 1.0, 10.0]
BOUNDARY = 1e-8  # a parameter of SciPy's optimum below this: the minimum is at θ_k → 0
F_ABOVE = 1e-9   # cltv's f may exceed SciPy's minimum by this much, relative
F_AGREE = 1e-8   # and the two minima agree to this, relative
LL_AGREE = 1e-9  # cltv's log_likelihood against ours at its estimate, relative
PARAM_TOL = 1e-4  # parameters, relative (observed: below 1e-6)


# ---------------------------------------------------------------- data

def read_csv(path):
    """The columns of a CSV file as float arrays, by header name (CRLF tolerated)."""
    with open(path, newline="") as f:
        lines = [line.strip() for line in f.read().splitlines() if line.strip()]
    header = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    cols = {}
    for j, name in enumerate(header):
        try:
            cols[name] = np.array([float(row[j]) for row in rows])
        except ValueError:
            pass  # an ID column of text
    return cols


def column(cols, path, *names):
    for name in names:
        if name in cols:
            return cols[name]
    sys.exit(f"penalty_scipy_test.py: {path}: none of the columns {names}")


def compress(*arrays):
    """Distinct rows and their counts: the likelihood is a weighted sum over them, which
    keeps Pareto/NBD's 2F1 evaluations down (200 customers are 87 distinct tuples)."""
    rows, counts = np.unique(np.column_stack(arrays), axis=0, return_counts=True)
    return [rows[:, j] for j in range(rows.shape[1])], counts.astype(float)


def purchase_data(path):
    cols = read_csv(path)
    x = column(cols, path, "frequency", "x")
    tx = column(cols, path, "recency", "t_x")
    T = column(cols, path, "T")
    (x, tx, T), w = compress(x, tx, T)
    return {"x": x, "tx": tx, "T": T, "w": w, "scale": T.max()}


def spend_data(path):
    cols = read_csv(path)
    x = column(cols, path, "frequency", "x")
    m = column(cols, path, "monetary_value", "zbar")
    keep = x > 0  # Gamma-Gamma counts only customers with repeat purchases
    (x, m), w = compress(x[keep], m[keep])
    return {"x": x, "m": m, "w": w, "scale": None}


# ---------------------------------------------------------------- log-likelihoods
# Each takes natural-scale parameters and the data, returns ll_i per (distinct) row.

def logaddexp_masked(u, v, use_v):
    """ln(e^u + [use_v] e^v), the second term dropped where use_v is false."""
    m = np.where(use_v, np.maximum(u, v), u)
    return m + np.log(np.exp(u - m) + np.where(use_v, np.exp(v - m), 0.0))


def ll_bgnbd(params, d):
    r, alpha, a, b = params
    x, tx, T = d["x"], d["tx"], d["T"]
    head = (gammaln(r + x) - gammaln(r) + r * np.log(alpha)
            + betaln(a, b + x) - betaln(a, b))
    first = -(r + x) * np.log(alpha + T)
    # a / (b + x - 1) only for x > 0; max(x, 1) keeps the unused value finite at x = 0.
    second = np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + tx)
    return head + logaddexp_masked(first, second, x > 0)


def ll_mbgnbd(params, d):
    r, alpha, a, b = params
    x, tx, T = d["x"], d["tx"], d["T"]
    head = (gammaln(r + x) - gammaln(r) + r * np.log(alpha)
            + betaln(a, b + x + 1) - betaln(a, b))
    # Unlike BG/NBD, the "dropped out after the last purchase" term is there at x = 0 too.
    first = -(r + x) * np.log(alpha + T)
    second = np.log(a) - np.log(b + x) - (r + x) * np.log(alpha + tx)
    return head + np.logaddexp(first, second)


def ll_pareto_nbd(params, d):
    r, alpha, s, beta = params
    x, tx, T = d["x"], d["tx"], d["T"]
    rho = r + s + x
    # The 2F1 argument takes the larger of alpha and beta so that it stays in [0, 1).
    if alpha >= beta:
        larger, b2 = alpha, s + 1
    else:
        larger, b2 = beta, r + x
    gap = abs(alpha - beta)

    def log_g(t):  # ln[2F1(rho, b2; rho + 1; gap / (larger + t)) / (larger + t)^rho]
        return np.log(hyp2f1(rho, b2, rho + 1, gap / (larger + t))) - rho * np.log(larger + t)

    with np.errstate(all="ignore"):
        g_tx, g_T = log_g(tx), log_g(T)
        # ln A0 = ln[g(t_x) - g(T)]; A0 = 0 when t_x = T (no time left unobserved).
        log_a0 = g_tx + np.log(-np.expm1(g_T - g_tx))
        first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
        second = np.log(s) - np.log(rho) + log_a0
        return (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
                + logaddexp_masked(first, second, tx < T))


def ll_gamma_gamma(params, d):
    p, q, gamma = params
    x, m = d["x"], d["m"]
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(gamma)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(gamma + m * x))


MODELS = {
    # name: (parameter names, indices of the time-rate parameters, ll, data kind)
    "bgnbd": (("r", "alpha", "a", "b"), (1,), ll_bgnbd, "purchase"),
    "mbgnbd": (("r", "alpha", "a", "b"), (1,), ll_mbgnbd, "purchase"),
    "pareto-nbd": (("r", "alpha", "s", "beta"), (1, 3), ll_pareto_nbd, "purchase"),
    "gamma-gamma": (("p", "q", "gamma"), (), ll_gamma_gamma, "spend"),
}


# ---------------------------------------------------------------- the objective

class Objective:
    """f(θ) of one model, data and penalty; with `wrong`, one of the mistakes that
    --self-check makes on purpose ("double", "unscaled", "total")."""

    def __init__(self, model, data, C, wrong=None):
        self.names, rate_idx, self.ll, _ = MODELS[model]
        self.data, self.C = data, C
        self.n = data["w"].sum()
        self.divisor = np.ones(len(self.names))
        if data["scale"] is not None and wrong != "unscaled":
            self.divisor[list(rate_idx)] = data["scale"]
        if wrong == "double":
            self.C = 2 * C
        self.ll_divisor = 1.0 if wrong == "total" else self.n

    def total_ll(self, params):
        return float(np.sum(self.data["w"] * self.ll(np.asarray(params), self.data)))

    def shrunk_norm(self, params):
        """Σ θ̃²: the penalised quantity."""
        return float(np.sum((np.asarray(params) / self.divisor) ** 2))

    def __call__(self, log_params):
        params = np.exp(log_params)
        value = -self.total_ll(params) / self.ll_divisor + self.C * self.shrunk_norm(params)
        return value if np.isfinite(value) else 1e300


def central_gradient(f, x, h=1e-5):
    g = np.empty_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def central_hessian(f, x, h=1e-4):
    n = x.size
    H = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.zeros(n), np.zeros(n)
            ei[i], ej[j] = h, h
            H[i, j] = H[j, i] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej)
                                 + f(x - ei - ej)) / (4 * h * h)
    return H


def scipy_minimum(f, n_params):
    """Minimise f over log-parameters from all ones: L-BFGS-B with SciPy's numerical
    gradients, then Newton steps on central-difference derivatives, which pin down the
    flat directions (where L-BFGS-B's default tolerances stop early) to ~1e-7."""
    res = minimize(f, np.zeros(n_params), method="L-BFGS-B",
                   options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000})
    x, fx = res.x, res.fun
    for _ in range(30):
        g, H = central_gradient(f, x), central_hessian(f, x)
        try:
            step = -np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or g @ step >= 0:
            break  # not a descent direction (Hessian not positive definite here)
        t = 1.0
        while t > 1e-6 and f(x + t * step) > fx:
            t /= 2
        if f(x + t * step) > fx:
            break
        x, fx = x + t * step, f(x + t * step)
        if np.max(np.abs(t * step)) < 1e-10:
            break
    return np.exp(x), fx


# ---------------------------------------------------------------- comparisons

def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def compare(obj, est_params, est_ll, opt_params, f_opt, param_tol, penalty_field):
    """Problems found with an estimate (cltv's, or a wrong one in --self-check) against
    SciPy's optimum of obj; and the numbers for the report line."""
    problems = []
    f_est = obj(np.log(est_params))
    df = (f_est - f_opt) / abs(f_opt)
    if df > F_ABOVE:
        problems.append(f"f at the estimate {f_est!r} is above SciPy's minimum {f_opt!r} "
                        f"by {df:.3g} relative (> {F_ABOVE:g})")
    if df < -F_AGREE:
        problems.append(f"f at the estimate {f_est!r} is below SciPy's minimum {f_opt!r} by "
                        f"{-df:.3g} relative: SciPy missed the optimum")
    dev = max(rel(e, o) for e, o in zip(est_params, opt_params))
    # At a boundary optimum (a parameter → 0) the vanishing parameter is wherever each
    # optimiser stopped: only f is compared there.
    if dev > param_tol and min(opt_params) >= BOUNDARY:
        problems.append(f"parameters {list(est_params)} differ from SciPy's "
                        f"{list(opt_params)} by {dev:.3g} relative (> {param_tol:g})")
    ll = obj.total_ll(est_params)
    dll = rel(est_ll, ll)
    if dll > LL_AGREE:
        problems.append(f"log_likelihood {est_ll!r}, the unpenalised total at the estimate "
                        f"is {ll!r} ({dll:.3g} relative)")
    if obj.C > 0 and penalty_field != obj.C:
        problems.append(f'"penalty" is {penalty_field!r}, not {obj.C!r}')
    if obj.C == 0 and penalty_field not in (None, 0):
        problems.append(f'"penalty" is {penalty_field!r} with no penalty')
    return problems, {"df": df, "dev": dev, "dll": dll}


def run_cltv(binary, model, path, C):
    args = [binary, "fit", model, path]
    if C is not None:
        args += ["--penalty", repr(C)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        return None, f"{' '.join(args)}: exit {out.returncode}: {out.stderr.strip()}"
    try:
        doc = json.loads(out.stdout)
        return doc, None
    except json.JSONDecodeError as e:
        return None, f"{' '.join(args)}: not JSON ({e}): {out.stdout[:200]!r}"


# ---------------------------------------------------------------- the cases

def cases(data_dir, shared_dir):
    """(label, model, path, data, penalties) to run."""
    small_p = os.path.join(data_dir, "fit-cdnow-summary-200.csv")
    small_s = os.path.join(data_dir, "fit-cdnow-200.csv")
    out = []
    for model in MODELS:
        path = small_s if model == "gamma-gamma" else small_p
        out.append(("cdnow-200", model, path, PENALTIES))
    if shared_dir:
        full_p = os.path.join(shared_dir, "cdnow_customers_summary.csv")
        full_s = os.path.join(shared_dir, "cdnow_customers_summary_with_transactions.csv")
        if os.path.isfile(full_p) and os.path.isfile(full_s):
            for model in MODELS:
                path = full_s if model == "gamma-gamma" else full_p
                # Fewer penalties on the full sample (each costs a few SciPy fits).
                pens = [0.0, 0.001, 0.1, 1.0]
                out.append(("cdnow-2357", model, path, pens))
        else:
            print(f"(no CDNOW summaries in {shared_dir}: the 200-customer files only)")
    loaded = {}
    for label, model, path, pens in out:
        kind = MODELS[model][3]
        if path not in loaded:
            loaded[path] = purchase_data(path) if kind == "purchase" else spend_data(path)
        yield label, model, path, loaded[path], pens


def check_against_cltv(binary, data_dir, shared_dir):
    failures = []
    for label, model, path, data, pens in cases(data_dir, shared_dir):
        norms = []  # (C, Σθ̃² of cltv's estimate, of SciPy's)
        for C in pens:
            obj = Objective(model, data, C)
            opt_params, f_opt = scipy_minimum(obj, len(obj.names))
            runs = [("", C)] if C > 0 else [("", 0.0), (" (no flag)", None)]
            for suffix, flag in runs:
                doc, err = run_cltv(binary, model, path, flag)
                what = f"{label} {model} C={C:g}{suffix}"
                at_boundary = min(opt_params) < BOUNDARY
                if err and at_boundary and "no interior maximum" in err:
                    # Right to refuse: SciPy's minimum has a parameter running off to 0 too.
                    print(f"{what}: refused, as it should: SciPy's minimum is at the boundary "
                          f"({dict(zip(obj.names, opt_params))})")
                    continue
                if err:
                    failures.append(f"{what}: {err}")
                    print(f"{what}: FAIL {err}")
                    continue
                est = np.array([float(doc["parameters"][k]) for k in obj.names])
                problems, nums = compare(obj, est, float(doc["log_likelihood"]), opt_params,
                                         f_opt, PARAM_TOL, doc.get("penalty"))
                if flag is not None:
                    norms.append((C, obj.shrunk_norm(est), obj.shrunk_norm(opt_params)))
                # Sensitivity: the optimum with 2C must fail the f check at C.
                sens = ""
                if C > 0:
                    opt2, _ = scipy_minimum(Objective(model, data, 2 * C), len(obj.names))
                    d2 = (obj(np.log(opt2)) - f_opt) / abs(f_opt)
                    sens = f"  f(opt at 2C)-f {d2:.1e}"
                    if d2 <= F_ABOVE:
                        problems.append(f"insensitive: the 2C optimum is only {d2:.3g} "
                                        f"above f's minimum (<= {F_ABOVE:g})")
                params = " ".join(f"{k} {v:.6g}" for k, v in zip(obj.names, est))
                print(f"{what}: f rel diff {nums['df']:+.1e}, max param dev {nums['dev']:.1e},"
                      f" ll rel diff {nums['dll']:.1e}{sens}  [{params}]"
                      + ("" if not problems else "  FAIL"))
                failures += [f"{what}: {p}" for p in problems]
        # Shrinkage: Σθ̃² non-increasing in C (a property of penalised minima).
        for (c0, a0, s0), (c1, a1, s1) in zip(norms, norms[1:]):
            for who, n0, n1 in (("cltv", a0, a1), ("SciPy", s0, s1)):
                if n1 > n0 * (1 + 1e-9):
                    failures.append(f"{label} {model}: {who}'s Σθ̃² grows from {n0!r} at "
                                    f"C={c0:g} to {n1!r} at C={c1:g}")
        print(f"{label} {model}: Σθ̃² " + " > ".join(f"{a:.4g}" for _, a, _ in norms))
    return failures


def self_check(data_dir):
    """No cltv: estimates from wrong objectives must fail compare(), the right one pass."""
    failures = []
    for label, model, path, data, _ in cases(data_dir, None):
        for C in (0.01, 0.1):
            right = Objective(model, data, C)
            opt, f_opt = scipy_minimum(right, len(right.names))
            tol = PARAM_TOL
            # The right estimate passes (its own log-likelihood, the right penalty field).
            problems, _ = compare(right, opt, right.total_ll(opt), opt, f_opt, tol, C)
            if problems:
                failures.append(f"{label} {model} C={C:g}: the right estimate fails: {problems}")
            for wrong in ("double", "unscaled", "total"):
                if wrong == "unscaled" and data["scale"] is None:
                    continue  # Gamma-Gamma has no time scale
                bad = Objective(model, data, C, wrong)
                est, _ = scipy_minimum(bad, len(bad.names))
                problems, nums = compare(right, est, right.total_ll(est), opt, f_opt, tol, C)
                print(f"{label} {model} C={C:g} wrong={wrong}: f rel diff {nums['df']:+.1e}, "
                      f"max param dev {nums['dev']:.1e} -> "
                      + ("caught" if problems else "NOT CAUGHT"))
                if not problems:
                    failures.append(f"{label} {model} C={C:g}: a {wrong} penalty passes")
            # A wrong log_likelihood (the penalised value, times N) must be caught too.
            pen_ll = -right(np.log(opt)) * right.n
            problems, _ = compare(right, opt, pen_ll, opt, f_opt, tol, C)
            if not problems:
                failures.append(f"{label} {model} C={C:g}: a penalised log_likelihood passes")
            # And so must a missing "penalty" field.
            problems, _ = compare(right, opt, right.total_ll(opt), opt, f_opt, tol, None)
            if not problems:
                failures.append(f'{label} {model} C={C:g}: no "penalty" field passes')
    return failures


def main():
    start = time.perf_counter()
    if len(sys.argv) == 3 and sys.argv[1] == "--self-check":
        failures = self_check(sys.argv[2])
    elif len(sys.argv) in (3, 4):
        binary, data_dir = sys.argv[1], sys.argv[2]
        shared = sys.argv[3] if len(sys.argv) == 4 else None
        if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
            print(f"skipped: no cltv binary at {binary}")
            sys.exit(77)
        failures = check_against_cltv(binary, data_dir, shared)
    else:
        sys.exit(__doc__.split("\n\n")[1])
    print(f"({time.perf_counter() - start:.1f} s)")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
