//! The built-in block catalog of blocks.md, as one declarative table: controls with their kind
//! and required flag, ports, result schema and capability of every block type.

use crate::trigger::Record;

/// The type of a result field (and of what a reference yields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// A string.
    Text,
    /// A boolean.
    Bool,
    /// A number.
    Number,
    /// Any JSON value: paths into it are checked at run time.
    Any,
    /// A record with known fields.
    Object(&'static [Field]),
    /// A JSON object with unknown keys (contact attributes, a retrieved record).
    Map,
    /// A JSON array.
    List,
}

impl Ty {
    /// A short name for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Ty::Text => "text",
            Ty::Bool => "a boolean",
            Ty::Number => "a number",
            Ty::Any => "any value",
            Ty::Object(_) | Ty::Map => "an object",
            Ty::List => "an array",
        }
    }
}

/// A named field of a result, a payload or an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    /// The name as flows spell it.
    pub name: &'static str,
    /// Its type.
    pub ty: Ty,
    /// Absent in some runs (e.g. phone fields of a chat contact).
    pub optional: bool,
    /// Deprecated in favour of the named sibling.
    pub deprecated_for: Option<&'static str>,
}

impl Field {
    /// A field that is always present.
    pub const fn new(name: &'static str, ty: Ty) -> Field {
        Field {
            name,
            ty,
            optional: false,
            deprecated_for: None,
        }
    }

    /// A field that may be absent.
    pub const fn optional(name: &'static str, ty: Ty) -> Field {
        Field {
            optional: true,
            ..Field::new(name, ty)
        }
    }

    /// Marks the field deprecated in favour of `replacement`.
    pub const fn deprecated_for(self, replacement: &'static str) -> Field {
        Field {
            deprecated_for: Some(replacement),
            ..self
        }
    }
}

/// What a block returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Results {
    /// Nothing: `$.actions.<id>.results` is an error.
    None,
    /// One value, read as `$.actions.<id>.results`.
    Value(Ty),
    /// A record, read as `$.actions.<id>.results.<field>`.
    Fields(&'static [Field]),
}

/// The kind of a control (blocks.md "Control kinds").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlKind {
    /// A string literal or reference, converted to text.
    Text,
    /// An integer written as text (`CallDurationInSeconds`).
    IntegerText,
    /// A JSON boolean, or a reference to a boolean.
    Bool,
    /// An object of key → text; each value may be a reference.
    Map,
    /// Any JSON value or reference, kept as a value.
    Any,
    /// Text from a fixed set, written as a literal.
    Enum(&'static [&'static str]),
}

/// One control of a block type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Control {
    /// The key in `controls`.
    pub name: &'static str,
    /// Its kind.
    pub kind: ControlKind,
    /// Whether "not given" is a compile error.
    pub required: bool,
    /// The value used when it is not given (enums).
    pub default: Option<&'static str>,
    /// Older spellings: accepted with an `unknown_control` warning; the correct spelling wins.
    pub legacy: Option<&'static str>,
    /// What the runtime requires of the value beyond its kind: a literal that breaks it is a
    /// `control_kind` error, so that it never fails a run.
    pub rule: Option<Rule>,
    /// A value to show in help, when the kind's generic example does not fit.
    pub example: Option<&'static str>,
}

/// How a control's value reaches its block: the type of its field in the runtime's argument
/// struct (`ctiflow_runtime::blocks`), which says how the value is converted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Argument {
    /// `String`: text, "not given" being `""`.
    Text,
    /// `Option<String>`: text, or `None` when not given.
    OptionalText,
    /// `bool`: a boolean, else the value's truthiness.
    Bool,
    /// `Fields`: key → text.
    Fields,
    /// `Option<Value>`: the value itself (`None` = `undefined`).
    Any,
    /// `&'static str`: one of the kind's words, the default when not given.
    Word,
}

impl Control {
    /// How its value reaches the block.
    pub const fn argument(&self) -> Argument {
        match self.kind {
            ControlKind::Text if self.required => Argument::Text,
            ControlKind::Text | ControlKind::IntegerText => Argument::OptionalText,
            ControlKind::Bool => Argument::Bool,
            ControlKind::Map => Argument::Fields,
            ControlKind::Any => Argument::Any,
            ControlKind::Enum(_) => Argument::Word,
        }
    }

    /// Its field in the block's argument struct (`searchParams` → `search_params`).
    pub fn field(&self) -> String {
        snake_case(self.name)
    }
}

/// `camelCase`, `PascalCase` or `ACRONYMCase` → `snake_case` (`formattedPhoneNumberE164` →
/// `formatted_phone_number_e164`, `SFCreateTask` → `sf_create_task`): how the runtime names
/// the fields of flows' records and controls.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = prev.is_some_and(|p| p.is_lowercase() || p.is_ascii_digit())
                || (prev.is_some_and(char::is_uppercase) && next.is_some_and(|n| n.is_lowercase()));
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A requirement the runtime checks on a control's value; the checker judges literals by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// A Salesforce sObject name (`^[A-Za-z][A-Za-z0-9_]*$`).
    SObjectName,
    /// A Salesforce field name (the same pattern).
    FieldName,
    /// Field names separated by commas, spaces allowed.
    FieldNames,
    /// A map whose keys are field names.
    FieldNameKeys,
    /// Text with something other than white space in it.
    NotBlank,
}

/// Whether `name` can be a Salesforce sObject or field name: `^[A-Za-z][A-Za-z0-9_]*$`, the
/// rule the runtime applies before a name reaches a backend.
pub fn is_salesforce_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Control {
    const fn of(name: &'static str, kind: ControlKind) -> Control {
        Control {
            name,
            kind,
            required: false,
            default: None,
            legacy: None,
            rule: None,
            example: None,
        }
    }

    /// Gives the control a rule.
    pub const fn rule(self, rule: Rule) -> Control {
        Control {
            rule: Some(rule),
            ..self
        }
    }

    /// Gives the control an example for help texts.
    pub const fn example(self, example: &'static str) -> Control {
        Control {
            example: Some(example),
            ..self
        }
    }

    /// Makes the control required.
    pub const fn req(self) -> Control {
        Control {
            required: true,
            ..self
        }
    }

    /// Gives the control a default.
    pub const fn default(self, value: &'static str) -> Control {
        Control {
            default: Some(value),
            ..self
        }
    }

    /// Accepts an older spelling.
    pub const fn legacy(self, spelling: &'static str) -> Control {
        Control {
            legacy: Some(spelling),
            ..self
        }
    }
}

const fn text(name: &'static str) -> Control {
    Control::of(name, ControlKind::Text)
}
const fn boolean(name: &'static str) -> Control {
    Control::of(name, ControlKind::Bool)
}
const fn map(name: &'static str) -> Control {
    Control::of(name, ControlKind::Map)
}
const fn any(name: &'static str) -> Control {
    Control::of(name, ControlKind::Any)
}
const fn one_of(name: &'static str, values: &'static [&'static str]) -> Control {
    Control::of(name, ControlKind::Enum(values))
}

/// A port: the way out of a block a run takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Port {
    /// Plain blocks.
    Done,
    /// The call succeeded.
    Success,
    /// The call failed: the block's results are not available after it.
    Failure,
    /// The decision was true.
    True,
    /// The decision was false.
    False,
}

impl Port {
    /// Every port.
    pub const ALL: &[Port] = &[
        Port::Done,
        Port::Success,
        Port::Failure,
        Port::True,
        Port::False,
    ];

    /// The port's key in `ports`.
    pub const fn name(self) -> &'static str {
        match self {
            Port::Done => "done",
            Port::Success => "success",
            Port::Failure => "failure",
            Port::True => "true",
            Port::False => "false",
        }
    }
}

const DONE: &[Port] = &[Port::Done];
const CALL: &[Port] = &[Port::Success, Port::Failure];
const BRANCH: &[Port] = &[Port::True, Port::False];

/// The runtime trait a block's generated code calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    /// The Connect contact.
    Contact,
    /// The Connect agent.
    Agent,
    /// Salesforce data.
    Salesforce,
    /// The agent's Salesforce console.
    Console,
    /// The agent-local property store.
    Store,
    /// The user's implementation of declared blocks.
    Extension,
}

impl Capability {
    /// Every capability.
    pub const ALL: &[Capability] = &[
        Capability::Contact,
        Capability::Agent,
        Capability::Salesforce,
        Capability::Console,
        Capability::Store,
        Capability::Extension,
    ];

    /// The runtime trait's name (`Salesforce`).
    pub const fn name(self) -> &'static str {
        match self {
            Capability::Contact => "Contact",
            Capability::Agent => "Agent",
            Capability::Salesforce => "Salesforce",
            Capability::Console => "Console",
            Capability::Store => "Store",
            Capability::Extension => "Extension",
        }
    }
}

/// One block type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// The type id in the JSON (`SE_SFCreateTask`).
    pub type_id: &'static str,
    /// The designer's name.
    pub display_name: &'static str,
    /// Its controls.
    pub controls: &'static [Control],
    /// Its ports.
    pub ports: &'static [Port],
    /// What it returns.
    pub results: Results,
    /// The trait it calls, if any.
    pub capability: Option<Capability>,
    /// Whether it needs the event's contact.
    pub needs_contact: bool,
    /// What runs it: a runtime block function, or the user's extension method.
    pub implementation: Implementation,
    /// Where it can run once Open CTI is retired.
    pub portability: Portability,
    /// The Open CTI calls the adapter makes for it.
    pub open_cti: &'static [&'static str],
    /// What it writes to Salesforce.
    pub writes: Option<Writes>,
}

/// Where a block can run without the agent's browser (the Open CTI retirement audit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Portability {
    /// It drives the agent's screen or softphone: only in the agent's browser.
    BrowserOnly,
    /// Server-side through the Amazon Connect API.
    ConnectApi,
    /// Server-side through the Salesforce REST API.
    SalesforceRest,
    /// Pure computation (or an agent-local store, which a keyed store replaces).
    Pure,
    /// It runs elsewhere but means something else there (Dial Number starts an outbound
    /// contact instead of dialling from the agent's softphone).
    ChangesMeaning,
}

impl Portability {
    /// Every class.
    pub const ALL: &[Portability] = &[
        Portability::BrowserOnly,
        Portability::ConnectApi,
        Portability::SalesforceRest,
        Portability::Pure,
        Portability::ChangesMeaning,
    ];

    /// The class's name in reports.
    pub const fn name(self) -> &'static str {
        match self {
            Portability::BrowserOnly => "browser only",
            Portability::ConnectApi => "server: Connect API",
            Portability::SalesforceRest => "server: Salesforce REST",
            Portability::Pure => "pure",
            Portability::ChangesMeaning => "changes meaning off the browser",
        }
    }

    /// The class as a declarations file names it (`browser_only`).
    pub const fn word(self) -> &'static str {
        match self {
            Portability::BrowserOnly => "browser_only",
            Portability::ConnectApi => "connect_api",
            Portability::SalesforceRest => "salesforce_rest",
            Portability::Pure => "pure",
            Portability::ChangesMeaning => "changes_meaning",
        }
    }

    /// Where the class of a block calling `capability` lies, unless the block says otherwise.
    const fn of(capability: Option<Capability>) -> Portability {
        match capability {
            Some(Capability::Contact | Capability::Agent) => Portability::ConnectApi,
            Some(Capability::Salesforce) => Portability::SalesforceRest,
            Some(Capability::Console | Capability::Extension) => Portability::BrowserOnly,
            Some(Capability::Store) | None => Portability::Pure,
        }
    }
}

/// What a block writes to Salesforce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writes {
    /// The sObject: named by a control's value, or always the same.
    pub sobject: SObject,
    /// Fields it writes: named by controls of that name (when given), or always (`Subject`).
    pub fields: &'static [&'static str],
    /// Map controls whose keys are fields it writes.
    pub field_maps: &'static [&'static str],
}

/// The sObject a block writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SObject {
    /// The value of this control.
    Control(&'static str),
    /// Always this one.
    Fixed(&'static str),
}

/// What runs a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Implementation {
    /// A built-in block: what generated code calls is the runtime's `blocks::<function>`, its
    /// argument struct (the function's name in upper camel case) and its result type
    /// (`types::<result>`, or `bool` and `()`).
    Runtime(Runtime),
    /// A declared block: a method of the flow's `Extensions` trait (compiled flows) or a call
    /// of the backend's `DynExtension` by type id (loaded flows).
    Extension(Extension),
}

/// A declared block's counterpart in the user's code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension {
    /// The method of the `Extensions` trait (snake case, a valid Rust identifier); its argument
    /// and result structs are named after it (`query_value` → `QueryValueArgs`,
    /// `QueryValueResult`).
    pub method: &'static str,
}

/// A built-in block's counterpart in ctiflow-runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Runtime {
    /// The function in `ctiflow_runtime::blocks`.
    pub function: &'static str,
    /// The result type.
    pub result: &'static str,
}

impl Block {
    /// The control named `name`.
    pub fn control(&self, name: &str) -> Option<&'static Control> {
        self.controls.iter().find(|c| c.name == name)
    }

    /// The port named `name`.
    pub fn port(&self, name: &str) -> Option<Port> {
        self.ports.iter().copied().find(|p| p.name() == name)
    }

    /// The runtime function of a built-in block.
    pub const fn runtime(&self) -> Option<Runtime> {
        match self.implementation {
            Implementation::Runtime(runtime) => Some(runtime),
            Implementation::Extension(_) => None,
        }
    }

    /// The extension method of a declared block.
    pub const fn extension(&self) -> Option<Extension> {
        match self.implementation {
            Implementation::Extension(extension) => Some(extension),
            Implementation::Runtime(_) => None,
        }
    }
}

const fn block(
    type_id: &'static str,
    display_name: &'static str,
    controls: &'static [Control],
    ports: &'static [Port],
    results: Results,
    capability: Option<Capability>,
) -> Block {
    Block {
        type_id,
        display_name,
        controls,
        ports,
        results,
        capability,
        needs_contact: matches!(capability, Some(Capability::Contact)),
        implementation: Implementation::Runtime(Runtime {
            function: "",
            result: "()",
        }),
        portability: Portability::of(capability),
        open_cti: &[],
        writes: None,
    }
}

impl Block {
    /// Names the block's runtime function and result type.
    const fn runs(self, function: &'static str, result: &'static str) -> Block {
        Block {
            implementation: Implementation::Runtime(Runtime { function, result }),
            ..self
        }
    }

    /// Sets where the block can run, when its capability does not say.
    const fn portability(self, portability: Portability) -> Block {
        Block {
            portability,
            ..self
        }
    }

    /// Names the Open CTI calls the adapter makes for the block.
    const fn open_cti(self, calls: &'static [&'static str]) -> Block {
        Block {
            open_cti: calls,
            ..self
        }
    }

    /// Says what the block writes to Salesforce.
    const fn writes(self, writes: Writes) -> Block {
        Block {
            writes: Some(writes),
            ..self
        }
    }
}

const TEXT_VALUE: &[Field] = &[Field::new("value", Ty::Text)];
const ANY_VALUE: &[Field] = &[Field::new("value", Ty::Any)];

/// The `{ value }` result of blocks that compute one value.
const fn value(ty: Ty) -> Results {
    Results::Fields(match ty {
        Ty::Text => TEXT_VALUE,
        _ => ANY_VALUE,
    })
}

const PHONE_FORMAT: &[Control] = &[
    text("phoneNumber").req().example("$.contact.phone"),
    text("countryCode").req().example("US"),
];

/// Comparators of If-else, with their alternative spellings.
pub const COMPARATORS: &[&str] = &["===", "!==", "!=", ">", ">=", "≥", "<", "<=", "≤"];
/// Operators written the way JavaScript or other languages spell them, and what to write
/// instead: help for a comparator outside [`COMPARATORS`].
pub const COMPARATOR_SPELLINGS: &[(&str, &str)] = &[
    (
        "==",
        "If-else compares strictly: write `===` for equality (`!==` or `!=` for inequality)",
    ),
    ("=", "If-else compares strictly: write `===` for equality"),
    ("!===", "write `!==` (or `!=`) for inequality"),
    ("<>", "write `!==` (or `!=`) for inequality"),
    ("≠", "write `!==` (or `!=`) for inequality"),
    ("=>", "did you mean `>=`?"),
    ("=<", "did you mean `<=`?"),
    (">==", "did you mean `>=`?"),
    ("<==", "did you mean `<=`?"),
    ("≧", "did you mean `>=` (or `≥`)?"),
    ("≦", "did you mean `<=` (or `≤`)?"),
];
/// Conversions of If-else.
pub const EVALUATE_AS: &[&str] = &["string", "number", "boolean"];
/// Log levels.
pub const LOG_LEVELS: &[&str] = &["debug", "info", "warn", "error"];
/// Call types of Search And Screenpop and Create a Task.
pub const CALL_TYPES: &[&str] = &["inbound", "outbound", "internal"];

const STATUS: &[Field] = &[
    Field::new("type", Ty::Text),
    Field::new("timestamp", Ty::Text),
];
const PARSED_NUMBER: &[Field] = &[
    Field::new("phone", Ty::Text).deprecated_for("number"),
    Field::new("number", Ty::Text),
    Field::new("nationalNumber", Ty::Text),
    Field::new("country", Ty::Text),
];

/// The fields of Get Contact Properties, also readable as `$.contact.<field>`.
pub const CONTACT_PROPERTIES: &[Field] = &[
    Field::new("contactId", Ty::Text),
    Field::optional("originalContactId", Ty::Text),
    Field::new("type", Ty::Text),
    Field::new("channel", Ty::Text),
    Field::new("status", Ty::Object(STATUS)),
    Field::new("statusDuration", Ty::Number),
    Field::new("queueId", Ty::Text),
    Field::new("queueName", Ty::Text),
    Field::new("queueTimestamp", Ty::Text),
    Field::new("attributes", Ty::Map),
    Field::optional("phone", Ty::Text),
    Field::optional("country", Ty::Text),
    Field::optional("rawPhoneNumber", Ty::Text),
    Field::optional("parsedNumber", Ty::Object(PARSED_NUMBER)),
    Field::optional("formattedPhoneNumber", Ty::Text),
    Field::optional("formattedPhoneNumberE164", Ty::Text),
    Field::new("callType", Ty::Text),
    Field::new("isInbound", Ty::Bool),
    Field::new("isTransfer", Ty::Bool),
    Field::new("isSoftphoneCall", Ty::Bool),
    Field::new("isConnected", Ty::Bool),
    Field::new("isMonitor", Ty::Bool),
];

/// The fields of `$.agent`.
pub const AGENT: &[Field] = &[
    Field::new("name", Ty::Text),
    Field::new("extension", Ty::Text),
    Field::new("dialableCountries", Ty::List),
];

/// The fields of `$.payload` for `onClickToDial`.
pub const CLICK_TO_DIAL: &[Field] = &[
    Field::new("number", Ty::Text),
    Field::new("recordId", Ty::Text),
    Field::new("recordName", Ty::Text),
    Field::new("objectType", Ty::Text),
    Field::new("personAccount", Ty::Bool),
];

/// The fields of `$.payload` for `onHvsWorkStart`.
pub const HVS_WORK_START: &[Field] = &[
    Field::new("workId", Ty::Text),
    Field::new("completeWorkWhen", Ty::Text),
];

/// The fields of `$.payload` for chat messages.
pub const CHAT_MESSAGE: &[Field] = &[
    Field::new("contactId", Ty::Text),
    Field::new("initialContactId", Ty::Text),
    Field::new("displayName", Ty::Text),
    Field::new("participantRole", Ty::Text),
    Field::new("participantId", Ty::Text),
    Field::new("content", Ty::Text),
];

/// The fields of a typed payload.
pub const fn payload_fields(record: Record) -> &'static [Field] {
    match record {
        Record::ClickToDial => CLICK_TO_DIAL,
        Record::HvsWorkStart => HVS_WORK_START,
        Record::ChatMessage => CHAT_MESSAGE,
    }
}

use Capability::{Agent, Console, Contact, Salesforce, Store};

/// Every built-in block type.
pub const BLOCKS: &[Block] = &[
    // Core
    block("SE_Start", "Start", &[], DONE, Results::None, None).runs("start", "()"),
    block("SE_End", "End", &[], &[], Results::None, None).runs("end", "()"),
    block(
        "SE_Decision",
        "If-else",
        &[
            any("operandA"),
            one_of("comparator", COMPARATORS).default("==="),
            any("operandB"),
            one_of("evaluateAs", EVALUATE_AS).default("string"),
        ],
        BRANCH,
        Results::Value(Ty::Bool),
        None,
    )
    .runs("decision", "bool"),
    block(
        "SE_CoreTruthy",
        "Is Truthy?",
        &[any("value")],
        BRANCH,
        Results::Value(Ty::Bool),
        None,
    )
    .runs("truthy", "bool"),
    block(
        "SE_CoreExtractValue",
        "Extract Value",
        &[
            any("targetField").req(),
            text("keyPath").req().example("0.Id"),
        ],
        DONE,
        value(Ty::Any),
        None,
    )
    .runs("extract_value", "AnyValue"),
    block(
        "SE_CoreFormatPhoneNumber",
        "Format Phone Number",
        PHONE_FORMAT,
        DONE,
        value(Ty::Text),
        None,
    )
    .runs("format_phone_number", "TextValue"),
    block(
        "SE_CoreFormatPhoneNumberE164",
        "Format Phone Number (E164)",
        PHONE_FORMAT,
        DONE,
        value(Ty::Text),
        None,
    )
    .runs("format_phone_number_e164", "TextValue"),
    block(
        "SE_TextStringTemplate",
        "String Template",
        &[
            text("template").req().example("${name} called"),
            map("variables").example("{\"name\": \"$.contact.queueName\"}"),
        ],
        DONE,
        value(Ty::Text),
        None,
    )
    .runs("string_template", "TextValue"),
    block(
        "SE_SetProperty",
        "Set Property",
        &[text("key").req().example("lastCaller"), any("value")],
        DONE,
        Results::None,
        Some(Store),
    )
    .runs("set_property", "()"),
    block(
        "SE_GetProperty",
        "Get Property",
        &[text("key").req().example("lastCaller"), any("defaultValue")],
        DONE,
        value(Ty::Any),
        Some(Store),
    )
    .runs("get_property", "AnyValue"),
    block(
        "SE_Log",
        "Log to Console",
        &[one_of("level", LOG_LEVELS).default("info"), any("message")],
        DONE,
        Results::None,
        None,
    )
    .runs("log", "()"),
    // Amazon Connect
    block(
        "SE_ContactProperties",
        "Get Contact Properties",
        &[],
        DONE,
        Results::Fields(CONTACT_PROPERTIES),
        Some(Contact),
    )
    .runs("contact_properties", "ContactProperties"),
    block(
        "SE_ContactGetAttributeValue",
        "Get Contact Attribute",
        &[
            text("attributeName").req().example("customerId"),
            text("defaultValue"),
        ],
        DONE,
        value(Ty::Text),
        Some(Contact),
    )
    .runs("get_contact_attribute", "TextValue"),
    block(
        "SE_ContactCustomerPhoneNumber",
        "Get Customer Phone Number",
        &[],
        DONE,
        Results::Fields(&[
            Field::new("phone", Ty::Text),
            Field::new("country", Ty::Text),
        ]),
        Some(Contact),
    )
    .runs("customer_phone_number", "CustomerPhone"),
    block(
        "SE_ContactUpdateAttributes",
        "Update Contact Attributes",
        &[map("attributes")
            .req()
            .example("{\"lastAgent\": \"$.agent.name\"}")],
        CALL,
        Results::None,
        Some(Contact),
    )
    .runs("update_contact_attributes", "()"),
    block(
        "SE_AgentDialNumber",
        "Dial Number",
        &[
            text("phoneNumber")
                .req()
                .rule(Rule::NotBlank)
                .example("+15550100001"),
            text("queueARN"),
        ],
        CALL,
        Results::None,
        Some(Agent),
    )
    .runs("dial_number", "()")
    .portability(Portability::ChangesMeaning),
    // Salesforce
    block(
        "SE_SFSearchAndScreenpop",
        "Search And Screenpop",
        &[
            text("searchParams")
                .req()
                .example("$.contact.formattedPhoneNumberE164"),
            text("queryParams"),
            map("defaultFieldValues"),
            boolean("deferred"),
            one_of("callType", CALL_TYPES).req(),
        ],
        CALL,
        Results::Fields(&[
            Field::optional("Id", Ty::Text),
            Field::optional("Name", Ty::Text),
            Field::optional("RecordType", Ty::Text),
            Field::new("ExactMatch", Ty::Bool),
            Field::new("recordCount", Ty::Number),
        ]),
        Some(Console),
    )
    .runs("search_and_screenpop", "ScreenpopResult")
    .open_cti(&["searchAndScreenPop"]),
    block(
        "SE_SFScreenpopObject",
        "Screenpop Object",
        &[
            text("recordId")
                .req()
                .example("$.actions.<id>.results.sfContactId"),
            boolean("noPopOnEmpty"),
        ],
        CALL,
        Results::None,
        Some(Console),
    )
    .runs("screenpop_object", "()")
    .open_cti(&["screenPop (SOBJECT)"]),
    block(
        "SE_SFScreenpopSearch",
        "Screenpop Search",
        &[text("searchString")
            .req()
            .example("$.contact.formattedPhoneNumberE164")],
        CALL,
        Results::None,
        Some(Console),
    )
    .runs("screenpop_search", "()")
    .open_cti(&["screenPop (SEARCH)"]),
    block(
        "SE_SFScreenpopNewRecord",
        "Screenpop New Record",
        &[
            text("entityName")
                .req()
                .rule(Rule::SObjectName)
                .example("Case"),
            map("defaultFieldValues"),
        ],
        CALL,
        Results::None,
        Some(Console),
    )
    .runs("screenpop_new_record", "()")
    .open_cti(&["screenPop (NEW_RECORD_MODAL)"]),
    block(
        "SE_SFSaveLog",
        "Save (or Create) a Record",
        &[
            text("recordId").example("$.actions.<id>.results.sfContactId"),
            text("entityType").rule(Rule::SObjectName).example("Case"),
            map("fieldValues").rule(Rule::FieldNameKeys),
        ],
        CALL,
        Results::Fields(&[Field::new("id", Ty::Text)]),
        Some(Salesforce),
    )
    .runs("save_record", "SavedRecord")
    .open_cti(&["saveLog"])
    .writes(Writes {
        sobject: SObject::Control("entityType"),
        fields: &[],
        field_maps: &["fieldValues"],
    }),
    block(
        "SE_SFCreateTask",
        "Create a Task",
        &[
            text("CallObject"),
            text("Type").req().example("Call"),
            text("Status").req().example("Completed"),
            text("Priority").req().example("Normal"),
            boolean("IsClosed"),
            text("TaskSubtype").legacy("TaskSubType"),
            text("WhoId").example("$.actions.<id>.results.sfContactId"),
            text("WhatId").example("$.actions.<id>.results.Id"),
            text("CallDisposition"),
            Control::of("CallDurationInSeconds", ControlKind::IntegerText).example("60"),
            text("ActivityDate").example("2026-12-01"),
            text("subject1"),
            text("subject2"),
            text("subject3"),
            one_of("CallType", CALL_TYPES).req(),
            map("otherTaskFields").rule(Rule::FieldNameKeys),
        ],
        CALL,
        Results::Fields(&[Field::new("id", Ty::Text), Field::new("Subject", Ty::Text)]),
        Some(Salesforce),
    )
    .runs("create_task", "CreatedTask")
    .open_cti(&["saveLog"])
    .writes(Writes {
        sobject: SObject::Fixed("Task"),
        fields: &[
            "CallObject",
            "Type",
            "Status",
            "Priority",
            "IsClosed",
            "TaskSubtype",
            "WhoId",
            "WhatId",
            "CallDisposition",
            "CallDurationInSeconds",
            "ActivityDate",
            "CallType",
            "Subject",
        ],
        field_maps: &["otherTaskFields"],
    }),
    block(
        "SE_SFGetContactId",
        "Get Salesforce Contact Id",
        &[
            text("formattedPhoneNumber")
                .req()
                .example("$.contact.formattedPhoneNumberE164"),
            text("fieldName")
                .rule(Rule::FieldName)
                .example("MobilePhone"),
        ],
        CALL,
        Results::Fields(&[Field::new("sfContactId", Ty::Text)]),
        Some(Salesforce),
    )
    .runs("get_contact_id", "SalesforceContactId"),
    block(
        "SE_SFGetLeadId",
        "Get Salesforce Lead Id",
        &[text("formattedPhoneNumber")
            .req()
            .example("$.contact.formattedPhoneNumberE164")],
        CALL,
        Results::Fields(&[Field::new("sfLeadId", Ty::Text)]),
        Some(Salesforce),
    )
    .runs("get_lead_id", "SalesforceLeadId"),
    block(
        "SE_SFRetrieve",
        "Retrieve Salesforce Record",
        &[
            text("type")
                .req()
                .rule(Rule::SObjectName)
                .example("Account"),
            text("id").req().example("$.actions.<id>.results.Id"),
            text("fields")
                .req()
                .rule(Rule::FieldNames)
                .example("Name, Phone"),
        ],
        CALL,
        Results::Fields(&[Field::new("record", Ty::Map)]),
        Some(Salesforce),
    )
    .runs("retrieve", "Retrieved"),
    block(
        "SE_SFCompleteHvsWorkWithTaskSaved",
        "Complete High Velocity Sales Work With Task Saved",
        &[
            text("workId").req().example("$.payload.workId"),
            text("disposition"),
            text("taskId").req().example("$.actions.<id>.results.id"),
        ],
        CALL,
        Results::None,
        Some(Console),
    )
    .runs("complete_hvs_work", "()")
    .open_cti(&["hvs.completeWork"]),
];

/// The built-in block of type `type_id`.
pub fn lookup(type_id: &str) -> Option<&'static Block> {
    BLOCKS.iter().find(|b| b.type_id == type_id)
}

/// The blocks a flow may use: the built-in table plus the blocks (and CTI Action payload
/// fields) of one declarations file (`crate::declarations`). A copyable handle: declarations
/// are interned once per process for each distinct text, so every stage reads `&'static` data.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Catalog {
    declared: &'static Declared,
}

/// What a declarations file adds to the built-in table.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Declared {
    /// The declared block types, in file order.
    pub blocks: &'static [Block],
    /// The declared fields of CTI Action payloads.
    pub payload: Option<&'static [Field]>,
}

impl Catalog {
    /// The built-in blocks alone.
    pub const BUILT_IN: Catalog = Catalog {
        declared: &Declared {
            blocks: &[],
            payload: None,
        },
    };

    pub(crate) const fn new(declared: &'static Declared) -> Catalog {
        Catalog { declared }
    }

    /// The block of type `type_id`: built in, else declared.
    pub fn lookup(self, type_id: &str) -> Option<&'static Block> {
        lookup(type_id).or_else(|| self.declared.blocks.iter().find(|b| b.type_id == type_id))
    }

    /// The declared blocks, in file order.
    pub fn declared(self) -> &'static [Block] {
        self.declared.blocks
    }

    /// The declared fields of CTI Action payloads, when the file declares them.
    pub fn payload(self) -> Option<&'static [Field]> {
        self.declared.payload
    }
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog::BUILT_IN
    }
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field(
                "declared",
                &self
                    .declared
                    .blocks
                    .iter()
                    .map(|b| b.type_id)
                    .collect::<Vec<_>>(),
            )
            .field("payload", &self.declared.payload.map(|p| p.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_ids_are_unique() {
        for (i, a) in BLOCKS.iter().enumerate() {
            assert!(
                BLOCKS[i + 1..].iter().all(|b| b.type_id != a.type_id),
                "{} twice",
                a.type_id
            );
        }
        assert_eq!(BLOCKS.len(), 26);
    }

    #[test]
    fn contact_blocks_need_a_contact() {
        let needing: Vec<_> = BLOCKS
            .iter()
            .filter(|b| b.needs_contact)
            .map(|b| b.type_id)
            .collect();
        assert_eq!(
            needing,
            [
                "SE_ContactProperties",
                "SE_ContactGetAttributeValue",
                "SE_ContactCustomerPhoneNumber",
                "SE_ContactUpdateAttributes"
            ]
        );
    }

    #[test]
    fn enum_defaults_are_members() {
        for b in BLOCKS {
            for c in b.controls {
                if let (ControlKind::Enum(values), Some(d)) = (c.kind, c.default) {
                    assert!(values.contains(&d), "{}.{}", b.type_id, c.name);
                }
            }
        }
    }
}
