//! Every capability method, every way to authenticate, and every error path, against the
//! stateful fake org on 127.0.0.1.

use std::sync::Arc;
use std::time::Duration;

use ctiflow_fakes::Journal;
use ctiflow_fakes::salesforce::{FakeSalesforce, Fault};
use ctiflow_runtime::sandbox::{Effect, Org, Pop};
use ctiflow_runtime::types::{
    CallType, Fields, HvsCompletion, RetrieveRequest, SaveRequest, SearchRequest, TaskRequest,
};
use ctiflow_runtime::{Console, ErrorKind, Salesforce};
use ctiflow_salesforce::{
    ApiUsage, Client, Config, ConsoleConfig, Credentials, EventConsole, Retry, SalesforceApi,
};
use serde_json::{Value, json};

const PRIVATE_KEY: &str = include_str!("keys/test-only-private.pem");
const PUBLIC_KEY: &str = include_str!("keys/test-only-public.pem");
const OTHER_KEY: &str = include_str!("keys/other-private.pem");

/// Retries without waiting long: the backoff's shape is a unit test of its own.
fn quick(credentials: Credentials) -> Config {
    Config {
        retry: Retry {
            attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
        },
        ..Config::new(credentials)
    }
}

struct Org2 {
    fake: FakeSalesforce,
    journal: Journal,
    client: Arc<Client>,
    data: SalesforceApi,
    console: EventConsole,
}

/// A fake org holding `org`, reached with a pasted token.
async fn org(org: Org) -> Org2 {
    let journal = Journal::new();
    let fake = FakeSalesforce::start(journal.clone()).await;
    fake.seed(org);
    let credentials = Credentials::Token {
        instance_url: fake.uri(),
        access_token: fake.issue_token(),
    };
    connect(fake, journal, credentials)
}

fn connect(fake: FakeSalesforce, journal: Journal, credentials: Credentials) -> Org2 {
    let client = Arc::new(Client::new(quick(credentials)).expect("a client"));
    Org2 {
        data: SalesforceApi::new(client.clone()),
        console: EventConsole::new(client.clone(), ConsoleConfig::default()),
        fake,
        journal,
        client,
    }
}

fn people() -> Org {
    Org::new()
        .with(
            "Contact",
            json!({"FirstName": "Ann", "LastName": "Lee", "Phone": "+1 555 010 0001", "MobilePhone": "+1 555 010 0077", "Email": "ann@example.com"}),
        )
        .with(
            "Case",
            json!({"CaseNumber": "00001026", "Subject": "Router keeps rebooting", "SuppliedPhone": "(555) 010-0002"}),
        )
        .with(
            "Lead",
            json!({"FirstName": "Bo", "LastName": "Chen", "MobilePhone": "+15550100003"}),
        )
        .with("Account", json!({"Name": "Acme Corp", "Phone": "+15550100009"}))
}

fn id_of(org: &Org, sobject: &str) -> String {
    org.all(sobject)
        .next()
        .and_then(|r| r.text("Id"))
        .expect("a record")
        .to_owned()
}

fn fields(pairs: &[(&str, &str)]) -> Fields {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn task() -> TaskRequest {
    TaskRequest {
        subject: "ctc-1 - Support".into(),
        call_object: Some("ctc-1".into()),
        r#type: "Call".into(),
        status: "Completed".into(),
        priority: "Normal".into(),
        is_closed: true,
        task_subtype: Some("Call".into()),
        who_id: None,
        what_id: Some("5005g000000FAKEAAA".into()),
        call_disposition: None,
        call_duration_in_seconds: Some(95),
        activity_date: Some("2026-12-02".into()),
        call_type: CallType::Inbound,
        other_fields: fields(&[("Description", "left a message")]),
    }
}

// ---- Salesforce: records and Tasks ----

#[tokio::test]
async fn save_record_creates_then_updates() {
    let org = org(Org::new()).await;
    let id = org
        .data
        .save_record(SaveRequest {
            record_id: None,
            entity_type: Some("Case".into()),
            field_values: fields(&[("Subject", "Refund"), ("Origin", "Phone")]),
        })
        .await
        .expect("created");
    assert!(id.starts_with("500") && id.len() == 18, "{id}");
    // An update names no sObject: the id's key prefix does, through the org's object list.
    let same = org
        .data
        .save_record(SaveRequest {
            record_id: Some(id.clone()),
            entity_type: None,
            field_values: fields(&[("Status", "Closed")]),
        })
        .await
        .expect("updated");
    assert_eq!(same, id);
    assert_eq!(
        org.fake.org().get(&id).and_then(|r| r.text("Status")),
        Some("Closed")
    );
    assert_eq!(
        org.journal.effects(),
        vec![
            Effect::RecordCreated {
                sobject: "Case".into(),
                id: id.clone(),
                fields: json!({"Subject": "Refund", "Origin": "Phone"})
                    .as_object()
                    .unwrap()
                    .clone(),
            },
            Effect::RecordUpdated {
                id,
                fields: json!({"Status": "Closed"}).as_object().unwrap().clone(),
            },
        ]
    );
}

#[tokio::test]
async fn save_record_errors_keep_salesforce_codes() {
    let org = org(people()).await;
    // No record has this id: 404 NOT_FOUND from the PATCH.
    let missing = org
        .data
        .save_record(SaveRequest {
            record_id: Some("500000000000999AAA".into()),
            entity_type: None,
            field_values: fields(&[("Status", "Closed")]),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (missing.kind, missing.code.as_deref()),
        (ErrorKind::NotFound, Some("NOT_FOUND"))
    );
    // A malformed id never reaches a URL.
    let malformed = org
        .data
        .save_record(SaveRequest {
            record_id: Some("../../sobjects/User".into()),
            entity_type: None,
            field_values: Fields::new(),
        })
        .await
        .unwrap_err();
    assert_eq!(malformed.kind, ErrorKind::NotFound);
    assert_eq!(malformed.code.as_deref(), Some("MALFORMED_ID"));
    // Salesforce refuses a field: INVALID_FIELD, not retried.
    org.fake.fail(Fault {
        body: json!([{"message": "No such column 'Colour__c' on sobject of type Case", "errorCode": "INVALID_FIELD", "fields": ["Colour__c"]}]),
        ..Fault::api("/sobjects/Case", 400, "", "")
    });
    let before = org.fake.requests().len();
    let invalid = org
        .data
        .save_record(SaveRequest {
            record_id: None,
            entity_type: Some("Case".into()),
            field_values: fields(&[("Colour__c", "red")]),
        })
        .await
        .unwrap_err();
    assert_eq!(
        (invalid.kind, invalid.code.as_deref()),
        (ErrorKind::InvalidField, Some("INVALID_FIELD"))
    );
    assert_eq!(
        invalid.message,
        "Salesforce INVALID_FIELD: No such column 'Colour__c' on sobject of type Case (fields: Colour__c)"
    );
    assert_eq!(org.fake.requests().len() - before, 1, "not retried");
}

#[tokio::test]
async fn create_task_sends_the_block_fields_with_an_integer_duration() {
    let org = org(Org::new()).await;
    let id = org.data.create_task(task()).await.expect("a Task");
    assert!(id.starts_with("00T"), "{id}");
    let created = org.fake.org().get(&id).cloned().expect("stored");
    assert_eq!(
        Value::Object(created.fields),
        json!({
            "Id": id,
            "Subject": "ctc-1 - Support",
            "CallObject": "ctc-1",
            "Type": "Call",
            "Status": "Completed",
            "Priority": "Normal",
            "TaskSubtype": "Call",
            "WhatId": "5005g000000FAKEAAA",
            "CallDurationInSeconds": 95,
            "ActivityDate": "2026-12-02",
            "CallType": "Inbound",
            "Description": "left a message",
            // Derived by the org from the status; the client never sends it (the fake, like
            // Salesforce, refuses it on insert).
            "IsClosed": true,
        })
    );
}

// ---- Salesforce: retrieval and lookups by phone ----

#[tokio::test]
async fn retrieve_reads_the_named_fields() {
    let seeded = people();
    let case = id_of(&seeded, "Case");
    let org = org(seeded).await;
    let record = org
        .data
        .retrieve(RetrieveRequest {
            sobject: "Case".into(),
            id: case.clone(),
            fields: vec!["Subject".into(), "CaseNumber".into(), "Status".into()],
        })
        .await
        .expect("the Case");
    assert_eq!(
        Value::Object(record),
        json!({"Subject": "Router keeps rebooting", "CaseNumber": "00001026", "Status": null})
    );
    assert!(
        org.fake.requests().iter().any(|r| r.ends_with(&format!(
            "/sobjects/Case/{case}?fields=Subject%2CCaseNumber%2CStatus"
        ))),
        "{:?}",
        org.fake.requests()
    );
    let missing = org
        .data
        .retrieve(RetrieveRequest {
            sobject: "Contact".into(),
            id: case,
            fields: vec!["Id".into()],
        })
        .await
        .unwrap_err();
    assert_eq!(
        (missing.kind, missing.code.as_deref()),
        (ErrorKind::NotFound, Some("NOT_FOUND"))
    );
    let bad_field = org
        .data
        .retrieve(RetrieveRequest {
            sobject: "Case".into(),
            id: "500000000000001".into(),
            fields: vec!["Id, (SELECT Id FROM User)".into()],
        })
        .await
        .unwrap_err();
    assert_eq!(bad_field.kind, ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn contact_and_lead_ids_by_phone() {
    let seeded = people();
    let (contact, lead) = (id_of(&seeded, "Contact"), id_of(&seeded, "Lead"));
    let org = org(seeded).await;
    let found = org
        .data
        .contact_id_by_phone("(555) 010-0001", "Phone")
        .await
        .unwrap();
    assert_eq!(found.as_deref(), Some(contact.as_str()));
    // The search matches any phone field; the block's field decides.
    assert_eq!(
        org.data
            .contact_id_by_phone("5550100077", "Phone")
            .await
            .unwrap(),
        None
    );
    let mobile = org
        .data
        .contact_id_by_phone("5550100077", "MobilePhone")
        .await
        .unwrap();
    assert_eq!(mobile.as_deref(), Some(contact.as_str()));
    assert_eq!(
        org.data
            .contact_id_by_phone("+15559999999", "Phone")
            .await
            .unwrap(),
        None
    );
    // Leads: Phone, then MobilePhone.
    let found = org.data.lead_id_by_phone("+1 555 010 0003").await.unwrap();
    assert_eq!(found.as_deref(), Some(lead.as_str()));
    assert_eq!(
        org.data.lead_id_by_phone("+15550100001").await.unwrap(),
        None
    );
    // Too short to be a number: no request at all.
    let before = org.fake.requests().len();
    assert_eq!(org.data.lead_id_by_phone("123").await.unwrap(), None);
    assert_eq!(org.fake.requests().len(), before);
    let search = org
        .fake
        .requests()
        .into_iter()
        .find(|r| r.contains("/search?"))
        .unwrap();
    assert!(
        search.contains("q=FIND+%7B%22%5C%28555%5C%29+010%5C-0001%22%7D+IN+PHONE+FIELDS+RETURNING+Contact%28Id%2C+Phone%29"),
        "{search}"
    );
}

// ---- Console: searches and Platform Events ----

fn search(text: &str, deferred: bool) -> SearchRequest {
    SearchRequest {
        search_params: text.into(),
        query_params: None,
        default_field_values: fields(&[("LastName", "Unknown caller")]),
        deferred,
        call_type: CallType::Inbound,
    }
}

#[tokio::test]
async fn search_and_screenpop_pops_by_match_count() {
    let seeded = people();
    let case = id_of(&seeded, "Case");
    let org = org(seeded).await;
    // One match: that record, named by the layout's name field.
    let one = org
        .console
        .search_and_screenpop(search("555-010-0002", false))
        .await
        .unwrap();
    assert_eq!(one.id.as_deref(), Some(case.as_str()));
    assert_eq!(one.name.as_deref(), Some("00001026"));
    assert_eq!(one.record_type.as_deref(), Some("Case"));
    assert!(one.exact_match);
    // Several: the search page.
    let org2 = org
        .fake
        .org()
        .with("Contact", json!({"LastName": "Lee", "Phone": "5550100002"}));
    org.fake.seed(org2);
    let many = org
        .console
        .search_and_screenpop(search("555-010-0002", false))
        .await
        .unwrap();
    assert_eq!(
        (many.record_count, many.exact_match, many.id),
        (2.0, false, None)
    );
    // None: a new record of the layout's first object, with the defaults.
    let none = org
        .console
        .search_and_screenpop(search("nobody@example.com", false))
        .await
        .unwrap();
    assert_eq!(none.record_count, 0.0);
    // Deferred: searched, not popped.
    let deferred = org
        .console
        .search_and_screenpop(search("555-010-0002", true))
        .await
        .unwrap();
    assert_eq!(deferred.record_count, 2.0);
    assert_eq!(
        org.journal.effects(),
        vec![
            Effect::ScreenPop(Pop::Record { id: case }),
            Effect::ScreenPop(Pop::Search {
                search: "555-010-0002".into(),
                matches: 2
            }),
            Effect::ScreenPop(Pop::NewRecord {
                entity: "Contact".into(),
                defaults: fields(&[("LastName", "Unknown caller")]),
            }),
        ]
    );
    assert_eq!(org.fake.events()[0]["Kind__c"], "record");
    assert_eq!(
        org.fake.events()[2]["Defaults__c"],
        r#"{"LastName":"Unknown caller"}"#
    );
}

#[tokio::test]
async fn screen_pops_and_hvs_completion_are_published() {
    let seeded = people();
    let account = id_of(&seeded, "Account");
    let mut org = org(seeded).await;
    org.console = EventConsole::new(
        org.client.clone(),
        ConsoleConfig {
            agent: Some("0055g00000AGENTAAA".into()),
            ..ConsoleConfig::default()
        },
    );
    org.console.screenpop_object(&account).await.unwrap();
    org.console.screenpop_search("Acme Corp").await.unwrap();
    let nothing = org.console.screenpop_search("Globex").await.unwrap_err();
    assert_eq!(nothing.kind, ErrorKind::NotFound);
    org.console
        .screenpop_new_record("Case", fields(&[("Origin", "Phone")]))
        .await
        .unwrap();
    org.console
        .complete_hvs_work(HvsCompletion {
            work_id: "0Z35g000000WORKAAA".into(),
            disposition: Some("Meeting booked".into()),
            task_id: "00T5g000000TASKAAA".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        org.journal.effects(),
        vec![
            Effect::ScreenPop(Pop::Record {
                id: account.clone()
            }),
            Effect::ScreenPop(Pop::Search {
                search: "Acme Corp".into(),
                matches: 1
            }),
            Effect::ScreenPop(Pop::NewRecord {
                entity: "Case".into(),
                defaults: fields(&[("Origin", "Phone")]),
            }),
            Effect::HvsWorkCompleted {
                work_id: "0Z35g000000WORKAAA".into(),
                disposition: Some("Meeting booked".into()),
                task_id: "00T5g000000TASKAAA".into(),
            },
        ]
    );
    let events = org.fake.events();
    assert_eq!(
        Value::Object(events[0].clone()),
        json!({"Kind__c": "record", "Agent__c": "0055g00000AGENTAAA", "Record_Id__c": account})
    );
}

#[tokio::test]
async fn record_exists_by_soql() {
    let seeded = people();
    let contact = id_of(&seeded, "Contact");
    let org = org(seeded).await;
    assert!(org.console.record_exists(&contact).await.unwrap());
    assert!(
        !org.console
            .record_exists("003000000000999AAA")
            .await
            .unwrap()
    );
    // Not an id, or no object with its prefix: no query.
    assert!(!org.console.record_exists("' OR Id != '").await.unwrap());
    assert!(!org.console.record_exists("zzz000000000001").await.unwrap());
    let soql = org
        .fake
        .requests()
        .into_iter()
        .find(|r| r.contains("/query?"))
        .unwrap();
    assert!(
        soql.contains(&format!(
            "q=SELECT+Id+FROM+Contact+WHERE+Id+%3D+%27{contact}%27+LIMIT+1"
        )),
        "{soql}"
    );
}

#[tokio::test]
async fn queries_follow_next_records_urls() {
    let mut seeded = Org::new();
    for _ in 0..5 {
        seeded.insert("Case", json!({"Origin": "Phone"}));
    }
    let org = org(seeded).await;
    org.fake.page_size(2);
    let all = org
        .client
        .query("SELECT Id FROM Case WHERE Origin = 'Phone'", 100)
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let capped = org
        .client
        .query("SELECT Id FROM Case WHERE Origin = 'Phone'", 3)
        .await
        .unwrap();
    assert_eq!(capped.len(), 3);
    let malformed = org
        .client
        .query("SELECT Id FROM Case", 1)
        .await
        .unwrap_err();
    assert_eq!(malformed.code(), Some("MALFORMED_QUERY"));
}

// ---- Authentication ----

#[tokio::test]
async fn jwt_bearer_mints_a_token_and_refreshes_it_once_on_401() {
    let journal = Journal::new();
    let fake = FakeSalesforce::start(journal.clone()).await;
    fake.seed(people());
    fake.allow_jwt(
        "3MVG9-consumer-key",
        "integration@acme.example",
        PUBLIC_KEY,
        &fake.uri(),
    );
    let credentials = Credentials::JwtBearer {
        login_url: fake.uri(),
        client_id: "3MVG9-consumer-key".into(),
        username: "integration@acme.example".into(),
        private_key_pem: PRIVATE_KEY.into(),
    };
    let org = connect(fake, journal, credentials);
    assert!(
        org.data
            .lead_id_by_phone("+15550100003")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        org.data
            .lead_id_by_phone("+15550100003")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(org.fake.tokens_issued(), 1, "the token is cached");
    org.fake.expire_sessions();
    assert!(
        org.data
            .lead_id_by_phone("+15550100003")
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(org.fake.tokens_issued(), 2, "refreshed once");
    assert_eq!(
        org.client.api_usage(),
        Some(ApiUsage {
            used: 3,
            allowed: 15000
        })
    );
}

#[tokio::test]
async fn jwt_bearer_refusals_are_unauthorized() {
    let journal = Journal::new();
    let fake = FakeSalesforce::start(journal.clone()).await;
    fake.allow_jwt(
        "3MVG9-consumer-key",
        "integration@acme.example",
        PUBLIC_KEY,
        &fake.uri(),
    );
    let login_url = fake.uri();
    let with = |key: &str, username: &str| Credentials::JwtBearer {
        login_url: login_url.clone(),
        client_id: "3MVG9-consumer-key".into(),
        username: username.into(),
        private_key_pem: key.into(),
    };
    let org = connect(fake, journal, with(OTHER_KEY, "integration@acme.example"));
    let error = org.data.lead_id_by_phone("+15550100003").await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some("invalid_grant"))
    );
    let org = connect(
        org.fake,
        org.journal,
        with(PRIVATE_KEY, "someone@else.example"),
    );
    let error = org.data.lead_id_by_phone("+15550100003").await.unwrap_err();
    assert_eq!(error.code.as_deref(), Some("invalid_grant"));
    assert!(
        error.message.contains("user hasn't approved this consumer"),
        "{}",
        error.message
    );
    let org = connect(
        org.fake,
        org.journal,
        with("not a key", "integration@acme.example"),
    );
    let error = org.data.lead_id_by_phone("+15550100003").await.unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unauthorized);
}

#[tokio::test]
async fn client_credentials_in_the_form_body() {
    let journal = Journal::new();
    let fake = FakeSalesforce::start(journal.clone()).await;
    fake.allow_client_credentials("3MVG9-consumer-key", "s3cret");
    let domain_url = fake.uri();
    let with = |secret: &str| Credentials::ClientCredentials {
        domain_url: domain_url.clone(),
        client_id: "3MVG9-consumer-key".into(),
        client_secret: secret.into(),
    };
    let org = connect(fake, journal, with("s3cret"));
    org.console
        .screenpop_object("0015g000000ACMEAAA")
        .await
        .unwrap();
    assert_eq!(org.fake.tokens_issued(), 1);
    let token_request = &org.fake.requests()[0];
    assert_eq!(
        token_request, "POST /services/oauth2/token",
        "no secret in the query string"
    );
    let org = connect(org.fake, org.journal, with("wrong"));
    let error = org
        .console
        .screenpop_object("0015g000000ACMEAAA")
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some("invalid_client"))
    );
}

#[tokio::test]
async fn a_pasted_token_that_expired_is_unauthorized_without_a_retry_loop() {
    let org = org(people()).await;
    org.fake.expire_sessions();
    let before = org.fake.requests().len();
    let error = org.data.lead_id_by_phone("+15550100003").await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::Unauthorized, Some("INVALID_SESSION_ID"))
    );
    assert_eq!(org.fake.requests().len() - before, 1);
}

// ---- Retries ----

#[tokio::test]
async fn transient_failures_are_retried_then_reported() {
    let org = org(people()).await;
    // One 503 page, one locked row: both retried, the call succeeds.
    org.fake.fail(Fault::unavailable("/search").times(1));
    org.fake
        .fail(Fault::locked("/sobjects/Task").on("POST").times(1));
    assert!(
        org.data
            .lead_id_by_phone("+15550100003")
            .await
            .unwrap()
            .is_some()
    );
    org.data.create_task(task()).await.expect("retried");
    // A limit that persists: every attempt made, then LimitExceeded with the code.
    org.fake.fail(Fault::limit_exceeded("/search"));
    let before = org.fake.requests().len();
    let error = org.data.lead_id_by_phone("+15550100003").await.unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::LimitExceeded, Some("REQUEST_LIMIT_EXCEEDED"))
    );
    assert_eq!(
        org.fake.requests().len() - before,
        3,
        "the configured attempts"
    );
}

#[tokio::test]
async fn persistent_5xx_and_no_server_are_unavailable() {
    let org = org(people()).await;
    org.fake.fail(Fault::unavailable("/sobjects/"));
    let error = org
        .console
        .screenpop_object("0015g000000ACMEAAA")
        .await
        .unwrap_err();
    assert_eq!((error.kind, error.code), (ErrorKind::Unavailable, None));
    assert!(
        error.message.contains("Service Unavailable"),
        "{}",
        error.message
    );
    // A port nothing listens on (wiremock pools its servers, so a dropped fake may still
    // answer).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let nobody = Client::new(quick(Credentials::Token {
        instance_url: format!("http://127.0.0.1:{port}"),
        access_token: "00Dx!gone".into(),
    }))
    .unwrap();
    let error = SalesforceApi::new(Arc::new(nobody))
        .lead_id_by_phone("+15550100003")
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Unavailable);
}

#[tokio::test]
async fn a_publish_refused_by_the_org_fails_the_pop() {
    let org = org(Org::new()).await;
    let console = EventConsole::new(
        org.client.clone(),
        ConsoleConfig {
            event: "Missing_Event__e".into(),
            ..ConsoleConfig::default()
        },
    );
    let error = console
        .screenpop_object("0015g000000ACMEAAA")
        .await
        .unwrap_err();
    assert_eq!(
        (error.kind, error.code.as_deref()),
        (ErrorKind::NotFound, Some("NOT_FOUND"))
    );
    // `success: false` with `statusCode` entries, inside a 201.
    org.fake.fail(Fault {
        status: 201,
        body: json!({"id": null, "success": false, "errors": [{"statusCode": "LIMIT_EXCEEDED", "message": "event publishing limit", "fields": []}]}),
        ..Fault::api("/sobjects/CTI_Screen_Pop__e", 201, "", "")
    });
    let error = org
        .console
        .screenpop_object("0015g000000ACMEAAA")
        .await
        .unwrap_err();
    assert_eq!(error.code.as_deref(), Some("LIMIT_EXCEEDED"));
    assert!(org.journal.effects().is_empty());
}

#[test]
fn configuration_from_the_environment() {
    let vars = |pairs: &'static [(&str, &str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let config = Config::from_vars(vars(&[
        ("SALESFORCE_ACCESS_TOKEN", "00D!x"),
        ("SALESFORCE_INSTANCE_URL", "https://acme.my.salesforce.com"),
        ("SALESFORCE_API_VERSION", "v66.0"),
    ]))
    .unwrap();
    assert!(matches!(config.credentials, Credentials::Token { .. }));
    assert_eq!(config.api_version, "v66.0");
    let config = Config::from_vars(vars(&[
        ("SALESFORCE_CLIENT_ID", "key"),
        ("SALESFORCE_CLIENT_SECRET", "secret"),
        ("SALESFORCE_DOMAIN_URL", "https://acme.my.salesforce.com"),
    ]))
    .unwrap();
    assert!(matches!(
        config.credentials,
        Credentials::ClientCredentials { .. }
    ));
    assert_eq!(
        config.api_version,
        ctiflow_salesforce::client::DEFAULT_API_VERSION
    );
    // Secrets stay out of Debug output.
    assert!(!format!("{config:?}").contains("secret\""), "{config:?}");
    let missing = Config::from_vars(vars(&[("SALESFORCE_CLIENT_ID", "key")])).unwrap_err();
    assert_eq!(
        missing,
        "SALESFORCE_PRIVATE_KEY_FILE is not set (nor SALESFORCE_CLIENT_SECRET)"
    );
    assert_eq!(
        Config::from_vars(vars(&[])).unwrap_err(),
        "SALESFORCE_CLIENT_ID is not set (nor SALESFORCE_ACCESS_TOKEN)"
    );
}

#[tokio::test]
async fn an_answer_longer_than_the_cap_fails_the_call_without_reading_it_all() {
    let mut seeded = Org::new();
    let lead = seeded.insert("Lead", json!({"LastName": "x".repeat(4096)}));
    let org = org(seeded).await;
    let capped = Client::new(Config {
        max_answer_bytes: 1024,
        ..quick(Credentials::Token {
            instance_url: org.fake.uri(),
            access_token: org.fake.issue_token(),
        })
    })
    .unwrap();
    let request = RetrieveRequest {
        sobject: "Lead".into(),
        id: lead,
        fields: vec!["LastName".into()],
    };
    let error = SalesforceApi::new(Arc::new(capped))
        .retrieve(request.clone())
        .await
        .unwrap_err();
    assert_eq!(error.kind, ErrorKind::Backend);
    assert!(
        error.message.contains("longer than 1024 bytes"),
        "{}",
        error.message
    );
    // The default cap reads it.
    assert_eq!(
        org.data.retrieve(request).await.unwrap()["LastName"]
            .as_str()
            .map(str::len),
        Some(4096)
    );
}
