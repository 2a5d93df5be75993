//! The `include_flow!` and `ctiflow!` macros: a shim over `ctiflow_codegen::expand`.

use proc_macro::TokenStream;

/// Compiles a CTI Flow file into a module.
///
/// ```ignore
/// include_flow!("flows/x.json", source = VoiceContact, event = onConnecting,
///               allow(maybe_unset), name = my_flow);
/// ```
///
/// The path is relative to the invoking crate's `CARGO_MANIFEST_DIR`. `source` is a short
/// name (`VoiceContact`) or the designer's label; `event` is omitted for `CtiAction`; without
/// `source` the flow is checked against the most permissive context and has no `TRIGGER`.
/// `name` defaults to the file name in snake case. `blocks = "flows/blocks.toml"` names a
/// declarations file of extension blocks (the flow's module then has an `Extensions` trait to
/// implement); `payload = my::Payload` reads `$.payload.<key>` as fields of a `Deserialize`
/// type. Errors are `compile_error!`s pointing at `--> file:line:column`; warnings are rustc
/// warnings; editing the flow or the declarations rebuilds.
#[proc_macro]
pub fn include_flow(input: TokenStream) -> TokenStream {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    ctiflow_codegen::expand::include_flow(input.into(), dir.as_deref()).into()
}

/// Compiles a CTI Flow written inline, as JSON tokens or a raw string, into a module (`flow`
/// unless `name = ...`). Takes the same options as `include_flow!`, before the flow; errors
/// point at the exact token.
///
/// ```ignore
/// ctiflow! {
///     name = hello, source = VoiceContact, event = onConnecting,
///     { "actions": [ { "id": "s", "type": "SE_Start", "ports": { "done": "e" } },
///                    { "id": "e", "type": "SE_End" } ] }
/// }
/// ```
#[proc_macro]
pub fn ctiflow(input: TokenStream) -> TokenStream {
    let dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from);
    ctiflow_codegen::expand::inline_flow(input.into(), dir.as_deref()).into()
}
