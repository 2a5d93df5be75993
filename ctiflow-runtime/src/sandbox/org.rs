//! An in-memory Salesforce org: records of any sObject with Salesforce-style ids, phone and
//! text search, retrieval with field lists.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::phone::{looks_like_number, same_number};

/// One record.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Its sObject (`Contact`, `Case`...).
    pub sobject: String,
    /// Its fields, `Id` included.
    pub fields: Map<String, Value>,
}

impl Record {
    /// A text field.
    pub fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Value::as_str)
    }

    /// What the console shows as its name.
    pub fn name(&self) -> Option<String> {
        if let Some(name) = self.text("Name") {
            return Some(name.to_owned());
        }
        let person = [self.text("FirstName"), self.text("LastName")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !person.is_empty() {
            return Some(person);
        }
        self.text("CaseNumber")
            .or_else(|| self.text("Subject"))
            .map(str::to_owned)
    }
}

/// An org: records by id, in creation order of their ids.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Org {
    records: BTreeMap<String, Record>,
    created: u64,
}

/// The 3-character key prefix Salesforce gives ids of `sobject` (`a00` for any object other
/// than Account, Contact, Opportunity, Lead, Task and Case).
pub fn key_prefix(sobject: &str) -> &'static str {
    match sobject {
        "Account" => "001",
        "Contact" => "003",
        "Opportunity" => "006",
        "Lead" => "00Q",
        "Task" => "00T",
        "Case" => "500",
        _ => "a00",
    }
}

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// An 18-character id: prefix, instance, counter, then Salesforce's case-safe checksum.
fn record_id(sobject: &str, n: u64) -> String {
    let mut digits = [b'0'; 10];
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(rest % 62) as usize];
        rest /= 62;
    }
    let mut id = format!("{}5g", key_prefix(sobject));
    id.extend(digits.iter().map(|&b| b as char));
    let suffix: String = id
        .as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"[bits] as char
        })
        .collect();
    id + &suffix
}

impl Org {
    /// An empty org.
    pub fn new() -> Org {
        Org::default()
    }

    /// Adds a record of `sobject` with `fields` (a JSON object); returns its id: the `Id` it
    /// has, if that is text no other record has, else a new one.
    pub fn insert(&mut self, sobject: &str, fields: Value) -> String {
        self.created += 1;
        let mut fields = match fields {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let id = match fields.get("Id") {
            Some(Value::String(id)) if !self.records.contains_key(id) => id.clone(),
            _ => record_id(sobject, self.created),
        };
        fields.insert("Id".into(), Value::String(id.clone()));
        self.records.insert(
            id.clone(),
            Record {
                sobject: sobject.to_owned(),
                fields,
            },
        );
        id
    }

    /// The same org with a record added (for building orgs in one expression).
    pub fn with(mut self, sobject: &str, fields: Value) -> Org {
        self.insert(sobject, fields);
        self
    }

    /// Updates fields of record `id`; `false` when there is none.
    pub fn update(&mut self, id: &str, fields: Map<String, Value>) -> bool {
        match self.records.get_mut(id) {
            Some(record) => {
                record.fields.extend(fields);
                true
            }
            None => false,
        }
    }

    /// The record `id`.
    pub fn get(&self, id: &str) -> Option<&Record> {
        self.records.get(id)
    }

    /// Every record, in the order of their ids.
    pub fn records(&self) -> impl Iterator<Item = &Record> {
        self.records.values()
    }

    /// Every record of `sobject`, in the order of their ids.
    pub fn all<'a>(&'a self, sobject: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.values().filter(move |r| r.sobject == sobject)
    }

    /// The first record of `sobject` whose `field` is the phone number `phone`.
    pub fn find_by_phone(&self, sobject: &str, field: &str, phone: &str) -> Option<&Record> {
        self.records
            .values()
            .filter(|r| r.sobject == sobject)
            .find(|r| r.text(field).is_some_and(|v| same_number(v, phone)))
    }

    /// Records of the given sObjects matching `search`: a field equal to it ignoring case, or,
    /// when it is a phone number, a field holding the same number written differently.
    pub fn search(&self, sobjects: &[String], search: &str) -> Vec<&Record> {
        let search = search.trim();
        if search.is_empty() {
            return Vec::new();
        }
        let phone = looks_like_number(search);
        self.records
            .values()
            .filter(|r| sobjects.contains(&r.sobject))
            .filter(|r| {
                r.fields.iter().any(|(key, value)| {
                    let Some(text) = value.as_str() else {
                        return false;
                    };
                    key != "Id"
                        && (text.eq_ignore_ascii_case(search) || phone && same_number(text, search))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_look_like_salesforce_ids() {
        let mut org = Org::new();
        let contact = org.insert("Contact", json!({"LastName": "Sato"}));
        let case = org.insert("Case", json!({}));
        assert_eq!(contact.len(), 18);
        assert!(contact.starts_with("003") && case.starts_with("500"));
        assert_ne!(contact[..15], case[..15]);
        assert_eq!(
            org.get(&contact).and_then(|r| r.text("Id")),
            Some(&*contact)
        );
    }

    #[test]
    fn search_by_phone_and_text() {
        let org = Org::new()
            .with(
                "Contact",
                json!({"LastName": "Sato", "Phone": "+81 90-1234-5678"}),
            )
            .with(
                "Case",
                json!({"Subject": "Broken", "SuppliedPhone": "09012345678"}),
            )
            .with("Lead", json!({"Email": "ann@example.com"}));
        let all = ["Contact".to_owned(), "Case".to_owned(), "Lead".to_owned()];
        assert_eq!(org.search(&all, "090-1234-5678").len(), 2);
        assert_eq!(org.search(&all[1..2], "090-1234-5678").len(), 1);
        assert_eq!(org.search(&all, "ANN@example.com").len(), 1);
        assert!(org.search(&all, "").is_empty());
    }
}
