//! "Did you mean" suggestions by edit distance: for trigger names here, and for the
//! compiler's block types, controls and ids.

/// Edit distance is quadratic; names longer than this are not typos of a catalog name or id.
pub const LONGEST: usize = 128;

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
}
