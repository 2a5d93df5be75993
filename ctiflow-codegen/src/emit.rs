//! Stage 6: a [`Program`] → tokens. Every path is absolute (through the runtime's
//! `__private` module), every internal name starts with `__ctiflow_`, and every string from the
//! flow is emitted as a literal token, never as code.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};

use std::collections::BTreeSet;

use crate::catalog::{
    Argument, Block, Capability, Catalog, Control, Implementation, Port, Results,
};
use crate::extensions;
use crate::ir::{Arg, Expr, Node, Program, Read, ReadRoot};
use crate::model::{Action, Blank, Flow};
use crate::names::{Namer, is_keyword, snake_case, upper_camel};
use crate::parse::{self, Kind};
use crate::reference::Segment;
use crate::trigger::{Payload, Trigger};

/// How to emit a flow.
#[derive(Clone, Debug)]
pub struct Target {
    /// The module's name (a valid identifier).
    pub module: String,
    /// The path of the `ctiflow` crate in the generated code (`::ctiflow`).
    pub krate: TokenStream,
    /// The flow's file, for doc comments (relative, as the user wrote it).
    pub file: Option<String>,
    /// The user's type for the event's payload (`my::Payload`), whose fields `$.payload.<key>`
    /// reads become, so that rustc checks them.
    pub payload: Option<TokenStream>,
}

impl Target {
    /// A module named `module`, using `::ctiflow`.
    pub fn new(module: impl Into<String>) -> Target {
        Target {
            module: module.into(),
            krate: quote!(::ctiflow),
            file: None,
            payload: None,
        }
    }
}

/// Names the generated code uses itself, never given to a block.
pub const RESERVED: &[&str] = &["results", "rt", "ctx", "limits", "driver", "state", "run"];

/// The unique Rust name of each node's block, in the program's order.
fn block_idents(program: &Program<'_>) -> Vec<String> {
    let mut namer = Namer::reserving(RESERVED);
    program
        .nodes
        .iter()
        .map(|n| namer.name(&n.action.id, "b"))
        .collect()
}

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A field of a runtime struct named after a flow name (`contactId` → `contact_id`,
/// `type` → `r#type`).
fn field(name: &str) -> Ident {
    let snake = snake_case(name);
    if is_keyword(&snake) {
        Ident::new_raw(&snake, Span::call_site())
    } else {
        ident(&snake)
    }
}

fn lit(text: &str) -> Literal {
    Literal::string(text)
}

fn trigger_tokens(rt: &TokenStream, trigger: Trigger) -> TokenStream {
    // The runtime reads the same trigger table: variants are named as its enums name them.
    let source = ident(&format!("{:?}", trigger.source));
    let event = match trigger.event {
        Some(e) => {
            let variant = ident(&format!("{e:?}"));
            quote!(#rt::Some(#rt::Event::#variant))
        }
        None => quote!(#rt::None),
    };
    // The checker accepted this (source, event), so it is built as a plain value, usable in
    // constants.
    quote!(#rt::Trigger { source: #rt::Source::#source, event: #event })
}

fn capability_bounds(
    rt: &TokenStream,
    capabilities: impl Iterator<Item = Capability>,
) -> Vec<TokenStream> {
    capabilities
        .map(|c| match c {
            // The flow's own trait, in its module.
            Capability::Extension => ident(extensions::TRAIT).into_token_stream(),
            _ => {
                let name = ident(c.name());
                quote!(#rt::#name)
            }
        })
        .collect()
}

fn result_type(rt: &TokenStream, block: &Block) -> Option<TokenStream> {
    let runtime = match block.implementation {
        Implementation::Extension(_) => return extensions::result_type(block),
        Implementation::Runtime(runtime) => runtime,
    };
    match (block.results, runtime.result) {
        (Results::None, _) => None,
        (_, "bool") => Some(quote!(#rt::core::primitive::bool)),
        (_, name) => {
            let name = ident(name);
            Some(quote!(#rt::types::#name))
        }
    }
}

/// The declared blocks among `blocks`, each once, in order of first use.
fn declared<'b>(blocks: impl Iterator<Item = &'b Block>) -> Vec<&'b Block> {
    let mut out: Vec<&Block> = Vec::new();
    for block in blocks {
        if block.extension().is_some() && !out.iter().any(|b| b.type_id == block.type_id) {
            out.push(block);
        }
    }
    out
}

/// The items every module has, compiled or stubbed: its doc, `TRIGGER`, and `Backend`.
fn header(
    program_trigger: Option<Trigger>,
    target: &Target,
    bounds: &[TokenStream],
    name: Option<&str>,
) -> (TokenStream, TokenStream) {
    let rt = quote!(__rt);
    let mut doc = match (target.file.as_deref().map(inert), name.map(inert)) {
        (Some(file), Some(name)) => {
            format!(" The CTI Flow {file} (\u{201c}{name}\u{201d}), compiled by ctiflow.")
        }
        (Some(file), None) => format!(" The CTI Flow {file}, compiled by ctiflow."),
        (None, Some(name)) => format!(" The CTI Flow \u{201c}{name}\u{201d}, compiled by ctiflow."),
        (None, None) => " A CTI Flow compiled by ctiflow.".to_owned(),
    };
    if let Some(t) = program_trigger {
        doc.push_str(&format!(" Bound to {t}."));
    }
    let doc = lit(&doc);
    let marker = ident(&target.module);
    let trigger = program_trigger.map(|t| {
        let value = trigger_tokens(&rt, t);
        quote! {
            /// The (source, event) this flow is bound to.
            pub const TRIGGER: #rt::Trigger = #value;

            impl #rt::Registrable for #marker {
                const TRIGGER: #rt::Trigger = TRIGGER;
            }
        }
    });
    let items = quote! {
        /// This flow, for `registry!` (named like the module, so errors name the flow; braced, so
        /// it takes no name from the module's values).
        #[doc(hidden)]
        pub struct #marker {}

        #trigger

        /// The capabilities this flow's blocks use: `run` needs a backend implementing them.
        pub trait Backend: #(#bounds +)* #rt::core::marker::Sync {}
        impl<T: ?#rt::Sized #(+ #bounds)* + #rt::core::marker::Sync> Backend for T {}
    };
    (quote!(#[doc = #doc]), items)
}

/// The module of a compiled flow.
pub fn module(program: &Program<'_>, target: &Target) -> TokenStream {
    let rt = quote!(__rt);
    let bounds = capability_bounds(&rt, program.capabilities.iter().copied());
    let idents = block_idents(program);
    let fields: Vec<ResultField<'_>> = program
        .nodes
        .iter()
        .zip(&idents)
        .filter(|(n, _)| n.has_results())
        .map(|(n, ident)| ResultField {
            ident: ident.clone(),
            block: n.block,
            action: n.action,
        })
        .collect();
    let results = results_struct(&rt, &fields);
    let emitter = Emitter {
        rt: &rt,
        program,
        idents: &idents,
        payload: target
            .payload
            .as_ref()
            .map(|ty| (payload_alias(target), ty)),
    };
    let steps = (0..program.nodes.len()).map(|n| emitter.step(n));
    let start = step_name(&idents[program.start]);
    let extensions =
        extensions::items(&rt, &declared(program.nodes.iter().map(|n| n.block)), inert);
    let items = quote! {
        #extensions

        /// The state of a run that each step works on.
        type Cx<'a, 'r, R> = &'a mut #rt::Frame<'r, 'r, R, Results>;
        /// A running step, and the step after it.
        type Step<'a, 'r, R> = #rt::BoxStep<'a, #rt::Next<'r, 'r, R, Results>>;

        #(#steps)*
    };
    // The run loop is the runtime's: each block's step is its own function, which says which
    // step comes next.
    let typed_payload = target.payload.as_ref().map(|_| {
        let ty = payload_alias(target);
        // A payload that is not the user's type fails the run at its first block.
        let id = lit(&program.nodes[program.start].action.id);
        quote! {
            if let #rt::Err(error) = #rt::payload_as::<#ty>(ctx) {
                let end = #rt::End::Fail(#rt::Name::from_static(#id), error);
                return #rt::Frame::new(rt, ctx, limits, Results::default()).end(end);
            }
        }
    });
    let body = quote! {
        #typed_payload
        #rt::Frame::new(rt, ctx, limits, Results::default()).run(#start::<R>).await
    };
    wrap(
        program.trigger,
        program.name,
        target,
        &bounds,
        quote!(#results #items),
        body,
    )
}

/// The function that runs a node's block: `step_<ident>` (block idents are unique, and no other
/// function of the module starts so).
fn step_name(ident: &str) -> Ident {
    quote::format_ident!("step_{}", ident)
}

/// The public items of a flow that did not compile, with stub bodies, so that call sites see
/// the flow's own errors rather than a cascade of unresolved names: `Results` keeps a field
/// for every block whose type is known, as the compiled flow would.
pub fn stub(
    flow: Option<&Flow>,
    trigger: Option<Trigger>,
    catalog: Catalog,
    target: &Target,
) -> TokenStream {
    let rt = quote!(__rt);
    let mut namer = Namer::reserving(RESERVED);
    let mut seen = BTreeSet::new();
    let fields: Vec<ResultField<'_>> = flow
        .into_iter()
        .flat_map(|f| &f.actions)
        .filter(|a| seen.insert(a.id.as_str()))
        .filter_map(|action| {
            let block = action.type_id.as_deref().and_then(|t| catalog.lookup(t))?;
            let ident = namer.name(&action.id, "b");
            (block.results != Results::None).then_some(ResultField {
                ident,
                block,
                action,
            })
        })
        .collect();
    let results = results_struct(&rt, &fields);
    let extensions = extensions::items(&rt, &declared(fields.iter().map(|f| f.block)), inert);
    let results = quote!(#extensions #results);
    let body = quote! {
        let error = #rt::BlockError::invalid("the flow did not compile");
        let end = #rt::End::Fail(#rt::Name::from_static(""), error);
        #rt::Frame::new(rt, ctx, limits, Results::default()).end(end)
    };
    wrap(trigger, None, target, &[], results, body)
}

/// A flow's module: doc, `TRIGGER`, `Backend`, `Results`, `run`, and `run_with` around `body`.
fn wrap(
    trigger: Option<Trigger>,
    flow_name: Option<&str>,
    target: &Target,
    bounds: &[TokenStream],
    results: TokenStream,
    body: TokenStream,
) -> TokenStream {
    let krate = &target.krate;
    let rt = quote!(__rt);
    let name = ident(&target.module);
    let (doc, header) = header(trigger, target, bounds, flow_name);
    // The payload type resolves where the macro was called, not inside the module.
    let payload = target.payload.as_ref().map(|ty| {
        let alias = payload_alias_ident(target);
        // A flow that did not compile (a stub) does not use it.
        quote! {
            #[doc(hidden)]
            #[allow(non_camel_case_types, dead_code)]
            type #alias = #ty;
        }
    });
    quote! {
        #payload
        #doc
        // The flow's marker type is named after the module, which is snake case. Block titles
        // are user text and may hold a URL, shown as text.
        #[allow(non_camel_case_types, rustdoc::bare_urls)]
        pub mod #name {
            use #krate::__private as __rt;

            #header

            #results

            /// Runs the flow with the default limits (60 s, 10,000 steps, traced).
            pub async fn run<R: ?#rt::Sized + Backend>(
                rt: &R,
                ctx: &#rt::EventContext,
            ) -> #rt::Run<Results> {
                run_with(rt, ctx, &#rt::Limits::default()).await
            }

            /// Runs the flow within `limits`.
            pub async fn run_with<R: ?#rt::Sized + Backend>(
                rt: &R,
                ctx: &#rt::EventContext,
                limits: &#rt::Limits,
            ) -> #rt::Run<Results> {
                #body
            }
        }
    }
}

/// A field of `Results`: a block with results.
struct ResultField<'a> {
    ident: String,
    block: &'a Block,
    action: &'a Action,
}

fn results_struct(rt: &TokenStream, with_results: &[ResultField<'_>]) -> TokenStream {
    let fields = with_results.iter().map(|n| {
        let name = ident(&n.ident);
        let ty = result_type(rt, n.block);
        let doc = lit(&block_doc(n.action, n.block));
        quote! {
            #[doc = #doc]
            pub #name: #rt::Option<#ty>,
        }
    });
    let entries = with_results.iter().map(|n| {
        let name = ident(&n.ident);
        let id = lit(&n.action.id);
        quote!((#id, #rt::any(&self.#name)))
    });
    quote! {
        /// The results of the blocks that ran: one field per block that has results, `Some`
        /// once it produced them.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct Results {
            #(#fields)*
        }

        impl #rt::Js for Results {
            fn js(&self) -> #rt::Option<#rt::Value> {
                #rt::results([#(#entries),*])
            }
        }
    }
}

fn block_doc(action: &Action, block: &Block) -> String {
    let id = inert(&action.id);
    match &action.title {
        Some(title) => format!(
            " Block {id}: {} \u{2014} {}",
            block.display_name,
            inert(title)
        ),
        None => format!(" Block {id}: {}", block.display_name),
    }
}

/// User text (ids, titles, names, paths) made inert in a doc comment. It is one line that
/// follows fixed words, so only inline Markdown can start in it: line breaks become spaces
/// and the characters that open code spans, emphasis, links, HTML, entities, strikethrough and
/// tables are backslash-escaped, so rustdoc sees no doctest, link or markup.
fn inert(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            out.push(' ');
        } else {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

struct Emitter<'p, 'f> {
    rt: &'p TokenStream,
    program: &'p Program<'f>,
    /// The user's payload type, when there is one: its alias in the module, and the type as
    /// written (whose span rustc's errors point at).
    payload: Option<(TokenStream, &'p TokenStream)>,
    /// Each node's Rust name.
    idents: &'p [String],
}

impl Emitter<'_, '_> {
    fn node_ident(&self, n: usize) -> Ident {
        ident(&self.idents[n])
    }

    /// A node's step function: runs its block within the driver, records its results in its
    /// slot, and says where the run goes.
    fn step(&self, n: usize) -> TokenStream {
        let rt = self.rt;
        let node = &self.program.nodes[n];
        let name = self.node_ident(n);
        let step = step_name(&self.idents[n]);
        let id = lit(&node.action.id);
        let type_id = lit(node.block.type_id);
        let title = match node.action.title.as_deref() {
            Some(t) => {
                let t = lit(t);
                quote!(#rt::Some(#t))
            }
            None => quote!(#rt::None),
        };
        let body = self.body(node);
        // Only what the step uses is bound, so the user's crate sees no unused variable.
        let binding = |used: bool, name: &str| {
            let name = ident(name);
            if used {
                name.into_token_stream()
            } else {
                quote!(#name: _)
            }
        };
        let rt_binding = binding(
            node.block.capability.is_some() || node.reads_contact || node.reads_agent,
            "rt",
        );
        let ctx_binding = binding(
            self.program.payload != Payload::None && reads_payload(node),
            "ctx",
        );
        let results_binding =
            if node.has_results() || reads(node, |root| matches!(root, ReadRoot::Slot(_))) {
                quote!(ref mut results)
            } else {
                quote!(results: _)
            };
        let to = |port: Port| {
            let next = node
                .exits
                .iter()
                .find(|(p, _)| *p == port)
                .and_then(|&(_, to)| to);
            match next {
                Some(n) => {
                    let step = step_name(&self.idents[n]);
                    quote!(#rt::to(#step::<R>))
                }
                None => quote!(#rt::None),
            }
        };
        let slot = if node.has_results() {
            quote!(&mut results.#name)
        } else {
            quote!(&mut #rt::None)
        };
        let leave = if node.block.ports.contains(&Port::True) {
            let (t, f) = (to(Port::True), to(Port::False));
            quote! {
                let (on_true, on_false) = (#t, #f);
                driver.branch(&BLOCK, stepped, #slot, on_true, on_false)
            }
        } else {
            let ports = if node.block.ports.contains(&Port::Success) {
                let (success, failure) = (to(Port::Success), to(Port::Failure));
                quote! {
                    let success = #success;
                    let failure = #failure;
                    let ports = #rt::Ports::Call(success, failure);
                }
            } else if node.block.ports.contains(&Port::Done) {
                let done = to(Port::Done);
                quote!(let ports = #rt::Ports::Done(#done);)
            } else {
                quote!(let ports = #rt::Ports::End;)
            };
            quote! {
                #ports
                driver.go(&BLOCK, stepped, #slot, ports)
            }
        };
        // The block's id, type and title are in `BLOCK`; its doc comment is on its field of
        // `Results`.
        quote! {
            fn #step<'a, 'r, R: ?#rt::Sized + Backend>(cx: Cx<'a, 'r, R>) -> Step<'a, 'r, R> {
                const BLOCK: #rt::Block = #rt::Block::new(#id, #type_id, #title);
                #rt::Box::pin(async move {
                    let &mut #rt::Frame { #rt_binding, #ctx_binding, #results_binding, ref mut driver } = cx;
                    // The body borrows the results it reads; it ends before the block's own
                    // slot is written, which it may read (`maybe_unset` allowed).
                    let stepped = {
                        let body = #rt::core::pin::pin!(async { #body });
                        driver.step(&BLOCK, body).await
                    };
                    #leave
                })
            }
        }
    }

    fn body(&self, node: &Node<'_>) -> TokenStream {
        let rt = self.rt;
        let mut prelude = TokenStream::new();
        if node.reads_contact {
            prelude.extend(quote!(let __ctiflow_contact = #rt::contact(rt).await?;));
        }
        if node.reads_agent {
            prelude.extend(quote!(let __ctiflow_agent = #rt::agent(rt).await?;));
        }
        if let (true, Some(record)) = (reads_payload(node), self.program.payload.record()) {
            let accessor = ident(record.accessor());
            prelude.extend(quote!(let __ctiflow_payload = ctx.payload.#accessor()?;));
        }
        if let (true, Some((ty, _))) = (reads_payload(node), &self.payload) {
            prelude.extend(quote!(let __ctiflow_payload: #ty = #rt::payload_as(ctx)?;));
        }
        let runtime = match node.block.implementation {
            Implementation::Runtime(runtime) => runtime,
            Implementation::Extension(_) => {
                let args_ty = extensions::args_struct(node.block);
                let method = extensions::method(node.block);
                let trait_name = ident(extensions::TRAIT);
                let fields = node
                    .args
                    .iter()
                    .zip(extensions::arg_fields(node.block))
                    .map(|(a, name)| {
                        let value = self.control_value(a.control, &a.value);
                        quote!(#name: #value)
                    });
                return quote! {
                    #prelude
                    let args = #args_ty { #(#fields),* };
                    <R as #trait_name>::#method(rt, args).await
                };
            }
        };
        let function = ident(runtime.function);
        let mut call_args = Vec::new();
        if node.block.capability.is_some() {
            call_args.push(quote!(rt));
        }
        if !node.block.controls.is_empty() {
            let args_ty = ident(&upper_camel(runtime.function));
            let fields = node.args.iter().map(|a| self.arg(a));
            prelude.extend(quote!(let args = #rt::blocks::#args_ty { #(#fields),* };));
            call_args.push(quote!(args));
        }
        let call = quote!(#rt::blocks::#function(#(#call_args),*));
        let call = if node.block.capability.is_some() {
            quote!(#call.await)
        } else {
            call
        };
        quote!(#prelude #call)
    }

    fn arg(&self, arg: &Arg<'_>) -> TokenStream {
        let name = field(arg.control.name);
        let value = self.control_value(arg.control, &arg.value);
        quote!(#name: #value)
    }

    fn control_value(&self, control: &'static Control, value: &Expr<'_>) -> TokenStream {
        let rt = self.rt;
        let control_name = lit(control.name);
        match (control.argument(), value) {
            (Argument::Text, Expr::NotGiven(_)) => quote!(#rt::core::default::Default::default()),
            (Argument::OptionalText, Expr::NotGiven(_)) => quote!(#rt::None),
            (Argument::Text, Expr::Text(s)) => {
                let s = lit(s);
                quote!(#rt::owned(#s))
            }
            (Argument::OptionalText, Expr::Text(s)) => {
                let s = lit(s);
                quote!(#rt::Some(#rt::owned(#s)))
            }
            (Argument::Text, other) => {
                let value = self.js_ref(other);
                quote!(#rt::required_text(#control_name, #value)?)
            }
            (Argument::OptionalText, other) => {
                let value = self.js_ref(other);
                quote!(#rt::text(#control_name, #value)?)
            }
            (Argument::Bool, Expr::NotGiven(_)) => quote!(false),
            (Argument::Bool, Expr::Bool(b)) => quote!(#b),
            (Argument::Bool, other) => {
                let value = self.js_ref(other);
                quote!(#rt::boolean(#value))
            }
            (Argument::Fields, Expr::NotGiven(_)) => quote!(#rt::types::Fields::new()),
            (Argument::Fields, Expr::Map(entries)) => {
                let entries = entries.iter().map(|(k, v)| {
                    let k = lit(k);
                    let v = self.any(v);
                    quote!((#k, #v))
                });
                quote!(#rt::fields(#control_name, [#(#entries),*])?)
            }
            (Argument::Fields, other) => {
                let value = self.js_ref(other);
                quote!(#rt::fields_of(#control_name, #value)?)
            }
            (Argument::Any, other) => self.any(other),
            (Argument::Word, _) => {
                let s = lit(value.word(control));
                quote!(#s)
            }
        }
    }

    /// A value as `Option<Value>` (`None` = `undefined`).
    fn any(&self, value: &Expr<'_>) -> TokenStream {
        let rt = self.rt;
        let some = |v: TokenStream| quote!(#rt::Some(#v));
        match value {
            Expr::NotGiven(None) => quote!(#rt::None),
            Expr::NotGiven(Some(Blank::Null)) => some(quote!(#rt::Value::Null)),
            Expr::NotGiven(Some(Blank::EmptyText)) => some(quote!(#rt::string(""))),
            Expr::NotGiven(Some(Blank::EmptyObject)) => {
                some(quote!(#rt::Value::Object(#rt::Map::new())))
            }
            Expr::Text(s) => {
                let s = lit(s);
                some(quote!(#rt::string(#s)))
            }
            Expr::Bool(b) => some(quote!(#rt::Value::Bool(#b))),
            Expr::Number(x) => some(number(rt, *x)),
            Expr::Json(v) => some(json(rt, v)),
            Expr::Read(read) => self.read(read),
            Expr::Map(entries) => {
                let entries = entries.iter().map(|(k, v)| {
                    let k = lit(k);
                    let v = self.any(v);
                    quote!((#k, #v))
                });
                some(quote!(#rt::object([#(#entries),*])))
            }
        }
    }

    /// The typed expression a read of a typed root denotes (`results.b1.as_ref().map(..)`),
    /// before conversion; `None` for reads of untyped JSON or of nothing.
    fn typed_read(&self, read: &Read) -> Option<TokenStream> {
        let (mut expr, mut optional) = match read.root {
            ReadRoot::Undefined => return None,
            ReadRoot::Payload if self.program.payload.record().is_none() => return None,
            ReadRoot::Slot(n) => {
                let name = self.node_ident(n);
                (quote!(results.#name.as_ref()), true)
            }
            ReadRoot::Contact => (quote!(__ctiflow_contact), false),
            ReadRoot::Agent => (quote!(__ctiflow_agent), false),
            ReadRoot::Payload => (quote!(__ctiflow_payload), false),
        };
        for (name, may_be_absent) in &read.fields {
            let f = field(name);
            expr = match (optional, *may_be_absent) {
                (false, false) => quote!(#expr.#f),
                (false, true) => quote!(#expr.#f.as_ref()),
                (true, false) => quote!(#expr.map(|v| &v.#f)),
                (true, true) => quote!(#expr.and_then(|v| v.#f.as_ref())),
            };
            optional |= *may_be_absent;
        }
        Some(expr)
    }

    fn read(&self, read: &Read) -> TokenStream {
        let rt = self.rt;
        let expr = match (read.root, self.typed_read(read)) {
            (_, Some(expr)) => expr,
            (ReadRoot::Payload, None) if self.program.payload != Payload::None => {
                if let (Some((_, ty)), [Segment::Key(key), rest @ ..]) =
                    (&self.payload, &read.rest[..])
                {
                    let field = match payload_field(key, ty) {
                        Ok(field) => quote!(#rt::serialized(&__ctiflow_payload.#field)),
                        Err(error) => return error,
                    };
                    let path = segments(rt, rest);
                    return quote!(#rt::at(#field, &[#(#path),*]));
                }
                let path = segments(rt, &read.rest);
                return quote!(#rt::at(ctx.payload.json(), &[#(#path),*]));
            }
            _ => return quote!(#rt::None::<#rt::Value>),
        };
        let value = quote!(#rt::any(&#expr));
        if read.rest.is_empty() {
            value
        } else {
            let path = segments(rt, &read.rest);
            quote!(#rt::at(#value, &[#(#path),*]))
        }
    }

    /// A value as a reference to something [`Js`](ctiflow_runtime) converts: a typed read
    /// directly (`&results.b1.as_ref().map(|v| &v.value)`), anything else as `&Option<Value>`.
    fn js_ref(&self, value: &Expr<'_>) -> TokenStream {
        let typed = match value {
            Expr::Read(read) if read.rest.is_empty() => self.typed_read(read),
            _ => None,
        };
        match typed {
            Some(expr) => quote!(&#expr),
            None => {
                let any = self.any(value);
                quote!(&#any)
            }
        }
    }
}

fn payload_alias_ident(target: &Target) -> Ident {
    quote::format_ident!("__ctiflow_payload_{}", target.module)
}

/// The user's payload type, as the flow's module names it.
fn payload_alias(target: &Target) -> TokenStream {
    let alias = payload_alias_ident(target);
    quote!(super::#alias)
}

/// The field of the user's payload type `ty` that `$.payload.<key>` reads (`recordId` →
/// `record_id`), spanned at the type so that rustc's "no field" error points there; a compile
/// error when the key cannot be a Rust field.
fn payload_field(key: &str, ty: &TokenStream) -> Result<Ident, TokenStream> {
    // Located at the type, resolved in the macro's context: rustc's error points at the type
    // and offers no edit of the user's code.
    let span = ty
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| Span::mixed_site().located_at(t.span()));
    let name = snake_case(key);
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(name.as_str(), "_" | "self" | "Self" | "super" | "crate");
    if !valid {
        let message = format!(
            "[unknown_payload_field] `$.payload.{key}` cannot be read as a field of the payload type: `{name}` is not a Rust field name; read the flow without `payload = ...`"
        );
        return Err(quote::quote_spanned!(span=> ::core::compile_error!(#message)));
    }
    Ok(if is_keyword(&name) {
        Ident::new_raw(&name, span)
    } else {
        Ident::new(&name, span)
    })
}

/// Whether any argument of `node` reads from a root that `wanted` accepts.
fn reads(node: &Node<'_>, wanted: impl Fn(ReadRoot) -> bool + Copy) -> bool {
    fn expr(e: &Expr<'_>, wanted: impl Fn(ReadRoot) -> bool + Copy) -> bool {
        match e {
            Expr::Read(r) => wanted(r.root),
            Expr::Map(entries) => entries.iter().any(|(_, v)| expr(v, wanted)),
            _ => false,
        }
    }
    node.args.iter().any(|a| expr(&a.value, wanted))
}

fn reads_payload(node: &Node<'_>) -> bool {
    reads(node, |root| root == ReadRoot::Payload)
}

fn segments(rt: &TokenStream, path: &[Segment]) -> Vec<TokenStream> {
    path.iter()
        .map(|s| match s {
            Segment::Key(k) => {
                let k = lit(k);
                quote!(#rt::Segment::Key(#k))
            }
            Segment::Index(i) => {
                let i = Literal::usize_suffixed(usize::try_from(*i).unwrap_or(usize::MAX));
                quote!(#rt::Segment::Index(#i))
            }
        })
        .collect()
}

/// A number literal. Negative numbers are a negated literal (a literal token cannot carry a
/// sign through every token stream), and every name is a full path, so a user's `f64` or
/// `core` cannot change what it means.
fn number(rt: &TokenStream, x: f64) -> TokenStream {
    let magnitude = if x.is_nan() {
        quote!(#rt::core::f64::NAN)
    } else if x.is_infinite() {
        quote!(#rt::core::f64::INFINITY)
    } else {
        Literal::f64_suffixed(x.abs()).into_token_stream()
    };
    if x.is_sign_negative() && !x.is_nan() {
        quote!(#rt::number(-#magnitude))
    } else {
        quote!(#rt::number(#magnitude))
    }
}

/// A JSON literal, built value by value.
fn json(rt: &TokenStream, value: &parse::Value) -> TokenStream {
    match &value.kind {
        Kind::Null => quote!(#rt::Value::Null),
        Kind::Bool(b) => quote!(#rt::Value::Bool(#b)),
        Kind::Number(n) => number(rt, n.value),
        Kind::String(s) => {
            let s = lit(s);
            quote!(#rt::string(#s))
        }
        Kind::Array(items) => {
            let items = items.iter().map(|v| json(rt, v));
            quote!(#rt::array([#(#items),*]))
        }
        Kind::Object(members) => {
            let entries = members.iter().map(|m| {
                let k = lit(&m.key);
                let v = json(rt, &m.value);
                quote!((#k, #rt::Some(#v)))
            });
            quote!(#rt::object([#(#entries),*]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_in_docs_is_inert() {
        assert_eq!(inert("uid-1_a"), "uid-1\\_a");
        assert_eq!(
            inert("```\nassert!(false)\n```"),
            "\\`\\`\\` assert!(false) \\`\\`\\`"
        );
        assert_eq!(inert("[Results]"), "\\[Results\\]");
        assert_eq!(inert("<b>受付</b>"), "\\<b\\>受付\\</b\\>");
        assert_eq!(inert("a\u{2028}b\tc"), "a b c");
    }

    #[test]
    fn numbers_are_full_paths_and_signs_are_negations() {
        let rt = quote!(::ctiflow::__private);
        let text = |x: f64| number(&rt, x).to_string();
        assert_eq!(text(1.5), ":: ctiflow :: __private :: number (1.5f64)");
        assert_eq!(text(-0.0), ":: ctiflow :: __private :: number (- 0f64)");
        assert_eq!(
            text(f64::NEG_INFINITY),
            ":: ctiflow :: __private :: number (- :: ctiflow :: __private :: core :: f64 :: INFINITY)"
        );
    }
}
