//! The items of the declared blocks a flow uses (blocks.md §4): the `Extensions` trait the user
//! implements, with one typed async method per block, and each block's argument and result
//! structs. Names come from the declaration, sanitised; the serde names are the flow's, so the
//! structs are the JSON that `ctiflow::Extension` exchanges for loaded flows.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::catalog::{Argument, Block, Results, Ty};
use crate::names::{Namer, is_keyword, upper_camel};

/// The trait's name in a flow's module.
pub const TRAIT: &str = "Extensions";

fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The method of a declared block: its declared name (checked snake case), raw when a keyword.
pub fn method(block: &Block) -> Ident {
    let name = method_name(block);
    if is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        ident(name)
    }
}

/// The argument struct of a declared block (`query_value` → `QueryValueArgs`).
pub fn args_struct(block: &Block) -> Ident {
    ident(&format!("{}Args", upper_camel(method_name(block))))
}

/// The result struct of a declared block (`QueryValueResult`).
pub fn result_struct(block: &Block) -> Ident {
    ident(&format!("{}Result", upper_camel(method_name(block))))
}

fn method_name(block: &Block) -> &'static str {
    block.extension().map_or("", |e| e.method)
}

/// The Rust field of each control of a declared block, in order: sanitised, unique.
pub fn arg_fields(block: &Block) -> Vec<Ident> {
    let mut namer = Namer::default();
    block
        .controls
        .iter()
        .map(|c| ident(&namer.name(c.name, "control")))
        .collect()
}

/// The Rust field of each result field of a declared block, in order.
fn result_fields(block: &Block) -> Vec<Ident> {
    let mut namer = Namer::default();
    let fields = match block.results {
        Results::Fields(fields) => fields,
        _ => &[],
    };
    fields
        .iter()
        .map(|f| ident(&namer.name(f.name, "field")))
        .collect()
}

/// A declared block's result type in the flow's module; `None` when it has no results.
pub fn result_type(block: &Block) -> Option<TokenStream> {
    match block.results {
        Results::None => None,
        _ => {
            let name = result_struct(block);
            Some(quote!(#name))
        }
    }
}

/// The trait and structs for `blocks` (the declared blocks a flow uses, each once). `doc`
/// quotes a name inertly for doc comments.
pub fn items(rt: &TokenStream, blocks: &[&Block], doc: impl Fn(&str) -> String) -> TokenStream {
    if blocks.is_empty() {
        return TokenStream::new();
    }
    let name = ident(TRAIT);
    let methods = blocks.iter().map(|block| {
        let method = method(block);
        let args = args_struct(block);
        let result = result_type(block).unwrap_or_else(|| quote!(()));
        let text = format!(
            " {} (`{}`), declared: runs the block and answers its result.",
            doc(block.display_name),
            doc(block.type_id)
        );
        quote! {
            #[doc = #text]
            fn #method(
                &self,
                args: #args,
            ) -> impl #rt::core::future::Future<
                Output = #rt::Result<#result, #rt::BlockError>,
            > + #rt::core::marker::Send;
        }
    });
    let structs = blocks.iter().map(|block| structs(rt, block, &doc));
    quote! {
        /// The declared blocks this flow uses: implement it for the backend that runs the flow
        /// (or forward each method to a JSON implementation with
        /// `ctiflow::extension::call_json`).
        pub trait #name: #rt::core::marker::Sync {
            #(#methods)*
        }

        #(#structs)*
    }
}

fn structs(rt: &TokenStream, block: &Block, doc: &impl Fn(&str) -> String) -> TokenStream {
    let args = args_struct(block);
    let arg_fields = block
        .controls
        .iter()
        .zip(arg_fields(block))
        .map(|(c, field)| {
            let json = c.name;
            let (ty, skip) = match c.argument() {
                Argument::Text => (quote!(#rt::String), None),
                Argument::OptionalText => (
                    quote!(#rt::Option<#rt::String>),
                    Some("__rt::Option::is_none"),
                ),
                Argument::Bool => (quote!(#rt::core::primitive::bool), None),
                Argument::Fields => (quote!(#rt::types::Fields), None),
                Argument::Any => (
                    quote!(#rt::Option<#rt::Value>),
                    Some("__rt::Option::is_none"),
                ),
                Argument::Word => (quote!(&'static #rt::core::primitive::str), None),
            };
            let skip = skip.map(|s| quote!(, skip_serializing_if = #s));
            let text = format!(
                " Control `{}`{}.",
                doc(c.name),
                if c.required { ", required" } else { "" }
            );
            quote! {
                #[doc = #text]
                #[serde(rename = #json #skip)]
                pub #field: #ty,
            }
        });
    let args_doc = format!(
        " The arguments of {} (`{}`): its controls, converted as for built-in blocks.",
        doc(block.display_name),
        doc(block.type_id)
    );
    let result = match block.results {
        Results::Fields(fields) => {
            let name = result_struct(block);
            let idents = result_fields(block);
            let defs = fields.iter().zip(&idents).map(|(f, field)| {
                let json = f.name;
                let base = match f.ty {
                    Ty::Text => quote!(#rt::String),
                    Ty::Number => quote!(#rt::core::primitive::f64),
                    Ty::Bool => quote!(#rt::core::primitive::bool),
                    Ty::Object(_) | Ty::Map => quote!(#rt::Map<#rt::String, #rt::Value>),
                    Ty::List => quote!(#rt::Vec<#rt::Value>),
                    Ty::Any => quote!(#rt::Value),
                };
                let (ty, attrs) = if f.optional {
                    (
                        quote!(#rt::Option<#base>),
                        quote!(, default, skip_serializing_if = "__rt::Option::is_none"),
                    )
                } else {
                    (base, TokenStream::new())
                };
                let text = format!(" Result field `{}`.", doc(f.name));
                quote! {
                    #[doc = #text]
                    #[serde(rename = #json #attrs)]
                    pub #field: #ty,
                }
            });
            let entries = fields.iter().zip(&idents).map(|(f, field)| {
                let json = f.name;
                quote!((#json, #rt::any(&self.#field)))
            });
            let declared = fields.iter().map(|f| {
                let json = f.name;
                let ty = ident(match f.ty {
                    Ty::Text => "Text",
                    Ty::Number => "Number",
                    Ty::Bool => "Bool",
                    Ty::Object(_) | Ty::Map => "Object",
                    Ty::List => "Array",
                    Ty::Any => "Any",
                });
                let optional = f.optional;
                quote!(#rt::DeclaredField { name: #json, ty: #rt::FieldType::#ty, optional: #optional })
            });
            let text = format!(
                " The result of {} (`{}`): its declared fields.",
                doc(block.display_name),
                doc(block.type_id)
            );
            quote! {
                #[doc = #text]
                #[derive(Clone, Debug, Default, PartialEq, #rt::Serialize, #rt::Deserialize)]
                #[serde(crate = "__rt::serde")]
                pub struct #name {
                    #(#defs)*
                }

                impl #rt::Js for #name {
                    fn js(&self) -> #rt::Option<#rt::Value> {
                        #rt::Some(#rt::object([#(#entries),*]))
                    }
                }

                impl #rt::DeclaredResult for #name {
                    const FIELDS: &'static [#rt::DeclaredField] = &[#(#declared),*];
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #[doc = #args_doc]
        #[derive(Clone, Debug, PartialEq, #rt::Serialize)]
        #[serde(crate = "__rt::serde")]
        pub struct #args {
            #(#arg_fields)*
        }

        #result
    }
}
