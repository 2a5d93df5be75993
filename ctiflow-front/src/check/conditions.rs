//! `constant_condition`: an If-else or Is Truthy? whose outcome is fixed when the flow is written.

use crate::check::graph::Graph;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Blank, ControlValue, Flow};

pub fn check(flow: &Flow, graph: &Graph, out: &mut Vec<Diagnostic>) {
    for (i, action) in flow.actions.iter().enumerate() {
        if !graph.is_reachable(i) {
            continue;
        }
        let operands: &[&str] = match action.type_id.as_deref() {
            Some("SE_CoreTruthy") => &["value"],
            Some("SE_Decision") => &["operandA", "operandB"],
            _ => continue,
        };
        let constant = |name| {
            action.control(name).is_none_or(|c| {
                !matches!(
                    c.value,
                    ControlValue::Reference(_) | ControlValue::Malformed(..)
                )
            })
        };
        if !operands.iter().all(|&o| constant(o)) {
            continue;
        }
        let span = action
            .control(operands[0])
            .map_or(action.controls_span, |c| c.span);
        let message = match (operands, action.control("value").map(|c| &c.value)) {
            (["value"], value) => {
                let truthy = value.is_some_and(literal_is_truthy);
                format!(
                    "block `{}` tests a constant: it is always {truthy}, so its `{}` port is \
                     never taken",
                    action.id, !truthy
                )
            }
            _ => format!(
                "block `{}` compares two constants: it always takes the same port",
                action.id
            ),
        };
        out.push(
            Diagnostic::new(Code::ConstantCondition, message)
                .block(&action.id)
                .span(span)
                .help("test a reference such as `$.actions.<id>.results.value`"),
        );
    }
}

/// JavaScript truthiness of a literal control value.
fn literal_is_truthy(value: &ControlValue) -> bool {
    match value {
        ControlValue::NotGiven(blank) => *blank == Blank::EmptyObject,
        ControlValue::Bool(b) => *b,
        ControlValue::Number(n) => n.value != 0.0 && !n.value.is_nan(),
        _ => true,
    }
}
