//! "Did you mean" suggestions by edit distance.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

pub use ctiflow_trigger::suggest::{LONGEST, closest, did_you_mean};

/// How much edit-distance work (character pairs compared) one check spends on suggesting
/// block ids: milliseconds, however many names are unknown, and ample for real flows (100
/// unknown names among 1,000 ids of 10 characters cost a quarter of it).
const ID_BUDGET: usize = 4_000_000;

/// "Did you mean" over a flow's block ids, for every unknown id one check meets. Candidates are
/// indexed by length (edit distance is at least the difference of lengths, so only ids of
/// nearby lengths can be close), answers are remembered, and the total work is bounded: past
/// the budget, unknown ids get no suggestion rather than making the check quadratic.
#[derive(Debug)]
pub struct Ids<'a> {
    by_length: BTreeMap<usize, Vec<&'a str>>,
    count: usize,
    budget: Cell<usize>,
    answers: RefCell<HashMap<String, Option<&'a str>>>,
}

impl<'a> Ids<'a> {
    /// The suggester over `ids`.
    pub fn new(ids: impl IntoIterator<Item = &'a str>) -> Ids<'a> {
        let mut by_length: BTreeMap<usize, Vec<&'a str>> = BTreeMap::new();
        let mut count = 0;
        for id in ids {
            by_length.entry(id.chars().count()).or_default().push(id);
            count += 1;
        }
        Ids {
            by_length,
            count,
            budget: Cell::new(ID_BUDGET),
            answers: RefCell::new(HashMap::new()),
        }
    }

    /// Spends `work` from the budget; false when it is exhausted.
    fn spend(&self, work: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(work));
        left >= work
    }

    /// The id closest to `wanted`, if it is close enough to be a likely typo.
    pub fn closest(&self, wanted: &str) -> Option<&'a str> {
        if let Some(answer) = self.answers.borrow().get(wanted) {
            return *answer;
        }
        let length = wanted.chars().count();
        let limit = (length / 3).max(1);
        let mut best: Option<(usize, &'a str)> = None;
        if wanted.len() <= LONGEST {
            let nearby = self
                .by_length
                .range(length.saturating_sub(limit)..=length + limit)
                .flat_map(|(&n, ids)| ids.iter().map(move |&id| (n, id)));
            for (n, id) in nearby {
                if !self.spend(length * n) {
                    break;
                }
                if id == wanted {
                    continue;
                }
                let d = strsim::levenshtein(wanted, id);
                if d <= limit && best.is_none_or(|b| (d, id) < b) {
                    best = Some((d, id));
                }
            }
        }
        let answer = best.map(|(_, id)| id);
        self.answers.borrow_mut().insert(wanted.to_owned(), answer);
        answer
    }

    /// `wanted` itself, when it is an id.
    pub fn exact(&self, wanted: &str) -> Option<&'a str> {
        self.by_length
            .get(&wanted.chars().count())?
            .iter()
            .copied()
            .find(|id| *id == wanted)
    }

    /// `did you mean `x`?` when an id is close.
    pub fn did_you_mean(&self, wanted: &str) -> Option<String> {
        self.closest(wanted).map(|c| format!("did you mean `{c}`?"))
    }

    /// The first id (shortest first) that ends with `-suffix` or `_suffix` (`12` → `uid-12`),
    /// within the budget.
    pub fn ending_in(&self, suffix: &str) -> Option<&'a str> {
        if suffix.is_empty() || !self.spend(self.count) {
            return None;
        }
        self.by_length.values().flatten().copied().find(|id| {
            id.strip_suffix(suffix)
                .is_some_and(|prefix| prefix.ends_with(['-', '_']))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_suggest_like_closest_and_stop_at_the_budget() {
        let names: Vec<String> = (0..2_000).map(|i| format!("uid-{i}")).collect();
        let ids = Ids::new(names.iter().map(String::as_str));
        assert_eq!(ids.closest("uid-1999x"), Some("uid-1999"));
        assert_eq!(
            ids.closest("uid12"),
            closest("uid12", names.iter().map(String::as_str))
        );
        assert_eq!(ids.ending_in("12"), Some("uid-12"));
        assert_eq!(ids.closest("zzzzzzzzzzzzzzzzzzzzzz"), None);
        // Thousands of unknown names cost at most the budget.
        let many = Ids::new(names.iter().map(String::as_str));
        for i in 0..20_000 {
            let _ = many.closest(&format!("nope-{i}"));
        }
        assert_eq!(many.budget.get(), 0);
        assert_eq!(many.closest("uid-1999x"), None);
    }
}
