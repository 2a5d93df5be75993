//! Malformed input of any kind gives diagnostics, never a panic; huge flows do not overflow
//! the stack. Every input is also loaded as the interpreter loads it (`ctiflow-dynamic`), which
//! must report the same diagnostics, and a flow that loads is run.

#[path = "../benches/broken.rs"]
mod broken;
#[path = "../benches/shapes.rs"]
mod shapes;

use ctiflow_codegen::{Code, Diagnostic, Options, Trigger};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::sandbox::Sandbox;
use ctiflow_runtime::{EventContext, Limits};
use serde_json::Value;

/// The checker's diagnostics of `text`. Loading it must give the same ones, and a flow that
/// loads must run to an outcome on an empty sandbox within a small step limit.
fn check_source(text: &str, options: &Options) -> Vec<Diagnostic> {
    let diagnostics = ctiflow_codegen::check_source(text, options);
    match DynamicFlow::load(text, &LoadOptions::from(options.clone())) {
        Err(error) => assert_eq!(error.diagnostics, diagnostics),
        Ok(flow) => {
            assert_eq!(flow.diagnostics(), diagnostics);
            let trigger = options
                .trigger
                .unwrap_or_else(|| Trigger::parse("VoiceContact", Some("onConnecting")).unwrap());
            let limits = Limits::default().with_steps(100);
            let _ =
                pollster::block_on(flow.run(&Sandbox::new(), &EventContext::new(trigger), &limits));
        }
    }
    diagnostics
}

const FLOW: &str = r#"{
  "name": "robustness sample",
  "actions": [
    {"id": "s", "type": "SE_Start", "meta": {"title": "開始"}, "ports": {"done": "c"}},
    {"id": "c", "type": "SE_ContactProperties", "controls": {}, "ports": {"done": "g"}},
    {"id": "g", "type": "SE_SFGetContactId", "controls": {"formattedPhoneNumber": "$.actions.c.results.formattedPhoneNumber", "fieldName": "Phone"}, "ports": {"success": "t", "failure": "e"}},
    {"id": "t", "type": "SE_SFCreateTask", "controls": {"Type": "Call", "Status": "Completed", "Priority": "Normal", "IsClosed": true, "CallType": "inbound", "WhoId": "$.actions.g.results.sfContactId", "otherTaskFields": {"Description": "$.contact.queueName"}}, "ports": {"success": "d", "failure": "e"}},
    {"id": "d", "type": "SE_Decision", "controls": {"operandA": "$.actions.t.results.Subject", "comparator": "!==", "operandB": "", "evaluateAs": "string"}, "ports": {"true": "p", "false": "e"}},
    {"id": "p", "type": "SE_SFScreenpopObject", "controls": {"recordId": "$.actions.t.results.id", "noPopOnEmpty": true}, "ports": {"success": "e"}},
    {"id": "e", "type": "SE_End"}
  ]
}"#;

fn options() -> Options {
    Options {
        trigger: Some(Trigger::parse("VoiceContact", Some("onConnecting")).unwrap()),
        ..Options::default()
    }
}

#[test]
fn the_sample_is_clean() {
    assert_eq!(check_source(FLOW, &options()), []);
}

#[test]
fn every_truncation_is_a_json_error() {
    for end in (0..FLOW.len()).filter(|&i| FLOW.is_char_boundary(i)) {
        let diagnostics = check_source(&FLOW[..end], &options());
        assert!(
            diagnostics.iter().any(|d| d.code == Code::Json),
            "truncated at {end}: {diagnostics:?}"
        );
    }
}

/// Every value of the sample (at any depth) replaced by every other kind of JSON value: checking
/// returns (a panic fails the test), and a replaced `id`, `type` or `actions` is always reported.
#[test]
fn wrong_types_everywhere_never_panic() {
    let sample: Value = serde_json::from_str(FLOW).unwrap();
    let replacements = [
        Value::Null,
        Value::Bool(true),
        serde_json::json!(-1.5e300),
        serde_json::json!(""),
        serde_json::json!("$."),
        serde_json::json!([]),
        serde_json::json!({}),
        serde_json::json!({"$.x": [1]}),
    ];
    let mut paths = Vec::new();
    collect_paths(&sample, &mut Vec::new(), &mut paths);
    assert!(paths.len() > 60, "{}", paths.len());
    for path in &paths {
        for replacement in &replacements {
            let mut mutated = sample.clone();
            *pointer(&mut mutated, path) = replacement.clone();
            let text = serde_json::to_string_pretty(&mutated).unwrap();
            let diagnostics = check_source(&text, &options());
            let _ = check_source(&text, &Options::default());
            // Ids are opaque: any non-empty string is one, and a number is read as its literal
            // text (README, "Decisions").
            let structural = match path.last().map(String::as_str) {
                Some("id") => {
                    !(replacement.is_number()
                        || replacement.as_str().is_some_and(|s| !s.is_empty()))
                }
                Some("type" | "actions") => true,
                _ => false,
            };
            if structural
                && *replacement
                    != sample
                        .pointer(&format!("/{}", path.join("/")))
                        .cloned()
                        .unwrap()
            {
                assert!(
                    !diagnostics.is_empty(),
                    "{path:?} = {replacement} went unreported"
                );
            }
        }
    }
}

fn collect_paths(v: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        at.push(key);
        collect_paths(child, at, out);
        at.pop();
    }
}

fn pointer<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, key| match v {
        Value::Object(m) => m.get_mut(key).unwrap(),
        Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
        _ => unreachable!("paths follow the tree"),
    })
}

#[test]
fn ten_megabyte_strings() {
    let huge = "x".repeat(10 << 20);
    for text in [
        FLOW.replace("\"c\"", &format!("\"{huge}\"")),
        FLOW.replace("Completed", &huge),
        FLOW.replace("$.contact.queueName", &format!("$.contact.{huge}")),
        FLOW.replace("$.contact.queueName", &format!("${huge}")),
        format!("\"{huge}"),
    ] {
        let _ = check_source(&text, &options());
    }
    let reference = FLOW.replace("$.contact.queueName", &format!("$.contact.{huge}"));
    let codes: Vec<_> = check_source(&reference, &options())
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, [Code::UnknownField]);
}

#[test]
fn deep_nesting_anywhere() {
    let deep_array = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let deep_object = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
    for nested in [&deep_array, &deep_object] {
        let text = FLOW.replace("\"Phone\"", nested);
        let codes: Vec<_> = check_source(&text, &options())
            .iter()
            .map(|d| d.code)
            .collect();
        assert_eq!(codes, [Code::Json]);
    }
    let ok_depth = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
    let text = FLOW.replace("\"Phone\"", &ok_depth);
    let codes: Vec<_> = check_source(&text, &options())
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, [Code::ControlKind]);
}

#[test]
fn huge_generated_flows_check_cleanly_without_overflow() {
    for shape in [
        shapes::Shape::Chain,
        shapes::Shape::WideDiamond,
        shapes::Shape::Nested,
    ] {
        let text = shapes::flow(shape, 50_000);
        assert_eq!(check_source(&text, &Options::default()), [], "{shape:?}");
    }
}

/// Diagnostics in bulk stay bounded: one-line flows with thousands of errors render to
/// kilobytes, each diagnostic's text is bounded, and "did you mean" over thousands of unknown
/// ids is bounded work (its time is measured in `benches/check.rs`).
#[test]
fn bulk_errors_render_bounded_output() {
    use ctiflow_codegen::render::{PER_CODE, Source, render};
    for (kind, n) in [
        (broken::Broken::DuplicateIds, 2_000),
        (broken::Broken::DanglingReferences, 8_000),
    ] {
        let text = broken::broken(kind, n);
        let diagnostics = check_source(&text, &Options::default());
        assert!(diagnostics.len() >= n, "{kind:?}: {}", diagnostics.len());
        let shown = render(&Source::new("flow.json", &text), &diagnostics, false);
        assert!(shown.len() < 100 * 1024, "{kind:?}: {} bytes", shown.len());
        assert!(shown.contains("more `"), "{kind:?}");
        assert!(shown.matches("error[").count() <= PER_CODE + 1, "{kind:?}");
    }
    // A 1 MB id is quoted, not copied, into its diagnostic.
    let id = "x".repeat(1 << 20);
    let text = format!(
        r#"{{"actions": [{{"id": "s", "type": "SE_Start", "ports": {{"done": "{id}"}}}}]}}"#
    );
    for d in check_source(&text, &Options::default()) {
        let size = d.message.len()
            + d.help.as_ref().map_or(0, String::len)
            + d.notes.iter().map(|n| n.message.len()).sum::<usize>();
        assert!(size < 4_096, "{}: {size} bytes", d.code);
    }
}
