//! No value changes a query's shape: whatever string reaches a SOQL literal or a SOSL phrase,
//! the query still parses (by the fake org's strict reader of exactly the shapes the backend
//! sends) into the same clauses, with the value back unchanged.

use ctiflow_fakes::salesforce::query::{Scope, parse_soql, parse_sosl};
use ctiflow_salesforce::escape::{SOSL_RESERVED, soql_literal, sosl_phrase};
use proptest::prelude::*;

fn soql_with(value: &str) -> String {
    format!(
        "SELECT Id FROM Contact WHERE Phone = {} LIMIT 1",
        soql_literal(value)
    )
}

fn sosl_with(value: &str) -> String {
    format!(
        "FIND {} IN PHONE FIELDS RETURNING Contact(Id, Phone), Lead(Id)",
        sosl_phrase(value)
    )
}

/// What a phrase keeps of a value: SOSL has no escapes for control characters.
fn searchable(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn check_soql(value: &str) {
    let query = parse_soql(&soql_with(value)).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(query.fields, ["Id"]);
    assert_eq!(query.sobject, "Contact");
    assert_eq!(query.filter_field, "Phone");
    assert_eq!(query.filter_value, value);
    assert_eq!(query.limit, Some(1));
}

fn check_sosl(value: &str) {
    let search = parse_sosl(&sosl_with(value)).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(search.phrase, searchable(value));
    assert_eq!(search.scope, Scope::Phone);
    assert_eq!(
        search.returning,
        [
            (
                "Contact".to_owned(),
                vec!["Id".to_owned(), "Phone".to_owned()]
            ),
            ("Lead".to_owned(), vec!["Id".to_owned()]),
        ]
    );
}

#[test]
fn each_reserved_character_alone_and_in_company() {
    let soql_reserved = "'\"\\\n\r\t\u{8}\u{c}%_";
    for c in soql_reserved.chars().chain(SOSL_RESERVED.chars()) {
        for value in [
            c.to_string(),
            format!("a{c}b"),
            format!("{c}{c}"),
            format!("x{c}"),
        ] {
            check_soql(&value);
            check_sosl(&value);
        }
    }
}

#[test]
fn known_injections_stay_values() {
    for hostile in [
        "' OR Id != '",
        "x' LIMIT 1000 --",
        "\\' OR Name LIKE '%",
        "555\"} IN ALL FIELDS RETURNING User(Id, Email)",
        "a} OR {b",
        "* AND NOT x",
        "\\\"}",
        "\u{0}\u{1b}[31m",
    ] {
        check_soql(hostile);
        check_sosl(hostile);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_string_round_trips_through_soql(value in any::<String>()) {
        check_soql(&value);
    }

    #[test]
    fn any_string_round_trips_through_sosl(value in any::<String>()) {
        check_sosl(&value);
    }

    // Strings made mostly of the reserved characters, where a mistake would show.
    #[test]
    fn reserved_heavy_strings_round_trip(value in "[-'\"\\\\?&|!{}\\[\\]()^~*:+%_ a\n\t]{0,40}") {
        check_soql(&value);
        check_sosl(&value);
    }
}
