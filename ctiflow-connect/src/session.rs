//! [`ConnectSession`]: the `Contact` and `Agent` capabilities of one event.
//!
//! The capability methods take no contact id: a session is bound to its event's contact and
//! agent when it is made, and a flow's run gets the session.

use std::collections::HashMap;
use std::sync::OnceLock;

use aws_sdk_connect::types::Contact as ConnectContact;
use ctiflow_runtime::types::{AgentInfo, ContactProperties, DialRequest, Fields};
use ctiflow_runtime::{Agent, BlockError, BlockResult, Contact, ErrorKind};

use crate::client::Connect;
use crate::error::from_sdk;
use crate::mapping;

/// The `Contact` and `Agent` capabilities for one event, made by [`Connect::session`]; offered
/// to flows loaded at run time too (`ctiflow_runtime::offer!`).
#[derive(Clone, Debug)]
pub struct ConnectSession {
    connect: Connect,
    contact_id: Option<String>,
    agent_user_id: Option<String>,
    /// The id attributes are kept under, learnt from DescribeContact (or given), so a run
    /// describes its contact once at most for them.
    initial_contact_id: OnceLock<String>,
}

ctiflow_runtime::offer!(ConnectSession: Contact, Agent);

impl ConnectSession {
    pub(crate) fn new(
        connect: Connect,
        contact_id: Option<String>,
        agent_user_id: Option<String>,
    ) -> ConnectSession {
        ConnectSession {
            connect,
            contact_id,
            agent_user_id,
            initial_contact_id: OnceLock::new(),
        }
    }

    /// The same session, told the contact's initial contact id (events carry it as
    /// `InitialContactId`), which spares attribute calls a DescribeContact.
    pub fn with_initial_contact_id(self, initial_contact_id: impl Into<String>) -> ConnectSession {
        let known = OnceLock::new();
        let _ = known.set(initial_contact_id.into());
        ConnectSession {
            initial_contact_id: known,
            ..self
        }
    }

    /// The event's contact, if it has one.
    pub fn contact_id(&self) -> Option<&str> {
        self.contact_id.as_deref()
    }

    /// The agent's Connect user id, if the event named one.
    pub fn agent_user_id(&self) -> Option<&str> {
        self.agent_user_id.as_deref()
    }

    fn instance_id(&self) -> &str {
        &self.connect.config().instance_id
    }

    fn require_contact(&self) -> BlockResult<&str> {
        self.contact_id
            .as_deref()
            .ok_or_else(BlockError::no_contact)
    }

    /// DescribeContact of the event's contact.
    async fn describe(&self) -> BlockResult<ConnectContact> {
        let contact_id = self.require_contact()?;
        let output = self
            .connect
            .client()
            .describe_contact()
            .instance_id(self.instance_id())
            .contact_id(contact_id)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeContact", e))?;
        let contact = output.contact.ok_or_else(|| {
            BlockError::backend("Amazon Connect DescribeContact answered without a Contact")
        })?;
        self.remember_initial(&contact, contact_id);
        Ok(contact)
    }

    /// Keeps the id attributes are stored under: the initial contact's, or the contact's own
    /// for a contact that continues none.
    fn remember_initial(&self, contact: &ConnectContact, contact_id: &str) {
        let initial = contact
            .initial_contact_id()
            .filter(|id| !id.is_empty())
            .unwrap_or(contact_id);
        let _ = self.initial_contact_id.set(initial.to_owned());
    }

    /// The id attributes are stored under, describing the contact if it is not known yet.
    async fn initial_contact_id(&self) -> BlockResult<String> {
        self.require_contact()?;
        if let Some(id) = self.initial_contact_id.get() {
            return Ok(id.clone());
        }
        let contact = self.describe().await?;
        let own = contact.id().unwrap_or_default();
        Ok(self
            .initial_contact_id
            .get()
            .cloned()
            .unwrap_or_else(|| own.to_owned()))
    }

    /// GetContactAttributes of the contact whose attributes live under `initial_contact_id`.
    async fn attributes(&self, initial_contact_id: &str) -> BlockResult<HashMap<String, String>> {
        let output = self
            .connect
            .client()
            .get_contact_attributes()
            .instance_id(self.instance_id())
            .initial_contact_id(initial_contact_id)
            .send()
            .await
            .map_err(|e| from_sdk("GetContactAttributes", e))?;
        Ok(output.attributes.unwrap_or_default())
    }

    /// DescribeQueue's name of `queue_id`; `None` for a queue deleted since the contact went
    /// through it (contacts stay describable for 24 months).
    async fn queue_name(&self, queue_id: &str) -> BlockResult<Option<String>> {
        let answer = self
            .connect
            .client()
            .describe_queue()
            .instance_id(self.instance_id())
            .queue_id(queue_id)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeQueue", e));
        Ok(absent_when_not_found(answer)?.and_then(|output| output.queue?.name))
    }

    /// DescribeUser of `user_id`; `None` for a user deleted since.
    async fn user(&self, user_id: &str) -> BlockResult<Option<aws_sdk_connect::types::User>> {
        let answer = self
            .connect
            .client()
            .describe_user()
            .instance_id(self.instance_id())
            .user_id(user_id)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeUser", e));
        Ok(absent_when_not_found(answer)?.and_then(|output| output.user))
    }
}

impl Contact for ConnectSession {
    /// DescribeContact, then GetContactAttributes, DescribeQueue (queued contacts only) and
    /// DescribeUser of the contact's agent (voice contacts with an agent only), concurrently.
    async fn properties(&self) -> BlockResult<ContactProperties> {
        let contact = self.describe().await?;
        let initial = self.initial_contact_id().await?;
        let queue_id = contact.queue_info().and_then(|q| q.id());
        let voice = contact.channel().map(|c| c.as_str()) == Some("VOICE");
        let agent_id = contact.agent_info().and_then(|a| a.id()).filter(|_| voice);
        let (attributes, queue_name, user) = tokio::join!(
            self.attributes(&initial),
            async {
                match queue_id {
                    Some(id) => self.queue_name(id).await,
                    None => Ok(None),
                }
            },
            async {
                match agent_id {
                    Some(id) => self.user(id).await,
                    None => Ok(None),
                }
            },
        );
        let config = self.connect.config();
        let extras = mapping::Extras {
            attributes: attributes?,
            queue_name: queue_name?,
            softphone: mapping::is_softphone(user?.as_ref()),
            instance_arn: config.instance_arn.as_deref(),
            default_country: &config.default_country,
            now: config.status_clock.now(),
        };
        let mut properties = mapping::properties(&contact, extras);
        if properties.contact_id.is_empty() {
            // An answer without `Id` still describes the contact asked about.
            properties.contact_id = self.require_contact()?.to_owned();
        }
        Ok(properties)
    }

    /// GetContactAttributes, keyed by the initial contact id.
    async fn attribute(&self, name: &str) -> BlockResult<Option<String>> {
        let initial = self.initial_contact_id().await?;
        Ok(self.attributes(&initial).await?.remove(name))
    }

    /// UpdateContactAttributes, keyed by the initial contact id (the attributes every contact
    /// of a transfer chain shares).
    async fn update_attributes(&self, attributes: Fields) -> BlockResult<()> {
        let initial = self.initial_contact_id().await?;
        self.connect
            .client()
            .update_contact_attributes()
            .instance_id(self.instance_id())
            .initial_contact_id(initial)
            .set_attributes(Some(attributes.into_iter().collect()))
            .send()
            .await
            .map_err(|e| from_sdk("UpdateContactAttributes", e))?;
        Ok(())
    }
}

impl Agent for ConnectSession {
    /// DescribeUser of the session's agent, or of the contact's agent (`AgentInfo.Id`) when the
    /// session names none.
    async fn info(&self) -> BlockResult<AgentInfo> {
        let user_id = match &self.agent_user_id {
            Some(id) => id.clone(),
            None => self
                .describe()
                .await?
                .agent_info()
                .and_then(|a| a.id())
                .map(str::to_owned)
                .ok_or_else(|| {
                    BlockError::not_found(
                        "no agent: the session names no agent user and the contact has no agent",
                    )
                })?,
        };
        let output = self
            .connect
            .client()
            .describe_user()
            .instance_id(self.instance_id())
            .user_id(&user_id)
            .send()
            .await
            .map_err(|e| from_sdk("DescribeUser", e))?;
        Ok(mapping::agent_info(
            output.user(),
            &self.connect.config().dialable_countries,
        ))
    }

    /// StartOutboundVoiceContact: Connect calls `phone_number` and runs the configured outbound
    /// contact flow, which routes the call to the agent like an inbound one. The agent's
    /// softphone does not dial (it cannot be made to from a server).
    async fn dial(&self, request: DialRequest) -> BlockResult<()> {
        let config = self.connect.config();
        let flow_id = config.outbound_contact_flow_id.as_deref().ok_or_else(|| {
            BlockError::invalid(
                "Dial Number needs an outbound contact flow: set ConnectConfig::outbound_contact_flow_id",
            )
        })?;
        let queue_id = match request.queue_arn.as_deref().filter(|q| !q.is_empty()) {
            Some(queue) => Some(queue_id(queue)?),
            None => config.outbound_queue_id.clone(),
        };
        if queue_id.is_none() && config.source_phone_number.is_none() {
            return Err(BlockError::invalid(
                "Dial Number needs a queue or a caller id: pass a queue ARN, or set \
                 ConnectConfig::outbound_queue_id or ConnectConfig::source_phone_number",
            ));
        }
        self.connect
            .client()
            .start_outbound_voice_contact()
            .instance_id(self.instance_id())
            .contact_flow_id(flow_id)
            .destination_phone_number(e164(&request.phone_number, &config.default_country))
            .set_queue_id(queue_id)
            .set_source_phone_number(config.source_phone_number.clone())
            .send()
            .await
            .map_err(|e| from_sdk("StartOutboundVoiceContact", e))?;
        Ok(())
    }
}

/// `answer`, with "not found" as nothing: what a lookup of something deleted since gives.
fn absent_when_not_found<T>(answer: BlockResult<T>) -> BlockResult<Option<T>> {
    match answer {
        Ok(found) => Ok(Some(found)),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// `number` in E.164, which StartOutboundVoiceContact requires, read as a number of `country`
/// unless it is international: flows dial what they formatted for people (`(555) 010-0003`),
/// as the softphone accepts it. A number that does not read as one is sent as it is, for
/// Connect to refuse (`InvalidParameterException`).
fn e164(number: &str, country: &str) -> String {
    ctiflow_runtime::phone::format(number, country, ctiflow_runtime::phone::Format::E164)
}

/// The queue id in a queue ARN (`arn:…:instance/<instance>/queue/<id>`); a bare id is itself.
fn queue_id(queue: &str) -> BlockResult<String> {
    let id = match queue.rsplit_once("/queue/") {
        Some((_, id)) => id,
        None if queue.starts_with("arn:") => "",
        None => queue,
    };
    if id.is_empty() || id.contains('/') {
        return Err(BlockError::invalid(format!(
            "`{queue}` is not a queue ARN (arn:aws:connect:<region>:<account>:instance/<id>/queue/<id>)"
        )));
    }
    Ok(id.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_ids_from_arns() {
        let arn = "arn:aws:connect:us-east-1:123:instance/i-1/queue/q-1";
        assert_eq!(queue_id(arn).unwrap(), "q-1");
        assert_eq!(queue_id("q-2").unwrap(), "q-2");
        let bad = queue_id("arn:aws:connect:us-east-1:123:instance/i-1").unwrap_err();
        assert_eq!(bad.kind, ErrorKind::InvalidArgument);
        assert!(queue_id("arn:x/queue/").is_err());
    }
}
