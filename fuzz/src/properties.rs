//! The properties the fuzz targets and the stable tests assert, one function per stage. Each
//! panics (with a message naming the property) when one does not hold: libFuzzer records the
//! input as a crash, the stable tests catch the panic and print the input.
//!
//! Shared by `fuzz/` (the crate's library) and `ctiflow-codegen/tests/fuzz_properties.rs`
//! (through `#[path]`), so it uses nothing but `ctiflow_codegen`, `ctiflow_dynamic`,
//! `ctiflow_runtime`, `pollster`, `proc_macro2`, `syn` and `serde_json`.

use ctiflow_codegen::parse::{self, Kind};
use ctiflow_codegen::reference::{self, Reference};
use ctiflow_codegen::trigger::Source;
use ctiflow_codegen::{
    Analysis, Code, Diagnostic, Level, Options, Span, Target, Trigger, analyze, emit, generate,
    render,
};
use ctiflow_dynamic::{DynamicFlow, LoadOptions};
use ctiflow_runtime::sandbox::Sandbox;
use ctiflow_runtime::{EventContext, Limits};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::time::{Duration, Instant};

/// Generated text and diagnostics may be at most this many times the input, plus
/// [`SIZE_SLACK`]: generous, but linear, so that a quadratic blow-up shows on large inputs.
pub const SIZE_FACTOR: usize = 2_000;
/// The constant part of the size bound: what the smallest flow generates.
pub const SIZE_SLACK: usize = 64 << 10;

/// Calls the generated code must not make: it never panics or uses `unsafe` (README: "it has
/// no `unwrap`, `panic!` or indexing"). Macros are matched as `name!`, methods as `.name(`,
/// so a block named `panic` (an identifier made from its id) is not one.
pub const FORBIDDEN_MACROS: &[&str] = &["panic", "unreachable", "todo", "unimplemented", "assert"];
/// See [`FORBIDDEN_MACROS`].
pub const FORBIDDEN_METHODS: &[&str] = &["unwrap", "expect", "unwrap_unchecked", "unwrap_err"];

/// What one input produced, for size statistics.
#[derive(Clone, Copy, Debug, Default)]
pub struct Observed {
    /// Whether the checker accepted it (no errors).
    pub accepted: bool,
    /// Whether it was a flow at all (the model was built).
    pub flow: bool,
    /// The generated tokens, as text.
    pub generated: usize,
    /// The diagnostics' own text: messages, notes, help.
    pub diagnostics: usize,
    /// The diagnostics rendered as the CLI and the macros print them.
    pub rendered: usize,
    /// The time rendering took.
    pub render_time: Duration,
    /// The time the compiler took: `generate` (or `analyze`, for [`check`]).
    pub compile_time: Duration,
}

/// Every trigger a flow can be compiled for, and `None` (the most permissive context).
pub fn triggers() -> Vec<Option<Trigger>> {
    let mut out = vec![None];
    for &source in Source::ALL {
        if source.events().is_empty() {
            out.extend(Trigger::new(source, None).ok().map(Some));
        }
        for &event in source.events() {
            out.extend(Trigger::new(source, Some(event)).ok().map(Some));
        }
    }
    out
}

/// The lints, by name.
pub fn lints() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .filter(|c| c.is_lint())
        .map(|c| c.as_str())
        .collect()
}

/// Options from fuzzer bytes: `trigger` picks one of [`triggers`], `levels[i]` the level of
/// lint `i` (0 unset, 1 allow, 2 warn, 3 deny).
pub fn options(trigger: u8, levels: &[u8]) -> Options {
    let all = triggers();
    let mut options = Options {
        trigger: all[usize::from(trigger) % all.len()],
        ..Options::default()
    };
    for (name, byte) in lints().into_iter().zip(levels) {
        let level = match byte % 4 {
            1 => Level::Allow,
            2 => Level::Warn,
            3 => Level::Deny,
            _ => continue,
        };
        options
            .lints
            .set(name, level)
            .expect("every lint can be set");
    }
    options
}

/// The bytes before the text in the inputs of the `check` and `generate` fuzz targets: the
/// trigger, the levels of the lints, the target. See [`Input::decode`].
pub const HEADER: usize = 9;

/// What the `check` and `generate` fuzz targets read from their bytes.
#[derive(Clone, Debug)]
pub struct Input {
    /// From byte 0 and bytes 1 to 7: see [`options`].
    pub options: Options,
    /// Byte 8: see [`target`].
    pub target: u8,
    /// The rest, as UTF-8 (invalid sequences become U+FFFD).
    pub text: String,
}

impl Input {
    /// Reads the header ([`HEADER`] bytes, missing ones are 0) and the text after it.
    pub fn decode(data: &[u8]) -> Input {
        let mut header = [0u8; HEADER];
        let n = data.len().min(HEADER);
        header[..n].copy_from_slice(&data[..n]);
        Input {
            options: options(header[0], &header[1..HEADER - 1]),
            target: header[HEADER - 1],
            text: String::from_utf8_lossy(&data[n..]).into_owned(),
        }
    }

    /// The bytes that decode to `trigger` with no lint set, target byte 0, and `text`.
    pub fn encode(trigger: Option<Trigger>, text: &str) -> Vec<u8> {
        let index = triggers()
            .iter()
            .position(|t| *t == trigger)
            .expect("every trigger is listed");
        let mut out = vec![0u8; HEADER];
        out[0] = u8::try_from(index).expect("fewer than 256 triggers");
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// A target from a fuzzer byte: module names and file names of several kinds.
pub fn target(byte: u8) -> Target {
    let module = ["flow", "voice_on_connecting", "type_", "b_1", "results"][usize::from(byte) % 5];
    let mut target = Target::new(module);
    target.file = match byte / 5 % 4 {
        0 => None,
        1 => Some("flows/voice_onConnecting.json".to_owned()),
        2 => Some("flows/```rust\npanic!()\n```[x](y) *z*.json".to_owned()),
        _ => Some("C:\\flows\\開始 \u{2028}.json".to_owned()),
    };
    target
}

fn bound(input: usize) -> usize {
    SIZE_FACTOR.saturating_mul(input).saturating_add(SIZE_SLACK)
}

fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside the input of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} splits a character"
    );
}

/// Stage 1: the JSON parser. Never panics; every span lies in the input, on character
/// boundaries, children inside their parents; the references in its strings parse or not
/// without panicking, and print back to themselves. Where serde_json also accepts the text,
/// both read the same tree; what serde_json accepts, the parser accepts.
pub fn parse(text: &str) {
    let parsed = parse::parse(text);
    match &parsed {
        Ok(value) => check_value(text, value, Span::new(0, text.len())),
        Err(e) => check_span(text, e.span, "syntax error"),
    }
    match (serde_json::from_str::<serde_json::Value>(text), &parsed) {
        (Ok(theirs), Ok(ours)) => same_tree(ours, &theirs, &mut String::from("$")),
        (Ok(_), Err(e)) => panic!("serde_json accepts the text, the parser does not: {e:?}"),
        // serde_json refuses what the parser decides to read (flow-format and README): a
        // byte-order mark, numbers beyond the doubles, lone surrogates, nesting deeper than
        // serde_json's 128 levels.
        (Err(_), _) => {}
    }
}

fn check_value(text: &str, value: &parse::Value, within: Span) {
    check_span(text, value.span, "value");
    assert!(
        within.start <= value.span.start && value.span.end <= within.end,
        "value span {:?} outside its parent {within:?}",
        value.span
    );
    match &value.kind {
        Kind::Object(members) => {
            for m in members {
                check_span(text, m.key_span, "key");
                check_value(text, &m.value, value.span);
            }
        }
        Kind::Array(items) => {
            for item in items {
                check_value(text, item, value.span);
            }
        }
        Kind::String(s) if reference::looks_like_reference(s) => {
            if let Ok(r) = Reference::parse(s) {
                let printed = r.to_string();
                let again = Reference::parse(&printed);
                assert_eq!(
                    again.as_ref(),
                    Ok(&r),
                    "the reference {s:?} prints as {printed:?}, which reads differently"
                );
            }
        }
        _ => {}
    }
}

fn same_tree(ours: &parse::Value, theirs: &serde_json::Value, at: &mut String) {
    use serde_json::Value as J;
    match (&ours.kind, theirs) {
        (Kind::Null, J::Null) => {}
        (Kind::Bool(a), J::Bool(b)) => assert_eq!(a, b, "at {at}"),
        (Kind::Number(n), J::Number(m)) => {
            let m = m.as_f64().unwrap_or(f64::NAN);
            // serde_json without `float_roundtrip` may be one unit in the last place off.
            let close = n.value == m || (n.value - m).abs() <= m.abs() * 4.0 * f64::EPSILON;
            assert!(
                close,
                "at {at}: {} read as {}, serde_json {m}",
                n.raw, n.value
            );
        }
        (Kind::String(a), J::String(b)) => assert_eq!(a, b, "at {at}"),
        (Kind::Array(a), J::Array(b)) => {
            assert_eq!(a.len(), b.len(), "array length at {at}");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                same_tree(x, y, at);
                at.truncate(len);
            }
        }
        (Kind::Object(_), J::Object(b)) => {
            let mut keys: Vec<&str> = Vec::new();
            for m in ours.as_object().unwrap_or_default() {
                if !keys.contains(&m.key.as_str()) {
                    keys.push(&m.key);
                }
            }
            assert_eq!(keys.len(), b.len(), "distinct keys at {at}");
            for key in keys {
                let theirs = b.get(key);
                assert!(
                    theirs.is_some(),
                    "key {key:?} at {at} missing in serde_json"
                );
                let ours = ours.get(key).map(|m| &m.value);
                let len = at.len();
                at.push_str(&format!(".{key}"));
                if let (Some(x), Some(y)) = (ours, theirs) {
                    same_tree(x, y, at);
                }
                at.truncate(len);
            }
        }
        (a, b) => panic!("at {at}: the parser reads {a:?}, serde_json {b}"),
    }
}

fn text_size(d: &Diagnostic) -> usize {
    d.message.len()
        + d.help.as_ref().map_or(0, String::len)
        + d.block.as_ref().map_or(0, String::len)
        + d.notes.iter().map(|n| n.message.len()).sum::<usize>()
}

/// Stages 1 to 4: [`analyze`]. Never panics; spans lie in the input on character boundaries;
/// diagnostics are ordered by position, have a message, and obey the lint levels; text that is
/// not a flow has an error; analysing twice gives the same result; the diagnostics render
/// (CLI and macro forms) without panicking; their text is linear in the input. Loading it at
/// run time ([`load_and_run`]) agrees.
pub fn check(text: &str, options: &Options) -> Observed {
    let started = Instant::now();
    let analysis = analyze(text, options);
    let compile_time = started.elapsed();
    let again = analyze(text, options);
    assert_eq!(
        again.diagnostics, analysis.diagnostics,
        "analysing twice gives different diagnostics"
    );
    load_and_run(text, options, &analysis);
    Observed {
        compile_time,
        ..check_analysis(text, options, &analysis, true)
    }
}

/// Loading at run time (`ctiflow-dynamic`) never panics and reports exactly the checker's
/// diagnostics; a flow that loads runs to an outcome, without panicking, on an empty sandbox
/// within a step limit.
pub fn load_and_run(text: &str, options: &Options, analysis: &Analysis) {
    match DynamicFlow::load(text, &LoadOptions::from(options.clone())) {
        Err(error) => assert_eq!(
            error.diagnostics, analysis.diagnostics,
            "loading and checking disagree"
        ),
        Ok(flow) => {
            assert!(!analysis.has_errors(), "a flow with errors loaded");
            assert_eq!(
                flow.diagnostics(),
                analysis.diagnostics,
                "loading and checking disagree"
            );
            let trigger = options
                .trigger
                .or_else(|| triggers().into_iter().flatten().next());
            let Some(trigger) = trigger else { return };
            let limits = Limits::default().with_steps(50);
            let event = EventContext::new(trigger);
            let _ = pollster::block_on(flow.run(&Sandbox::new(), &event, &limits));
        }
    }
}

fn check_analysis(text: &str, options: &Options, analysis: &Analysis, render: bool) -> Observed {
    let diagnostics = &analysis.diagnostics;
    for d in diagnostics {
        let what = format!("diagnostic {}", d.code);
        if let Some(span) = d.span {
            check_span(text, span, &what);
        }
        for n in &d.notes {
            if let Some(span) = n.span {
                check_span(text, span, &what);
            }
        }
        assert!(!d.message.trim().is_empty(), "{what} has no message");
        match options.lints.level(d.code) {
            Some(Level::Allow) => panic!("{what} is allowed but reported: {}", d.message),
            Some(Level::Deny) => assert!(d.is_error(), "{what} is denied but not an error"),
            Some(Level::Warn) => assert!(!d.is_error(), "{what} is set to warn but an error"),
            None => assert_eq!(
                d.severity,
                d.code.default_severity(),
                "{what}: not its default severity"
            ),
        }
    }
    let positions: Vec<Option<usize>> = diagnostics
        .iter()
        .map(|d| d.span.map(|s| s.start))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] <= w[1]),
        "diagnostics not ordered by position: {positions:?}"
    );
    if analysis.flow.is_none() {
        assert!(analysis.has_errors(), "not a flow, yet no error");
    }
    let (rendered_len, render_time) = if render {
        render_all(text, diagnostics)
    } else {
        (0, Duration::ZERO)
    };
    let own: usize = diagnostics.iter().map(text_size).sum();
    assert!(
        own <= bound(text.len()),
        "{own} bytes of diagnostics for {} bytes of input",
        text.len()
    );
    Observed {
        accepted: !analysis.has_errors(),
        flow: analysis.flow.is_some(),
        generated: 0,
        diagnostics: own,
        rendered: rendered_len,
        render_time,
        compile_time: Duration::ZERO,
    }
}

/// Renders `diagnostics` as the CLI does, as the macros do (the first 16: the same renderer
/// once per diagnostic) and on one line each: the total length and the time it took.
fn render_all(text: &str, diagnostics: &[Diagnostic]) -> (usize, Duration) {
    let started = Instant::now();
    let source = render::Source::new("flow.json", text);
    let mut len = render::render(&source, diagnostics, false).len();
    for (i, d) in diagnostics.iter().enumerate() {
        if i < 16 {
            len += render::for_macro(&source, d).len();
        }
        len += render::one_line(&source, d).len();
    }
    (len, started.elapsed())
}

/// Stages 1 to 6: [`generate`]. Everything [`check`] asserts but rendering (slow on long
/// lines, and the `check` target's business), and: the diagnostics are [`analyze`]'s; the
/// tokens parse as a Rust file, for accepted flows and for the stub of rejected ones; an
/// accepted flow compiles to more than the stub; its tokens make none of the calls in
/// [`FORBIDDEN_MACROS`] and [`FORBIDDEN_METHODS`]; no doc comment holds a line break or a code
/// fence; generating twice gives the same tokens; the generated text is linear in the input.
pub fn generate_with(text: &str, options: &Options, target: &Target) -> Observed {
    generate_inner(text, options, target, false)
}

/// [`generate_with`], and the diagnostics rendered as [`check`] renders them.
pub fn generate_and_render(text: &str, options: &Options, target: &Target) -> Observed {
    generate_inner(text, options, target, true)
}

fn generate_inner(text: &str, options: &Options, target: &Target, render: bool) -> Observed {
    let analysis = analyze(text, options);
    let mut observed = check_analysis(text, options, &analysis, render);
    let started = Instant::now();
    let generated = generate(text, options, target);
    observed.compile_time = started.elapsed();
    assert_eq!(
        generated.diagnostics, analysis.diagnostics,
        "generate and analyze disagree (or analysing twice gives different diagnostics)"
    );
    let printed = generated.tokens.to_string();
    if let Err(e) = syn::parse2::<syn::File>(generated.tokens.clone()) {
        panic!(
            "the {} does not parse as Rust: {e}\n{}",
            if generated.has_errors() {
                "stub of a rejected flow"
            } else {
                "expansion of an accepted flow"
            },
            excerpt(&printed)
        );
    }
    check_docs(&generated.tokens);
    if !generated.has_errors() {
        let stub = emit::stub(
            analysis.flow.as_ref(),
            options.trigger,
            options.catalog,
            target,
        )
        .to_string();
        assert_ne!(printed, stub, "an accepted flow compiled to the stub");
        let mut idents = Vec::new();
        forbidden(&generated.tokens, &mut idents);
        assert!(
            idents.is_empty(),
            "the expansion uses {idents:?} (it must never panic)"
        );
    }
    let again = generate(text, options, target).tokens.to_string();
    assert!(again == printed, "generating twice gives different tokens");
    assert!(
        printed.len() <= bound(text.len()),
        "{} bytes generated for {} bytes of input",
        printed.len(),
        text.len()
    );
    observed.generated = printed.len();
    observed
}

/// [`generate_and_render`] for a module named `flow`.
pub fn generate_flow(text: &str, options: &Options) -> Observed {
    generate_and_render(text, options, &Target::new("flow"))
}

fn excerpt(printed: &str) -> String {
    let mut out: String = printed.chars().take(2_000).collect();
    if out.len() < printed.len() {
        out.push_str(" …");
    }
    out
}

/// The calls of [`FORBIDDEN_MACROS`] and [`FORBIDDEN_METHODS`] in `tokens`, into `out`.
pub fn forbidden(tokens: &TokenStream, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let punct =
        |i: usize, c: char| matches!(trees.get(i), Some(TokenTree::Punct(p)) if p.as_char() == c);
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                let name = ident.to_string();
                if name == "unsafe" {
                    out.push(name);
                } else if FORBIDDEN_MACROS.contains(&name.as_str()) && punct(i + 1, '!') {
                    out.push(format!("{name}!"));
                } else if FORBIDDEN_METHODS.contains(&name.as_str())
                    && i > 0
                    && punct(i - 1, '.')
                    && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
                {
                    out.push(format!(".{name}()"));
                }
            }
            TokenTree::Group(g) => forbidden(&g.stream(), out),
            _ => {}
        }
    }
}

/// Every `#[doc = "..."]` in `tokens`: one line, no code fence (doc comments of user text must
/// stay inert: README, "Generated doc comments").
pub fn check_docs(tokens: &TokenStream) {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Group(g) = tree else { continue };
        let is_attr = g.delimiter() == Delimiter::Bracket
            && matches!(trees.get(i.wrapping_sub(1)), Some(TokenTree::Punct(p)) if p.as_char() == '#');
        if is_attr {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            if let [
                TokenTree::Ident(name),
                TokenTree::Punct(eq),
                TokenTree::Literal(lit),
            ] = inner.as_slice()
                && name == "doc"
                && eq.as_char() == '='
            {
                let value = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into())
                    .map(|l| l.value());
                if let Ok(doc) = value {
                    assert!(
                        !doc.contains(['\n', '\r', '\u{2028}', '\u{2029}']),
                        "a doc comment spans lines: {doc:?}"
                    );
                    assert!(
                        !doc.contains("```"),
                        "a doc comment holds a code fence: {doc:?}"
                    );
                }
                continue;
            }
        }
        check_docs(&g.stream());
    }
}

/// The arguments of `ctiflow!` that give `options`, each followed by a comma.
pub fn macro_args(options: &Options) -> String {
    let mut out = String::from("name = flow, ");
    if let Some(trigger) = options.trigger {
        out.push_str(&format!("source = {}, ", trigger.source.name()));
        if let Some(event) = trigger.event {
            out.push_str(&format!("event = {}, ", event.name()));
        }
    }
    for level in [Level::Allow, Level::Warn, Level::Deny] {
        let names: Vec<&str> = lints()
            .into_iter()
            .filter(|name| {
                Code::from_name(name).and_then(|c| options.lints.level(c)) == Some(level)
            })
            .collect();
        if !names.is_empty() {
            out.push_str(&format!("{}({}), ", level.name(), names.join(", ")));
        }
    }
    out
}

/// The number of `compile_error!` calls in `tokens`.
pub fn compile_errors(tokens: &TokenStream) -> usize {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let mut n = 0;
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                n += usize::from(
                    matches!(trees.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '!'),
                );
            }
            TokenTree::Group(g) => n += compile_errors(&g.stream()),
            _ => {}
        }
    }
    n
}

fn string_literals(tokens: &TokenStream, out: &mut Vec<proc_macro2::Literal>) {
    for tree in tokens.clone() {
        match tree {
            TokenTree::Literal(lit) => {
                let text = lit.to_string();
                if text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#") {
                    out.push(lit);
                }
            }
            TokenTree::Group(g) => string_literals(&g.stream(), out),
            _ => {}
        }
    }
}

/// The macros' front end, `expand::inline_flow` (`ctiflow!`), with the flow as a raw string and,
/// where the text lexes as Rust tokens, as JSON tokens. Never panics; the expansion parses as a
/// Rust file; with a raw string it is `generate`'s module after one `compile_error!` per error;
/// as tokens, a flow whose text compiles compiles too (tokens may accept more: Rust escapes,
/// raw control characters in strings), and every string literal reads as rustc reads it
/// (`syn::LitStr::value`).
pub fn expand(text: &str, options: &Options) {
    let args = macro_args(options);
    let generated = generate(text, options, &Target::new("flow"));
    let errors = generated
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .count();
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    if let Ok(input) = format!("{args} r{hashes}\"{text}\"{hashes}").parse::<TokenStream>() {
        let out = ctiflow_codegen::expand::inline_flow(input, None);
        if let Err(e) = syn::parse2::<syn::File>(out.clone()) {
            panic!("ctiflow! with a raw string expands to tokens that do not parse as Rust: {e}");
        }
        assert!(
            out.to_string().ends_with(&generated.tokens.to_string()),
            "ctiflow! with a raw string expands to another module than generate"
        );
        assert_eq!(
            compile_errors(&out),
            errors,
            "ctiflow! with a raw string: compile_error! count is not the error count"
        );
    }
    let Ok(flow) = text.parse::<TokenStream>() else {
        return;
    };
    let mut literals = Vec::new();
    string_literals(&flow, &mut literals);
    for lit in literals {
        let Ok(rustc) = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into()) else {
            continue;
        };
        // A suffix (`""p`) makes the literal an error for rustc wherever it is used.
        if !rustc.suffix().is_empty() {
            continue;
        }
        let ours = ctiflow_codegen::expand::string_value(&lit);
        let rustc = Some(rustc.value());
        assert_eq!(
            ours, rustc,
            "the string literal {lit} reads differently than rustc reads it"
        );
    }
    let single_group = matches!(
        flow.clone().into_iter().collect::<Vec<_>>().as_slice(),
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace
    );
    if !single_group {
        return;
    }
    let Ok(input) = format!("{args} {text}").parse::<TokenStream>() else {
        return;
    };
    let out = ctiflow_codegen::expand::inline_flow(input, None);
    if let Err(e) = syn::parse2::<syn::File>(out.clone()) {
        panic!("ctiflow! with JSON tokens expands to tokens that do not parse as Rust: {e}");
    }
    // Tokens read more than JSON does (Rust escapes such as `\u{e9}`, raw control characters
    // in strings): only a flow whose text compiles must compile as tokens too.
    if errors == 0 {
        assert_eq!(
            compile_errors(&out),
            0,
            "the flow compiles as text, but not as JSON tokens in ctiflow!"
        );
    }
}
