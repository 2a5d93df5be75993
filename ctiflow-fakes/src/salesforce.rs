//! A fake Salesforce org on 127.0.0.1: the OAuth token endpoint, sObject rows, SOQL, SOSL and
//! Platform Events, over an in-memory [`Org`] (the sandbox's, so both find the same records
//! for the same search).
//!
//! Where the shapes come from (Salesforce's REST API Developer Guide unless said otherwise):
//! - token answers: the JWT bearer flow's sample (no `issued_at`, no `signature`) and the
//!   client credentials flow's (with `issued_at`, `signature` and `api_instance_url`), from
//!   the OAuth help pages; token errors `{"error", "error_description"}`;
//! - create: `201 {"id", "success": true, "errors": []}` ("Create a Record"); update: `204`
//!   ("Update a Record"); rows: the record with `attributes {type, url}` ("Get Field Values
//!   from a Standard Object Record");
//! - query: `{"totalSize", "done", "nextRecordsUrl"?, "records"}` ("Execute a SOQL Query");
//!   search: `{"searchRecords": [...]}` ("Search for a String");
//! - Platform Event publish: `201 {"id", "success": true, "errors": [{"statusCode":
//!   "OPERATION_ENQUEUED", ...}]}` ("Publish Event Messages with Salesforce APIs");
//! - errors: a top-level array `[{"message", "errorCode"}]`, `fields` absent unless a field is
//!   at fault ("Status Codes and Error Responses"), and `Sforce-Limit-Info: api-usage=N/M` on
//!   every answer ("Limit Info Header").

pub mod query;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ctiflow_runtime::sandbox::{Effect, Org, Pop, key_prefix};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::Journal;
use query::{Scope, parse_soql, parse_sosl};

/// The API version path the fake serves (`/services/data/vNN.N/...`): any.
const DATA: &str = "/services/data/v";

/// A request the fake answers with an error instead: `times` times (every time: `None`), for
/// requests whose method is `method` (any: `None`) and whose path contains `path`.
#[derive(Clone, Debug)]
pub struct Fault {
    /// `GET`, `POST`, `PATCH`; any when `None`.
    pub method: Option<&'static str>,
    /// A part of the path (`/sobjects/Task`, `/search`, `/oauth2/token`).
    pub path: String,
    /// The status.
    pub status: u16,
    /// The body, as Salesforce sends it.
    pub body: Value,
    /// How many requests fail; `None`: all.
    pub times: Option<usize>,
}

impl Fault {
    /// Requests to `path` answered `status` with `[{"message", "errorCode"}]`.
    pub fn api(path: &str, status: u16, code: &str, message: &str) -> Fault {
        Fault {
            method: None,
            path: path.to_owned(),
            status,
            body: json!([{"message": message, "errorCode": code}]),
            times: None,
        }
    }

    /// `403 REQUEST_LIMIT_EXCEEDED`, as an org out of API calls answers.
    pub fn limit_exceeded(path: &str) -> Fault {
        Fault::api(
            path,
            403,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
    }

    /// `400 UNABLE_TO_LOCK_ROW`, as a record another transaction holds answers.
    pub fn locked(path: &str) -> Fault {
        Fault::api(
            path,
            400,
            "UNABLE_TO_LOCK_ROW",
            "unable to obtain exclusive access to this record",
        )
    }

    /// `503` with a proxy's HTML page, no Salesforce error at all.
    pub fn unavailable(path: &str) -> Fault {
        Fault {
            body: Value::String("<html><body>Service Unavailable</body></html>".into()),
            ..Fault::api(path, 503, "", "")
        }
    }

    /// The same fault for `method` only.
    pub fn on(self, method: &'static str) -> Fault {
        Fault {
            method: Some(method),
            ..self
        }
    }

    /// The same fault for the next `times` matching requests only.
    pub fn times(self, times: usize) -> Fault {
        Fault {
            times: Some(times),
            ..self
        }
    }
}

/// Who may ask for a token.
#[derive(Clone, Debug, Default)]
struct Apps {
    /// The JWT bearer app: consumer key, user, the certificate's public key (PEM), audience.
    jwt: Option<(String, String, String, String)>,
    /// The client credentials app: key and secret.
    client_credentials: Option<(String, String)>,
}

#[derive(Debug, Default)]
struct State {
    org: Org,
    tokens: Vec<String>,
    issued: usize,
    apps: Apps,
    faults: Vec<Fault>,
    api_calls: u64,
    events: Vec<Map<String, Value>>,
    page_size: Option<usize>,
    cursors: BTreeMap<String, Vec<Value>>,
    requests: Vec<String>,
}

/// A fake org; its server stops when it is dropped.
pub struct FakeSalesforce {
    server: MockServer,
    state: Arc<Mutex<State>>,
}

/// The Platform Event the fake accepts: the backend's default.
pub const POP_EVENT: &str = "CTI_Screen_Pop__e";

impl FakeSalesforce {
    /// A fake with an empty org, writing what flows do into `journal`.
    pub async fn start(journal: Journal) -> FakeSalesforce {
        let server = MockServer::start().await;
        let state = Arc::new(Mutex::new(State::default()));
        Mock::given(any())
            .respond_with(Router {
                state: state.clone(),
                journal,
                base: server.uri(),
            })
            .mount(&server)
            .await;
        FakeSalesforce { server, state }
    }

    /// Its base URL: the instance URL, the My Domain and the login URL alike.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Replaces its org.
    pub fn seed(&self, org: Org) {
        self.state().org = org;
    }

    /// Its org, to look at records.
    pub fn org(&self) -> Org {
        self.state().org.clone()
    }

    /// A valid access token, as an admin would paste one.
    pub fn issue_token(&self) -> String {
        issue(&mut self.state())
    }

    /// Accepts JWT bearer assertions from `client_id` for `username`, signed by the key of
    /// `public_key_pem`, addressed to `audience`.
    pub fn allow_jwt(&self, client_id: &str, username: &str, public_key_pem: &str, audience: &str) {
        self.state().apps.jwt = Some((
            client_id.into(),
            username.into(),
            public_key_pem.into(),
            audience.into(),
        ));
    }

    /// Accepts the client credentials `client_id` and `client_secret`.
    pub fn allow_client_credentials(&self, client_id: &str, client_secret: &str) {
        self.state().apps.client_credentials = Some((client_id.into(), client_secret.into()));
    }

    /// Expires every token issued so far, as a session timeout does.
    pub fn expire_sessions(&self) {
        self.state().tokens.clear();
    }

    /// How many tokens the token endpoint issued.
    pub fn tokens_issued(&self) -> usize {
        self.state().issued
    }

    /// Answers matching requests with `fault`, before anything else.
    pub fn fail(&self, fault: Fault) {
        self.state().faults.push(fault);
    }

    /// Answers queries `size` records a page, with `nextRecordsUrl`s.
    pub fn page_size(&self, size: usize) {
        self.state().page_size = Some(size.max(1));
    }

    /// The Platform Events published, in order.
    pub fn events(&self) -> Vec<Map<String, Value>> {
        self.state().events.clone()
    }

    /// Every request so far, `METHOD path?query`, in order.
    pub fn requests(&self) -> Vec<String> {
        self.state().requests.clone()
    }
}

fn issue(state: &mut State) -> String {
    state.issued += 1;
    // The shape of a real token: the org id, `!`, an opaque tail.
    let token = format!("00D5g000000FAKE!AQ{:08}", state.issued);
    state.tokens.push(token.clone());
    token
}

struct Router {
    state: Arc<Mutex<State>>,
    journal: Journal,
    base: String,
}

/// Salesforce's error array.
fn error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!([{"message": message, "errorCode": code}]))
}

fn not_found() -> ResponseTemplate {
    error(404, "NOT_FOUND", "The requested resource does not exist")
}

fn is_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let method = request.method.as_str();
        let path = request.url.path().to_owned();
        state.requests.push(match request.url.query() {
            Some(q) => format!("{method} {path}?{q}"),
            None => format!("{method} {path}"),
        });
        if let Some(i) = state.faults.iter().position(|f| {
            f.method.is_none_or(|m| m == method) && path.contains(&f.path) && f.times != Some(0)
        }) {
            let fault = &mut state.faults[i];
            if let Some(times) = &mut fault.times {
                *times -= 1;
            }
            let template = ResponseTemplate::new(fault.status);
            return match &fault.body {
                Value::String(text) => template.set_body_string(text.clone()),
                body => template.set_body_json(body.clone()),
            };
        }
        if path == "/services/oauth2/token" && method == "POST" {
            return token(&mut state, &request.body, &self.base);
        }
        let Some(rest) = path.strip_prefix(DATA) else {
            return not_found();
        };
        // `/services/data/v65.0/sobjects/...` → `/sobjects/...`
        let Some(rest) = rest.find('/').map(|i| &rest[i..]) else {
            return not_found();
        };
        let authorized = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|token| state.tokens.iter().any(|t| t == token));
        if !authorized {
            return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        state.api_calls += 1;
        let usage = format!("api-usage={}/15000", state.api_calls);
        let query = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
        let answer = match (method, segments.as_slice()) {
            ("GET", ["sobjects"]) => describe_global(&state.org),
            ("POST", ["sobjects", sobject]) if sobject.ends_with("__e") => {
                self.publish(&mut state, sobject, &request.body)
            }
            ("POST", ["sobjects", sobject]) => self.create(&mut state, sobject, &request.body),
            ("PATCH", ["sobjects", sobject, id]) => {
                self.update(&mut state, sobject, id, &request.body)
            }
            ("GET", ["sobjects", sobject, id]) => {
                row(&state.org, sobject, id, query("fields").as_deref())
            }
            ("GET", ["query"]) => match query("q") {
                Some(q) => soql(&mut state, &q),
                None => error(400, "MALFORMED_QUERY", "a query needs q"),
            },
            ("GET", ["query", cursor]) => match state.cursors.remove(*cursor) {
                Some(records) => page(&mut state, records),
                None => error(400, "INVALID_QUERY_LOCATOR", "invalid query locator"),
            },
            ("GET", ["search"]) => match query("q") {
                Some(q) => sosl(&state.org, &q),
                None => error(400, "MALFORMED_SEARCH", "a search needs q"),
            },
            _ => not_found(),
        };
        answer.insert_header("Sforce-Limit-Info", usage.as_str())
    }
}

/// The token endpoint: form bodies only, as Salesforce requires.
fn token(state: &mut State, body: &[u8], base: &str) -> ResponseTemplate {
    let form: BTreeMap<String, String> = url::form_urlencoded::parse(body).into_owned().collect();
    let oauth_error = |error: &str, description: &str| {
        ResponseTemplate::new(400)
            .set_body_json(json!({"error": error, "error_description": description}))
    };
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let answer = match field("grant_type") {
        "urn:ietf:params:oauth:grant-type:jwt-bearer" => {
            let Some((client_id, username, public_key, audience)) = state.apps.jwt.clone() else {
                return oauth_error("invalid_client_id", "client identifier invalid");
            };
            #[derive(Deserialize)]
            struct Claims {
                iss: String,
                sub: String,
            }
            let Ok(key) = DecodingKey::from_rsa_pem(public_key.as_bytes()) else {
                return oauth_error("invalid_grant", "the app's certificate is unreadable");
            };
            let mut validation = Validation::new(Algorithm::RS256);
            validation.set_audience(&[audience]);
            validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
            match jsonwebtoken::decode::<Claims>(field("assertion"), &key, &validation) {
                Err(e) => return oauth_error("invalid_grant", &format!("invalid assertion: {e}")),
                Ok(data) if data.claims.iss != client_id => {
                    return oauth_error("invalid_client_id", "client identifier invalid");
                }
                Ok(data) if data.claims.sub != username => {
                    return oauth_error("invalid_grant", "user hasn't approved this consumer");
                }
                Ok(_) => {}
            }
            json!({
                "access_token": issue(state),
                "scope": "web openid api id",
                "instance_url": base,
                "id": format!("{base}/id/00D5g000000FAKEEAY/0055g00000FAKEAAA"),
                "token_type": "Bearer",
            })
        }
        "client_credentials" => {
            let Some((client_id, secret)) = state.apps.client_credentials.clone() else {
                return oauth_error("invalid_grant", "no client credentials user enabled");
            };
            if field("client_id") != client_id {
                return oauth_error("invalid_client_id", "client identifier invalid");
            }
            if field("client_secret") != secret {
                return oauth_error("invalid_client", "invalid client credentials");
            }
            json!({
                "access_token": issue(state),
                "signature": "c2lnbmF0dXJl",
                "scope": "api",
                "instance_url": base,
                "id": format!("{base}/id/00D5g000000FAKEEAY/0055g00000FAKEAAA"),
                "token_type": "Bearer",
                "issued_at": "1667599923045",
                "api_instance_url": "https://api.salesforce.com",
            })
        }
        other => {
            return oauth_error(
                "unsupported_grant_type",
                &format!("grant type `{other}` not supported"),
            );
        }
    };
    ResponseTemplate::new(200).set_body_json(answer)
}

/// `GET /sobjects/`: the standard objects and every object of the org, with key prefixes.
fn describe_global(org: &Org) -> ResponseTemplate {
    let mut names: Vec<String> = ["Account", "Contact", "Opportunity", "Lead", "Task", "Case"]
        .map(String::from)
        .to_vec();
    for record in org.records() {
        if !names.contains(&record.sobject) {
            names.push(record.sobject.clone());
        }
    }
    let sobjects: Vec<Value> = names
        .iter()
        .map(|name| json!({"name": name, "keyPrefix": key_prefix(name), "queryable": true}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": sobjects,
    }))
}

/// The body of a create or update: a JSON object of fields with valid names.
fn fields(body: &[u8]) -> Result<Map<String, Value>, Box<ResponseTemplate>> {
    let Ok(Value::Object(fields)) = serde_json::from_slice(body) else {
        return Err(Box::new(error(
            400,
            "JSON_PARSER_ERROR",
            "the body is not a JSON object",
        )));
    };
    if let Some(bad) = fields.keys().find(|k| !is_name(k)) {
        return Err(Box::new(ResponseTemplate::new(400).set_body_json(json!([{
            "message": format!("No such column '{bad}'"),
            "errorCode": "INVALID_FIELD",
            "fields": [bad],
        }]))));
    }
    Ok(fields)
}

/// A record as the REST API returns it: `attributes`, then the fields asked for.
fn shown(
    sobject: &str,
    id: &str,
    record: &ctiflow_runtime::sandbox::Record,
    wanted: &[String],
) -> Value {
    let mut out = Map::new();
    out.insert(
        "attributes".into(),
        json!({"type": sobject, "url": format!("/services/data/v65.0/sobjects/{sobject}/{id}")}),
    );
    for field in wanted {
        let value = match record.fields.get(field) {
            Some(value) => value.clone(),
            // A compound Name, as Contacts' and Leads' `Name` is; the sandbox shows records
            // by the same rule.
            None if field == "Name" => record.name().map_or(Value::Null, Value::String),
            None => Value::Null,
        };
        out.insert(field.clone(), value);
    }
    Value::Object(out)
}

/// `GET /sobjects/T/Id?fields=...`.
fn row(org: &Org, sobject: &str, id: &str, fields: Option<&str>) -> ResponseTemplate {
    let Some(record) = org.get(id).filter(|r| r.sobject == sobject) else {
        return not_found();
    };
    let wanted: Vec<String> = match fields {
        Some(list) => {
            let list: Vec<String> = list.split(',').map(|f| f.trim().to_owned()).collect();
            if let Some(bad) = list.iter().find(|f| !is_name(f)) {
                return error(400, "INVALID_FIELD", &format!("No such column '{bad}'"));
            }
            list
        }
        None => record.fields.keys().cloned().collect(),
    };
    ResponseTemplate::new(200).set_body_json(shown(sobject, id, record, &wanted))
}

/// `GET /query?q=...`.
fn soql(state: &mut State, q: &str) -> ResponseTemplate {
    let query = match parse_soql(q) {
        Ok(query) => query,
        Err(e) => return error(400, "MALFORMED_QUERY", &e),
    };
    let records: Vec<Value> = state
        .org
        .all(&query.sobject)
        .filter(|r| r.text(&query.filter_field) == Some(query.filter_value.as_str()))
        .take(query.limit.unwrap_or(usize::MAX))
        .map(|r| {
            let id = r.text("Id").unwrap_or_default();
            shown(&query.sobject, id, r, &query.fields)
        })
        .collect();
    page(state, records)
}

/// One page of `records`, the rest kept behind a `nextRecordsUrl`.
fn page(state: &mut State, mut records: Vec<Value>) -> ResponseTemplate {
    let total = records.len();
    let size = state.page_size.unwrap_or(2000);
    let mut answer = json!({"totalSize": total, "done": true});
    if records.len() > size {
        let rest = records.split_off(size);
        let cursor = format!(
            "01gFAKE{:08}-{size}",
            state.cursors.len() + state.api_calls as usize
        );
        answer["done"] = Value::Bool(false);
        answer["nextRecordsUrl"] = json!(format!("/services/data/v65.0/query/{cursor}"));
        state.cursors.insert(cursor, rest);
    }
    answer["records"] = Value::Array(records);
    ResponseTemplate::new(200).set_body_json(answer)
}

/// Whether `field` is searched `IN PHONE FIELDS`: Salesforce's phone-typed fields.
fn is_phone_field(field: &str) -> bool {
    field.ends_with("Phone") || field == "Fax"
}

/// `GET /search?q=...`.
fn sosl(org: &Org, q: &str) -> ResponseTemplate {
    let search = match parse_sosl(q) {
        Ok(search) => search,
        Err(e) => return error(400, "MALFORMED_SEARCH", &e),
    };
    let mut found = Vec::new();
    for (sobject, fields) in &search.returning {
        let matches: Vec<&ctiflow_runtime::sandbox::Record> = match search.scope {
            Scope::All => org.search(std::slice::from_ref(sobject), &search.phrase),
            Scope::Phone => org
                .all(sobject)
                .filter(|r| {
                    r.fields.iter().any(|(k, v)| {
                        is_phone_field(k)
                            && v.as_str().is_some_and(|v| {
                                ctiflow_runtime::phone::same_number(v, &search.phrase)
                            })
                    })
                })
                .collect(),
        };
        for record in matches {
            let id = record.text("Id").unwrap_or_default();
            found.push(shown(sobject, id, record, fields));
        }
    }
    ResponseTemplate::new(200).set_body_json(json!({"searchRecords": found}))
}

impl Router {
    fn create(&self, state: &mut State, sobject: &str, body: &[u8]) -> ResponseTemplate {
        if !is_name(sobject) {
            return not_found();
        }
        let mut fields = match fields(body) {
            Ok(fields) => fields,
            Err(answer) => return *answer,
        };
        if fields.contains_key("Id") {
            return error(
                400,
                "INVALID_FIELD",
                "The Id field should not be specified in the sobject data.",
            );
        }
        if sobject == "Task" {
            // Read-only, derived from the status, as in a real org.
            if fields.contains_key("IsClosed") {
                return error(
                    400,
                    "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to create/update fields: IsClosed. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                );
            }
            let closed = fields.get("Status").and_then(Value::as_str) == Some("Completed");
            fields.insert("IsClosed".into(), Value::Bool(closed));
        }
        let id = state.org.insert(sobject, Value::Object(fields.clone()));
        self.journal.push(Effect::RecordCreated {
            sobject: sobject.to_owned(),
            id: id.clone(),
            fields,
        });
        ResponseTemplate::new(201).set_body_json(json!({"id": id, "success": true, "errors": []}))
    }

    fn update(&self, state: &mut State, sobject: &str, id: &str, body: &[u8]) -> ResponseTemplate {
        let fields = match fields(body) {
            Ok(fields) => fields,
            Err(answer) => return *answer,
        };
        if state.org.get(id).is_none_or(|r| r.sobject != sobject) {
            return not_found();
        }
        state.org.update(id, fields.clone());
        self.journal.push(Effect::RecordUpdated {
            id: id.to_owned(),
            fields,
        });
        ResponseTemplate::new(204)
    }

    fn publish(&self, state: &mut State, event: &str, body: &[u8]) -> ResponseTemplate {
        if event != POP_EVENT {
            return not_found();
        }
        let fields = match fields(body) {
            Ok(fields) => fields,
            Err(answer) => return *answer,
        };
        let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
        let effect = match text("Kind__c").as_deref() {
            Some("record") => Effect::ScreenPop(Pop::Record {
                id: text("Record_Id__c").unwrap_or_default(),
            }),
            Some("search") => Effect::ScreenPop(Pop::Search {
                search: text("Search__c").unwrap_or_default(),
                matches: fields
                    .get("Matches__c")
                    .and_then(Value::as_u64)
                    .unwrap_or_default() as usize,
            }),
            Some("new_record") => Effect::ScreenPop(Pop::NewRecord {
                entity: text("Entity__c").unwrap_or_default(),
                defaults: text("Defaults__c")
                    .and_then(|d| serde_json::from_str(&d).ok())
                    .unwrap_or_default(),
            }),
            Some("hvs_complete") => Effect::HvsWorkCompleted {
                work_id: text("Work_Id__c").unwrap_or_default(),
                disposition: text("Disposition__c"),
                task_id: text("Task_Id__c").unwrap_or_default(),
            },
            _ => {
                return error(
                    400,
                    "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    "bad value for restricted picklist field: Kind__c",
                );
            }
        };
        state.events.push(fields);
        self.journal.push(effect);
        let id = format!("e00FAKE{:011}", state.events.len());
        ResponseTemplate::new(201).set_body_json(json!({
            "id": id,
            "success": true,
            "errors": [{
                "statusCode": "OPERATION_ENQUEUED",
                "message": format!("{id}"),
                "fields": [],
            }],
        }))
    }
}
