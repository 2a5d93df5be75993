//! What each built-in block does: one function per block type, taking its controls as an
//! argument struct whose fields are the controls in snake case, typed by kind (required text
//! `String`, optional text `Option<String>`, bool `bool`, map [`Fields`], any `Option<Value>`,
//! enum `&'static str`). Generated code fills the structs and calls these; the interpreter fills
//! them from [`Arguments`] and calls them by name ([`crate::dispatch`]). The semantics live here
//! once, where they are unit-tested, not in generated code or the interpreter.

use serde_json::Value;

use crate::capability::{Agent, Console, Contact, Salesforce, Store};
use crate::error::{BlockError, BlockResult};
use crate::phone;
use crate::types::{
    AnyValue, CallType, ContactProperties, CreatedTask, CustomerPhone, DialRequest, Fields,
    HvsCompletion, RetrieveRequest, Retrieved, SalesforceContactId, SalesforceLeadId, SaveRequest,
    SavedRecord, ScreenpopResult, SearchRequest, TaskRequest, TextValue,
};
use crate::value::{self, Comparator, EvaluateAs};

/// One argument of a block, converted as its control's kind says (`convert`): the interpreter
/// builds these where generated code writes the fields of the argument struct.
#[derive(Clone, Debug, PartialEq)]
pub enum Argument {
    /// Required text (`String`).
    Text(String),
    /// Optional text (`Option<String>`).
    OptionalText(Option<String>),
    /// A flag (`bool`).
    Bool(bool),
    /// Key → text ([`Fields`]).
    Fields(Fields),
    /// A value (`Option<Value>`, `None` = `undefined`).
    Any(Option<Value>),
    /// One of a control's fixed words (`&'static str`).
    Word(&'static str),
}

impl Argument {
    /// The argument as a declared block's generated argument struct serializes it (`None`:
    /// left out, as a text or `any` control that is not given is).
    pub fn into_json(self) -> Option<Value> {
        match self {
            Argument::Text(text) | Argument::OptionalText(Some(text)) => Some(Value::String(text)),
            Argument::OptionalText(None) | Argument::Any(None) => None,
            Argument::Bool(b) => Some(Value::Bool(b)),
            Argument::Fields(fields) => Some(Value::Object(
                fields
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect(),
            )),
            Argument::Any(Some(value)) => Some(value),
            Argument::Word(word) => Some(Value::String(word.to_owned())),
        }
    }
}

/// A field type of an argument struct, taken from its [`Argument`].
pub trait FromArgument: Sized {
    /// The value, if `argument` is of this type.
    fn from_argument(argument: Argument) -> Option<Self>;
}

macro_rules! from_argument {
    ($($ty:ty => $variant:ident,)*) => {$(
        impl FromArgument for $ty {
            fn from_argument(argument: Argument) -> Option<Self> {
                match argument {
                    Argument::$variant(value) => Some(value),
                    _ => None,
                }
            }
        }
    )*};
}

from_argument! {
    String => Text,
    Option<String> => OptionalText,
    bool => Bool,
    Fields => Fields,
    Option<Value> => Any,
    &'static str => Word,
}

/// A block's arguments by field name (the control's name in snake case), as the interpreter
/// gathers them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arguments<'a>(Vec<(&'a str, Argument)>);

impl<'a> Arguments<'a> {
    /// No arguments yet.
    pub fn with_capacity(capacity: usize) -> Arguments<'a> {
        Arguments(Vec::with_capacity(capacity))
    }

    /// Adds the argument of the field `field`.
    pub fn push(&mut self, field: &'a str, argument: Argument) {
        self.0.push((field, argument));
    }

    /// Takes the argument of `field` (written as in Rust: `r#type` is `type`).
    fn take<T: FromArgument>(&mut self, field: &str) -> BlockResult<T> {
        let field = field.strip_prefix("r#").unwrap_or(field);
        let position = self.0.iter().position(|(name, _)| *name == field);
        position
            .and_then(|i| T::from_argument(self.0.swap_remove(i).1))
            .ok_or_else(|| {
                BlockError::invalid(format!(
                    "the block's argument `{field}` is missing or of the wrong type"
                ))
            })
    }

    /// The argument struct of a block.
    pub fn into_block<T: FromArguments>(self) -> BlockResult<T> {
        T::from_arguments(self)
    }
}

/// An argument struct, filled from [`Arguments`].
pub trait FromArguments: Sized {
    /// The struct, or an error naming a field that is missing or of another type.
    fn from_arguments(arguments: Arguments<'_>) -> BlockResult<Self>;
}

/// Declares a block's argument struct and how [`Arguments`] fill it.
macro_rules! arguments {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl FromArguments for $name {
            fn from_arguments(mut arguments: Arguments<'_>) -> BlockResult<Self> {
                Ok($name { $($field: arguments.take(stringify!($field))?,)* })
            }
        }
    };
}

fn enumerated<T>(control: &str, text: &str, parse: fn(&str) -> Option<T>) -> BlockResult<T> {
    parse(text).ok_or_else(|| BlockError::invalid(format!("`{text}` is not a valid {control}")))
}

/// Salesforce sObject and field names: `^[A-Za-z][A-Za-z0-9_]*$`.
pub fn check_name(what: &str, name: &str) -> BlockResult<()> {
    let mut chars = name.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(BlockError::invalid(format!(
            "`{name}` is not a valid {what} name (letters, digits and `_`, starting with a letter)"
        )))
    }
}

/// Start: nothing to do.
pub fn start() -> BlockResult<()> {
    Ok(())
}

/// End: nothing to do; the run completes.
pub fn end() -> BlockResult<()> {
    Ok(())
}

arguments! {
    /// If-else's controls.
    pub struct Decision {
        /// Left operand.
        pub operand_a: Option<Value>,
        /// `===`, `!==`...
        pub comparator: &'static str,
        /// Right operand.
        pub operand_b: Option<Value>,
        /// `string`, `number` or `boolean`.
        pub evaluate_as: &'static str,
    }
}

/// If-else.
pub fn decision(args: Decision) -> BlockResult<bool> {
    let comparator = enumerated("comparator", args.comparator, Comparator::parse)?;
    let evaluate_as = enumerated("evaluateAs", args.evaluate_as, EvaluateAs::parse)?;
    Ok(value::compare(
        args.operand_a.as_ref(),
        comparator,
        args.operand_b.as_ref(),
        evaluate_as,
    ))
}

arguments! {
    /// Is Truthy?'s controls.
    pub struct Truthy {
        /// The value tested.
        pub value: Option<Value>,
    }
}

/// Is Truthy?
pub fn truthy(args: Truthy) -> BlockResult<bool> {
    Ok(value::truthy(args.value.as_ref()))
}

arguments! {
    /// Extract Value's controls.
    pub struct ExtractValue {
        /// The value to look into.
        pub target_field: Option<Value>,
        /// A dotted path below it.
        pub key_path: String,
    }
}

/// Extract Value: a missing path gives `undefined`.
pub fn extract_value(args: ExtractValue) -> BlockResult<AnyValue> {
    Ok(AnyValue {
        value: value::key_path(args.target_field.as_ref(), &args.key_path),
    })
}

arguments! {
    /// Format Phone Number's controls.
    pub struct FormatPhoneNumber {
        /// The number.
        pub phone_number: String,
        /// ISO 3166 alpha-2.
        pub country_code: String,
    }
}

/// Format Phone Number: national format; unparsable numbers unchanged.
pub fn format_phone_number(args: FormatPhoneNumber) -> BlockResult<TextValue> {
    Ok(TextValue {
        value: phone::format(
            &args.phone_number,
            &args.country_code,
            phone::Format::National,
        ),
    })
}

/// Format Phone Number (E164)'s controls.
pub type FormatPhoneNumberE164 = FormatPhoneNumber;

/// Format Phone Number (E164).
pub fn format_phone_number_e164(args: FormatPhoneNumberE164) -> BlockResult<TextValue> {
    Ok(TextValue {
        value: phone::format(&args.phone_number, &args.country_code, phone::Format::E164),
    })
}

arguments! {
    /// String Template's controls.
    pub struct StringTemplate {
        /// Text with `${name}` placeholders.
        pub template: String,
        /// The placeholders' values.
        pub variables: Fields,
    }
}

/// String Template: `${name}` filled from `variables`. A variable whose reference was
/// `undefined` at run time is omitted from the map and fills in as empty text.
pub fn string_template(args: StringTemplate) -> BlockResult<TextValue> {
    let mut out = String::with_capacity(args.template.len());
    let mut rest = args.template.as_str();
    while let Some(open) = rest.find("${") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        match after.find('}') {
            Some(close) => {
                if let Some(v) = args.variables.get(&after[..close]) {
                    out.push_str(v);
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Ok(TextValue { value: out })
}

arguments! {
    /// Set Property's controls.
    pub struct SetProperty {
        /// The key.
        pub key: String,
        /// The value; `undefined` removes the property.
        pub value: Option<Value>,
    }
}

/// Set Property.
pub async fn set_property<R: Store + ?Sized>(rt: &R, args: SetProperty) -> BlockResult<()> {
    rt.set_property(&args.key, args.value).await
}

arguments! {
    /// Get Property's controls.
    pub struct GetProperty {
        /// The key.
        pub key: String,
        /// The value when unset.
        pub default_value: Option<Value>,
    }
}

/// Get Property.
pub async fn get_property<R: Store + ?Sized>(rt: &R, args: GetProperty) -> BlockResult<AnyValue> {
    let value = rt.get_property(&args.key).await?;
    Ok(AnyValue {
        value: value.or(args.default_value),
    })
}

arguments! {
    /// Log to Console's controls.
    pub struct Log {
        /// `debug`, `info`, `warn` or `error`.
        pub level: &'static str,
        /// What to log; `false` and `0` are logged too.
        pub message: Option<Value>,
    }
}

/// Log to Console: a `tracing` event with target `ctiflow::log`.
pub fn log(args: Log) -> BlockResult<()> {
    let message = value::js_string(args.message.as_ref());
    match args.level {
        "debug" => tracing::debug!(target: "ctiflow::log", "{message}"),
        "info" => tracing::info!(target: "ctiflow::log", "{message}"),
        "warn" => tracing::warn!(target: "ctiflow::log", "{message}"),
        "error" => tracing::error!(target: "ctiflow::log", "{message}"),
        other => return Err(BlockError::invalid(format!("`{other}` is not a log level"))),
    }
    Ok(())
}

/// Get Contact Properties.
pub async fn contact_properties<R: Contact + ?Sized>(rt: &R) -> BlockResult<ContactProperties> {
    rt.properties().await
}

arguments! {
    /// Get Contact Attribute's controls.
    pub struct GetContactAttribute {
        /// The attribute.
        pub attribute_name: String,
        /// Its value when unset.
        pub default_value: Option<String>,
    }
}

/// Get Contact Attribute: the attribute, else the default, else empty text.
pub async fn get_contact_attribute<R: Contact + ?Sized>(
    rt: &R,
    args: GetContactAttribute,
) -> BlockResult<TextValue> {
    let value = rt.attribute(&args.attribute_name).await?;
    Ok(TextValue {
        value: value.or(args.default_value).unwrap_or_default(),
    })
}

/// Get Customer Phone Number: the number without `sip:`; empty for contacts without a phone.
pub async fn customer_phone_number<R: Contact + ?Sized>(rt: &R) -> BlockResult<CustomerPhone> {
    let contact = rt.properties().await?;
    let endpoint = contact
        .raw_phone_number
        .or(contact.phone)
        .unwrap_or_default();
    Ok(CustomerPhone {
        phone: phone::strip_sip(&endpoint).to_owned(),
        country: contact.country.unwrap_or_default(),
    })
}

arguments! {
    /// Update Contact Attributes's controls.
    pub struct UpdateContactAttributes {
        /// The attributes to set.
        pub attributes: Fields,
    }
}

/// Update Contact Attributes.
pub async fn update_contact_attributes<R: Contact + ?Sized>(
    rt: &R,
    args: UpdateContactAttributes,
) -> BlockResult<()> {
    rt.update_attributes(args.attributes).await
}

arguments! {
    /// Dial Number's controls.
    pub struct DialNumber {
        /// The number.
        pub phone_number: String,
        /// The outbound queue.
        pub queue_arn: Option<String>,
    }
}

/// Dial Number.
pub async fn dial_number<R: Agent + ?Sized>(rt: &R, args: DialNumber) -> BlockResult<()> {
    if args.phone_number.trim().is_empty() {
        return Err(BlockError::invalid("there is no number to dial"));
    }
    rt.dial(DialRequest {
        phone_number: args.phone_number,
        queue_arn: args.queue_arn,
    })
    .await
}

arguments! {
    /// Search And Screenpop's controls.
    pub struct SearchAndScreenpop {
        /// The search text.
        pub search_params: String,
        /// Extra query parameters.
        pub query_params: Option<String>,
        /// New-record defaults.
        pub default_field_values: Fields,
        /// Pop later.
        pub deferred: bool,
        /// `inbound`, `outbound` or `internal`.
        pub call_type: &'static str,
    }
}

/// Search And Screenpop.
pub async fn search_and_screenpop<R: Console + ?Sized>(
    rt: &R,
    args: SearchAndScreenpop,
) -> BlockResult<ScreenpopResult> {
    rt.search_and_screenpop(SearchRequest {
        search_params: args.search_params,
        query_params: args.query_params,
        default_field_values: args.default_field_values,
        deferred: args.deferred,
        call_type: enumerated("callType", args.call_type, CallType::parse)?,
    })
    .await
}

arguments! {
    /// Screenpop Object's controls.
    pub struct ScreenpopObject {
        /// The record.
        pub record_id: String,
        /// Take `failure` instead of popping an empty or unknown id.
        pub no_pop_on_empty: bool,
    }
}

/// Screenpop Object.
pub async fn screenpop_object<R: Console + ?Sized>(
    rt: &R,
    args: ScreenpopObject,
) -> BlockResult<()> {
    if args.no_pop_on_empty
        && (args.record_id.is_empty() || !rt.record_exists(&args.record_id).await?)
    {
        return Err(BlockError::not_found(format!(
            "no record `{}` to pop",
            args.record_id
        )));
    }
    rt.screenpop_object(&args.record_id).await
}

arguments! {
    /// Screenpop Search's controls.
    pub struct ScreenpopSearch {
        /// The search text.
        pub search_string: String,
    }
}

/// Screenpop Search.
pub async fn screenpop_search<R: Console + ?Sized>(
    rt: &R,
    args: ScreenpopSearch,
) -> BlockResult<()> {
    rt.screenpop_search(&args.search_string).await
}

arguments! {
    /// Screenpop New Record's controls.
    pub struct ScreenpopNewRecord {
        /// The sObject.
        pub entity_name: String,
        /// Default field values.
        pub default_field_values: Fields,
    }
}

/// Screenpop New Record.
pub async fn screenpop_new_record<R: Console + ?Sized>(
    rt: &R,
    args: ScreenpopNewRecord,
) -> BlockResult<()> {
    check_name("sObject", &args.entity_name)?;
    rt.screenpop_new_record(&args.entity_name, args.default_field_values)
        .await
}

arguments! {
    /// Save (or Create) a Record's controls.
    pub struct SaveRecord {
        /// The record to update; `null`, `"null"`, empty or absent creates one.
        pub record_id: Option<String>,
        /// The sObject of a new record.
        pub entity_type: Option<String>,
        /// The fields to write.
        pub field_values: Fields,
    }
}

/// Save (or Create) a Record.
pub async fn save_record<R: Salesforce + ?Sized>(
    rt: &R,
    args: SaveRecord,
) -> BlockResult<SavedRecord> {
    let record_id = args.record_id.filter(|id| !id.is_empty() && id != "null");
    let entity_type = match (&record_id, args.entity_type) {
        (Some(_), _) => None,
        (None, Some(entity)) => {
            check_name("sObject", &entity)?;
            Some(entity)
        }
        (None, None) => {
            return Err(BlockError::invalid("creating a record needs an entityType"));
        }
    };
    for field in args.field_values.keys() {
        check_name("field", field)?;
    }
    let id = rt
        .save_record(SaveRequest {
            record_id,
            entity_type,
            field_values: args.field_values,
        })
        .await?;
    Ok(SavedRecord { id })
}

arguments! {
    /// Create a Task's controls.
    pub struct CreateTask {
        /// `CallObject`
        pub call_object: Option<String>,
        /// `Type`
        pub r#type: String,
        /// `Status`
        pub status: String,
        /// `Priority`
        pub priority: String,
        /// `IsClosed`
        pub is_closed: bool,
        /// `TaskSubtype` (or the legacy `TaskSubType`)
        pub task_subtype: Option<String>,
        /// `WhoId`
        pub who_id: Option<String>,
        /// `WhatId`
        pub what_id: Option<String>,
        /// `CallDisposition`
        pub call_disposition: Option<String>,
        /// `CallDurationInSeconds`: an integer, as text.
        pub call_duration_in_seconds: Option<String>,
        /// `ActivityDate`
        pub activity_date: Option<String>,
        /// First part of the subject.
        pub subject1: Option<String>,
        /// Second part of the subject.
        pub subject2: Option<String>,
        /// Third part of the subject.
        pub subject3: Option<String>,
        /// `CallType`
        pub call_type: &'static str,
        /// Other Task fields.
        pub other_task_fields: Fields,
    }
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.is_empty())
}

/// Create a Task: Subject is the non-empty subjects joined by `" - "`; empty optional fields
/// are not sent.
pub async fn create_task<R: Salesforce + ?Sized>(
    rt: &R,
    args: CreateTask,
) -> BlockResult<CreatedTask> {
    let subject = [args.subject1, args.subject2, args.subject3]
        .into_iter()
        .filter_map(non_empty)
        .collect::<Vec<_>>()
        .join(" - ");
    let call_duration_in_seconds = match non_empty(args.call_duration_in_seconds) {
        None => None,
        Some(text) => Some(text.trim().parse::<u64>().map_err(|_| {
            BlockError::invalid(format!(
                "CallDurationInSeconds must be a whole number of seconds, not `{text}`"
            ))
        })?),
    };
    for field in args.other_task_fields.keys() {
        check_name("field", field)?;
    }
    let id = rt
        .create_task(TaskRequest {
            subject: subject.clone(),
            call_object: non_empty(args.call_object),
            r#type: args.r#type,
            status: args.status,
            priority: args.priority,
            is_closed: args.is_closed,
            task_subtype: non_empty(args.task_subtype),
            who_id: non_empty(args.who_id),
            what_id: non_empty(args.what_id),
            call_disposition: non_empty(args.call_disposition),
            call_duration_in_seconds,
            activity_date: non_empty(args.activity_date),
            call_type: enumerated("CallType", args.call_type, CallType::parse)?,
            other_fields: args.other_task_fields,
        })
        .await?;
    Ok(CreatedTask { id, subject })
}

arguments! {
    /// Get Salesforce Contact Id's controls.
    pub struct GetContactId {
        /// The number to look for.
        pub formatted_phone_number: String,
        /// The Contact field to search (`Phone` by default).
        pub field_name: Option<String>,
    }
}

/// Get Salesforce Contact Id: no match → failure.
pub async fn get_contact_id<R: Salesforce + ?Sized>(
    rt: &R,
    args: GetContactId,
) -> BlockResult<SalesforceContactId> {
    let field = non_empty(args.field_name).unwrap_or_else(|| "Phone".to_owned());
    check_name("field", &field)?;
    match rt
        .contact_id_by_phone(&args.formatted_phone_number, &field)
        .await?
    {
        Some(sf_contact_id) => Ok(SalesforceContactId { sf_contact_id }),
        None => Err(BlockError::not_found(format!(
            "no Contact has {field} `{}`",
            args.formatted_phone_number
        ))),
    }
}

arguments! {
    /// Get Salesforce Lead Id's controls.
    pub struct GetLeadId {
        /// The number to look for.
        pub formatted_phone_number: String,
    }
}

/// Get Salesforce Lead Id: no match → failure.
pub async fn get_lead_id<R: Salesforce + ?Sized>(
    rt: &R,
    args: GetLeadId,
) -> BlockResult<SalesforceLeadId> {
    match rt.lead_id_by_phone(&args.formatted_phone_number).await? {
        Some(sf_lead_id) => Ok(SalesforceLeadId { sf_lead_id }),
        None => Err(BlockError::not_found(format!(
            "no Lead has the phone number `{}`",
            args.formatted_phone_number
        ))),
    }
}

arguments! {
    /// Retrieve Salesforce Record's controls.
    pub struct Retrieve {
        /// The sObject.
        pub r#type: String,
        /// The record id.
        pub id: String,
        /// Comma-separated field names.
        pub fields: String,
    }
}

/// Retrieve Salesforce Record: names are checked before the backend sees them.
pub async fn retrieve<R: Salesforce + ?Sized>(rt: &R, args: Retrieve) -> BlockResult<Retrieved> {
    check_name("sObject", &args.r#type)?;
    let fields = args
        .fields
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| check_name("field", f).map(|()| f.to_owned()))
        .collect::<BlockResult<Vec<_>>>()?;
    let record = rt
        .retrieve(RetrieveRequest {
            sobject: args.r#type,
            id: args.id,
            fields,
        })
        .await?;
    Ok(Retrieved { record })
}

arguments! {
    /// Complete High Velocity Sales Work With Task Saved's controls.
    pub struct CompleteHvsWork {
        /// The work item.
        pub work_id: String,
        /// Its disposition.
        pub disposition: Option<String>,
        /// The Task saved for it.
        pub task_id: String,
    }
}

/// Complete High Velocity Sales Work With Task Saved.
pub async fn complete_hvs_work<R: Console + ?Sized>(
    rt: &R,
    args: CompleteHvsWork,
) -> BlockResult<()> {
    rt.complete_hvs_work(HvsCompletion {
        work_id: args.work_id,
        disposition: non_empty(args.disposition),
        task_id: args.task_id,
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_template_fills_known_and_empties_unknown() {
        let vars = Fields::from([("a".into(), "1".into())]);
        let cases = [
            ("x ${a} y", "x 1 y"),
            ("${a}${a}", "11"),
            ("${b}!", "!"),
            ("open ${a", "open ${a"),
            ("日本${a}語", "日本1語"),
        ];
        for (template, want) in cases {
            let got = string_template(StringTemplate {
                template: template.into(),
                variables: vars.clone(),
            });
            assert_eq!(got.map(|t| t.value), Ok(want.to_owned()), "{template}");
        }
    }

    #[test]
    fn names_are_checked() {
        assert!(check_name("field", "AccountId").is_ok());
        assert!(check_name("field", "Custom_Field__c").is_ok());
        for bad in ["", "1Id", "Id, Name", "Id FROM", "Name'"] {
            assert!(check_name("field", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decisions_reject_unknown_operators_without_panicking() {
        let bad = decision(Decision {
            operand_a: Some(json!(1)),
            comparator: "=~",
            operand_b: None,
            evaluate_as: "string",
        });
        assert_eq!(
            bad.map_err(|e| e.kind),
            Err(crate::error::ErrorKind::InvalidArgument)
        );
        let ok = decision(Decision {
            operand_a: Some(json!("10")),
            comparator: "≥",
            operand_b: Some(json!(9)),
            evaluate_as: "number",
        });
        assert_eq!(ok, Ok(true));
    }
}
