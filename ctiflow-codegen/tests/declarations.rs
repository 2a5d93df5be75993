//! Declarations files of any shape never make the front end, the code generator, the macros or
//! the interpreter panic: arbitrary text, and a valid file mutated with TOML fragments and
//! hostile names. A file that loads is then used by a flow that calls every declared block,
//! which is checked, generated (the tokens must parse as Rust), expanded by `include_flow!`,
//! loaded and run.

use std::str::FromStr;

use ctiflow_codegen::catalog::{Catalog, ControlKind};
use ctiflow_codegen::{Code, Options, Target, Trigger, declarations, expand, generate, render};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::sandbox::Sandbox;
use ctiflow_runtime::{EventContext, Limits};
use proptest::prelude::*;
use serde_json::{Value, json};

const VALID: &str = r#"[[block]]
type = "X_One"
name = "One block"
ports = ["success", "failure"]
controls = [
  { name = "text", kind = "text", required = true },
  { name = "flag", kind = "bool" },
  { name = "map", kind = "map" },
  { name = "any", kind = "any" },
  { name = "word", kind = "enum", values = ["a", "b"], default = "a" },
]
results = [{ name = "value", type = "text" }, { name = "n", type = "number", optional = true }]

[[block]]
type = "X_Two"
name = "Two"
ports = ["done"]

[[payload]]
name = "recordId"
type = "text"
"#;

/// Pieces of TOML, and names no identifier allows.
const FRAGMENTS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "#",
    ".",
    "[[block]]\n",
    "[[payload]]\n",
    "type = \"SE_Start\"",
    "kind = \"enum\"",
    "values = []",
    "default = \"z\"",
    "ports = [\"true\", \"false\"]",
    "ports = []",
    "required = 1",
    "optional = \"yes\"",
    "name = \"\"",
    "name = \"type\"",
    "name = \"self\"",
    "name = \"Self\"",
    "name = \"a-b\"",
    "name = \"r#x\"",
    "name = \"9lives\"",
    "name = \"日本語\"",
    "name = \"a.b\"",
    "name = \"__ctiflow_x\"",
    "method = \"self\"",
    "method = \"match\"",
    "method = \"r#x\"",
    "method = \"Run\"",
    "method = \"a__b\"",
    "type = \"number\"",
    "type = \"object\"",
    "portability = \"pure\"",
    "contact = true",
    "open_cti = [\"x\"]",
    "1e400",
    "-0",
    "\u{0}",
    "\\u0000",
    "\"\"\"",
    "'''",
    "inf",
    "nan",
    "1979-05-27T07:32:00Z",
    "[[block.controls]]",
    "[block]",
    "a = { b = { c = { d = 1 } } }",
];

fn cti_action() -> Trigger {
    Trigger::parse("CtiAction", None).expect("a trigger")
}

/// A flow that calls every declared block, with a value of every JSON kind for each control,
/// and reads every declared result field.
fn flow_using(catalog: Catalog) -> String {
    let blocks = catalog.declared();
    let first = if blocks.is_empty() { "end" } else { "b0" };
    let mut actions = vec![json!({"id": "start", "type": "SE_Start", "ports": {"done": first}})];
    for (i, block) in blocks.iter().enumerate() {
        let next = if i + 1 == blocks.len() {
            "end".to_owned()
        } else {
            format!("b{}", i + 1)
        };
        let controls: serde_json::Map<String, Value> = block
            .controls
            .iter()
            .enumerate()
            .map(|(j, c)| {
                let value = match (c.kind, j % 3) {
                    (ControlKind::Enum(words), _) => json!(words.first().copied().unwrap_or("")),
                    (_, 0) => json!("$.payload.recordId"),
                    (_, 1) => json!({"k": "v"}),
                    _ => json!(true),
                };
                (c.name.to_owned(), value)
            })
            .collect();
        let ports: serde_json::Map<String, Value> = block
            .ports
            .iter()
            .map(|p| (p.name().to_owned(), json!(next)))
            .collect();
        actions.push(json!({"id": format!("b{i}"), "type": block.type_id, "controls": controls, "ports": ports}));
    }
    actions.push(json!({"id": "end", "type": "SE_End"}));
    json!({ "actions": actions }).to_string()
}

/// Everything that reads a declarations file, on `text`: none may panic.
fn exercise(text: &str) {
    let catalog = match declarations::load(text) {
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            for d in &diagnostics {
                assert!(
                    matches!(
                        d.code,
                        Code::Declaration
                            | Code::UnknownKind
                            | Code::ShadowsBuiltin
                            | Code::DuplicateDeclaration
                    ),
                    "{d:?}"
                );
                let span = d.span.expect("declaration diagnostics have a place");
                assert!(span.start <= span.end && span.end <= text.len(), "{d:?}");
                // As the macros and the CLI show them.
                let source = render::Source::new("blocks.toml", text);
                assert!(render::for_macro(&source, d).contains(d.code.as_str()));
            }
            let source = render::Source::new("blocks.toml", text);
            assert!(!render::render(&source, &diagnostics, false).is_empty());
            return;
        }
        Ok(catalog) => catalog,
    };
    let flow = flow_using(catalog);
    let options = Options {
        trigger: Some(cti_action()),
        catalog,
        ..Options::default()
    };
    let generated = generate(&flow, &options, &Target::new("declared"));
    syn::parse2::<syn::File>(generated.tokens.clone())
        .unwrap_or_else(|e| panic!("generated code does not parse ({e}) for:\n{text}"));
    if let Ok(flow) = DynamicFlow::load(&flow, &LoadOptions::from(options)) {
        let limits = Limits::default().with_steps(50);
        let ctx = EventContext::new(cti_action());
        let _ = pollster::block_on(flow.run(&Sandbox::new(), &ctx, &limits));
    }
}

#[test]
fn the_valid_file_generates_and_runs() {
    let catalog = declarations::load(VALID).expect("valid");
    assert_eq!(catalog.declared().len(), 2);
    exercise(VALID);
}

#[test]
fn hostile_names_become_identifiers() {
    let text = r#"
[[block]]
type = "X_Hostile"
name = "match"
ports = ["done"]
controls = [
  { name = "type", kind = "text" }, { name = "self", kind = "text" }, { name = "a-b", kind = "any" },
  { name = "a_b", kind = "any" }, { name = "9lives", kind = "bool" }, { name = "日本語", kind = "map" },
  { name = "", kind = "text" },
]
results = [{ name = "Self", type = "any" }, { name = "super", type = "text" }, { name = "x y", type = "bool" }]
"#;
    // An empty control name is a mistake; without it the rest generate.
    assert!(declarations::load(text).is_err());
    let text = text.replace("{ name = \"\", kind = \"text\" },\n", "");
    assert!(
        declarations::load(&text).is_ok(),
        "{:?}",
        declarations::load(&text).err()
    );
    exercise(&text);
}

#[test]
fn include_flow_reports_a_bad_file_and_never_panics() {
    let dir = std::env::temp_dir().join(format!("ctiflow-declarations-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    std::fs::write(dir.join("flow.json"), flow_using(Catalog::BUILT_IN)).expect("write");
    for text in [
        VALID,
        "[[block]",
        "[[block]]\ntype = \"SE_Log\"\nname = \"x\"\nports = [\"done\"]\n",
    ] {
        std::fs::write(dir.join("blocks.toml"), text).expect("write");
        let input = proc_macro2::TokenStream::from_str(
            r#""flow.json", source = CtiAction, blocks = "blocks.toml""#,
        )
        .expect("tokens");
        let out = expand::include_flow(input, Some(&dir)).to_string();
        let failed = out.contains("compile_error");
        assert_eq!(failed, text != VALID, "{text}: {out}");
    }
    let missing =
        proc_macro2::TokenStream::from_str(r#""flow.json", blocks = "none.toml""#).expect("tokens");
    let out = expand::include_flow(missing, Some(&dir)).to_string();
    assert!(out.contains("cannot read `none.toml`"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Names that are hard to make identifiers of, or to quote.
const NAMES: &[&str] = &[
    "value",
    "type",
    "self",
    "Self",
    "super",
    "a-b",
    "a_b",
    "9lives",
    "日本語",
    "x y",
    "r#x",
    "__ctiflow_x",
    "results",
    "rt",
    "ctx",
    "\"quoted\"",
    "back\\slash",
    "\u{2028}",
    "_",
];
const KINDS: &[&str] = &["text", "bool", "map", "any", "enum", "txt", ""];
const TYPES: &[&str] = &["text", "number", "bool", "object", "array", "any", "string"];
const PORTS: &[&str] = &[
    "[\"done\"]",
    "[\"success\", \"failure\"]",
    "[\"failure\", \"success\"]",
    "[]",
    "[\"true\", \"false\"]",
    "[\"done\", \"done\"]",
];

/// `text` as a TOML string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// A declarations file built from random parts: mostly well formed, with hostile names,
/// duplicates and some unknown kinds.
fn structured() -> impl Strategy<Value = String> {
    let control = (
        proptest::sample::select(NAMES),
        proptest::sample::select(KINDS),
        any::<bool>(),
        proptest::option::of(proptest::collection::vec(
            proptest::sample::select(NAMES),
            0..3,
        )),
    );
    let field = (
        proptest::sample::select(NAMES),
        proptest::sample::select(TYPES),
        any::<bool>(),
    );
    let block = (
        proptest::sample::select(&["X_A", "X_B", "SE_Start", "X_日本", "X_A"][..]),
        proptest::sample::select(NAMES),
        proptest::sample::select(PORTS),
        proptest::collection::vec(control, 0..5),
        proptest::collection::vec(field, 0..4),
        any::<bool>(),
    );
    proptest::collection::vec(block, 0..4).prop_map(|blocks| {
        let mut text = String::new();
        for (type_id, name, ports, controls, results, contact) in blocks {
            text.push_str(&format!(
                "[[block]]\ntype = {}\nname = {}\nports = {ports}\ncontact = {contact}\n",
                quoted(type_id),
                quoted(name)
            ));
            let controls: Vec<String> = controls
                .iter()
                .map(|(name, kind, required, values)| {
                    let values = values.as_ref().map_or(String::new(), |v| {
                        let v: Vec<String> = v.iter().map(|w| quoted(w)).collect();
                        format!(", values = [{}]", v.join(", "))
                    });
                    format!(
                        "{{ name = {}, kind = {}, required = {required}{values} }}",
                        quoted(name),
                        quoted(kind)
                    )
                })
                .collect();
            text.push_str(&format!("controls = [{}]\n", controls.join(", ")));
            let results: Vec<String> = results
                .iter()
                .map(|(name, ty, optional)| {
                    format!(
                        "{{ name = {}, type = {}, optional = {optional} }}",
                        quoted(name),
                        quoted(ty)
                    )
                })
                .collect();
            text.push_str(&format!("results = [{}]\n\n", results.join(", ")));
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn structured_files_never_panic(text in structured()) {
        exercise(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        exercise(&text);
    }

    #[test]
    fn mutated_files_never_panic(
        edits in proptest::collection::vec((0..VALID.len(), 0..12usize, proptest::sample::select(FRAGMENTS)), 1..6)
    ) {
        let mut text = VALID.to_owned();
        for (at, cut, fragment) in edits {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, fragment);
        }
        exercise(&text);
    }
}
