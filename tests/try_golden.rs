#![deny(warnings)]
mod g08 {
    include!("goldens/example_08.rs");
}
use ctiflow::sandbox::Sandbox;
use ctiflow::types::ContactProperties;
#[test]
fn t() {
    let sb = Sandbox::new().with_contact(ContactProperties::voice(
        "c-1",
        "+15551234567",
        "US",
        "Sales",
    ));
    let ctx = ctiflow::EventContext::new(g08::flow::TRIGGER);
    let run = pollster::block_on(g08::flow::run(&sb, &ctx));
    println!("{:#?}", run.outcome);
    println!("{}", serde_json::to_string_pretty(&run.trace).unwrap());
    println!("{:#?}", sb.effects());
}
