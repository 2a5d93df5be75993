//! The SOQL and SOSL the fake understands: exactly the shapes the Salesforce backend sends,
//! read strictly, literals unescaped as Salesforce unescapes them. Anything else is refused as
//! Salesforce refuses a malformed query, so a query whose shape a value changed fails a test.
//!
//! - SOQL: `SELECT <field>, ... FROM <sObject> WHERE <field> = '<literal>' [LIMIT <n>]`
//! - SOSL: `FIND {"<phrase>"} IN (ALL|PHONE) FIELDS RETURNING <sObject>(<field>, ...), ...`

/// A parsed SOQL query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Soql {
    /// The selected fields.
    pub fields: Vec<String>,
    /// The sObject.
    pub sobject: String,
    /// The filtered field.
    pub filter_field: String,
    /// The literal it must equal, unescaped.
    pub filter_value: String,
    /// The `LIMIT`, if any.
    pub limit: Option<usize>,
}

/// Which fields a SOSL search looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `IN ALL FIELDS`
    All,
    /// `IN PHONE FIELDS`
    Phone,
}

/// A parsed SOSL search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sosl {
    /// The phrase searched, unescaped.
    pub phrase: String,
    /// Where.
    pub scope: Scope,
    /// The objects returned, each with its fields.
    pub returning: Vec<(String, Vec<String>)>,
}

/// Reads the text after `prefix`, or says what was expected.
fn expect<'a>(text: &'a str, prefix: &str) -> Result<&'a str, String> {
    text.strip_prefix(prefix)
        .ok_or_else(|| format!("expected `{prefix}` at `{}`", head(text)))
}

fn head(text: &str) -> String {
    text.chars().take(20).collect()
}

/// A name (`[A-Za-z][A-Za-z0-9_]*`) and the rest.
fn name(text: &str) -> Result<(&str, &str), String> {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    let (name, rest) = text.split_at(end);
    if name.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        Ok((name, rest))
    } else {
        Err(format!("expected a name at `{}`", head(text)))
    }
}

/// `a, b, c` up to `end`; the names and the text after `end`.
fn names<'a>(mut text: &'a str, end: &str) -> Result<(Vec<String>, &'a str), String> {
    let mut out = Vec::new();
    loop {
        let (field, rest) = name(text)?;
        out.push(field.to_owned());
        if let Some(rest) = rest.strip_prefix(", ") {
            text = rest;
        } else {
            return Ok((out, expect(rest, end)?));
        }
    }
}

/// A SOQL string literal at the start of `text`: its value and the rest.
fn soql_literal(text: &str) -> Result<(String, &str), String> {
    let body = expect(text, "'")?;
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Ok((value, &body[i + 1..])),
            '\\' => {
                let (_, escaped) = chars.next().ok_or("a literal ends in `\\`")?;
                value.push(match escaped {
                    'n' | 'N' => '\n',
                    'r' | 'R' => '\r',
                    't' | 'T' => '\t',
                    'b' | 'B' => '\u{8}',
                    'f' | 'F' => '\u{c}',
                    '\'' | '"' | '\\' => escaped,
                    'u' => {
                        let hex: String = (0..4)
                            .filter_map(|_| chars.next().map(|(_, c)| c))
                            .collect();
                        u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| format!("bad escape `\\u{hex}`"))?
                    }
                    other => return Err(format!("bad escape `\\{other}`")),
                });
            }
            c => value.push(c),
        }
    }
    Err("an unterminated literal".to_owned())
}

/// Parses the SOQL the backend sends.
pub fn parse_soql(text: &str) -> Result<Soql, String> {
    let rest = expect(text, "SELECT ")?;
    let (fields, rest) = names(rest, " FROM ")?;
    let (sobject, rest) = name(rest)?;
    let rest = expect(rest, " WHERE ")?;
    let (filter_field, rest) = name(rest)?;
    let rest = expect(rest, " = ")?;
    let (filter_value, rest) = soql_literal(rest)?;
    let limit = match rest {
        "" => None,
        rest => Some(
            expect(rest, " LIMIT ")?
                .parse()
                .map_err(|_| format!("a bad LIMIT at `{}`", head(rest)))?,
        ),
    };
    Ok(Soql {
        fields,
        sobject: sobject.to_owned(),
        filter_field: filter_field.to_owned(),
        filter_value,
        limit,
    })
}

/// The characters SOSL reserves, which a phrase must escape.
const RESERVED: &str = "?&|!{}[]()^~*:\\\"'+-";

/// Parses the SOSL the backend sends.
pub fn parse_sosl(text: &str) -> Result<Sosl, String> {
    let body = expect(text, "FIND {\"")?;
    let mut phrase = String::new();
    let mut chars = body.char_indices();
    let rest = loop {
        let (i, c) = chars.next().ok_or("an unterminated search phrase")?;
        match c {
            '\\' => {
                let (_, escaped) = chars.next().ok_or("a phrase ends in `\\`")?;
                if !RESERVED.contains(escaped) {
                    return Err(format!("`\\{escaped}` escapes no reserved character"));
                }
                phrase.push(escaped);
            }
            '"' => break expect(&body[i + 1..], "}")?,
            c if RESERVED.contains(c) => {
                return Err(format!("the reserved character `{c}` is not escaped"));
            }
            c if c.is_control() => return Err("a control character in a phrase".to_owned()),
            c => phrase.push(c),
        }
    };
    let (scope, mut rest) = if let Some(rest) = rest.strip_prefix(" IN ALL FIELDS RETURNING ") {
        (Scope::All, rest)
    } else {
        let rest = expect(rest, " IN PHONE FIELDS RETURNING ")?;
        (Scope::Phone, rest)
    };
    let mut returning = Vec::new();
    loop {
        let (sobject, after) = name(rest)?;
        let (fields, after) = names(expect(after, "(")?, ")")?;
        returning.push((sobject.to_owned(), fields));
        match after {
            "" => break,
            after => rest = expect(after, ", ")?,
        }
    }
    Ok(Sosl {
        phrase,
        scope,
        returning,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_backend_sends() {
        assert_eq!(
            parse_soql(r"SELECT Id FROM Case WHERE Id = 'a\'b\\c' LIMIT 1").unwrap(),
            Soql {
                fields: vec!["Id".into()],
                sobject: "Case".into(),
                filter_field: "Id".into(),
                filter_value: r"a'b\c".into(),
                limit: Some(1),
            }
        );
        let sosl = parse_sosl(
            r#"FIND {"\+1 555"} IN PHONE FIELDS RETURNING Contact(Id, Phone), Lead(Id)"#,
        )
        .unwrap();
        assert_eq!(sosl.phrase, "+1 555");
        assert_eq!(sosl.scope, Scope::Phone);
        assert_eq!(sosl.returning.len(), 2);
    }

    #[test]
    fn refuses_other_shapes() {
        assert!(parse_soql("SELECT Id FROM Case WHERE Id = 'x' OR Id != ''").is_err());
        assert!(parse_soql("SELECT Id FROM Case WHERE Id = 'x").is_err());
        assert!(parse_sosl(r#"FIND {"a"} OR {"b"} IN ALL FIELDS RETURNING Contact(Id)"#).is_err());
        assert!(parse_sosl(r#"FIND {"a*"} IN ALL FIELDS RETURNING Contact(Id)"#).is_err());
        assert!(parse_sosl(r#"FIND {"a"} IN ALL FIELDS RETURNING Contact(Id), "#).is_err());
    }
}
