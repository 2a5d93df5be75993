//! References: resolution to a type, and `malformed_reference`, `unknown_block`,
//! `unknown_field`, `no_contact`, `no_payload`, `unknown_payload_field`, `deprecated_path` and
//! `maybe_unset`.

use std::collections::HashMap;

use crate::catalog::{self, AGENT, CONTACT_PROPERTIES, Field, Port, Results, Ty};
use crate::check::Scope;
use crate::check::graph::Graph;
use crate::check::suggest::{Ids, did_you_mean};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Action, ControlValue, Flow};
use crate::reference::{Reference, Root, Segment};
use crate::span::Span;
use crate::trigger::{Availability, Payload};

/// What a reference that resolves refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The type of the value.
    pub ty: Ty,
    /// The block whose results it reads.
    pub producer: Option<usize>,
    /// A deprecated field on the path, and its replacement.
    pub deprecated: Option<(&'static str, &'static str)>,
}

/// Why a reference does not resolve.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    code: Code,
    message: String,
    help: Option<String>,
}

/// Resolves `reference` in `flow` and `context`.
pub fn resolve(graph: &Graph, context: Scope, reference: &Reference) -> Result<Resolved, Problem> {
    let problem = |code, message: String, help| {
        Err(Problem {
            code,
            message,
            help,
        })
    };
    let (root_ty, producer, unknown) = match &reference.root {
        Root::Action(id) => {
            let Some(&i) = graph.index.get(id) else {
                // The "did you mean" is the caller's: it costs work only where it is shown.
                return problem(
                    Code::UnknownBlock,
                    format!("`{reference}` refers to block `{id}`, which does not exist"),
                    None,
                );
            };
            let ty = match graph.blocks[i] {
                Some(block) => match block.results {
                    Results::None => {
                        return problem(
                            Code::UnknownField,
                            format!("block `{id}` ({}) returns no results", block.display_name),
                            Some("refer to a block that produces a value".to_owned()),
                        );
                    }
                    Results::Value(ty) => ty,
                    Results::Fields(fields) => Ty::Object(fields),
                },
                // Unknown or missing types are reported on their own; do not cascade.
                _ => Ty::Any,
            };
            (ty, Some(i), Code::UnknownField)
        }
        Root::Contact => {
            if context.context.contact == Availability::No {
                return problem(
                    Code::NoContact,
                    format!("`{reference}` reads the contact, but this flow's trigger has none"),
                    Some(
                        "contact data exists only for Voice, Queue Callback, Chat and Task \
                         contact events, and maybe for Salesforce UI and CTI Action flows"
                            .to_owned(),
                    ),
                );
            }
            (Ty::Object(CONTACT_PROPERTIES), None, Code::UnknownField)
        }
        Root::Agent => (Ty::Object(AGENT), None, Code::UnknownField),
        Root::Payload => match context.context.payload {
            Payload::None => {
                return problem(
                    Code::NoPayload,
                    format!("`{reference}` reads the payload, but this flow's trigger has none"),
                    Some(
                        "payloads exist for Salesforce UI, Salesforce Agent, CTI Action and \
                         chat message events"
                            .to_owned(),
                    ),
                );
            }
            Payload::Untyped => match context.payload {
                Some(declared) => (Ty::Object(declared), None, Code::UnknownPayloadField),
                None => (Ty::Any, None, Code::UnknownPayloadField),
            },
            Payload::Typed(record) => (
                Ty::Object(catalog::payload_fields(record)),
                None,
                Code::UnknownPayloadField,
            ),
        },
    };
    let mut ty = root_ty;
    let mut deprecated = None;
    let mut walked = reference.clone();
    walked.path.clear();
    for segment in &reference.path {
        ty = match (ty, segment) {
            (Ty::Object(fields), Segment::Key(key)) => {
                let Some(field) = fields.iter().find(|f| f.name == key) else {
                    return problem(
                        unknown,
                        format!("`{walked}` has no field `{key}`"),
                        Some(
                            did_you_mean(key, fields.iter().map(|f| f.name)).unwrap_or_else(|| {
                                format!("its fields are: {}", field_names(fields))
                            }),
                        ),
                    );
                };
                if let Some(replacement) = field.deprecated_for {
                    deprecated = Some((field.name, replacement));
                }
                field.ty
            }
            (Ty::Any | Ty::Map | Ty::List, _) => Ty::Any,
            (other, _) => {
                return problem(
                    unknown,
                    format!(
                        "`{walked}` is {}; the path `{segment}` cannot go into it",
                        other.describe()
                    ),
                    Some(format!("end the reference at `{walked}`")),
                );
            }
        };
        walked.path.push(segment.clone());
    }
    Ok(Resolved {
        ty,
        producer,
        deprecated,
    })
}

fn field_names(fields: &[Field]) -> String {
    fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
}

pub fn check(flow: &Flow, graph: &Graph, context: Scope, ids: &Ids<'_>, out: &mut Vec<Diagnostic>) {
    let mut witnesses: HashMap<usize, Vec<_>> = HashMap::new();
    for (user, action) in flow.actions.iter().enumerate() {
        let mut refs = Vec::new();
        for c in &action.controls {
            c.value.references(c.span, &mut refs);
        }
        for (value, span) in refs {
            let reference = match value {
                ControlValue::Reference(r) => r,
                ControlValue::Malformed(raw, why) => {
                    out.push(malformed(ids, action, raw, why, span));
                    continue;
                }
                _ => continue,
            };
            let resolved = match resolve(graph, context, reference) {
                Ok(r) => r,
                Err(p) => {
                    let help = match (&reference.root, p.code) {
                        (Root::Action(id), Code::UnknownBlock) => {
                            Some(ids.did_you_mean(id).unwrap_or_else(|| {
                                "refer to the id of a block of this flow".to_owned()
                            }))
                        }
                        _ => p.help,
                    };
                    out.push(
                        Diagnostic::new(p.code, p.message)
                            .block(&action.id)
                            .span(span)
                            .maybe_help(help),
                    );
                    continue;
                }
            };
            if let Some((old, new)) = resolved.deprecated {
                out.push(
                    Diagnostic::new(
                        Code::DeprecatedPath,
                        format!("`{reference}`: the field `{old}` is deprecated"),
                    )
                    .block(&action.id)
                    .span(span)
                    .help(format!(
                        "use `{new}` (international format) or `nationalNumber` instead"
                    )),
                );
            }
            let Some(producer) = resolved.producer else {
                continue;
            };
            if !graph.is_reachable(user) || graph.definitely_available(producer, user) {
                continue;
            }
            let parents = witnesses
                .entry(producer)
                .or_insert_with(|| graph.paths_avoiding(producer));
            let producer_id = &flow.actions[producer].id;
            out.push(
                Diagnostic::new(
                    Code::MaybeUnset,
                    format!("`{reference}` may be unset when block `{}` runs", action.id),
                )
                .block(&action.id)
                .span(span)
                .note(witness(flow, parents, producer, user), None)
                .help(format!(
                    "make every path to `{}` pass through a successful `{producer_id}`, or allow \
                     `maybe_unset` for this flow to pass `undefined` as the adapter does",
                    action.id
                )),
            );
        }
    }
}

fn malformed(ids: &Ids<'_>, action: &Action, raw: &str, why: &str, span: Span) -> Diagnostic {
    let guess = raw
        .trim_start_matches('$')
        .split('.')
        .find_map(|part| guess_id(ids, part));
    let help = match guess {
        Some(id) => format!("did you mean `$.actions.{id}.results…`?"),
        None => "write `$.actions.<id>.results.<field>`, `$.payload…`, `$.contact…` or \
                 `$.agent…`"
            .to_owned(),
    };
    Diagnostic::new(
        Code::MalformedReference,
        format!("malformed reference: {why}"),
    )
    .block(&action.id)
    .span(span)
    .help(help)
}

/// The block id a fragment of a malformed reference probably meant: itself, an id it ends
/// (`12` → `uid-12`), or a close one.
fn guess_id<'a>(ids: &Ids<'a>, part: &str) -> Option<&'a str> {
    ids.exact(part)
        .or_else(|| ids.ending_in(part))
        .or_else(|| ids.closest(part))
}

/// One path from Start to `user` that does not leave `producer` successfully, e.g.
/// "`g` takes `failure` on this path: s (done) → g (failure) → l"; a long path shows its first
/// and last steps around the number left out, so the note stays short.
fn witness(flow: &Flow, parents: &[Option<(usize, Port)>], producer: usize, user: usize) -> String {
    const ENDS: usize = 4;
    let mut path = vec![(user, None)];
    let mut passes = false;
    let mut v = user;
    // A path found by BFS visits each block once, so it has fewer steps than blocks.
    while let Some((p, port)) = parents[v].filter(|_| path.len() <= flow.actions.len()) {
        passes |= p == producer;
        path.push((p, Some(port)));
        v = p;
    }
    path.reverse();
    let step = |&(i, port): &(usize, Option<Port>)| match port {
        Some(port) => format!("{} ({})", flow.actions[i].id, port.name()),
        None => flow.actions[i].id.clone(),
    };
    // Each step keeps the port it left through; the last, `user`, has none.
    let steps = path;
    let shown = if steps.len() > 2 * ENDS + 1 {
        let head: Vec<String> = steps[..ENDS].iter().map(step).collect();
        let tail: Vec<String> = steps[steps.len() - ENDS..].iter().map(step).collect();
        format!(
            "{} → … ({} blocks) … → {}",
            head.join(" → "),
            steps.len() - 2 * ENDS,
            tail.join(" → ")
        )
    } else {
        steps.iter().map(step).collect::<Vec<_>>().join(" → ")
    };
    let producer_id = &flow.actions[producer].id;
    let how = if passes {
        format!("`{producer_id}` takes `failure` on this path")
    } else {
        format!("`{producer_id}` does not run on this path")
    };
    format!("{how}: {shown}")
}
