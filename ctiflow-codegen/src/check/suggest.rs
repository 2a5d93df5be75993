//! "Did you mean" suggestions by edit distance.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

/// Edit distance is quadratic; names longer than this are not typos of a catalog name or id.
const LONGEST: usize = 128;

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if wanted.len() > LONGEST {
        return None;
    }
    let limit = (wanted.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != wanted && c.len().abs_diff(wanted.len()) <= 4 * limit)
        .map(|c| (strsim::levenshtein(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

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

/// `did you mean `x`?` when a candidate is close.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(wanted, candidates).map(|c| format!("did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("uid12", ["uid-12", "uid-1", "uid-14"]),
            Some("uid-12")
        );
        assert_eq!(
            closest("SE_SFCreateTsk", ["SE_SFCreateTask", "SE_Log"]),
            Some("SE_SFCreateTask")
        );
        assert_eq!(closest("queue", ["contactId", "type"]), None);
        assert_eq!(closest(&"x".repeat(10_000), ["x"]), None);
    }

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
