//! Extension block declarations (blocks.md §4): a TOML file declaring the block types a user's
//! org exports beyond the built-in catalog, and the fields of CTI Action payloads. Read with
//! spans, checked into owned data, then interned as a [`Catalog`].
//!
//! ```toml
//! [[block]]
//! type = "SE_QueryValue"          # the type id, copied from an export
//! name = "Query Value"            # the designer's name
//! ports = ["success", "failure"]  # or ["done"]
//! portability = "salesforce_rest" # for `ctiflow inventory`; `browser_only` when not given
//! controls = [
//!   { name = "query", kind = "text", required = true },
//!   { name = "mode", kind = "enum", values = ["first", "all"], default = "first" },
//! ]
//! results = [{ name = "value", type = "any" }, { name = "count", type = "number", optional = true }]
//!
//! [[payload]]                     # a field of CTI Action payloads
//! name = "recordId"
//! type = "text"
//! ```
//!
//! Every mistake is a [`Diagnostic`] at its line and column in the file: `declaration` (not
//! TOML, an unknown or missing key, a value of the wrong type, an unsupported shape),
//! `unknown_kind` (a control kind, result type, port or portability class that does not
//! exist), `shadows_builtin` and `duplicate_declaration`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use serde::Deserialize;
use toml::Spanned;

use crate::catalog::{
    self, Block, Capability, Catalog, Control, ControlKind, Declared, Extension, Field,
    Implementation, Port, Portability, Results, Ty,
};
use crate::check::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, ControlValue, Flow};
use crate::reference::{Reference, Root, Segment};
use crate::span::Span;

/// A declarations file as TOML gives it, every value with its place.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    block: Vec<Spanned<BlockEntry>>,
    #[serde(default)]
    payload: Vec<Spanned<FieldEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockEntry {
    #[serde(rename = "type")]
    type_id: Spanned<String>,
    name: Spanned<String>,
    method: Option<Spanned<String>>,
    ports: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    controls: Vec<Spanned<ControlEntry>>,
    #[serde(default)]
    results: Vec<Spanned<FieldEntry>>,
    portability: Option<Spanned<String>>,
    #[serde(default)]
    contact: bool,
    #[serde(default)]
    open_cti: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlEntry {
    name: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    required: bool,
    values: Option<Spanned<Vec<Spanned<String>>>>,
    default: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldEntry {
    name: Spanned<String>,
    #[serde(rename = "type")]
    ty: Spanned<String>,
    #[serde(default)]
    optional: bool,
}

/// The control kinds a declaration may name, besides `enum` (which takes `values`).
const CONTROL_KINDS: &[(&str, ControlKind)] = &[
    ("text", ControlKind::Text),
    ("bool", ControlKind::Bool),
    ("map", ControlKind::Map),
    ("any", ControlKind::Any),
];
/// The result and payload field types a declaration may name.
const FIELD_TYPES: &[(&str, Ty)] = &[
    ("text", Ty::Text),
    ("number", Ty::Number),
    ("bool", Ty::Bool),
    ("object", Ty::Map),
    ("array", Ty::List),
    ("any", Ty::Any),
];

fn span_of<T>(value: &Spanned<T>) -> Span {
    let range = value.span();
    Span::new(range.start, range.end)
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// Every declarations text read in this process, and what it gave: a text is checked and its
/// strings leaked once, however many flows (macro calls, CLI files, loaded flows) use it, so a
/// process holds each distinct text's declarations once, and a bad text is not read again.
type Interned = HashMap<String, Result<Catalog, Vec<Diagnostic>>>;
static INTERNED: LazyLock<Mutex<Interned>> = LazyLock::new(Default::default);

/// Reads the declarations in `text`: the catalog of the built-in blocks plus the declared
/// ones, or every mistake in the file.
pub fn load(text: &str) -> Result<Catalog, Vec<Diagnostic>> {
    let mut interned = INTERNED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = interned.get(text) {
        return known.clone();
    }
    let loaded = read(text).map(|declared| Catalog::new(Box::leak(Box::new(declared))));
    interned.insert(text.to_owned(), loaded.clone());
    loaded
}

fn read(text: &str) -> Result<Declared, Vec<Diagnostic>> {
    let file: File = toml::from_str(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let message = e.message().trim_end().replace('\n', " ");
        vec![
            Diagnostic::new(
                Code::Declaration,
                format!("bad declarations file: {message}"),
            )
            .span(Span::new(range.start, range.end))
            .help(
                "a declarations file has `[[block]]` tables (type, name, ports, controls, \
                     results, portability, contact, method, open_cti) and `[[payload]]` fields \
                     (name, type, optional)",
            ),
        ]
    })?;
    let mut out = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    let mut spans: Vec<(Span, Span)> = Vec::new();
    for entry in &file.block {
        if let Some(block) = block(entry, &mut out) {
            let method_span = entry
                .get_ref()
                .method
                .as_ref()
                .map_or(span_of(&entry.get_ref().name), span_of);
            let type_span = span_of(&entry.get_ref().type_id);
            let earlier = blocks
                .iter()
                .zip(&spans)
                .find(|(b, _)| b.type_id == block.type_id || same_method(b, &block));
            match earlier {
                Some((b, (first_type, _))) if b.type_id == block.type_id => out.push(
                    Diagnostic::new(
                        Code::DuplicateDeclaration,
                        format!("block type `{}` is declared twice", block.type_id),
                    )
                    .span(type_span)
                    .note("the first declaration is here", Some(*first_type))
                    .help("keep one declaration of each type id"),
                ),
                Some((b, (_, first_method))) => out.push(
                    Diagnostic::new(
                        Code::DuplicateDeclaration,
                        format!(
                            "blocks `{}` and `{}` would both be the method `{}`",
                            b.type_id,
                            block.type_id,
                            method_of(&block)
                        ),
                    )
                    .span(method_span)
                    .note("the first one is here", Some(*first_method))
                    .help("give one of them another `method = \"...\"`"),
                ),
                None => {
                    blocks.push(block);
                    spans.push((type_span, method_span));
                }
            }
        }
    }
    let payload = (!file.payload.is_empty()).then(|| fields(&file.payload, "payload", &mut out));
    if !out.is_empty() {
        out.sort_by_key(|d| d.span.map(|s| s.start));
        return Err(out);
    }
    Ok(Declared {
        blocks: Vec::leak(blocks),
        payload: payload.map(Vec::leak).map(|p| &*p),
    })
}

fn method_of(block: &Block) -> &'static str {
    block.extension().map_or("", |e| e.method)
}

/// Whether two methods would name the same Rust items: their argument and result structs are
/// named in upper camel case, where underscores vanish.
fn same_method(a: &Block, b: &Block) -> bool {
    let squash = |m: &str| m.replace('_', "");
    squash(method_of(a)) == squash(method_of(b))
}

fn block(entry: &Spanned<BlockEntry>, out: &mut Vec<Diagnostic>) -> Option<Block> {
    let e = entry.get_ref();
    let errors = out.len();
    let type_id = e.type_id.get_ref();
    if let Some(built_in) = catalog::lookup(type_id) {
        out.push(
            Diagnostic::new(
                Code::ShadowsBuiltin,
                format!(
                    "`{type_id}` is the built-in block {}; a declaration cannot replace it",
                    built_in.display_name
                ),
            )
            .span(span_of(&e.type_id))
            .help("remove this declaration: flows use the built-in block"),
        );
    } else if type_id.trim().is_empty() || type_id.chars().any(char::is_control) {
        out.push(
            Diagnostic::new(Code::Declaration, "a block's `type` cannot be empty")
                .span(span_of(&e.type_id))
                .help("copy the block's `type` from an exported flow"),
        );
    }
    let method = method(e, out);
    let ports = ports(&e.ports, out);
    let mut controls: Vec<Control> = Vec::new();
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for c in &e.controls {
        let name = c.get_ref().name.get_ref();
        let span = span_of(&c.get_ref().name);
        if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
            out.push(duplicate("control", name, span, *first));
            continue;
        }
        seen.push((name, span));
        controls.extend(control(c.get_ref(), out));
    }
    let results = fields(&e.results, "result field", out);
    let portability = match &e.portability {
        None => Portability::BrowserOnly,
        Some(word) => match Portability::ALL.iter().find(|p| p.word() == word.get_ref()) {
            Some(p) => *p,
            None => {
                out.push(unknown_kind(
                    "portability class",
                    word,
                    Portability::ALL.iter().map(|p| p.word()),
                ));
                Portability::BrowserOnly
            }
        },
    };
    if out.len() > errors {
        return None;
    }
    let open_cti: Vec<&'static str> = e.open_cti.iter().cloned().map(leak).collect();
    Some(Block {
        type_id: leak(type_id.clone()),
        display_name: leak(e.name.get_ref().clone()),
        controls: Vec::leak(controls),
        ports: Vec::leak(ports?),
        results: if results.is_empty() {
            Results::None
        } else {
            Results::Fields(Vec::leak(results))
        },
        capability: Some(Capability::Extension),
        needs_contact: e.contact,
        implementation: Implementation::Extension(Extension {
            method: leak(method?),
        }),
        portability,
        open_cti: Vec::leak(open_cti),
        writes: None,
    })
}

fn duplicate(what: &str, name: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateDeclaration,
        format!("{what} `{name}` is declared twice"),
    )
    .span(span)
    .note("the first one is here", Some(first))
    .help(format!("keep one {what} named `{name}`"))
}

fn unknown_kind<'a>(
    what: &str,
    word: &Spanned<String>,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let help = did_you_mean(word.get_ref(), known.clone()).unwrap_or_else(|| {
        format!(
            "write one of: {}",
            known
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    Diagnostic::new(
        Code::UnknownKind,
        format!("`{}` is not a {what}", word.get_ref()),
    )
    .span(span_of(word))
    .help(help)
}

/// Words that cannot be a method, even as raw identifiers.
const NOT_METHODS: &[&str] = &["self", "super", "crate"];

/// The Rust method of a block: given, or made from its designer name (`Query Value` →
/// `query_value`), else from its type id.
fn method(e: &BlockEntry, out: &mut Vec<Diagnostic>) -> Option<String> {
    if let Some(given) = &e.method {
        let m = given.get_ref();
        let valid = m.starts_with(|c: char| c.is_ascii_lowercase())
            && m.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !NOT_METHODS.contains(&m.as_str());
        if !valid {
            out.push(
                Diagnostic::new(
                    Code::Declaration,
                    format!("`{m}` cannot be a method name"),
                )
                .span(span_of(given))
                .help("write a snake case name: lowercase ASCII letters, digits and `_`, starting with a letter"),
            );
            return None;
        }
        return Some(m.clone());
    }
    let words = |text: &str| -> String {
        catalog::snake_case(text)
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("_")
    };
    let mut m = words(e.name.get_ref());
    if m.is_empty() {
        m = words(e.type_id.get_ref());
    }
    if m.is_empty()
        || m.starts_with(|c: char| c.is_ascii_digit())
        || NOT_METHODS.contains(&m.as_str())
    {
        m.insert_str(0, "block_");
        if m.ends_with('_') {
            m.pop();
        }
    }
    Some(m)
}

/// The declared ports, which must be a shape the runtime runs: `done`, or `success` and
/// `failure`. Decisions (`true`/`false`) stay built in.
fn ports(ports: &Spanned<Vec<Spanned<String>>>, out: &mut Vec<Diagnostic>) -> Option<Vec<Port>> {
    let errors = out.len();
    let mut found: Vec<(Port, Span)> = Vec::new();
    for p in ports.get_ref() {
        let span = span_of(p);
        match Port::ALL.iter().find(|port| port.name() == p.get_ref()) {
            None => out.push(unknown_kind("port", p, Port::ALL.iter().map(|p| p.name()))),
            Some(port) => match found.iter().find(|(q, _)| q == port) {
                Some((_, first)) => out.push(duplicate("port", p.get_ref(), span, *first)),
                None => found.push((*port, span)),
            },
        }
    }
    if out.len() > errors {
        return None;
    }
    let mut set: Vec<Port> = found.into_iter().map(|(p, _)| p).collect();
    set.sort();
    if set == [Port::Done] || set == [Port::Success, Port::Failure] {
        Some(set)
    } else {
        out.push(
            Diagnostic::new(
                Code::Declaration,
                "a declared block has the ports `[\"done\"]` or `[\"success\", \"failure\"]`",
            )
            .span(span_of(ports))
            .help(
                "use `done` for a block that computes, `success` and `failure` for one that \
                 calls something that can fail; decisions (`true`/`false`) are built in",
            ),
        );
        None
    }
}

fn control(c: &ControlEntry, out: &mut Vec<Diagnostic>) -> Option<Control> {
    let name: &'static str = leak(c.name.get_ref().clone());
    let errors = out.len();
    if name.is_empty() {
        out.push(
            Diagnostic::new(Code::Declaration, "a control's `name` cannot be empty")
                .span(span_of(&c.name))
                .help("write the control's key as it appears in the block's `controls`"),
        );
    }
    let kind_word = c.kind.get_ref().as_str();
    let simple = CONTROL_KINDS.iter().find(|(word, _)| *word == kind_word);
    let kind = match (kind_word, simple) {
        (_, Some((_, kind))) => Some(*kind),
        ("enum", None) => {
            let values = match &c.values {
                Some(values) if !values.get_ref().is_empty() => values.get_ref(),
                Some(values) => {
                    out.push(
                        Diagnostic::new(Code::Declaration, "an enum control needs values")
                            .span(span_of(values))
                            .help("list the words it accepts: `values = [\"a\", \"b\"]`"),
                    );
                    return None;
                }
                None => {
                    out.push(
                        Diagnostic::new(
                            Code::Declaration,
                            format!("enum control `{name}` has no `values`"),
                        )
                        .span(span_of(&c.kind))
                        .help("list the words it accepts: `values = [\"a\", \"b\"]`"),
                    );
                    return None;
                }
            };
            let mut words: Vec<&'static str> = Vec::new();
            for (i, v) in values.iter().enumerate() {
                if let Some(first) = values[..i].iter().find(|w| w.get_ref() == v.get_ref()) {
                    out.push(duplicate("value", v.get_ref(), span_of(v), span_of(first)));
                } else {
                    words.push(leak(v.get_ref().clone()));
                }
            }
            Some(ControlKind::Enum(Vec::leak(words)))
        }
        _ => {
            let words = CONTROL_KINDS.iter().map(|(w, _)| *w).chain(["enum"]);
            out.push(unknown_kind("control kind", &c.kind, words));
            None
        }
    };
    if let (Some(values), false) = (&c.values, kind_word == "enum") {
        out.push(
            Diagnostic::new(
                Code::Declaration,
                format!("control `{name}` has `values`, which only enum controls have"),
            )
            .span(span_of(values))
            .help("write `kind = \"enum\"`, or remove `values`"),
        );
    }
    let default = match (&c.default, kind) {
        (None, _) => None,
        (Some(d), Some(ControlKind::Enum(words))) => {
            match words.iter().find(|w| **w == d.get_ref()) {
                Some(w) => Some(*w),
                None => {
                    out.push(
                        Diagnostic::new(
                            Code::Declaration,
                            format!(
                                "the default `{}` is not one of the control's values",
                                d.get_ref()
                            ),
                        )
                        .span(span_of(d))
                        .maybe_help(did_you_mean(d.get_ref(), words.iter().copied())),
                    );
                    None
                }
            }
        }
        (Some(d), _) => {
            out.push(
                Diagnostic::new(
                    Code::Declaration,
                    format!("control `{name}` has a `default`, which only enum controls have"),
                )
                .span(span_of(d))
                .help("remove `default`; a flow that leaves the control out passes \"not given\""),
            );
            None
        }
    };
    if out.len() > errors {
        return None;
    }
    Some(Control {
        name,
        kind: kind?,
        required: c.required,
        default,
        legacy: None,
        rule: None,
        example: None,
    })
}

/// Result or payload fields.
fn fields(entries: &[Spanned<FieldEntry>], what: &str, out: &mut Vec<Diagnostic>) -> Vec<Field> {
    let mut fields: Vec<Field> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for f in entries {
        let f = f.get_ref();
        let name = f.name.get_ref();
        let span = span_of(&f.name);
        if name.is_empty() || name.contains(['.', '[']) {
            out.push(
                Diagnostic::new(
                    Code::Declaration,
                    format!("`{name}` cannot be a {what} name"),
                )
                .span(span)
                .help("a field name is a key that references can reach: not empty, without `.` or `[`"),
            );
            continue;
        }
        if let Some(i) = fields.iter().position(|k| k.name == name.as_str()) {
            out.push(duplicate(what, name, span, spans[i]));
            continue;
        }
        let Some(&(_, ty)) = FIELD_TYPES.iter().find(|(w, _)| w == f.ty.get_ref()) else {
            let words = FIELD_TYPES.iter().map(|(w, _)| *w);
            out.push(unknown_kind("field type", &f.ty, words));
            continue;
        };
        let field = if f.optional {
            Field::optional(leak(name.clone()), ty)
        } else {
            Field::new(leak(name.clone()), ty)
        };
        fields.push(field);
        spans.push(span);
    }
    fields
}

/// The declaration to write for `action`'s unknown type, prefilled with what the flow shows:
/// its controls (kinds guessed from their values), its ports, and the result fields other
/// blocks read. A starting point: the user checks kinds and marks required controls.
pub fn template(flow: &Flow, action: &Action) -> String {
    let type_id = action.type_id.as_deref().unwrap_or_default();
    let name = type_id.strip_prefix("SE_").unwrap_or(type_id);
    let mut out = format!(
        "[[block]]\ntype = {}\nname = {}\n",
        quoted(type_id),
        quoted(name)
    );
    let calls = action
        .ports
        .iter()
        .any(|p| p.name == "success" || p.name == "failure");
    out.push_str(if calls {
        "ports = [\"success\", \"failure\"]\n"
    } else {
        "ports = [\"done\"]\n"
    });
    let controls: Vec<String> = action
        .controls
        .iter()
        .map(|c| {
            let kind = match &c.value {
                ControlValue::Text(_)
                | ControlValue::Reference(_)
                | ControlValue::Malformed(..) => "text",
                ControlValue::Bool(_) => "bool",
                ControlValue::Map(_) => "map",
                ControlValue::NotGiven(_) | ControlValue::Number(_) | ControlValue::Array(_) => {
                    "any"
                }
            };
            format!("{{ name = {}, kind = \"{kind}\" }}", quoted(&c.key))
        })
        .collect();
    if !controls.is_empty() {
        out.push_str(&format!("controls = [{}]\n", controls.join(", ")));
    }
    let mut read: Vec<&str> = Vec::new();
    for other in &flow.actions {
        let mut refs = Vec::new();
        for c in &other.controls {
            c.value.references(c.span, &mut refs);
        }
        for (value, _) in refs {
            if let ControlValue::Reference(Reference {
                root: Root::Action(id),
                path,
            }) = value
                && *id == action.id
                && let Some(Segment::Key(key)) = path.first()
                && !read.contains(&key.as_str())
            {
                read.push(key);
            }
        }
    }
    if !read.is_empty() {
        let fields: Vec<String> = read
            .iter()
            .map(|f| format!("{{ name = {}, type = \"any\" }}", quoted(f)))
            .collect();
        out.push_str(&format!("results = [{}]\n", fields.join(", ")));
    }
    out
}

/// `text` as a TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::LineIndex;

    fn errors(text: &str) -> Vec<(String, String, (usize, usize))> {
        let index = LineIndex::new(text);
        load(text)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|d| {
                let at = index.line_col(d.span.map_or(0, |s| s.start));
                (d.code.to_string(), d.message, (at.line, at.column))
            })
            .collect()
    }

    #[test]
    fn a_declared_block_joins_the_catalog() {
        let text = r#"
[[block]]
type = "SE_QueryValue"
name = "Query Value"
ports = ["success", "failure"]
portability = "salesforce_rest"
controls = [
  { name = "query", kind = "text", required = true },
  { name = "mode", kind = "enum", values = ["first", "all"], default = "first" },
]
results = [{ name = "value", type = "any" }, { name = "count", type = "number", optional = true }]

[[payload]]
name = "recordId"
type = "text"
"#;
        let catalog = load(text).expect("valid");
        let block = catalog.lookup("SE_QueryValue").expect("declared");
        assert_eq!(block.display_name, "Query Value");
        assert_eq!(block.ports, [Port::Success, Port::Failure]);
        assert_eq!(block.portability, Portability::SalesforceRest);
        assert_eq!(block.capability, Some(Capability::Extension));
        assert_eq!(block.extension().map(|e| e.method), Some("query_value"));
        assert!(block.control("query").is_some_and(|c| c.required));
        assert_eq!(block.control("mode").and_then(|c| c.default), Some("first"));
        const RESULTS: &[Field] = &[
            Field::new("value", Ty::Any),
            Field::optional("count", Ty::Number),
        ];
        assert_eq!(block.results, Results::Fields(RESULTS));
        assert_eq!(
            catalog.payload(),
            Some(&[Field::new("recordId", Ty::Text)][..])
        );
        assert!(catalog.lookup("SE_Start").is_some());
        assert!(Catalog::BUILT_IN.lookup("SE_QueryValue").is_none());
        // Interned: the same text is the same catalog.
        assert_eq!(load(text).ok(), Some(catalog));
    }

    #[test]
    fn mistakes_have_codes_and_places() {
        let text = r#"[[block]]
type = "SE_Start"
name = "Mine"
ports = ["done"]

[[block]]
type = "SE_Delay"
name = "Delay"
ports = ["done", "sideways"]
controls = [
  { name = "seconds", kind = "txt" },
  { name = "seconds", kind = "text" },
  { name = "unit", kind = "enum", values = ["s", "m"], default = "h" },
]
results = [{ name = "value", type = "string" }]
portability = "cloud"

[[block]]
type = "SE_Delay"
name = "Delay again"
ports = ["done"]
"#;
        assert_eq!(
            errors(text),
            [
                (
                    "shadows_builtin".into(),
                    "`SE_Start` is the built-in block Start; a declaration cannot replace it"
                        .into(),
                    (2, 8)
                ),
                (
                    "unknown_kind".into(),
                    "`sideways` is not a port".into(),
                    (9, 18)
                ),
                (
                    "unknown_kind".into(),
                    "`txt` is not a control kind".into(),
                    (11, 30)
                ),
                (
                    "duplicate_declaration".into(),
                    "control `seconds` is declared twice".into(),
                    (12, 12)
                ),
                (
                    "declaration".into(),
                    "the default `h` is not one of the control's values".into(),
                    (13, 66)
                ),
                (
                    "unknown_kind".into(),
                    "`string` is not a field type".into(),
                    (15, 37)
                ),
                (
                    "unknown_kind".into(),
                    "`cloud` is not a portability class".into(),
                    (16, 15)
                ),
            ]
        );
    }

    #[test]
    fn duplicates_across_blocks_and_toml_errors() {
        let text = "[[block]]\ntype = \"X_A\"\nname = \"Query Value\"\nports = [\"done\"]\n\n[[block]]\ntype = \"X_A\"\nname = \"Other\"\nports = [\"done\"]\n\n[[block]]\ntype = \"X_B\"\nname = \"query value\"\nports = [\"done\"]\n";
        assert_eq!(
            errors(text),
            [
                (
                    "duplicate_declaration".into(),
                    "block type `X_A` is declared twice".into(),
                    (7, 8)
                ),
                (
                    "duplicate_declaration".into(),
                    "blocks `X_A` and `X_B` would both be the method `query_value`".into(),
                    (13, 8)
                ),
            ]
        );
        let bad = errors("[[block]]\ntype = \"X\"\nname = \"x\"\nports = [\"done\"]\ncolour = 1\n");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, "declaration");
        assert_eq!(bad[0].2, (5, 1));
        assert_eq!(errors("[[block]\n")[0].0, "declaration");
        let ports = errors("[[block]]\ntype = \"X\"\nname = \"x\"\nports = [\"success\"]\n");
        assert_eq!(ports[0].0, "declaration");
        assert_eq!(ports[0].2, (4, 9));
    }

    #[test]
    fn declared_blocks_are_checked_like_built_in_ones() {
        let catalog = load(
            "[[block]]\ntype = \"X_Rec\"\nname = \"Record\"\nports = [\"done\"]\ncontact = true\n\
             controls = [{ name = \"on\", kind = \"bool\", required = true }]\n",
        )
        .expect("valid");
        let flow = r#"{"actions": [
            {"id": "s", "type": "SE_Start", "ports": {"done": "r"}},
            {"id": "r", "type": "X_Rec", "controls": {"on": "yes"}, "ports": {"done": "e", "success": "e"}},
            {"id": "e", "type": "SE_End"}]}"#;
        let options = crate::Options {
            catalog,
            ..crate::Options::from_names(Some("Agent"), Some("onRoutable"), []).expect("a trigger")
        };
        let codes: Vec<_> = crate::check_source(flow, &options)
            .into_iter()
            .map(|d| (d.code.as_str(), d.block.unwrap_or_default()))
            .collect();
        assert_eq!(
            codes,
            [
                ("no_contact", "r".to_owned()),
                ("control_kind", "r".to_owned()),
                ("unknown_port", "r".to_owned())
            ]
        );
    }

    #[test]
    fn methods_are_made_from_names() {
        let method = |name: &str, type_id: &str| {
            let text = format!(
                "[[block]]\ntype = {}\nname = {}\nports = [\"done\"]\n",
                toml::Value::String(type_id.into()),
                toml::Value::String(name.into())
            );
            load(&text)
                .ok()
                .and_then(|c| c.lookup(type_id))
                .and_then(|b| b.extension())
                .map(|e| e.method)
        };
        assert_eq!(method("HTTP Request", "X_1"), Some("http_request"));
        assert_eq!(method("Set Agent Status", "X_2"), Some("set_agent_status"));
        assert_eq!(method("受付", "SE_Reception"), Some("se_reception"));
        assert_eq!(method("2-step", "X_3"), Some("block_2_step"));
        assert_eq!(method("self", "X_4"), Some("block_self"));
        let bad =
            errors("[[block]]\ntype = \"X\"\nname = \"x\"\nmethod = \"Run\"\nports = [\"done\"]\n");
        assert_eq!(bad[0].0, "declaration");
    }
}
