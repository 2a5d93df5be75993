//! Dominator trees by Lengauer–Tarjan (with path compression), written without recursion so
//! that a flow of any length cannot overflow the stack. O(E log V).

/// The dominator tree of the nodes reachable from a root, with O(1) dominance queries.
#[derive(Clone, Debug)]
pub struct Dominators {
    idom: Vec<usize>,
    pre: Vec<usize>,
    post: Vec<usize>,
}

const NONE: usize = usize::MAX;

impl Dominators {
    /// Computes the dominator tree of `successors` (node → its successors) from `root`.
    pub fn new(successors: &[Vec<usize>], root: usize) -> Dominators {
        let n = successors.len();
        // Depth-first numbering.
        let mut dfnum = vec![NONE; n];
        let mut vertex = Vec::with_capacity(n);
        let mut parent = vec![NONE; n];
        let mut stack = vec![(root, NONE)];
        while let Some((v, p)) = stack.pop() {
            if dfnum[v] != NONE {
                continue;
            }
            dfnum[v] = vertex.len();
            vertex.push(v);
            parent[v] = p;
            for &w in successors[v].iter().rev() {
                if dfnum[w] == NONE {
                    stack.push((w, v));
                }
            }
        }
        let mut predecessors = vec![Vec::new(); n];
        for (v, succ) in successors.iter().enumerate() {
            if dfnum[v] != NONE {
                for &w in succ {
                    predecessors[w].push(v);
                }
            }
        }
        let mut semi: Vec<usize> = (0..n).collect();
        let mut ancestor = vec![NONE; n];
        let mut label: Vec<usize> = (0..n).collect();
        let mut idom = vec![NONE; n];
        let mut bucket = vec![Vec::new(); n];
        let mut path = Vec::new();
        // `eval`: the node of least semidominator on the forest path to `v`, compressing the
        // path as it goes (iteratively, from the top down).
        let mut eval = |v: usize, ancestor: &mut [usize], label: &mut [usize], semi: &[usize]| {
            if ancestor[v] == NONE {
                return v;
            }
            path.clear();
            let mut u = v;
            while ancestor[ancestor[u]] != NONE {
                path.push(u);
                u = ancestor[u];
            }
            for &w in path.iter().rev() {
                let a = ancestor[w];
                if dfnum[semi[label[a]]] < dfnum[semi[label[w]]] {
                    label[w] = label[a];
                }
                ancestor[w] = ancestor[a];
            }
            label[v]
        };
        for i in (1..vertex.len()).rev() {
            let w = vertex[i];
            let p = parent[w];
            for &v in &predecessors[w] {
                let u = eval(v, &mut ancestor, &mut label, &semi);
                if dfnum[semi[u]] < dfnum[semi[w]] {
                    semi[w] = semi[u];
                }
            }
            bucket[semi[w]].push(w);
            ancestor[w] = p;
            for v in std::mem::take(&mut bucket[p]) {
                let u = eval(v, &mut ancestor, &mut label, &semi);
                idom[v] = if dfnum[semi[u]] < dfnum[semi[v]] {
                    u
                } else {
                    p
                };
            }
        }
        for &w in vertex.iter().skip(1) {
            if idom[w] != semi[w] {
                idom[w] = idom[idom[w]];
            }
        }
        if let Some(&r) = vertex.first() {
            idom[r] = r;
        }
        let (pre, post) = tree_numbers(&idom, &vertex);
        Dominators { idom, pre, post }
    }

    /// The immediate dominator of `v` (the root's is itself); `None` when unreachable.
    pub fn idom(&self, v: usize) -> Option<usize> {
        self.idom.get(v).copied().filter(|&d| d != NONE)
    }

    /// Whether `v` is reachable from the root.
    pub fn reachable(&self, v: usize) -> bool {
        self.idom(v).is_some()
    }

    /// Whether `a` dominates `b` (every path from the root to `b` passes `a`; reflexive).
    pub fn dominates(&self, a: usize, b: usize) -> bool {
        self.reachable(a)
            && self.reachable(b)
            && self.pre[a] <= self.pre[b]
            && self.post[b] <= self.post[a]
    }
}

/// Pre- and post-order numbers of the dominator tree, for O(1) ancestor tests.
fn tree_numbers(idom: &[usize], vertex: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let n = idom.len();
    let mut children = vec![Vec::new(); n];
    for &v in vertex.iter().skip(1) {
        children[idom[v]].push(v);
    }
    let mut pre = vec![NONE; n];
    let mut post = vec![NONE; n];
    let Some(&root) = vertex.first() else {
        return (pre, post);
    };
    let (mut next_pre, mut next_post) = (0, 0);
    let mut stack = vec![(root, 0)];
    pre[root] = next_pre;
    next_pre += 1;
    while let Some((v, i)) = stack.pop() {
        if let Some(&c) = children[v].get(i) {
            stack.push((v, i + 1));
            pre[c] = next_pre;
            next_pre += 1;
            stack.push((c, 0));
        } else {
            post[v] = next_post;
            next_post += 1;
        }
    }
    (pre, post)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dominance by definition: `a` dominates `b` iff `b` is unreachable once `a` is removed.
    fn brute(succ: &[Vec<usize>], a: usize, b: usize) -> bool {
        let reach = |skip: Option<usize>| {
            let mut seen = vec![false; succ.len()];
            let mut stack = vec![0];
            while let Some(v) = stack.pop() {
                if Some(v) == skip || seen[v] {
                    continue;
                }
                seen[v] = true;
                stack.extend(&succ[v]);
            }
            seen
        };
        reach(None)[b] && (a == b || !reach(Some(a))[b])
    }

    #[test]
    fn agrees_with_the_definition_on_pseudo_random_graphs() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut rand = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for _ in 0..300 {
            let n = 1 + rand(12);
            let succ: Vec<Vec<usize>> = (0..n)
                .map(|_| (0..rand(3)).map(|_| rand(n)).collect())
                .collect();
            let dom = Dominators::new(&succ, 0);
            for a in 0..n {
                for b in 0..n {
                    assert_eq!(dom.dominates(a, b), brute(&succ, a, b), "{succ:?} {a} {b}");
                }
            }
        }
    }

    #[test]
    fn long_chains_do_not_overflow_the_stack() {
        let n = 200_000;
        let succ: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![] })
            .collect();
        let dom = Dominators::new(&succ, 0);
        assert!(dom.dominates(0, n - 1));
        assert_eq!(dom.idom(n - 1), Some(n - 2));
    }
}
