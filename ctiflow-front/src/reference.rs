//! The reference language of flow-format.md §2: `$.actions.<id>.results…`, `$.payload…`,
//! `$.contact…`, `$.agent…`.

use std::fmt;

/// A parsed reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// What it starts from.
    pub root: Root,
    /// The path below the root.
    pub path: Vec<Segment>,
}

/// Where a reference starts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// `$.actions.<id>.results`: the output of a block.
    Action(String),
    /// `$.payload`: the event payload.
    Payload,
    /// `$.contact`: the contact the event is about.
    Contact,
    /// `$.agent`: the logged-in agent.
    Agent,
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// `.key`
    Key(String),
    /// `[3]` or `.[3]`
    Index(u64),
}

/// Why a string starting with `$` is not a reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Malformed(pub String);

/// Whether a control string is meant as a reference (and must then parse as one). A string
/// starting with `${` is a String Template placeholder, not a reference.
pub fn looks_like_reference(text: &str) -> bool {
    text.starts_with('$') && !text.starts_with("${")
}

impl Reference {
    /// Parses `text`, which starts with `$`.
    pub fn parse(text: &str) -> Result<Reference, Malformed> {
        const ROOTS: &str = "a reference is `$.actions.<id>.results`, `$.payload`, `$.contact` \
                             or `$.agent`, optionally followed by `.field` or `[index]` steps";
        let rest = text
            .strip_prefix("$.")
            .ok_or_else(|| Malformed(format!("`{text}` does not start with `$.`; {ROOTS}")))?;
        let (root, path) = if let Some(after) = rest.strip_prefix("actions.") {
            let (id, after_id) = after.split_once('.').unwrap_or((after, ""));
            if id.is_empty() {
                return Err(Malformed(format!("`{text}` names no block id; {ROOTS}")));
            }
            let path = after_id
                .strip_prefix("results")
                .filter(|p| p.is_empty() || p.starts_with(['.', '[']))
                .ok_or_else(|| {
                    Malformed(format!(
                        "`{text}` must continue with `.results` after the block id `{id}`"
                    ))
                })?;
            (Root::Action(id.to_owned()), path)
        } else {
            [
                ("payload", Root::Payload),
                ("contact", Root::Contact),
                ("agent", Root::Agent),
            ]
            .into_iter()
            .find_map(|(name, root)| {
                rest.strip_prefix(name)
                    .filter(|p| p.is_empty() || p.starts_with(['.', '[']))
                    .map(|p| (root, p))
            })
            .ok_or_else(|| Malformed(format!("`{text}` has an unknown root; {ROOTS}")))?
        };
        let path = parse_path(path).map_err(|why| Malformed(format!("`{text}`: {why}")))?;
        Ok(Reference { root, path })
    }
}

fn parse_path(mut rest: &str) -> Result<Vec<Segment>, String> {
    let mut path = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[').or_else(|| rest.strip_prefix(".[")) {
            let (digits, after) = after
                .split_once(']')
                .ok_or("an index `[` is not closed with `]`")?;
            let index = digits
                .parse::<u64>()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("`[{digits}]` is not an array index"))?;
            path.push(Segment::Index(index));
            rest = after;
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            if end == 0 {
                return Err("a path step is empty".to_owned());
            }
            path.push(Segment::Key(after[..end].to_owned()));
            rest = &after[end..];
        } else {
            return Err(format!("unexpected `{rest}`"));
        }
    }
    Ok(path)
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Key(k) => write!(f, ".{k}"),
            Segment::Index(i) => write!(f, "[{i}]"),
        }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.root {
            Root::Action(id) => write!(f, "$.actions.{id}.results")?,
            Root::Payload => f.write_str("$.payload")?,
            Root::Contact => f.write_str("$.contact")?,
            Root::Agent => f.write_str("$.agent")?,
        }
        self.path.iter().try_for_each(|s| write!(f, "{s}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_placeholders_are_not_references() {
        assert!(looks_like_reference("$.contact"));
        assert!(looks_like_reference("$12.results.type"));
        assert!(!looks_like_reference("${name} called"));
        assert!(!looks_like_reference("costs 5$"));
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    #[test]
    fn parses_every_root() {
        let r = Reference::parse("$.actions.uid-1.results.value").unwrap();
        assert_eq!(r.root, Root::Action("uid-1".into()));
        assert_eq!(r.path, [key("value")]);
        let r = Reference::parse("$.actions.0.results").unwrap();
        assert_eq!((r.root, r.path), (Root::Action("0".into()), vec![]));
        let r = Reference::parse("$.contact.parsedNumber.phone").unwrap();
        assert_eq!(r.path, [key("parsedNumber"), key("phone")]);
        let r = Reference::parse("$.agent.dialableCountries[0]").unwrap();
        assert_eq!(r.path, [key("dialableCountries"), Segment::Index(0)]);
        let r = Reference::parse("$.payload.items.[2].name").unwrap();
        assert_eq!(r.root, Root::Payload);
        assert_eq!(r.path, [key("items"), Segment::Index(2), key("name")]);
        assert_eq!(r.to_string(), "$.payload.items[2].name");
    }

    #[test]
    fn rejects_malformed_references() {
        for bad in [
            "$12.results.type",
            "$.actions.uid-1",
            "$.actions.uid-1.result",
            "$.actions..results",
            "$.payloads",
            "$.contact..x",
            "$.agent[x]",
            "$.agent[1",
            "$",
            "$.",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad} parsed");
        }
    }
}
