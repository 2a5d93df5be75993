//! Diagnostics as data: every stage pushes [`Diagnostic`]s; front ends render them.

use std::fmt;

use serde::Serialize;

use crate::span::Span;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported; the flow still compiles.
    Warning,
    /// The flow does not compile.
    Error,
}

macro_rules! codes {
    ($( #[doc = $doc:literal] $variant:ident = $name:literal, $severity:ident, $lint:literal; )*) => {
        /// The stable code of every diagnostic (flow-format.md §5).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $doc] $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &[Code] = &[$(Code::$variant),*];

            /// The code as written in messages, tests and `--allow`.
            pub const fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity when no lint level changes it.
            pub const fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// What the code means, in one sentence (its doc): for rule lists (SARIF).
            pub const fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc.trim_ascii(),)* }
            }

            /// Whether the user may allow or deny this code per flow.
            pub const fn is_lint(self) -> bool {
                match self { $(Code::$variant => $lint,)* }
            }
        }
    };
}

codes! {
    /// Malformed JSON or a malformed flow document.
    Json = "json", Error, false;
    /// Two blocks with one id.
    DuplicateId = "duplicate_id", Error, false;
    /// No `SE_Start`, or more than one.
    Start = "start", Error, false;
    /// A port names a block that does not exist.
    DanglingPort = "dangling_port", Error, false;
    /// A port name the block type does not have.
    UnknownPort = "unknown_port", Error, false;
    /// A block type that is neither built in nor declared.
    UnknownType = "unknown_type", Error, false;
    /// A required control is not given.
    MissingControl = "missing_control", Error, false;
    /// A control value of the wrong kind.
    ControlKind = "control_kind", Error, false;
    /// A string starting with `$` that is not a reference.
    MalformedReference = "malformed_reference", Error, false;
    /// A reference to a block id that does not exist.
    UnknownBlock = "unknown_block", Error, false;
    /// A result field the referenced block does not return.
    UnknownField = "unknown_field", Error, false;
    /// A reference whose value is not definitely available where it is used.
    MaybeUnset = "maybe_unset", Error, true;
    /// Contact data where the trigger has no contact.
    NoContact = "no_contact", Error, false;
    /// `$.payload` where the trigger has no payload.
    NoPayload = "no_payload", Error, false;
    /// A payload field the typed payload does not have.
    UnknownPayloadField = "unknown_payload_field", Error, false;
    /// Two active flows for one trigger in one application.
    DuplicateTrigger = "duplicate_trigger", Error, false;
    /// A block needs a capability the backend a flow is loaded for does not offer.
    MissingCapability = "missing_capability", Error, false;
    /// A declarations file that is not TOML, or not a declarations file.
    Declaration = "declaration", Error, false;
    /// A declared control kind, field type, port or portability class that does not exist.
    UnknownKind = "unknown_kind", Error, false;
    /// A declaration of a built-in block type.
    ShadowsBuiltin = "shadows_builtin", Error, false;
    /// Two declarations of one block type, control, field, port or method.
    DuplicateDeclaration = "duplicate_declaration", Error, false;
    /// A block no path from Start reaches.
    Unreachable = "unreachable", Warning, true;
    /// A decision on a constant.
    ConstantCondition = "constant_condition", Warning, true;
    /// A control key the block type does not define.
    UnknownControl = "unknown_control", Warning, true;
    /// A deprecated reference path.
    DeprecatedPath = "deprecated_path", Warning, true;
    /// A cycle in the graph.
    Cycle = "cycle", Warning, true;
    /// A top-level key other than `name` and `actions` (ignored).
    UnknownKey = "unknown_key", Warning, true;
}

impl Code {
    /// The code named `name`, if any.
    pub fn from_name(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding about a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning, after lint levels.
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The id of the block it is about, when there is one.
    pub block: Option<String>,
    /// The offending JSON value.
    pub span: Option<Span>,
    /// Further facts, each with an optional place (e.g. the path on which a value is unset).
    pub notes: Vec<Note>,
    /// What to do about it.
    pub help: Option<String>,
}

/// A secondary fact attached to a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The fact.
    pub message: String,
    /// Where, when it points somewhere.
    pub span: Option<Span>,
}

/// The most characters of a diagnostic's message, help or note: they quote the flow's own
/// strings (ids, references, text), which may be megabytes long.
pub const TEXT_LIMIT: usize = 400;

/// `text` cut to [`TEXT_LIMIT`] characters, keeping its start and end around a `…`.
fn bounded(text: String) -> String {
    let count = text.chars().count();
    if count <= TEXT_LIMIT {
        return text;
    }
    let keep = TEXT_LIMIT / 2;
    let head: String = text.chars().take(keep).collect();
    let tail: String = text.chars().skip(count - keep).collect();
    format!("{head}…{tail}")
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code,
            message: bounded(message.into()),
            block: None,
            span: None,
            notes: Vec::new(),
            help: None,
        }
    }

    /// About block `id`.
    pub fn block(mut self, id: impl Into<String>) -> Self {
        self.block = Some(bounded(id.into()));
        self
    }

    /// Pointing at `span`.
    pub fn span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// With advice.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(bounded(help.into()));
        self
    }

    /// With advice that quotes a whole text to write (a declaration): bounded more loosely.
    pub fn long_help(mut self, help: impl Into<String>) -> Self {
        let help = help.into();
        self.help = Some(if help.chars().count() <= 8 * TEXT_LIMIT {
            help
        } else {
            bounded(help)
        });
        self
    }

    /// With advice when there is some.
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help.map(bounded).or(self.help);
        self
    }

    /// With a note.
    pub fn note(mut self, message: impl Into<String>, span: Option<Span>) -> Self {
        self.notes.push(Note {
            message: bounded(message.into()),
            span,
        });
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// What the user asked of one lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error.
    Deny,
}

impl Level {
    /// The level as the macros and the CLI spell it: `allow`, `warn`, `deny`.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// Per-flow lint levels (`--allow`, `--deny`, `allow(...)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lints {
    levels: Vec<(Code, Level)>,
}

/// A name given to `allow`/`deny` that is not a lint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLint(pub String);

impl fmt::Display for UnknownLint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lints: Vec<_> = Code::ALL
            .iter()
            .filter(|c| c.is_lint())
            .map(|c| c.as_str())
            .collect();
        write!(
            f,
            "`{}` is not a lint that can be allowed or denied; the lints are: {}",
            self.0,
            lints.join(", ")
        )
    }
}

impl std::error::Error for UnknownLint {}

impl Lints {
    /// Sets lint `name` to `level`; later settings win.
    pub fn set(&mut self, name: &str, level: Level) -> Result<&mut Self, UnknownLint> {
        match Code::from_name(name) {
            Some(code) if code.is_lint() => {
                self.levels.retain(|(c, _)| *c != code);
                self.levels.push((code, level));
                Ok(self)
            }
            _ => Err(UnknownLint(name.to_owned())),
        }
    }

    /// The level of `code`, if the user set one.
    pub fn level(&self, code: Code) -> Option<Level> {
        self.levels
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, l)| *l)
    }

    /// Applies the levels: drops allowed diagnostics, re-grades the others.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter_map(|mut d| {
                match self.level(d.code) {
                    Some(Level::Allow) => return None,
                    Some(Level::Deny) => d.severity = Severity::Error,
                    Some(Level::Warn) => d.severity = Severity::Warning,
                    None => {}
                }
                Some(d)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lints_regrade_and_filter() {
        let mut lints = Lints::default();
        lints.set("maybe_unset", Level::Allow).unwrap();
        lints.set("cycle", Level::Deny).unwrap();
        let out = lints.apply(vec![
            Diagnostic::new(Code::MaybeUnset, "a"),
            Diagnostic::new(Code::Cycle, "b"),
            Diagnostic::new(Code::Unreachable, "c"),
        ]);
        let got: Vec<_> = out.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(
            got,
            [
                (Code::Cycle, Severity::Error),
                (Code::Unreachable, Severity::Warning)
            ]
        );
    }

    #[test]
    fn only_lints_can_be_set() {
        let mut lints = Lints::default();
        let err = lints.set("dangling_port", Level::Allow).unwrap_err();
        assert!(err.to_string().contains("maybe_unset"), "{err}");
        assert!(lints.set("nope", Level::Deny).is_err());
    }

    #[test]
    fn code_names_round_trip() {
        for &code in Code::ALL {
            assert_eq!(Code::from_name(code.as_str()), Some(code));
        }
    }
}
