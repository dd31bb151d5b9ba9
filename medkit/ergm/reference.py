"""Pure-Python reference of the change statistics (read this to learn; the kernels are faster).

The *change statistic* of a statistic ``g`` for the dyad ``i -> j`` is
``g(y with i->j) - g(y without i->j)``. Each function below computes it directly from the
adjacency matrix ``y`` (a list of lists or array of 0/1), with loops a reader can follow. The
tests check that the compiled kernels give the same numbers, and that both equal differences
of summary statistics.
"""

from __future__ import annotations

from math import comb, exp


def _without(y, i, j, directed):
    """Copy of y with the tie i -> j (and j -> i if undirected) removed."""
    z = [list(row) for row in y]
    z[i][j] = 0
    if not directed:
        z[j][i] = 0
    return z


def change_mutual(y, i, j, directed=True):
    # adding i->j creates a mutual pair exactly when j->i is there
    return float(y[j][i])


def change_triangle(y, i, j, directed):
    z = _without(y, i, j, directed)
    n = len(z)
    if not directed:
        # every common neighbour k closes a triangle i-j-k
        return float(sum(z[i][k] and z[j][k] for k in range(n)))
    # directed: each tie between k and j, times each tie between k and i
    return float(
        sum((z[j][k] + z[k][j]) * (z[k][i] + z[i][k]) for k in range(n) if k not in (i, j))
    )


def _degree(z, v, direction):
    n = len(z)
    if direction == "in":
        return sum(z[u][v] for u in range(n))
    return sum(z[v][u] for u in range(n))


def change_star(y, i, j, directed, k, kind):
    """kstar (undirected), istar, ostar: a new tie adds C(d, k-1) stars at each end of degree d."""
    z = _without(y, i, j, directed)
    if kind == "kstar":
        return float(comb(_degree(z, i, "out"), k - 1) + comb(_degree(z, j, "out"), k - 1))
    if kind == "istar":
        return float(comb(_degree(z, j, "in"), k - 1))
    return float(comb(_degree(z, i, "out"), k - 1))


def _shared(z, a, b, directed):
    """Shared partners of (a, b): outgoing two-paths a -> c -> b when directed."""
    n = len(z)
    return sum(z[a][c] and z[c][b] for c in range(n) if c not in (a, b))


def change_gwesp(y, i, j, directed, decay):
    z = _without(y, i, j, directed)
    n = len(z)
    r = 1.0 - exp(-decay)
    # the new tie's own shared partners ...
    change = exp(decay) * (1.0 - r ** _shared(z, i, j, directed))
    # ... and each tie that gains one shared partner from it gains r**(its old count)
    if directed:
        for b in range(n):
            if b not in (i, j) and z[j][b] and z[i][b]:  # i -> j -> b completes i -> b
                change += r ** _shared(z, i, b, directed)
        for a in range(n):
            if a not in (i, j) and z[a][i] and z[a][j]:  # a -> i -> j completes a -> j
                change += r ** _shared(z, a, j, directed)
    else:
        for k in range(n):
            if k not in (i, j) and z[i][k] and z[j][k]:
                change += r ** _shared(z, i, k, directed) + r ** _shared(z, j, k, directed)
    return change


def change_gwdsp(y, i, j, directed, decay):
    z = _without(y, i, j, directed)
    n = len(z)
    r = 1.0 - exp(-decay)
    change = 0.0
    if directed:
        for b in range(n):
            if b not in (i, j) and z[j][b]:  # pair (i, b) gains the two-path via j
                change += r ** _shared(z, i, b, directed)
        for a in range(n):
            if a not in (i, j) and z[a][i]:  # pair (a, j) gains the two-path via i
                change += r ** _shared(z, a, j, directed)
    else:
        for k in range(n):
            if k not in (i, j) and z[j][k]:
                change += r ** _shared(z, i, k, directed)
            if k not in (i, j) and z[i][k]:
                change += r ** _shared(z, j, k, directed)
    return change


def change_gwdegree(y, i, j, directed, decay, kind):
    """A node whose degree goes from d to d+1 adds r**d (r = 1 - exp(-decay))."""
    z = _without(y, i, j, directed)
    r = 1.0 - exp(-decay)
    if kind == "gwdegree":
        return r ** _degree(z, i, "out") + r ** _degree(z, j, "out")
    if kind == "gwidegree":
        return r ** _degree(z, j, "in")
    return r ** _degree(z, i, "out")


def change_statistics(model, y, i, j) -> list[float]:
    """Change statistics of every term of ``model`` for the dyad ``i -> j`` of network ``y``."""
    from medkit.ergm import terms as T

    out: list[float] = []
    directed = model.directed
    q = 0
    indep = model.indep_array
    for term in model.terms:
        if term.independent:
            for _ in range(term.size):
                out.append(float(indep[i, j, q]))
                q += 1
            continue
        for code, param in term.kernel:
            if code == T.MUTUAL:
                out.append(change_mutual(y, i, j))
            elif code == T.TRIANGLE:
                out.append(change_triangle(y, i, j, directed))
            elif code in (T.KSTAR, T.ISTAR, T.OSTAR):
                kind = {T.KSTAR: "kstar", T.ISTAR: "istar", T.OSTAR: "ostar"}[code]
                out.append(change_star(y, i, j, directed, int(param), kind))
            elif code == T.GWESP:
                out.append(change_gwesp(y, i, j, directed, param))
            elif code == T.GWDSP:
                out.append(change_gwdsp(y, i, j, directed, param))
            else:
                kind = {T.GWDEG: "gwdegree", T.GWIDEG: "gwidegree", T.GWODEG: "gwodegree"}[code]
                out.append(change_gwdegree(y, i, j, directed, param, kind))
    return out
