//! The checker judges literal sObject and field names by the rule the runtime applies before a
//! name reaches a backend: the two implementations agree on every name.

use ctiflow::blocks::check_name;
use ctiflow_codegen::catalog::is_salesforce_name;

#[test]
fn checker_and_runtime_agree_on_salesforce_names() {
    let mut names: Vec<String> = [
        "",
        "A",
        "a",
        "Case",
        "Custom__c",
        "_x",
        "1st",
        "x1",
        "Bad Name",
        "Bad-Field",
        "é",
        "Ab_",
        "a b",
        " a",
        "a ",
        "a\n",
        "Name,Phone",
        "true",
        "Infinity",
        "-Infinity",
        "ÄB",
        "a\u{0}",
        "z9_Z",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    // Every one- and two-character name over a mix of ASCII and non-ASCII characters.
    let alphabet: Vec<char> = ('\u{20}'..='\u{7e}')
        .chain(['é', 'ß', '\u{a0}', '٣'])
        .collect();
    for &a in &alphabet {
        names.push(a.to_string());
        for &b in &alphabet {
            names.push(format!("{a}{b}"));
        }
    }
    for name in &names {
        assert_eq!(
            is_salesforce_name(name),
            check_name("field", name).is_ok(),
            "{name:?}"
        );
    }
}
