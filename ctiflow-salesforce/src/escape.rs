//! Values into SOQL and SOSL, and names and ids into URLs, so that no value from a flow can
//! change a query's shape or a request's target (`backends.md` §3.5).
//!
//! - A SOQL string literal escapes `'`, `"` and `\` with a backslash, and writes the control
//!   characters Salesforce has escapes for (`\n \r \t \b \f`) as those escapes and any other as
//!   `\u` and four hex digits: the escape sequences the SOQL reference lists, and no other.
//! - A SOSL search term is always a quoted phrase, `{"..."}`: inside one, `AND`, `OR` and `NOT`
//!   are words, not operators. The characters SOSL reserves
//!   (`? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -`) are escaped with a backslash, which the reference requires "even if the SearchQuery
//!   is enclosed in double quotes"; that also turns the wildcards `*` and `?` into plain
//!   characters. Control characters, which SOSL has no escapes for, become spaces.
//! - sObject and field names are never escaped, only accepted or refused
//!   (`^[A-Za-z][A-Za-z0-9_]*$`, as the runtime checks them before a block calls us); record
//!   ids likewise (`^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$`).

use ctiflow_runtime::BlockError;

/// `value` as a SOQL string literal, quotes included: `O'Brien` → `'O\'Brien'`.
pub fn soql_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\'' | '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                // Control characters are all in the Basic Multilingual Plane: one `\u` escape each.
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The characters SOSL reserves in a search term.
pub const SOSL_RESERVED: &str = "?&|!{}[]()^~*:\\\"'+-";

/// `value` as a SOSL search term: a quoted phrase in braces, `{"..."}`, ready for `FIND`.
pub fn sosl_phrase(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 4);
    out.push_str("{\"");
    for c in value.chars() {
        if SOSL_RESERVED.contains(c) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out.push_str("\"}");
    out
}

/// Whether `name` can be an sObject or field API name.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` if it can be an sObject or field API name; `what` says which, for the error.
pub fn name<'a>(what: &str, name: &'a str) -> Result<&'a str, BlockError> {
    if is_name(name) {
        Ok(name)
    } else {
        Err(BlockError::invalid(format!(
            "`{name}` is not a Salesforce {what} name (letters, digits and `_`, starting with a letter)"
        )))
    }
}

/// Whether `id` has the shape of a record id: 15 or 18 letters and digits.
pub fn is_record_id(id: &str) -> bool {
    matches!(id.len(), 15 | 18) && id.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `id` if it has the shape of a record id. Anything else names no record: not found (as
/// Salesforce answers for an id it cannot read), without a request.
pub fn record_id(id: &str) -> Result<&str, BlockError> {
    if is_record_id(id) {
        Ok(id)
    } else {
        Err(BlockError::not_found(format!(
            "`{id}` is not a Salesforce record id (15 or 18 letters and digits)"
        ))
        .with_code("MALFORMED_ID"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soql_escapes_each_reserved_character() {
        assert_eq!(soql_literal("O'Brien"), r"'O\'Brien'");
        assert_eq!(soql_literal(r#"say "hi""#), r#"'say \"hi\"'"#);
        assert_eq!(soql_literal(r"C:\dir"), r"'C:\\dir'");
        assert_eq!(soql_literal("a\nb\rc\td"), r"'a\nb\rc\td'");
        assert_eq!(soql_literal("\u{8}\u{c}\u{0}\u{1f}"), r"'\b\f\u0000\u001f'");
        // `%` and `_` are wildcards only after LIKE, where we never put a value.
        assert_eq!(soql_literal("100%_x"), "'100%_x'");
        assert_eq!(soql_literal("日本 😀"), "'日本 😀'");
    }

    #[test]
    fn sosl_escapes_each_reserved_character() {
        for c in SOSL_RESERVED.chars() {
            assert_eq!(sosl_phrase(&c.to_string()), format!("{{\"\\{c}\"}}"));
        }
        assert_eq!(
            sosl_phrase("+1 (555) 010-0002"),
            r#"{"\+1 \(555\) 010\-0002"}"#
        );
        assert_eq!(sosl_phrase("ann OR lee*"), r#"{"ann OR lee\*"}"#);
        assert_eq!(sosl_phrase("a\nb"), r#"{"a b"}"#);
    }

    #[test]
    fn names_and_ids() {
        assert!(is_name("Contact") && is_name("My_Field__c") && is_name("CTI_Pop__e"));
        for bad in ["", "1Field", "Name FROM User", "a.b", "Phone'", "名前"] {
            assert!(!is_name(bad), "{bad}");
        }
        assert!(is_record_id("003000000000001") && is_record_id("003000000000001AAA"));
        for bad in [
            "",
            "003",
            "003000000000001AA",
            "003000000000001/../",
            "00300000000000 1",
        ] {
            assert!(!is_record_id(bad), "{bad}");
        }
        assert_eq!(
            record_id("x/y").unwrap_err().code.as_deref(),
            Some("MALFORMED_ID")
        );
    }
}
