//! Controls against the catalog: `missing_control`, `control_kind`, `unknown_control`, and
//! blocks that need a contact (`no_contact`).

use crate::catalog::{self, Block, Control, ControlKind, Field, Rule, Ty};
use crate::check::Scope;
use crate::check::graph::Graph;
use crate::check::references::resolve;
use crate::check::suggest::did_you_mean;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, ControlEntry, ControlValue, Flow};
use crate::reference::Reference;
use crate::trigger::Availability;

pub fn check(flow: &Flow, graph: &Graph, context: Scope, out: &mut Vec<Diagnostic>) {
    for (action, block) in flow.actions.iter().zip(&graph.blocks) {
        let Some(block) = *block else {
            continue;
        };
        let cx = Cx {
            graph,
            context,
            action,
            block,
        };
        if block.needs_contact && context.context.contact == Availability::No {
            out.push(
                Diagnostic::new(
                    Code::NoContact,
                    format!(
                        "`{}` ({}) needs a contact, but this flow's trigger has none",
                        block.type_id, block.display_name
                    ),
                )
                .block(&action.id)
                .span(action.type_span)
                .help(
                    "contact blocks work only in contact flows (Voice, Queue Callback, Chat, Task)",
                ),
            );
        }
        for entry in &action.controls {
            if block.control(&entry.key).is_none() {
                out.push(cx.unknown_control(entry));
            }
        }
        for control in block.controls {
            let given = |e: &&ControlEntry| e.value.is_given();
            // The correct spelling wins over the legacy one; an empty value is pointed at.
            let entry = action
                .control(control.name)
                .filter(given)
                .or_else(|| control.legacy.and_then(|l| action.control(l)).filter(given))
                .or_else(|| action.control(control.name));
            match entry {
                Some(e) if e.value.is_given() => {
                    cx.kind(control, e, out);
                    cx.rule(control, e, out);
                }
                _ if control.required => out.push(cx.missing(control, entry)),
                _ => {}
            }
        }
        cx.block_rules(out);
    }
}

struct Cx<'a> {
    graph: &'a Graph,
    context: Scope,
    action: &'a Action,
    block: &'static Block,
}

impl Cx<'_> {
    fn diagnostic(&self, code: Code, message: String, entry: Option<&ControlEntry>) -> Diagnostic {
        Diagnostic::new(code, message)
            .block(&self.action.id)
            .span(entry.map_or(self.action.controls_span, |e| e.span))
    }

    fn unknown_control(&self, entry: &ControlEntry) -> Diagnostic {
        let legacy_of = self
            .block
            .controls
            .iter()
            .find(|c| c.legacy == Some(entry.key.as_str()));
        let help = match legacy_of {
            Some(c) if self.action.control(c.name).is_some() => format!(
                "`{}` is the legacy spelling of `{}`, which is also given and wins; remove `{}`",
                entry.key, c.name, entry.key
            ),
            Some(c) => format!(
                "`{}` is the legacy spelling of `{}`; it is used, but rename it",
                entry.key, c.name
            ),
            None => did_you_mean(&entry.key, self.block.controls.iter().map(|c| c.name))
                .unwrap_or_else(|| "remove it; it is ignored".to_owned()),
        };
        Diagnostic::new(
            Code::UnknownControl,
            format!(
                "block type `{}` has no control `{}`",
                self.block.type_id, entry.key
            ),
        )
        .block(&self.action.id)
        .span(entry.key_span)
        .help(help)
    }

    fn missing(&self, control: &Control, entry: Option<&ControlEntry>) -> Diagnostic {
        let (message, span) = match entry {
            Some(e) => (
                format!(
                    "required control `{}` of block `{}` is empty",
                    control.name, self.action.id
                ),
                e.span,
            ),
            None => (
                format!(
                    "block `{}` ({}) is missing the required control `{}`",
                    self.action.id, self.block.display_name, control.name
                ),
                self.action.controls_span,
            ),
        };
        Diagnostic::new(Code::MissingControl, message)
            .block(&self.action.id)
            .span(span)
            .help(format!(
                "give `{}` a value{}",
                control.name,
                example(control)
            ))
    }

    /// The control's [`Rule`] over a literal value (references are judged at run time).
    fn rule(&self, control: &Control, entry: &ControlEntry, out: &mut Vec<Diagnostic>) {
        let Some(rule) = control.rule else { return };
        let name_help = "Salesforce names are letters, digits and `_`, starting with a letter";
        let bad = |what: &str, found: &str, span| {
            Diagnostic::new(
                Code::ControlKind,
                format!(
                    "control `{}` of block `{}` expects {what}, found {found}",
                    entry.key, self.action.id
                ),
            )
            .block(&self.action.id)
            .span(span)
        };
        // The text the runtime receives from a literal: numbers and booleans convert. (A finite
        // number's text starts with a digit or `-`, so its literal spelling judges it as well.)
        let literal = match &entry.value {
            ControlValue::Text(t) => Some(t.clone()),
            ControlValue::Bool(b) => Some(b.to_string()),
            ControlValue::Number(n) if n.value.is_infinite() => Some(
                if n.value > 0.0 {
                    "Infinity"
                } else {
                    "-Infinity"
                }
                .to_owned(),
            ),
            ControlValue::Number(n) => Some(n.raw.clone()),
            _ => None,
        };
        match (rule, literal.as_deref(), &entry.value) {
            (Rule::SObjectName | Rule::FieldName, Some(t), _)
                if !catalog::is_salesforce_name(t) =>
            {
                let what = if rule == Rule::SObjectName {
                    "an sObject name"
                } else {
                    "a field name"
                };
                out.push(
                    bad(what, &format!("\"{}\"", t.escape_debug()), entry.span)
                        .help(format!("{name_help}{}", example(control))),
                );
            }
            (Rule::FieldNames, Some(t), _) => {
                let wrong: Vec<&str> = t
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty() && !catalog::is_salesforce_name(f))
                    .collect();
                if !wrong.is_empty() {
                    out.push(
                        bad(
                            "field names separated by commas",
                            &format!("{} in \"{}\"", backticked(&wrong), t.escape_debug()),
                            entry.span,
                        )
                        .help(format!("{name_help}{}", example(control))),
                    );
                }
            }
            (Rule::FieldNameKeys, _, ControlValue::Map(entries)) => {
                for e in entries
                    .iter()
                    .filter(|e| !catalog::is_salesforce_name(&e.key))
                {
                    out.push(
                        bad(
                            "field names as keys",
                            &format!("the key \"{}\"", e.key.escape_debug()),
                            e.key_span,
                        )
                        .help(format!("{name_help}, e.g. `Description` or `Custom__c`")),
                    );
                }
            }
            (Rule::NotBlank, Some(t), _) if t.trim().is_empty() => out.push(
                bad("text that is not blank", "only white space", entry.span).help(format!(
                    "give `{}` a value{}",
                    control.name,
                    example(control)
                )),
            ),
            _ => {}
        }
    }

    fn kind(&self, control: &Control, entry: &ControlEntry, out: &mut Vec<Diagnostic>) {
        let wrong = |expected: &str, found: &str| {
            self.diagnostic(
                Code::ControlKind,
                format!(
                    "control `{}` of block `{}` expects {expected}, found {found}",
                    entry.key, self.action.id
                ),
                Some(entry),
            )
        };
        let reference_ty = |r| resolve(self.graph, self.context, r).ok().map(|r| r.ty);
        match (control.kind, &entry.value) {
            (ControlKind::Any, _) => {}
            (_, ControlValue::Malformed(..) | ControlValue::NotGiven(_)) => {}
            // A boolean's text, "true" or "false", is never a whole number.
            (ControlKind::IntegerText, ControlValue::Reference(r))
                if reference_ty(r) == Some(Ty::Bool) =>
            {
                out.push(
                    wrong(
                        "a whole number of seconds",
                        &format!("`{r}`, which is a boolean"),
                    )
                    .help("refer to a number or to text holding a whole number"),
                )
            }
            (ControlKind::IntegerText, ControlValue::Bool(b)) => out.push(
                wrong("a whole number of seconds", &format!("the boolean `{b}`"))
                    .help("write a whole number, zero or more, such as \"60\", or leave it empty"),
            ),
            (ControlKind::Text | ControlKind::IntegerText, ControlValue::Reference(r)) => {
                if let Some(ty) = reference_ty(r).filter(|ty| !is_text_like(*ty)) {
                    out.push(
                        wrong("text", &format!("`{r}`, which is {}", ty.describe()))
                            .help(text_path_help(r, ty)),
                    );
                }
            }
            (ControlKind::IntegerText, ControlValue::Text(t))
                if t.trim().parse::<u64>().is_err() =>
            {
                out.push(
                    wrong(
                        "a whole number of seconds",
                        &format!("\"{}\"", t.escape_debug()),
                    )
                    .help("write a whole number, zero or more, such as \"60\", or leave it empty"),
                )
            }
            // The runtime parses the number's JavaScript text as an unsigned 64-bit integer.
            (ControlKind::IntegerText, ControlValue::Number(n))
                if !(n.value == 0.0
                    || n.value > 0.0 && n.value.fract() == 0.0 && n.value < 2f64.powi(64)) =>
            {
                out.push(
                    wrong(
                        "a whole number of seconds",
                        &format!("the number `{}`", n.raw),
                    )
                    .help("write a whole number, zero or more, such as 60, or leave it empty"),
                )
            }
            (
                ControlKind::Text | ControlKind::IntegerText,
                ControlValue::Text(_) | ControlValue::Bool(_) | ControlValue::Number(_),
            ) => {}
            (ControlKind::Bool, ControlValue::Bool(_)) => {}
            (ControlKind::Bool, ControlValue::Reference(r)) => match reference_ty(r) {
                Some(Ty::Bool | Ty::Any) | None => {}
                Some(ty) => out.push(
                    wrong("a boolean", &format!("`{r}`, which is {}", ty.describe()))
                        .help("test it with an If-else or Is Truthy? block first"),
                ),
            },
            (ControlKind::Map, ControlValue::Map(entries)) => {
                for e in entries {
                    let (found, help) = match &e.value {
                        ControlValue::Map(_) | ControlValue::Array(_) => (
                            describe(&e.value),
                            "map values are text; nested objects are not sent".to_owned(),
                        ),
                        ControlValue::Reference(r) => match reference_ty(r) {
                            Some(ty) if !is_text_like(ty) => (
                                format!("`{r}`, which is {}", ty.describe()),
                                text_path_help(r, ty),
                            ),
                            _ => continue,
                        },
                        _ => continue,
                    };
                    out.push(
                        self.diagnostic(
                            Code::ControlKind,
                            format!(
                                "entry `{}` of map control `{}` must be text, found {found}",
                                e.key, entry.key
                            ),
                            Some(e),
                        )
                        .help(help),
                    );
                }
            }
            (ControlKind::Map, ControlValue::Reference(r)) => match reference_ty(r) {
                Some(Ty::Map | Ty::Any) | None => {}
                Some(Ty::Object(fields)) => {
                    let nested: Vec<&str> = fields
                        .iter()
                        .filter(|f| !is_text_like(f.ty))
                        .map(|f| f.name)
                        .collect();
                    if !nested.is_empty() {
                        out.push(
                            wrong(
                                "an object of key → text",
                                &format!(
                                    "`{r}`, whose fields {} are not text",
                                    backticked(&nested)
                                ),
                            )
                            .help(
                                "map values are text: write the entries one by one, each a \
                                 reference to a text field",
                            ),
                        );
                    }
                }
                Some(ty) => out.push(wrong(
                    "an object of key → text",
                    &format!("`{r}`, which is {}", ty.describe()),
                )),
            },
            (ControlKind::Enum(values), ControlValue::Text(t)) if values.contains(&t.as_str()) => {}
            (ControlKind::Enum(values), value) => {
                let found = describe(value);
                let help = match value {
                    ControlValue::Text(t) if values == catalog::COMPARATORS => {
                        catalog::COMPARATOR_SPELLINGS
                            .iter()
                            .find(|(written, _)| *written == t.trim())
                            .map(|(_, help)| (*help).to_owned())
                            .or_else(|| did_you_mean(t, values.iter().copied()))
                    }
                    ControlValue::Text(t) => did_you_mean(t, values.iter().copied()),
                    _ => None,
                }
                .unwrap_or_else(|| format!("write one of: {}", values.join(", ")));
                out.push(wrong("one of a fixed set of values", &found).help(help));
            }
            (kind, value) => out.push(wrong(kind_name(kind), &describe(value)).help(format!(
                "write {}{}",
                kind_name(kind),
                example(control)
            ))),
        }
    }

    /// Rules that span several controls of one block type.
    fn block_rules(&self, out: &mut Vec<Diagnostic>) {
        let given = |name| self.action.control(name).filter(|e| e.value.is_given());
        match self.block.type_id {
            "SE_SFSaveLog" => {
                let creating = match given("recordId").map(|e| &e.value) {
                    None => true,
                    Some(ControlValue::Text(t)) => t == "null",
                    Some(_) => false,
                };
                if creating && given("entityType").is_none() {
                    out.push(
                        Diagnostic::new(
                            Code::MissingControl,
                            format!(
                                "block `{}` creates a record (no `recordId`) but names no \
                                 `entityType`",
                                self.action.id
                            ),
                        )
                        .block(&self.action.id)
                        .span(
                            self.action
                                .control("entityType")
                                .map_or(self.action.controls_span, |e| e.span),
                        )
                        .help("give `entityType` the sObject to create, e.g. \"Case\""),
                    );
                }
            }
            "SE_TextStringTemplate" => {
                let Some(ControlValue::Text(template)) = given("template").map(|e| &e.value) else {
                    return;
                };
                let variables: Vec<&str> = match given("variables").map(|e| &e.value) {
                    Some(ControlValue::Map(entries)) => {
                        entries.iter().map(|e| e.key.as_str()).collect()
                    }
                    _ => Vec::new(),
                };
                for name in placeholders(template) {
                    if !variables.contains(&name) {
                        out.push(
                            Diagnostic::new(
                                Code::MissingControl,
                                format!(
                                    "the template of block `{}` uses `${{{name}}}`, which \
                                     `variables` does not define",
                                    self.action.id
                                ),
                            )
                            .block(&self.action.id)
                            .span(given("template").map_or(self.action.span, |e| e.span))
                            .help(
                                did_you_mean(name, variables.iter().copied())
                                    .unwrap_or_else(|| format!("add `{name}` to `variables`")),
                            ),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether a value of type `ty` converts to text (numbers and booleans do, as in JavaScript;
/// `any` is judged at run time).
fn is_text_like(ty: Ty) -> bool {
    matches!(ty, Ty::Text | Ty::Number | Ty::Bool | Ty::Any)
}

/// Help for a reference to an object or array where text is expected: a path into it that
/// would be text.
fn text_path_help(reference: &Reference, ty: Ty) -> String {
    let path = match ty {
        Ty::Object(fields) => first_text_path(fields),
        Ty::List => Some("[0]".to_owned()),
        Ty::Map => Some(".<key>".to_owned()),
        _ => None,
    };
    match path {
        Some(path) => format!(
            "{} is not text: pick a part of it, e.g. `{reference}{path}`",
            ty.describe()
        ),
        None => format!("{} is not text: pick one of its fields", ty.describe()),
    }
}

/// The path to the first text-like field of a record, looking into nested records.
fn first_text_path(fields: &[Field]) -> Option<String> {
    fields
        .iter()
        .filter(|f| f.deprecated_for.is_none())
        .find_map(|f| match f.ty {
            Ty::Object(inner) => first_text_path(inner).map(|rest| format!(".{}{rest}", f.name)),
            ty if is_text_like(ty) => Some(format!(".{}", f.name)),
            _ => None,
        })
}

fn backticked(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `${name}` placeholders of a String Template, in order.
pub fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split("${")
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

fn kind_name(kind: ControlKind) -> &'static str {
    match kind {
        ControlKind::Text => "text",
        ControlKind::IntegerText => "a whole number",
        ControlKind::Bool => "a boolean",
        ControlKind::Map => "an object of key → text",
        ControlKind::Any => "a value",
        ControlKind::Enum(_) => "one of a fixed set of values",
    }
}

/// An example value for help texts: the control's own, else one that fits its kind.
fn example(control: &Control) -> String {
    match (control.example, control.kind) {
        (Some(e), ControlKind::Map) => format!(", e.g. {e}"),
        (Some(e), _) => format!(", e.g. \"{e}\""),
        (None, ControlKind::Text) => ", e.g. \"$.actions.<id>.results.<field>\"".to_owned(),
        (None, ControlKind::IntegerText) => ", e.g. \"60\"".to_owned(),
        (None, ControlKind::Bool) => ": `true` or `false` (without quotes)".to_owned(),
        (None, ControlKind::Map) => ", e.g. {\"Description\": \"$.contact.queueName\"}".to_owned(),
        (None, ControlKind::Any) => String::new(),
        (None, ControlKind::Enum(values)) => format!(": one of {}", values.join(", ")),
    }
}

fn describe(value: &ControlValue) -> String {
    match value {
        ControlValue::NotGiven(_) => "nothing".to_owned(),
        ControlValue::Text(t) => format!("the text \"{}\"", t.escape_debug()),
        ControlValue::Bool(b) => format!("the boolean `{b}`"),
        ControlValue::Number(n) => format!("the number `{}`", n.raw),
        ControlValue::Reference(r) => format!("the reference `{r}`"),
        ControlValue::Malformed(raw, _) => format!("`{raw}`"),
        ControlValue::Map(_) => "an object".to_owned(),
        ControlValue::Array(_) => "an array".to_owned(),
    }
}
