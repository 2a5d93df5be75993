//! The compiler's sources and events and the runtime's are two tables (the compiler does not
//! link the runtime); generated code names the runtime's variants after the compiler's, so the
//! two must agree entry for entry.

use ctiflow_codegen::names::{snake_case, upper_camel};

#[test]
fn sources_agree() {
    let compiler: Vec<(String, &str)> = ctiflow_codegen::Source::ALL
        .iter()
        .map(|s| (s.name().to_owned(), s.label()))
        .collect();
    let runtime: Vec<(String, &str)> = ctiflow::Source::ALL
        .iter()
        .map(|s| (format!("{s:?}"), s.name()))
        .collect();
    assert_eq!(compiler, runtime);
}

#[test]
fn events_agree() {
    // Generated code writes `Event::<UpperCamel of the event's name>`.
    let compiler: Vec<(String, &str)> = ctiflow_codegen::Event::ALL
        .iter()
        .map(|e| (upper_camel(&snake_case(e.name())), e.name()))
        .collect();
    let runtime: Vec<(String, &str)> = ctiflow::Event::ALL
        .iter()
        .map(|e| (format!("{e:?}"), e.name()))
        .collect();
    assert_eq!(compiler, runtime);
}
