//! The capability traits generated flows call: a flow's `run` is generic over exactly the ones
//! its blocks use. Methods are native `async fn`s whose futures are `Send`, so runs can be
//! spawned on a multi-threaded executor.

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value};

use crate::error::{BlockError, BlockResult};
use crate::types::{
    AgentInfo, ContactProperties, DialRequest, Fields, HvsCompletion, RetrieveRequest, SaveRequest,
    ScreenpopResult, SearchRequest, TaskRequest,
};

/// The Connect contact the event is about.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Contact` capability",
    label = "a flow whose blocks use the contact's properties and attributes needs a `Contact`",
    note = "implement `Contact` for the backend, or give it one: `ctiflow::Host::new().with_contact(..)`"
)]
pub trait Contact: Sync {
    /// Its properties (Get Contact Properties, `$.contact`); [`crate::BlockError::no_contact`]
    /// when the event has none.
    fn properties(&self) -> impl Future<Output = BlockResult<ContactProperties>> + Send;

    /// One attribute, `None` when unset.
    fn attribute(&self, name: &str) -> impl Future<Output = BlockResult<Option<String>>> + Send;

    /// Updates attributes.
    fn update_attributes(&self, attributes: Fields)
    -> impl Future<Output = BlockResult<()>> + Send;
}

/// The logged-in Connect agent.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Agent` capability",
    label = "a flow whose blocks use the agent and Dial Number needs a `Agent`",
    note = "implement `Agent` for the backend, or give it one: `ctiflow::Host::new().with_agent(..)`"
)]
pub trait Agent: Sync {
    /// `$.agent`.
    fn info(&self) -> impl Future<Output = BlockResult<AgentInfo>> + Send;

    /// Dials a number from the agent's softphone.
    fn dial(&self, request: DialRequest) -> impl Future<Output = BlockResult<()>> + Send;
}

/// Salesforce data. Implementations escape SOQL/SOSL input; names reach them checked.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Salesforce` capability",
    label = "a flow whose blocks use Salesforce records, Tasks and lookups needs a `Salesforce`",
    note = "implement `Salesforce` for the backend, or give it one: `ctiflow::Host::new().with_salesforce(..)`"
)]
pub trait Salesforce: Sync {
    /// Creates (`record_id` `None`) or updates a record; returns its id.
    fn save_record(&self, request: SaveRequest)
    -> impl Future<Output = BlockResult<String>> + Send;

    /// Creates a Task; returns its id.
    fn create_task(&self, request: TaskRequest)
    -> impl Future<Output = BlockResult<String>> + Send;

    /// Reads the named fields of one record.
    fn retrieve(
        &self,
        request: RetrieveRequest,
    ) -> impl Future<Output = BlockResult<Map<String, Value>>> + Send;

    /// The Contact whose `field` (`Phone` by default) matches `phone`, if any.
    fn contact_id_by_phone(
        &self,
        phone: &str,
        field: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send;

    /// The Lead whose phone matches `phone`, if any.
    fn lead_id_by_phone(
        &self,
        phone: &str,
    ) -> impl Future<Output = BlockResult<Option<String>>> + Send;
}

/// The agent's Salesforce console: what the agent sees.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Console` capability",
    label = "a flow whose blocks use screen pops and High Velocity Sales work needs a `Console`",
    note = "implement `Console` for the backend, or give it one: `ctiflow::Host::new().with_console(..)`"
)]
pub trait Console: Sync {
    /// Searches per the softphone layout and pops the result (0 → new record, 1 → the record,
    /// n → the search page).
    fn search_and_screenpop(
        &self,
        request: SearchRequest,
    ) -> impl Future<Output = BlockResult<ScreenpopResult>> + Send;

    /// Pops a record.
    fn screenpop_object(&self, record_id: &str) -> impl Future<Output = BlockResult<()>> + Send;

    /// Pops a search over all objects; [`crate::BlockError::not_found`] when nothing matches.
    fn screenpop_search(&self, search: &str) -> impl Future<Output = BlockResult<()>> + Send;

    /// Pops a new-record form.
    fn screenpop_new_record(
        &self,
        entity: &str,
        defaults: Fields,
    ) -> impl Future<Output = BlockResult<()>> + Send;

    /// Completes High Velocity Sales work.
    fn complete_hvs_work(
        &self,
        request: HvsCompletion,
    ) -> impl Future<Output = BlockResult<()>> + Send;

    /// Whether `record_id` names a record the console can pop (Screenpop Object's
    /// `noPopOnEmpty`).
    fn record_exists(&self, record_id: &str) -> impl Future<Output = BlockResult<bool>> + Send;
}

/// The agent-local property store, kept across runs.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Store` capability",
    label = "a flow whose blocks use agent-local properties needs a `Store`",
    note = "implement `Store` for the backend, or give it one: `ctiflow::Host::new().with_store(..)`"
)]
pub trait Store: Sync {
    /// A property, `None` when unset.
    fn get_property(&self, key: &str) -> impl Future<Output = BlockResult<Option<Value>>> + Send;

    /// Sets a property; `None` (`undefined`) removes it.
    fn set_property(
        &self,
        key: &str,
        value: Option<Value>,
    ) -> impl Future<Output = BlockResult<()>> + Send;
}

/// The user's implementation of declared blocks (blocks.md §4), for flows loaded at run time:
/// each call names the block's type id, with its arguments as a JSON object (keys as the flow
/// names its controls; a text control not given is left out) and answers the block's result as
/// a JSON object of its declared fields. The interpreter checks the answer against the
/// declaration. Compiled flows call their own typed `Extensions` trait instead, which
/// [`call_json`](crate::extension::call_json) implements over this one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not offer the `Extension` capability",
    label = "a loaded flow whose blocks are declared needs an `Extension`",
    note = "implement `Extension` for the backend: one `call` that matches on the type id"
)]
pub trait Extension: Sync {
    /// Runs the declared block `type_id` with `args`.
    fn call(&self, type_id: &str, args: Value) -> impl Future<Output = BlockResult<Value>> + Send;
}

/// A boxed future, as the object-safe capability traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

macro_rules! object_safe {
    (
        $(#[$meta:meta])*
        $dyn_name:ident for $name:ident {
            $($method:ident($($arg:ident: $ty:ty),*) -> $out:ty;)*
        }
    ) => {
        $(#[$meta])*
        pub trait $dyn_name: Sync {
            $(
                #[doc = concat!("[`", stringify!($name), "::", stringify!($method), "`].")]
                fn $method<'a>(&'a self, $($arg: $ty),*) -> BoxFuture<'a, BlockResult<$out>>;
            )*
        }

        impl<T: $name> $dyn_name for T {
            $(
                fn $method<'a>(&'a self, $($arg: $ty),*) -> BoxFuture<'a, BlockResult<$out>> {
                    Box::pin($name::$method(self, $($arg),*))
                }
            )*
        }
    };
}

object_safe! {
    /// [`Contact`], object-safe: what a backend offers flows loaded at run time.
    DynContact for Contact {
        properties() -> ContactProperties;
        attribute(name: &'a str) -> Option<String>;
        update_attributes(attributes: Fields) -> ();
    }
}

object_safe! {
    /// [`Agent`], object-safe.
    DynAgent for Agent {
        info() -> AgentInfo;
        dial(request: DialRequest) -> ();
    }
}

object_safe! {
    /// [`Salesforce`], object-safe.
    DynSalesforce for Salesforce {
        save_record(request: SaveRequest) -> String;
        create_task(request: TaskRequest) -> String;
        retrieve(request: RetrieveRequest) -> Map<String, Value>;
        contact_id_by_phone(phone: &'a str, field: &'a str) -> Option<String>;
        lead_id_by_phone(phone: &'a str) -> Option<String>;
    }
}

object_safe! {
    /// [`Console`], object-safe.
    DynConsole for Console {
        search_and_screenpop(request: SearchRequest) -> ScreenpopResult;
        screenpop_object(record_id: &'a str) -> ();
        screenpop_search(search: &'a str) -> ();
        screenpop_new_record(entity: &'a str, defaults: Fields) -> ();
        complete_hvs_work(request: HvsCompletion) -> ();
        record_exists(record_id: &'a str) -> bool;
    }
}

object_safe! {
    /// [`Store`], object-safe.
    DynStore for Store {
        get_property(key: &'a str) -> Option<Value>;
        set_property(key: &'a str, value: Option<Value>) -> ();
    }
}

object_safe! {
    /// [`Extension`], object-safe.
    DynExtension for Extension {
        call(type_id: &'a str, args: Value) -> Value;
    }
}

/// A backend for flows known only at run time: which capabilities it offers. A compiled flow
/// states what it needs in its `Backend` bound; a flow loaded at run time is checked against
/// these when it is loaded, so a missing capability is an error then, never in a call.
///
/// Implement it with [`offer!`](crate::offer) for a type that implements the static traits, or
/// combine several backends with [`Offered`].
pub trait Capabilities: Sync {
    /// Its [`Contact`], if it offers one.
    fn contact(&self) -> Option<&dyn DynContact> {
        None
    }

    /// Its [`Agent`], if it offers one.
    fn agent(&self) -> Option<&dyn DynAgent> {
        None
    }

    /// Its [`Salesforce`], if it offers one.
    fn salesforce(&self) -> Option<&dyn DynSalesforce> {
        None
    }

    /// Its [`Console`], if it offers one.
    fn console(&self) -> Option<&dyn DynConsole> {
        None
    }

    /// Its [`Store`], if it offers one.
    fn store(&self) -> Option<&dyn DynStore> {
        None
    }

    /// Its [`Extension`], if it offers one.
    fn extension(&self) -> Option<&dyn DynExtension> {
        None
    }
}

/// Implements [`Capabilities`] for a type, offering the capability traits it implements:
/// `ctiflow::offer!(MyBackend: Salesforce, Console);`.
#[macro_export]
macro_rules! offer {
    ($ty:ty: $($capability:ident),+ $(,)?) => {
        impl $crate::capability::Capabilities for $ty {
            $($crate::__offer_one!($capability);)+
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __offer_one {
    (Contact) => {
        fn contact(&self) -> ::core::option::Option<&dyn $crate::capability::DynContact> {
            ::core::option::Option::Some(self)
        }
    };
    (Agent) => {
        fn agent(&self) -> ::core::option::Option<&dyn $crate::capability::DynAgent> {
            ::core::option::Option::Some(self)
        }
    };
    (Salesforce) => {
        fn salesforce(&self) -> ::core::option::Option<&dyn $crate::capability::DynSalesforce> {
            ::core::option::Option::Some(self)
        }
    };
    (Console) => {
        fn console(&self) -> ::core::option::Option<&dyn $crate::capability::DynConsole> {
            ::core::option::Option::Some(self)
        }
    };
    (Store) => {
        fn store(&self) -> ::core::option::Option<&dyn $crate::capability::DynStore> {
            ::core::option::Option::Some(self)
        }
    };
    (Extension) => {
        fn extension(&self) -> ::core::option::Option<&dyn $crate::capability::DynExtension> {
            ::core::option::Option::Some(self)
        }
    };
}

/// Capabilities gathered from several backends (Salesforce from one, Connect from another).
#[derive(Clone, Copy, Default)]
pub struct Offered<'a> {
    contact: Option<&'a dyn DynContact>,
    agent: Option<&'a dyn DynAgent>,
    salesforce: Option<&'a dyn DynSalesforce>,
    console: Option<&'a dyn DynConsole>,
    store: Option<&'a dyn DynStore>,
    extension: Option<&'a dyn DynExtension>,
}

impl<'a> Offered<'a> {
    /// Nothing offered yet.
    pub fn new() -> Offered<'a> {
        Offered::default()
    }

    /// Offers `backend`'s [`Contact`].
    pub fn contact(self, backend: &'a impl Contact) -> Offered<'a> {
        Offered {
            contact: Some(backend),
            ..self
        }
    }

    /// Offers `backend`'s [`Agent`].
    pub fn agent(self, backend: &'a impl Agent) -> Offered<'a> {
        Offered {
            agent: Some(backend),
            ..self
        }
    }

    /// Offers `backend`'s [`Salesforce`].
    pub fn salesforce(self, backend: &'a impl Salesforce) -> Offered<'a> {
        Offered {
            salesforce: Some(backend),
            ..self
        }
    }

    /// Offers `backend`'s [`Console`].
    pub fn console(self, backend: &'a impl Console) -> Offered<'a> {
        Offered {
            console: Some(backend),
            ..self
        }
    }

    /// Offers `backend`'s [`Store`].
    pub fn store(self, backend: &'a impl Store) -> Offered<'a> {
        Offered {
            store: Some(backend),
            ..self
        }
    }

    /// Offers `backend`'s [`Extension`].
    pub fn extension(self, backend: &'a impl Extension) -> Offered<'a> {
        Offered {
            extension: Some(backend),
            ..self
        }
    }
}

impl Capabilities for Offered<'_> {
    fn contact(&self) -> Option<&dyn DynContact> {
        self.contact
    }

    fn agent(&self) -> Option<&dyn DynAgent> {
        self.agent
    }

    fn salesforce(&self) -> Option<&dyn DynSalesforce> {
        self.salesforce
    }

    fn console(&self) -> Option<&dyn DynConsole> {
        self.console
    }

    fn store(&self) -> Option<&dyn DynStore> {
        self.store
    }

    fn extension(&self) -> Option<&dyn DynExtension> {
        self.extension
    }
}

/// The static capability traits over a backend's [`Capabilities`]: how the block functions
/// (generic over the static traits) run for a flow loaded at run time. A capability the backend
/// does not offer fails the call; loading checks them first, so a loaded flow never meets one.
#[derive(Clone, Copy)]
pub struct Dynamic<'a>(pub &'a dyn Capabilities);

fn missing(capability: &str) -> BlockError {
    BlockError::backend(format!("the backend offers no {capability} capability"))
}

// The static traits over `Dynamic`, method by method: their elided lifetimes cannot be written
// by the macro above, which names one lifetime for every borrow.
impl Contact for Dynamic<'_> {
    async fn properties(&self) -> BlockResult<ContactProperties> {
        self.0
            .contact()
            .ok_or_else(|| missing("Contact"))?
            .properties()
            .await
    }

    async fn attribute(&self, name: &str) -> BlockResult<Option<String>> {
        self.0
            .contact()
            .ok_or_else(|| missing("Contact"))?
            .attribute(name)
            .await
    }

    async fn update_attributes(&self, attributes: Fields) -> BlockResult<()> {
        let contact = self.0.contact().ok_or_else(|| missing("Contact"))?;
        contact.update_attributes(attributes).await
    }
}

impl Agent for Dynamic<'_> {
    async fn info(&self) -> BlockResult<AgentInfo> {
        self.0.agent().ok_or_else(|| missing("Agent"))?.info().await
    }

    async fn dial(&self, request: DialRequest) -> BlockResult<()> {
        self.0
            .agent()
            .ok_or_else(|| missing("Agent"))?
            .dial(request)
            .await
    }
}

impl Salesforce for Dynamic<'_> {
    async fn save_record(&self, request: SaveRequest) -> BlockResult<String> {
        let salesforce = self.0.salesforce().ok_or_else(|| missing("Salesforce"))?;
        salesforce.save_record(request).await
    }

    async fn create_task(&self, request: TaskRequest) -> BlockResult<String> {
        let salesforce = self.0.salesforce().ok_or_else(|| missing("Salesforce"))?;
        salesforce.create_task(request).await
    }

    async fn retrieve(&self, request: RetrieveRequest) -> BlockResult<Map<String, Value>> {
        let salesforce = self.0.salesforce().ok_or_else(|| missing("Salesforce"))?;
        salesforce.retrieve(request).await
    }

    async fn contact_id_by_phone(&self, phone: &str, field: &str) -> BlockResult<Option<String>> {
        let salesforce = self.0.salesforce().ok_or_else(|| missing("Salesforce"))?;
        salesforce.contact_id_by_phone(phone, field).await
    }

    async fn lead_id_by_phone(&self, phone: &str) -> BlockResult<Option<String>> {
        let salesforce = self.0.salesforce().ok_or_else(|| missing("Salesforce"))?;
        salesforce.lead_id_by_phone(phone).await
    }
}

impl Console for Dynamic<'_> {
    async fn search_and_screenpop(&self, request: SearchRequest) -> BlockResult<ScreenpopResult> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.search_and_screenpop(request).await
    }

    async fn screenpop_object(&self, record_id: &str) -> BlockResult<()> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.screenpop_object(record_id).await
    }

    async fn screenpop_search(&self, search: &str) -> BlockResult<()> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.screenpop_search(search).await
    }

    async fn screenpop_new_record(&self, entity: &str, defaults: Fields) -> BlockResult<()> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.screenpop_new_record(entity, defaults).await
    }

    async fn complete_hvs_work(&self, request: HvsCompletion) -> BlockResult<()> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.complete_hvs_work(request).await
    }

    async fn record_exists(&self, record_id: &str) -> BlockResult<bool> {
        let console = self.0.console().ok_or_else(|| missing("Console"))?;
        console.record_exists(record_id).await
    }
}

impl Store for Dynamic<'_> {
    async fn get_property(&self, key: &str) -> BlockResult<Option<Value>> {
        self.0
            .store()
            .ok_or_else(|| missing("Store"))?
            .get_property(key)
            .await
    }

    async fn set_property(&self, key: &str, value: Option<Value>) -> BlockResult<()> {
        self.0
            .store()
            .ok_or_else(|| missing("Store"))?
            .set_property(key, value)
            .await
    }
}

impl Extension for Dynamic<'_> {
    async fn call(&self, type_id: &str, args: Value) -> BlockResult<Value> {
        let extension = self.0.extension().ok_or_else(|| missing("Extension"))?;
        extension.call(type_id, args).await
    }
}
