//! Rust names for things flows name: block ids, module names, result fields. One sanitiser, so
//! that any string a flow holds becomes a valid, unique identifier and never code.

use std::collections::HashSet;

/// Words that cannot be identifiers (strict and reserved keywords of every edition).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield", "union", "_",
];

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

pub use ctiflow_front::catalog::snake_case;

/// `snake_case` → `UpperCamelCase`.
pub fn upper_camel(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// Any string → a valid snake-case identifier: ASCII letters and digits kept (lowercased,
/// camel case split), everything else an `_` (runs collapsed), a leading digit prefixed,
/// keywords suffixed with `_`. Not unique: see [`Namer`].
pub fn sanitize(raw: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in snake_case(raw).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches('_');
    let mut name = if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, fallback);
        name.insert(fallback.len(), '_');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The default module name of a flow file: its name without extension, sanitised
/// (`flows/voice_onConnecting.json` → `voice_on_connecting`).
pub fn module_for(path: &std::path::Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    sanitize(&stem, "flow")
}

/// Checks a module name given by the user: it must be what [`sanitize`] makes of it, so that it
/// is a valid identifier; the error suggests one.
pub fn check_module(name: &str) -> Result<(), String> {
    let valid = sanitize(name, "flow");
    if valid == name {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a valid module name; try `{valid}`"
        ))
    }
}

/// Hands out unique identifiers: a name already taken gets `_2`, `_3`... Reserved names (the
/// generated code's own) are never handed out.
#[derive(Debug, Default)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    /// A namer that never hands out `reserved`.
    pub fn reserving(reserved: &[&str]) -> Namer {
        Namer {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// A unique identifier for `raw`.
    pub fn name(&mut self, raw: &str, fallback: &str) -> String {
        let base = sanitize(raw, fallback);
        let mut candidate = base.clone();
        let mut n = 2;
        while !self.taken.insert(candidate.clone()) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_splits_camel_and_acronyms() {
        let cases = [
            ("contactId", "contact_id"),
            ("formattedPhoneNumberE164", "formatted_phone_number_e164"),
            ("ExactMatch", "exact_match"),
            ("RecordType", "record_type"),
            ("queueARN", "queue_arn"),
            ("SFCreateTask", "sf_create_task"),
            ("sfContactId", "sf_contact_id"),
            ("subject1", "subject1"),
            ("type", "type"),
        ];
        for (input, want) in cases {
            assert_eq!(snake_case(input), want, "{input}");
        }
        assert_eq!(
            upper_camel("format_phone_number_e164"),
            "FormatPhoneNumberE164"
        );
    }

    #[test]
    fn sanitize_makes_identifiers() {
        let cases = [
            ("uid-1", "uid_1"),
            ("uid1", "uid1"),
            ("0", "b_0"),
            ("uid-NaN", "uid_na_n"),
            ("uid-start", "uid_start"),
            ("type", "type_"),
            ("self", "self_"),
            ("r#match", "r_match"),
            ("\"*/{}", "b"),
            ("受付", "b"),
            ("日本-1", "b_1"),
            ("--x--", "x"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input, "b"), want, "{input}");
        }
    }

    #[test]
    fn module_names_come_from_file_names() {
        use std::path::Path;
        assert_eq!(
            module_for(Path::new("flows/voice_onConnecting.json")),
            "voice_on_connecting"
        );
        assert_eq!(
            module_for(Path::new("example-10-Create+Callback+Task.json")),
            "example_10_create_callback_task"
        );
        assert_eq!(module_for(Path::new("")), "flow");
    }

    #[test]
    fn module_names_are_checked() {
        assert_eq!(check_module("voice_flow"), Ok(()));
        assert_eq!(
            check_module("not a name"),
            Err("`not a name` is not a valid module name; try `not_a_name`".to_owned())
        );
        assert!(check_module("type").is_err() && check_module("").is_err());
    }

    #[test]
    fn namer_keeps_colliding_ids_apart() {
        let mut namer = Namer::reserving(&["results"]);
        assert_eq!(namer.name("uid-1", "b"), "uid_1");
        assert_eq!(namer.name("uid_1", "b"), "uid_1_2");
        assert_eq!(namer.name("uid 1", "b"), "uid_1_3");
        assert_eq!(namer.name("results", "b"), "results_2");
        assert_eq!(namer.name("uid_1_2", "b"), "uid_1_2_2");
    }
}
