//! What `include_flow!` and `ctiflow!` expand to, over `proc_macro2` so that the macro crate
//! stays a shim and this is testable outside a compiler: argument parsing, inline JSON read
//! from tokens (each byte of the rebuilt text mapped back to its token), and diagnostics as
//! `compile_error!` and real rustc warnings.

use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::emit::Target;
use crate::names::{check_module, module_for};
use crate::trigger::{Context, Payload};
use crate::{Options, OptionsError, declarations, generate, render};

/// An error in the macro's own arguments.
struct ArgError {
    span: Span,
    message: String,
}

fn arg_error(span: Span, message: impl Into<String>) -> ArgError {
    ArgError {
        span,
        message: message.into(),
    }
}

fn compile_error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error!(#message);)
}

/// The flow JSON of `ctiflow!`.
enum Json {
    /// `{ ... }` as tokens.
    Tokens(TokenStream),
    /// `r#"..."#`.
    Text(String, Span),
}

#[derive(Default)]
struct Args {
    path: Option<(String, Span)>,
    json: Option<Json>,
    source: Option<(String, Span)>,
    event: Option<(String, Span)>,
    name: Option<(String, Span)>,
    blocks: Option<(String, Span)>,
    payload: Option<(TokenStream, Span)>,
    lints: Vec<(String, Level, Span)>,
}

/// The value of a Rust string literal token (`"..."` or `r#"..."#`), or `None` if it is not one.
pub fn string_value(lit: &Literal) -> Option<String> {
    let text = lit.to_string();
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let inner = raw.get(hashes..raw.len().checked_sub(hashes)?)?;
        return inner
            .strip_prefix('"')?
            .strip_suffix('"')
            .map(str::to_owned);
    }
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            '0' => out.push('\0'),
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(char::from(u8::from_str_radix(&hex, 16).ok()?));
            }
            'u' => {
                chars.next().filter(|&c| c == '{')?;
                let hex: String = chars.by_ref().take_while(|&c| c != '}').collect();
                out.push(char::from_u32(
                    u32::from_str_radix(&hex.replace('_', ""), 16).ok()?,
                )?);
            }
            // A line continuation skips ASCII white space only, as rustc does.
            '\n' => {
                while chars
                    .peek()
                    .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
                {
                    chars.next();
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

fn parse_args(input: TokenStream) -> Result<Args, ArgError> {
    let mut args = Args::default();
    let mut items: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in input {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => items.push(Vec::new()),
            _ => items.last_mut().map_or((), |item| item.push(tt)),
        }
    }
    for item in items.into_iter().filter(|i| !i.is_empty()) {
        match item.as_slice() {
            [TokenTree::Literal(lit)] => {
                let value = string_value(lit)
                    .ok_or_else(|| arg_error(lit.span(), "expected a string literal"))?;
                if args.path.is_none() && args.json.is_none() {
                    args.path = Some((value, lit.span()));
                } else {
                    return Err(arg_error(lit.span(), "unexpected second string"));
                }
            }
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
                if args.json.is_some() || args.path.is_some() {
                    return Err(arg_error(
                        g.span(),
                        "a macro call compiles one flow; remove this one",
                    ));
                }
                args.json = Some(Json::Tokens(TokenStream::from(TokenTree::Group(g.clone()))));
            }
            [TokenTree::Ident(kind), TokenTree::Group(g)]
                if g.delimiter() == Delimiter::Parenthesis
                    && (kind == "allow" || kind == "deny" || kind == "warn") =>
            {
                let level = match kind.to_string().as_str() {
                    "allow" => Level::Allow,
                    "deny" => Level::Deny,
                    _ => Level::Warn,
                };
                for lint in g.stream() {
                    match lint {
                        TokenTree::Ident(i) => args.lints.push((i.to_string(), level, i.span())),
                        TokenTree::Punct(p) if p.as_char() == ',' => {}
                        other => return Err(arg_error(other.span(), "expected a lint name")),
                    }
                }
            }
            [TokenTree::Ident(key), TokenTree::Punct(eq), value @ ..]
                if eq.as_char() == '=' && !value.is_empty() && key == "payload" =>
            {
                if args.payload.is_some() {
                    return Err(arg_error(
                        key.span(),
                        "`payload` is given twice; give it once",
                    ));
                }
                let ty: TokenStream = value.iter().cloned().collect();
                args.payload = Some((ty, value[0].span()));
            }
            [TokenTree::Ident(key), TokenTree::Punct(eq), value @ ..]
                if eq.as_char() == '=' && !value.is_empty() =>
            {
                let span = value[0].span();
                let text = match value {
                    [TokenTree::Ident(i)] => i.to_string(),
                    [TokenTree::Literal(l)] => string_value(l)
                        .ok_or_else(|| arg_error(span, "expected a name or a string"))?,
                    _ => return Err(arg_error(span, "expected a name or a string")),
                };
                let key_name = key.to_string();
                let slot = match key_name.as_str() {
                    "source" => &mut args.source,
                    "event" => &mut args.event,
                    "name" => &mut args.name,
                    "blocks" => &mut args.blocks,
                    other => {
                        return Err(arg_error(
                            key.span(),
                            format!(
                                "unknown argument `{other}`; expected `source`, `event`, `name`, `blocks`, `payload`, `allow(..)`, `warn(..)` or `deny(..)`"
                            ),
                        ));
                    }
                };
                if slot.is_some() {
                    return Err(arg_error(
                        key.span(),
                        format!("`{key_name}` is given twice; give it once"),
                    ));
                }
                *slot = Some((text, span));
            }
            other => {
                return Err(arg_error(
                    other[0].span(),
                    "expected `\"path\"`, `key = value`, `allow(lint, ..)`, `warn(lint, ..)` or `deny(lint, ..)`",
                ));
            }
        }
    }
    Ok(args)
}

/// The text of an argument given as `key = value`.
fn text_of(arg: &Option<(String, Span)>) -> Option<&str> {
    arg.as_ref().map(|(text, _)| text.as_str())
}

impl Args {
    fn options(&self) -> Result<Options, ArgError> {
        let lints = self
            .lints
            .iter()
            .map(|(name, level, _)| (name.as_str(), *level));
        Options::from_names(text_of(&self.source), text_of(&self.event), lints).map_err(|e| {
            let span = match &e {
                OptionsError::Trigger(_) => self.source.as_ref().map(|(_, span)| *span),
                OptionsError::EventWithoutSource => self.event.as_ref().map(|(_, span)| *span),
                OptionsError::Lint(i, _) => self.lints.get(*i).map(|(_, _, span)| *span),
            };
            arg_error(span.unwrap_or_else(Span::call_site), e.to_string())
        })
    }

    fn target(&self, default_module: &str, options: &Options) -> Result<Target, ArgError> {
        let module = match &self.name {
            Some((name, span)) => {
                check_module(name).map_err(|message| arg_error(*span, message))?;
                name.clone()
            }
            None => default_module.to_owned(),
        };
        let mut target = Target::new(module);
        if let Some((ty, span)) = &self.payload {
            if Context::of(options.trigger).payload != Payload::Untyped {
                return Err(arg_error(
                    *span,
                    "`payload = ...` types a payload that is untyped JSON (CTI Action, Salesforce \
                     Agent, Salesforce UI onNavigationChange); this flow's trigger has no such \
                     payload",
                ));
            }
            target.payload = Some(ty.clone());
        }
        Ok(target)
    }

    /// The catalog of `blocks = "..."` (relative to `manifest_dir`): with the tokens that
    /// rebuild when the file changes, or its mistakes as `compile_error!`s.
    fn catalog(&self, manifest_dir: Option<&Path>) -> Result<Declarations, ArgError> {
        let Some((path, span)) = &self.blocks else {
            return Ok(Declarations {
                catalog: Catalog::BUILT_IN,
                tokens: TokenStream::new(),
                errors: false,
            });
        };
        let full = resolve(manifest_dir, path);
        let text = std::fs::read_to_string(&full).map_err(|e| {
            arg_error(
                *span,
                format!("cannot read `{path}` (relative to the crate's CARGO_MANIFEST_DIR): {e}"),
            )
        })?;
        let tracked = Literal::string(&full.to_string_lossy());
        let mut tokens = quote! {
            // Rebuild when the declarations change.
            const _: &[u8] = ::core::include_bytes!(#tracked);
        };
        match declarations::load(&text) {
            Ok(catalog) => Ok(Declarations {
                catalog,
                tokens,
                errors: false,
            }),
            Err(diagnostics) => {
                let source = render::Source::new(path, &text);
                tokens.extend(report(&diagnostics, |d| {
                    (*span, render::for_macro(&source, d))
                }));
                Ok(Declarations {
                    catalog: Catalog::BUILT_IN,
                    tokens,
                    errors: true,
                })
            }
        }
    }
}

/// A declarations file, read for a macro call.
struct Declarations {
    catalog: Catalog,
    /// Its tracking and its errors.
    tokens: TokenStream,
    /// Whether it has errors: the flow's own diagnostics would then be a cascade.
    errors: bool,
}

fn resolve(manifest_dir: Option<&Path>, path: &str) -> PathBuf {
    match manifest_dir {
        Some(dir) => dir.join(path),
        None => PathBuf::from(path),
    }
}

/// Compiles `text`, reporting its diagnostics through `place` unless the declarations already
/// failed.
fn compile(
    text: &str,
    options: &Options,
    target: &Target,
    declarations: &Declarations,
    place: impl Fn(&Diagnostic) -> (Span, String),
) -> TokenStream {
    let generated = generate(text, options, target);
    let diagnostics = if declarations.errors {
        TokenStream::new()
    } else {
        report(&generated.diagnostics, place)
    };
    let tracking = &declarations.tokens;
    let tokens = generated.tokens;
    quote!(#tracking #diagnostics #tokens)
}

/// Diagnostics as `compile_error!`s and warnings. `place` gives each diagnostic's span and
/// message.
fn report(
    diagnostics: &[Diagnostic],
    place: impl Fn(&Diagnostic) -> (Span, String),
) -> TokenStream {
    let mut out = TokenStream::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let (span, message) = place(d);
        match d.severity {
            Severity::Error => out.extend(compile_error(span, &message)),
            Severity::Warning => {
                // A hidden deprecated item used from generated code: the way to a real,
                // allowable rustc warning on stable.
                let name = quote::format_ident!("__ctiflow_warning_{}", i);
                let used = quote::format_ident!("__ctiflow_warning_{}", i, span = span);
                out.extend(quote! {
                    const _: () = {
                        #[deprecated(note = #message)]
                        // The item is named after the diagnostic, not a type a user reads.
                        #[allow(non_camel_case_types)]
                        struct #name;
                        let _ = #used;
                    };
                });
            }
        }
    }
    out
}

/// `include_flow!(...)`: `manifest_dir` is the invoking crate's `CARGO_MANIFEST_DIR`, against
/// which the path resolves.
pub fn include_flow(input: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
    expand_file(input, manifest_dir).unwrap_or_else(|e| compile_error(e.span, &e.message))
}

fn expand_file(input: TokenStream, manifest_dir: Option<&Path>) -> Result<TokenStream, ArgError> {
    let args = parse_args(input)?;
    let (path, path_span) = args.path.clone().ok_or_else(|| {
        arg_error(
            Span::call_site(),
            "expected the flow's path: include_flow!(\"flows/x.json\", ...)",
        )
    })?;
    let mut options = args.options()?;
    let mut target = args.target(&module_for(Path::new(&path)), &options)?;
    target.file = Some(path.clone());
    let declarations = args.catalog(manifest_dir)?;
    options.catalog = declarations.catalog;
    let full = resolve(manifest_dir, &path);
    let text = std::fs::read_to_string(&full).map_err(|e| {
        arg_error(
            path_span,
            format!("cannot read `{path}` (relative to the crate's CARGO_MANIFEST_DIR): {e}"),
        )
    })?;
    let source = render::Source::new(&path, &text);
    let module = compile(&text, &options, &target, &declarations, |d| {
        (path_span, render::for_macro(&source, d))
    });
    let tracked = Literal::string(&full.to_string_lossy());
    Ok(quote! {
        // Rebuild when the flow changes.
        const _: &[u8] = ::core::include_bytes!(#tracked);
        #module
    })
}

/// `ctiflow!{...}`: options, then the flow as JSON tokens or a raw string. `manifest_dir`
/// resolves `blocks = "..."`.
pub fn inline_flow(input: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
    expand_inline(input, manifest_dir).unwrap_or_else(|e| compile_error(e.span, &e.message))
}

fn expand_inline(input: TokenStream, manifest_dir: Option<&Path>) -> Result<TokenStream, ArgError> {
    let mut args = parse_args(input)?;
    if let Some((text, span)) = args.path.take() {
        args.json = Some(Json::Text(text, span));
    }
    let mut options = args.options()?;
    let target = args.target("flow", &options)?;
    let declarations = args.catalog(manifest_dir)?;
    options.catalog = declarations.catalog;
    let (text, spans) = match args.json.take() {
        Some(Json::Tokens(tokens)) => {
            let mut json = InlineJson::default();
            json.write_stream(tokens);
            (json.text, json.spans)
        }
        Some(Json::Text(text, span)) => {
            let spans = vec![(0, text.len(), span)];
            (text, spans)
        }
        None => {
            return Err(arg_error(
                Span::call_site(),
                "expected the flow: ctiflow!{ { \"actions\": [...] } }",
            ));
        }
    };
    Ok(compile(&text, &options, &target, &declarations, |d| {
        let at = d.span.map_or(0, |s| s.start);
        let span = spans
            .iter()
            .rev()
            .find(|(start, _, _)| *start <= at)
            .map_or(Span::call_site(), |(_, _, span)| *span);
        (span, inline_message(d))
    }))
}

/// `[code] message (block `id`)`, notes and help: the token carries the position.
fn inline_message(d: &Diagnostic) -> String {
    let mut message = format!("[{}] {}", d.code, d.message);
    if let Some(block) = &d.block {
        message.push_str(&format!(" (block `{block}`)"));
    }
    for note in &d.notes {
        message.push_str(&format!("\n= note: {}", note.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\n= help: {help}"));
    }
    message
}

/// JSON text rebuilt from tokens, with the token behind every range of it.
#[derive(Default)]
struct InlineJson {
    text: String,
    spans: Vec<(usize, usize, Span)>,
}

impl InlineJson {
    fn push(&mut self, text: &str, span: Span) {
        let start = self.text.len();
        self.text.push_str(text);
        self.spans.push((start, self.text.len(), span));
    }

    fn write_stream(&mut self, tokens: TokenStream) {
        for tt in tokens {
            match tt {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::None => ("", ""),
                    };
                    self.push(open, g.span_open());
                    self.write_stream(g.stream());
                    self.push(close, g.span_close());
                }
                TokenTree::Literal(lit) => match string_value(&lit) {
                    Some(value) => self.push(&json_string(&value), lit.span()),
                    None => self.push(&lit.to_string(), lit.span()),
                },
                // `-` joins the number after it; everything else is one token of JSON (or of
                // an error the parser reports on this token).
                TokenTree::Punct(p) => self.push(&p.as_char().to_string(), p.span()),
                TokenTree::Ident(i) => self.push(&i.to_string(), i.span()),
            }
            if !self.text.ends_with('-') {
                self.text.push(' ');
            }
        }
    }
}

/// `value` as a JSON string literal.
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn string_literals_decode() {
        let cases = [
            (r#""a\"b""#, "a\"b"),
            (r#""tab\there""#, "tab\there"),
            (r#""\u{65e5}本""#, "日本"),
            (r###"r#"{"x": "$"}"#"###, r#"{"x": "$"}"#),
            (r#""*/ {}""#, "*/ {}"),
        ];
        for (token, want) in cases {
            let lit: Literal = TokenStream::from_str(token)
                .ok()
                .and_then(|t| match t.into_iter().next() {
                    Some(TokenTree::Literal(l)) => Some(l),
                    _ => None,
                })
                .unwrap_or_else(|| Literal::string("?"));
            assert_eq!(string_value(&lit).as_deref(), Some(want), "{token}");
        }
    }

    #[test]
    fn inline_json_rebuilds_from_tokens() {
        let tokens = TokenStream::from_str(
            r#"{ "actions": [ { "id": "a\"b", "n": -1.5, "t": true, "x": null } ] }"#,
        )
        .unwrap_or_default();
        let mut json = InlineJson::default();
        json.write_stream(tokens);
        let parsed = crate::parse::parse(&json.text);
        assert!(parsed.is_ok(), "{}", json.text);
        assert!(json.text.contains(r#""a\"b""#), "{}", json.text);
        assert!(json.text.contains("-1.5"), "{}", json.text);
    }

    #[test]
    fn bad_arguments_are_compile_errors() {
        for input in [
            r#""x.json", colour = red"#,
            r#""x.json", source = Voice"#,
            r#""x.json", allow(not_a_lint)"#,
            r#""x.json", event = onConnecting"#,
            r#""x.json", name = "not a name""#,
            "",
        ] {
            let out = include_flow(TokenStream::from_str(input).unwrap_or_default(), None);
            assert!(out.to_string().contains("compile_error"), "{input}: {out}");
        }
    }

    #[test]
    fn arguments_are_given_once_and_levels_do_not_conflict() {
        let cases = [
            (
                r#""x.json", source = VoiceContact, source = ChatContact"#,
                "`source` is given twice; give it once",
            ),
            (
                r#""x.json", name = a, name = b"#,
                "`name` is given twice; give it once",
            ),
            (
                r#""x.json", allow(cycle), deny(cycle)"#,
                "lint `cycle` is set to both `allow` and `deny`; keep one",
            ),
            (
                r#""x.json", source = VoiceContact"#,
                "source VoiceContact needs an event",
            ),
        ];
        for (input, message) in cases {
            let out = include_flow(TokenStream::from_str(input).unwrap_or_default(), None);
            assert!(out.to_string().contains(message), "{input}: {out}");
        }
        let twice = inline_flow(
            TokenStream::from_str(r#"{ "actions": [] }, { "actions": [] }"#).unwrap_or_default(),
            None,
        );
        assert!(twice.to_string().contains("compiles one flow"), "{twice}");
    }
}
