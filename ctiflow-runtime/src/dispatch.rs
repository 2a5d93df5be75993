//! The block functions by name, for the interpreter: the same functions generated code calls,
//! found through the name the catalog gives them (`catalog::Block::runtime`), with their
//! argument structs filled from [`Arguments`] and their results as JavaScript values.

use serde_json::Value;

use crate::blocks::{self, Arguments};
use crate::capability::{Agent, Console, Contact, Salesforce, Store};
use crate::error::{BlockError, BlockResult};
use crate::value::Js;

/// Runs the block function `function` on `rt` with `args`; its result as JavaScript sees it
/// (`None`: the block has none).
pub async fn call<R>(function: &str, rt: &R, args: Arguments<'_>) -> BlockResult<Option<Value>>
where
    R: Contact + Agent + Salesforce + Console + Store + ?Sized,
{
    use blocks as b;
    match function {
        "start" => js(b::start()),
        "end" => js(b::end()),
        "decision" => js(b::decision(args.into_block()?)),
        "truthy" => js(b::truthy(args.into_block()?)),
        "extract_value" => js(b::extract_value(args.into_block()?)),
        "format_phone_number" => js(b::format_phone_number(args.into_block()?)),
        "format_phone_number_e164" => js(b::format_phone_number_e164(args.into_block()?)),
        "string_template" => js(b::string_template(args.into_block()?)),
        "set_property" => js(b::set_property(rt, args.into_block()?).await),
        "get_property" => js(b::get_property(rt, args.into_block()?).await),
        "log" => js(b::log(args.into_block()?)),
        "contact_properties" => js(b::contact_properties(rt).await),
        "get_contact_attribute" => js(b::get_contact_attribute(rt, args.into_block()?).await),
        "customer_phone_number" => js(b::customer_phone_number(rt).await),
        "update_contact_attributes" => {
            js(b::update_contact_attributes(rt, args.into_block()?).await)
        }
        "dial_number" => js(b::dial_number(rt, args.into_block()?).await),
        "search_and_screenpop" => js(b::search_and_screenpop(rt, args.into_block()?).await),
        "screenpop_object" => js(b::screenpop_object(rt, args.into_block()?).await),
        "screenpop_search" => js(b::screenpop_search(rt, args.into_block()?).await),
        "screenpop_new_record" => js(b::screenpop_new_record(rt, args.into_block()?).await),
        "save_record" => js(b::save_record(rt, args.into_block()?).await),
        "create_task" => js(b::create_task(rt, args.into_block()?).await),
        "get_contact_id" => js(b::get_contact_id(rt, args.into_block()?).await),
        "get_lead_id" => js(b::get_lead_id(rt, args.into_block()?).await),
        "retrieve" => js(b::retrieve(rt, args.into_block()?).await),
        "complete_hvs_work" => js(b::complete_hvs_work(rt, args.into_block()?).await),
        other => Err(BlockError::invalid(format!(
            "this runtime has no block function `{other}`"
        ))),
    }
}

fn js<T: Js>(result: BlockResult<T>) -> BlockResult<Option<Value>> {
    result.map(|value| value.js())
}
