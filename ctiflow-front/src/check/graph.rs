//! The flow as a graph: blocks are nodes, connected ports are edges. Reachability, cycles and
//! the availability of block results (by dominators) are computed here.

use std::collections::{HashMap, VecDeque};

use crate::catalog::{Block, Catalog, Port, Results};
use crate::check::dominators::Dominators;
use crate::model::{Action, Flow};

/// One connected port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    /// The port taken.
    pub port: Port,
    /// The index of the block it leads to.
    pub to: usize,
}

/// The graph of a flow. Nodes are indexes into `flow.actions`.
#[derive(Clone, Debug)]
pub struct Graph {
    /// Block id → index of its first occurrence.
    pub index: HashMap<String, usize>,
    /// The outgoing edges of every block (ports with a known name and an existing target).
    pub edges: Vec<Vec<Edge>>,
    /// Every `SE_Start` block; a flow runs only when there is exactly one.
    pub starts: Vec<usize>,
    /// The catalog the flow was checked against.
    pub catalog: Catalog,
    /// Each block's type, when the catalog knows it.
    pub blocks: Vec<Option<&'static Block>>,
    /// Dominators of the availability graph: node `i` is block `i`, node `n + i` is "block `i`
    /// left through a port other than `failure`", after which its results exist.
    availability: Option<Dominators>,
}

/// The port named `name` of `action`: from its block type, or by name alone when the type is
/// unknown (its ports cannot be checked, but the graph still follows them).
pub fn port_of(block: Option<&Block>, name: &str) -> Option<Port> {
    match block {
        Some(block) => block.port(name),
        None => [
            Port::Done,
            Port::Success,
            Port::Failure,
            Port::True,
            Port::False,
        ]
        .into_iter()
        .find(|p| p.name() == name),
    }
}

fn single(starts: &[usize]) -> Option<usize> {
    match starts {
        [s] => Some(*s),
        _ => None,
    }
}

fn has_results(action: &Action, block: Option<&Block>) -> bool {
    action.type_id.is_some() && block.is_none_or(|b| b.results != Results::None)
}

impl Graph {
    /// Builds the graph of `flow`.
    pub fn new(flow: &Flow, catalog: Catalog) -> Graph {
        let blocks: Vec<Option<&'static Block>> = flow
            .actions
            .iter()
            .map(|a| a.type_id.as_deref().and_then(|t| catalog.lookup(t)))
            .collect();
        let mut index = HashMap::with_capacity(flow.actions.len());
        for (i, a) in flow.actions.iter().enumerate() {
            index.entry(a.id.clone()).or_insert(i);
        }
        let edges: Vec<Vec<Edge>> = flow
            .actions
            .iter()
            .zip(&blocks)
            .map(|(a, block)| {
                a.ports
                    .iter()
                    .filter_map(|p| {
                        Some(Edge {
                            port: port_of(*block, &p.name)?,
                            to: *index.get(&p.target)?,
                        })
                    })
                    .collect()
            })
            .collect();
        let starts: Vec<usize> = flow
            .actions
            .iter()
            .enumerate()
            .filter(|(_, a)| a.type_id.as_deref() == Some("SE_Start"))
            .map(|(i, _)| i)
            .collect();
        let n = flow.actions.len();
        let availability = single(&starts).map(|s| {
            let mut succ = vec![Vec::new(); 2 * n];
            for (i, out) in edges.iter().enumerate() {
                let results = has_results(&flow.actions[i], blocks[i]);
                for e in out {
                    if results && e.port != Port::Failure {
                        if !succ[i].contains(&(n + i)) {
                            succ[i].push(n + i);
                        }
                        succ[n + i].push(e.to);
                    } else {
                        succ[i].push(e.to);
                    }
                }
            }
            Dominators::new(&succ, s)
        });
        Graph {
            index,
            edges,
            starts,
            catalog,
            blocks,
            availability,
        }
    }

    /// The single Start block, when there is exactly one.
    pub fn start(&self) -> Option<usize> {
        single(&self.starts)
    }

    /// Whether block `i` is reachable from Start.
    pub fn is_reachable(&self, i: usize) -> bool {
        self.availability.as_ref().is_some_and(|d| d.reachable(i))
    }

    /// Whether the results of block `producer` are definitely available when block `user`
    /// starts: every path from Start to `user` leaves `producer` through a non-failure port.
    pub fn definitely_available(&self, producer: usize, user: usize) -> bool {
        let n = self.edges.len();
        self.availability
            .as_ref()
            .is_some_and(|d| d.dominates(n + producer, user))
    }

    /// For every block, the edge by which a shortest path from Start that never leaves
    /// `producer` successfully reaches it: the witnesses of `maybe_unset`.
    pub fn paths_avoiding(&self, producer: usize) -> Vec<Option<(usize, Port)>> {
        let n = self.edges.len();
        let mut parent = vec![None; n];
        let Some(start) = self.start() else {
            return parent;
        };
        let mut seen = vec![false; n];
        seen[start] = true;
        let mut queue = VecDeque::from([start]);
        while let Some(v) = queue.pop_front() {
            for e in &self.edges[v] {
                if v == producer && e.port != Port::Failure {
                    continue;
                }
                if !seen[e.to] {
                    seen[e.to] = true;
                    parent[e.to] = Some((v, e.port));
                    queue.push_back(e.to);
                }
            }
        }
        parent
    }

    /// The cycles of the graph reachable from Start: for each loop header (the target of a back
    /// edge in a depth-first walk), one cycle through it, as block indexes.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let Some(start) = self.start() else {
            return Vec::new();
        };
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let n = self.edges.len();
        let mut mark = vec![Mark::New; n];
        let mut position = vec![0; n];
        let mut headers = vec![false; n];
        let mut cycles = Vec::new();
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::OnPath;
        while let Some(&mut (v, ref mut next)) = path.last_mut() {
            if let Some(e) = self.edges[v].get(*next) {
                *next += 1;
                match mark[e.to] {
                    Mark::New => {
                        mark[e.to] = Mark::OnPath;
                        position[e.to] = path.len();
                        path.push((e.to, 0));
                    }
                    Mark::OnPath if !headers[e.to] => {
                        headers[e.to] = true;
                        cycles.push(path[position[e.to]..].iter().map(|&(b, _)| b).collect());
                    }
                    _ => {}
                }
            } else {
                mark[v] = Mark::Done;
                path.pop();
            }
        }
        cycles
    }
}
