"""Compiled inner loops of the ERGM engine: change statistics and the Metropolis-Hastings sampler.

Only plain arrays cross this boundary. The network state is

- ``adj``: ``uint8`` adjacency matrix (symmetric when undirected);
- ``outdeg``, ``indeg``: degrees (equal when undirected);
- ``twopath``: ``twopath[a, b]`` = number of ``c`` with ``a -> c -> b`` (undirected: common
  neighbours), kept up to date only when a term needs it (triangle, gwesp, gwdsp); its diagonal
  is not used;
- ``edge_tail``, ``edge_head``, ``edge_pos`` (``int32``, half the cache of ``int64``), ``n_edges``:
  an edge list with positions, so that the tie/no-tie (TNT) proposal can draw a present tie
  uniformly in O(1);
- ``bits``: the same adjacency as bit sets, ``uint64`` of shape ``(2, n, words)``: ``bits[0, a]``
  the out-neighbours of ``a`` (row ``a``), ``bits[1, a]`` its in-neighbours (column ``a``), 64
  nodes to a word. Shared-partner terms (triangle, gwesp, gwdsp) and the two-path update walk
  only the set bits of an intersection, a few words per row, instead of every node: on a
  288-node network with density 0.1 that is about 30 neighbours instead of 288 nodes.

Geometrically weighted terms read ``r ** k`` from a table made once per compiled call, with the
same expression, so the numbers are exactly those of computing the powers on the spot.

Change statistics follow the formulas in :mod:`medkit.ergm.reference` (a short pure-Python
version the tests compare with these kernels). Each formula gives the change from adding
``i -> j`` to the network *without* that tie, whatever its current state, so removing a tie is
the negative of the same number.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

MUTUAL, TRIANGLE, KSTAR, ISTAR, OSTAR, GWESP, GWDSP, GWDEG, GWIDEG, GWODEG = range(1, 11)


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


@njit(cache=True, inline="always")
def _uniform(rng_state):
    """A uniform draw in [0, 1) from a splitmix64 generator (state: one uint64 in an array)."""
    rng_state[0] += _GOLDEN
    z = rng_state[0]
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@njit(cache=True, inline="always")
def _comb(m, k):
    if k < 0 or m < k:
        return 0.0
    out = 1.0
    for t in range(k):
        out = out * (m - t) / (t + 1)
    return out


@intrinsic
def _ctz(typingctx, x):
    """Trailing zero bits of a non-zero ``uint64`` (one machine instruction)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.cttz(args[0], ir.Constant(ir.IntType(1), 1))

    return sig, codegen


@intrinsic
def _popcount(typingctx, x):
    """Set bits of a ``uint64`` (one machine instruction)."""
    sig = types.uint64(types.uint64)

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return sig, codegen


_ONE = np.uint64(1)


def adjacency_bits(adj: np.ndarray, directed: bool) -> np.ndarray:
    """The bit sets of an adjacency matrix: ``uint64`` ``(2, n, words)`` (see module doc)."""
    adj = np.asarray(adj, dtype=np.uint8)
    n = adj.shape[0]
    words = max(1, (n + 63) // 64)
    out = np.zeros((2, n, words), dtype=np.uint64)
    for side, mat in enumerate((adj, adj.T if directed else adj)):
        packed = np.packbits(mat != 0, axis=1, bitorder="little")
        padded = np.zeros((n, words * 8), dtype=np.uint8)
        padded[:, : packed.shape[1]] = packed
        out[side] = padded.view("<u8").astype(np.uint64)
    return out


@njit(cache=True, inline="always")
def _flip(bits, side, a, b):
    bits[side, a, b >> 6] ^= _ONE << np.uint64(b & 63)


@njit(cache=True, nogil=True)
def power_table(codes, params, n):
    """``table[t, k] = r_t ** k`` for ``k = 0..n``, ``r_t = 1 - exp(-params[t])``."""
    table = np.empty((codes.shape[0], n + 1))
    for t in range(codes.shape[0]):
        r = 1.0 - np.exp(-params[t])
        for k in range(n + 1):
            table[t, k] = r**k
    return table


@njit(cache=True, inline="always")
def _pw(table, t, k, r):
    if k >= 0 and k < table.shape[1]:
        return table[t, k]
    return r**k


@njit(cache=True, nogil=True)
def dependent_change(
    code, t, param, i, j, adj, adjt, outdeg, indeg, twopath, bits, table, directed
):
    """Change of one dyad-dependent statistic (term ``t``) when ``i -> j`` is added.

    ``adjt`` is the transposed adjacency matrix (the same array when undirected), ``bits``
    the adjacency as bit sets and ``table`` the powers of the geometric weights (module doc)."""
    s = int(adj[i, j])
    if code == MUTUAL:
        return float(adj[j, i])
    if code == TRIANGLE:
        if directed:
            # sum over k of (a_jk + a_kj)(a_ik + a_ki): four intersections of neighbour sets
            c = 0
            for w in range(bits.shape[2]):
                oj = bits[0, j, w]
                ij = bits[1, j, w]
                oi = bits[0, i, w]
                ii = bits[1, i, w]
                c += int(_popcount(oj & ii)) + int(_popcount(oj & oi))
                c += int(_popcount(ij & ii)) + int(_popcount(ij & oi))
            return float(c)
        return float(twopath[i, j])
    if code == KSTAR:
        k = int(param)
        return _comb(outdeg[i] - s, k - 1) + _comb(outdeg[j] - s, k - 1)
    if code == ISTAR:
        return _comb(indeg[j] - s, int(param) - 1)
    if code == OSTAR:
        return _comb(outdeg[i] - s, int(param) - 1)
    r = 1.0 - np.exp(-param)
    if code == GWESP:
        c = np.exp(param) * (1.0 - _pw(table, t, twopath[i, j], r))
        if directed:
            # b with j -> b and i -> b (b != i): the tie i -> b gains the partner j; b with
            # b -> i and b -> j (b != j): the tie b -> j gains the partner i. Nodes in
            # increasing order, both cases of a node together (the order of the sum is fixed)
            for w in range(bits.shape[2]):
                x = bits[0, j, w] & bits[0, i, w]
                y = bits[1, i, w] & bits[1, j, w]
                u = x | y
                while u:
                    low = u & (~u + _ONE)
                    u ^= low
                    b = (w << 6) + int(_ctz(low))
                    if x & low and b != i:
                        c += _pw(table, t, twopath[i, b] - s, r)
                    if y & low and b != j:
                        c += _pw(table, t, twopath[b, j] - s, r)
        else:
            for w in range(bits.shape[2]):
                x = bits[0, i, w] & bits[0, j, w]
                while x:
                    k = (w << 6) + int(_ctz(x))
                    x &= x - _ONE
                    c += _pw(table, t, twopath[i, k] - s, r) + _pw(table, t, twopath[j, k] - s, r)
        return c
    if code == GWDSP:
        c = 0.0
        for w in range(bits.shape[2]):
            if directed:  # two-paths i -> j -> b and b -> i -> j
                x = bits[0, j, w]
                y = bits[1, i, w]
            else:
                x = bits[0, j, w]
                y = bits[0, i, w]
            u = x | y
            while u:
                low = u & (~u + _ONE)
                u ^= low
                b = (w << 6) + int(_ctz(low))
                if x & low and b != i:
                    c += _pw(table, t, twopath[i, b] - s, r)
                if y & low and b != j:
                    if directed:
                        c += _pw(table, t, twopath[b, j] - s, r)
                    else:
                        c += _pw(table, t, twopath[j, b] - s, r)
        return c
    if code == GWDEG:
        return _pw(table, t, outdeg[i] - s, r) + _pw(table, t, outdeg[j] - s, r)
    if code == GWIDEG:
        return _pw(table, t, indeg[j] - s, r)
    if code == GWODEG:
        return _pw(table, t, outdeg[i] - s, r)
    return 0.0


@njit(cache=True, nogil=True)
def _change_vector(
    i,
    j,
    adj,
    adjt,
    outdeg,
    indeg,
    twopath,
    bits,
    table,
    directed,
    indep,
    indep_cols,
    codes,
    params,
    dep_cols,
    out,
):
    for q in range(indep_cols.shape[0]):
        out[indep_cols[q]] = indep[i, j, q]
    for t in range(codes.shape[0]):
        out[dep_cols[t]] = dependent_change(
            codes[t], t, params[t], i, j, adj, adjt, outdeg, indeg, twopath, bits, table, directed
        )


def change_vector(
    i, j, adj, outdeg, indeg, twopath, directed, indep, indep_cols, codes, params, dep_cols, out
):
    """Fill ``out`` with every statistic's change for adding ``i -> j``."""
    adjt = np.ascontiguousarray(adj.T)
    bits = adjacency_bits(adj, directed)
    table = power_table(codes, params, adj.shape[0])
    _change_vector_entry(
        i, j, adj, adjt, outdeg, indeg, twopath, bits, table, directed, indep, indep_cols, codes,
        params, dep_cols, out,
    )  # fmt: skip


@njit(cache=True)
def _change_vector_entry(
    i, j, adj, adjt, outdeg, indeg, twopath, bits, table, directed, indep, indep_cols, codes,
    params, dep_cols, out,
):  # fmt: skip
    _change_vector(
        i, j, adj, adjt, outdeg, indeg, twopath, bits, table, directed, indep, indep_cols, codes,
        params, dep_cols, out,
    )  # fmt: skip


def toggle(i, j, adj, outdeg, indeg, twopath, use_twopath, directed, etail, ehead, epos, nedges):
    """Toggle the tie ``i -> j`` (``{i, j}`` with ``i < j`` when undirected), updating the state."""
    adjt = np.ascontiguousarray(adj.T)
    bits = adjacency_bits(adj, directed)
    _toggle_entry(
        i, j, adj, adjt, outdeg, indeg, twopath, bits, use_twopath, directed, etail, ehead, epos,
        nedges,
    )  # fmt: skip


@njit(cache=True)
def _toggle_entry(
    i, j, adj, adjt, outdeg, indeg, twopath, bits, use_twopath, directed, etail, ehead, epos,
    nedges,
):  # fmt: skip
    _toggle(
        i, j, adj, adjt, outdeg, indeg, twopath, bits, use_twopath, directed, etail, ehead, epos,
        nedges,
    )  # fmt: skip


@njit(cache=True, nogil=True)
def _toggle(
    i, j, adj, adjt, outdeg, indeg, twopath, bits, use_twopath, directed, etail, ehead, epos, nedges
):
    s = adj[i, j]
    sign = -1 if s else 1
    if use_twopath:
        if directed:
            # two-paths i -> j -> b and b -> i -> j
            for w in range(bits.shape[2]):
                x = bits[0, j, w]
                while x:
                    b = (w << 6) + int(_ctz(x))
                    x &= x - _ONE
                    if b != i:
                        twopath[i, b] += sign
                y = bits[1, i, w]
                while y:
                    b = (w << 6) + int(_ctz(y))
                    y &= y - _ONE
                    if b != j:
                        twopath[b, j] += sign
        else:
            for w in range(bits.shape[2]):
                x = bits[0, j, w]
                while x:
                    k = (w << 6) + int(_ctz(x))
                    x &= x - _ONE
                    if k != i and k != j:
                        twopath[i, k] += sign
                        twopath[k, i] += sign
                y = bits[0, i, w]
                while y:
                    k = (w << 6) + int(_ctz(y))
                    y &= y - _ONE
                    if k != i and k != j:
                        twopath[j, k] += sign
                        twopath[k, j] += sign
    _flip(bits, 0, i, j)
    _flip(bits, 1, j, i)
    if not directed:
        _flip(bits, 0, j, i)
        _flip(bits, 1, i, j)
    if s:
        adj[i, j] = 0
        adjt[j, i] = 0
        if not directed:
            adj[j, i] = 0
            adjt[i, j] = 0
        k = epos[i, j]
        last = nedges[0] - 1
        lt = etail[last]
        lh = ehead[last]
        etail[k] = lt
        ehead[k] = lh
        epos[lt, lh] = k
        epos[i, j] = -1
        nedges[0] = last
    else:
        adj[i, j] = 1
        adjt[j, i] = 1
        if not directed:
            adj[j, i] = 1
            adjt[i, j] = 1
        k = nedges[0]
        etail[k] = i
        ehead[k] = j
        epos[i, j] = k
        nedges[0] = k + 1
    outdeg[i] += sign
    indeg[j] += sign
    if not directed:
        outdeg[j] += sign
        indeg[i] += sign


def dyad_change_matrix(
    rows, cols, adj, outdeg, indeg, twopath, directed, indep, indep_cols, codes, params, dep_cols
):
    """Change statistics of adding each dyad ``rows[d] -> cols[d]`` to the observed network."""
    p = indep_cols.shape[0] + codes.shape[0]
    out = np.empty((rows.shape[0], p))
    i64 = np.zeros(1, dtype=np.int64)
    i32 = np.zeros(1, dtype=np.int32)
    f64 = np.zeros(p)
    _kernel(
        1,
        np.ascontiguousarray(rows, dtype=np.int64),
        np.ascontiguousarray(cols, dtype=np.int64),
        adj,
        np.ascontiguousarray(adj.T),
        outdeg,
        indeg,
        twopath,
        adjacency_bits(adj, directed),
        False,
        bool(directed),
        i32,
        i32.copy(),
        np.zeros((1, 1), dtype=np.int32),
        i64.copy(),
        indep,
        indep_cols,
        codes,
        params,
        dep_cols,
        f64,
        f64.copy(),
        i64.copy(),
        1,
        0,
        out,
        i64.copy(),
        np.zeros(1, dtype=np.uint64),
    )
    return out


_NO_DYADS = np.zeros(0, dtype=np.int64)


def mh_chain(
    adj,
    outdeg,
    indeg,
    twopath,
    use_twopath,
    directed,
    etail,
    ehead,
    epos,
    nedges,
    indep,
    indep_cols,
    codes,
    params,
    dep_cols,
    theta,
    stats,
    countdown,
    interval,
    max_steps,
    out,
    edges_out,
    rng_state,
    adjt=None,
    bits=None,
):
    """Run a tie/no-tie Metropolis-Hastings chain, recording ``stats`` every ``interval`` steps.

    ``stats`` (the current network's statistics), the network state, ``countdown`` (steps left
    before the next record, one int64 in an array) and ``rng_state`` (one uint64) are updated in
    place, so a chain can be continued by calling again: cutting a run into several calls gives
    exactly the same chain. The call returns after ``max_steps`` proposals or when every row of
    ``out`` is filled, whichever comes first; ``out`` gets one row per recorded sample and
    ``edges_out`` the number of ties of each recorded network. ``adjt``, the transposed
    adjacency matrix kept up to date with ``adj`` (the same array when undirected), and
    ``bits``, the adjacency as bit sets (:func:`adjacency_bits`), are made afresh when not
    given. The compiled code releases the GIL, so chains can run in parallel
    threads.
    Returns the number of rows filled.
    """
    if adjt is None:
        adjt = np.ascontiguousarray(adj.T) if directed else adj
    if bits is None:
        bits = adjacency_bits(adj, directed)
    return _kernel(
        0,
        _NO_DYADS,
        _NO_DYADS,
        adj,
        adjt,
        outdeg,
        indeg,
        twopath,
        bits,
        bool(use_twopath),
        bool(directed),
        etail,
        ehead,
        epos,
        nedges,
        indep,
        indep_cols,
        codes,
        params,
        dep_cols,
        theta,
        stats,
        countdown,
        int(interval),
        int(max_steps),
        out,
        edges_out,
        rng_state,
    )


@njit(cache=True, nogil=True)
def _kernel(
    job,
    rows,
    cols,
    adj,
    adjt,
    outdeg,
    indeg,
    twopath,
    bits,
    use_twopath,
    directed,
    etail,
    ehead,
    epos,
    nedges,
    indep,
    indep_cols,
    codes,
    params,
    dep_cols,
    theta,
    stats,
    countdown,
    interval,
    max_steps,
    out,
    edges_out,
    rng_state,
):
    """The one compiled entry point (one compilation serves both jobs).

    ``job == 0``: the Metropolis-Hastings chain of :func:`mh_chain`. ``job == 1``: fill ``out``
    with the change statistics of each dyad ``rows[d] -> cols[d]`` (:func:`dyad_change_matrix`).
    """
    n = adj.shape[0]
    p = stats.shape[0]
    delta = np.empty(p)
    table = power_table(codes, params, n)
    if job == 1:
        for d in range(rows.shape[0]):
            _change_vector(
                rows[d],
                cols[d],
                adj,
                adjt,
                outdeg,
                indeg,
                twopath,
                bits,
                table,
                directed,
                indep,
                indep_cols,
                codes,
                params,
                dep_cols,
                delta,
            )
            for q in range(p):
                out[d, q] = delta[q]
        return rows.shape[0]
    # theta . (dyad-independent change statistics) of every dyad, made once per call: one
    # read per proposal instead of one per term, and a table small enough to stay in cache
    eta = np.zeros((n, n))
    for a in range(n):
        for b in range(n):
            v = 0.0
            for q in range(indep_cols.shape[0]):
                v += theta[indep_cols[q]] * indep[a, b, q]
            eta[a, b] = v
    ndyads = n * (n - 1) if directed else n * (n - 1) // 2
    half_inv_dyads = 0.5 / ndyads
    nrec = out.shape[0]
    k = 0
    steps = 0
    while k < nrec and steps < max_steps:
        steps += 1
        ne = nedges[0]
        if ne > 0 and _uniform(rng_state) < 0.5:
            e = int(_uniform(rng_state) * ne)
            i = etail[e]
            j = ehead[e]
        else:
            i = int(_uniform(rng_state) * n)
            j = int(_uniform(rng_state) * (n - 1))
            if j >= i:
                j += 1
            if not directed and i > j:
                i, j = j, i
        s = adj[i, j]
        # log-ratio: the dyad-independent part from the table ``eta``, then each dependent term
        lr = eta[i, j]
        for t in range(codes.shape[0]):
            d = dependent_change(
                codes[t],
                t,
                params[t],
                i,
                j,
                adj,
                adjt,
                outdeg,
                indeg,
                twopath,
                bits,
                table,
                directed,
            )
            delta[t] = d
            lr += theta[dep_cols[t]] * d
        sign = -1.0 if s else 1.0
        lr *= sign
        # tie/no-tie proposal: forward and reverse proposal probabilities
        if s == 0:
            qf = half_inv_dyads if ne > 0 else 2.0 * half_inv_dyads
            qr = 0.5 / (ne + 1) + half_inv_dyads
        else:
            qf = 0.5 / ne + half_inv_dyads
            qr = half_inv_dyads if ne > 1 else 2.0 * half_inv_dyads
        if lr > 30.0:
            accept = True
        else:
            accept = _uniform(rng_state) * qf < np.exp(lr) * qr
        if accept:
            _toggle(
                i,
                j,
                adj,
                adjt,
                outdeg,
                indeg,
                twopath,
                bits,
                use_twopath,
                directed,
                etail,
                ehead,
                epos,
                nedges,
            )
            for q in range(indep_cols.shape[0]):
                stats[indep_cols[q]] += sign * indep[i, j, q]
            for t in range(codes.shape[0]):
                stats[dep_cols[t]] += sign * delta[t]
        countdown[0] -= 1
        if countdown[0] <= 0:
            for q in range(p):
                out[k, q] = stats[q]
            edges_out[k] = nedges[0]
            k += 1
            countdown[0] = interval
    return k


def warm_up(background: bool = False):
    """Compile (or load from the on-disk cache) the sampler kernel before the first fit.

    With ``background=True`` the work runs in a daemon thread and the thread is returned: the
    compiler's machine-code stage releases the GIL, so a notebook can warm up while the learner
    reads. Binder's build and a fresh environment can call ``warm_up()`` once so that even
    the first fit finds the cache.

    Examples
    --------
    >>> warm_up()  # doctest: +SKIP
    """
    import threading

    def _compile():
        n = 4
        adj = np.zeros((n, n), dtype=np.uint8)
        deg = np.zeros(n, dtype=np.int64)
        dyads = np.array([0, 1], dtype=np.int64)
        dyad_change_matrix(
            dyads,
            dyads[::-1].copy(),
            adj,
            deg,
            deg.copy(),
            np.zeros((n, n), dtype=np.int64),
            False,
            np.zeros((n, n, 1)),
            np.array([0], dtype=np.int64),
            np.array([TRIANGLE], dtype=np.int64),
            np.zeros(1),
            np.array([1], dtype=np.int64),
        )

    if not background:
        _compile()
        return None
    thread = threading.Thread(target=_compile, name="medkit-ergm-warm-up", daemon=True)
    thread.start()
    return thread
