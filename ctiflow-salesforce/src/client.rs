//! A thin client of the Salesforce REST API: the eight calls the blocks need, each with its
//! token, its retries and its errors handled in one place (`Client::send`).

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};
use tokio::sync::{Mutex as AsyncMutex, OnceCell};

use crate::auth::{Credentials, Token};
use crate::error::{ApiError, SfError};

/// The REST API version used unless configured: Winter '26.
pub const DEFAULT_API_VERSION: &str = "v65.0";

/// How failed requests are retried: `REQUEST_LIMIT_EXCEEDED`, `UNABLE_TO_LOCK_ROW`, 5xx and
/// no answer at all, with exponential backoff and "equal jitter" (half the delay fixed, half
/// random), so that agents' flows hitting one limit do not retry in step. A flow's time limit
/// still bounds the whole run: dropping the run's future cancels a wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all, the first included (1: no retry).
    pub attempts: u32,
    /// The delay before the first retry; each next one doubles it.
    pub base_delay: Duration,
    /// No delay is longer.
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Retry {
        Retry {
            attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl Retry {
    /// The wait before retry number `retry` (0 for the first).
    fn delay(&self, retry: u32) -> Duration {
        let full = self
            .base_delay
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// How to reach an org.
#[derive(Clone, Debug)]
pub struct Config {
    /// How to get a token.
    pub credentials: Credentials,
    /// The REST API version, `v65.0`.
    pub api_version: String,
    /// How failed requests are retried.
    pub retry: Retry,
    /// How long one request may take.
    pub request_timeout: Duration,
    /// The largest answer read; a longer one fails the call instead of filling memory.
    pub max_answer_bytes: usize,
}

impl Config {
    /// `credentials` with the default version, retries and timeout.
    pub fn new(credentials: Credentials) -> Config {
        Config {
            credentials,
            api_version: DEFAULT_API_VERSION.to_owned(),
            retry: Retry::default(),
            request_timeout: Duration::from_secs(30),
            // Salesforce pages queries at 2,000 records: far below this.
            max_answer_bytes: 32 << 20,
        }
    }

    /// From the environment (the README, "Salesforce", lists the variables):
    /// `SALESFORCE_ACCESS_TOKEN` + `SALESFORCE_INSTANCE_URL`; or `SALESFORCE_CLIENT_ID` with
    /// `SALESFORCE_USERNAME` + `SALESFORCE_PRIVATE_KEY_FILE` (+ `SALESFORCE_LOGIN_URL`, default
    /// `https://login.salesforce.com`) for the JWT bearer flow; or with
    /// `SALESFORCE_CLIENT_SECRET` + `SALESFORCE_DOMAIN_URL` for client credentials. Optional:
    /// `SALESFORCE_API_VERSION`.
    pub fn from_env() -> Result<Config, String> {
        Config::from_vars(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// [`Config::from_env`] over any source of variables.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let need = |name: &str| var(name).ok_or_else(|| format!("{name} is not set"));
        let credentials = if let Some(access_token) = var("SALESFORCE_ACCESS_TOKEN") {
            Credentials::Token {
                instance_url: need("SALESFORCE_INSTANCE_URL")?,
                access_token,
            }
        } else {
            let client_id = need("SALESFORCE_CLIENT_ID")
                .map_err(|e| format!("{e} (nor SALESFORCE_ACCESS_TOKEN)"))?;
            if let Some(client_secret) = var("SALESFORCE_CLIENT_SECRET") {
                Credentials::ClientCredentials {
                    domain_url: need("SALESFORCE_DOMAIN_URL")?,
                    client_id,
                    client_secret,
                }
            } else {
                let key_file = need("SALESFORCE_PRIVATE_KEY_FILE")
                    .map_err(|e| format!("{e} (nor SALESFORCE_CLIENT_SECRET)"))?;
                let private_key_pem = std::fs::read_to_string(&key_file)
                    .map_err(|e| format!("SALESFORCE_PRIVATE_KEY_FILE `{key_file}`: {e}"))?;
                Credentials::JwtBearer {
                    login_url: var("SALESFORCE_LOGIN_URL")
                        .unwrap_or_else(|| "https://login.salesforce.com".to_owned()),
                    client_id,
                    username: need("SALESFORCE_USERNAME")?,
                    private_key_pem,
                }
            }
        };
        let mut config = Config::new(credentials);
        if let Some(version) = var("SALESFORCE_API_VERSION") {
            config.api_version = version;
        }
        Ok(config)
    }
}

/// The org's API usage, from the `Sforce-Limit-Info: api-usage=USED/ALLOWED` header of the
/// last response that carried it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiUsage {
    /// Calls made in the last 24 hours.
    pub used: u64,
    /// Calls allowed.
    pub allowed: u64,
}

impl ApiUsage {
    fn parse(header: &str) -> Option<ApiUsage> {
        let usage = header
            .split(',')
            .find_map(|part| part.trim().strip_prefix("api-usage="))?;
        let (used, allowed) = usage.split_once('/')?;
        Some(ApiUsage {
            used: used.trim().parse().ok()?,
            allowed: allowed.trim().parse().ok()?,
        })
    }
}

/// What a create or a publish answers: `success` with the new id, or `errors`. A Platform
/// Event publish may answer `success: true` with an `OPERATION_ENQUEUED` entry in `errors`:
/// `success` decides.
#[derive(Deserialize)]
struct SaveResult {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<ApiError>,
}

/// A query's page.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct QueryPage {
    #[serde(default)]
    records: Vec<Map<String, Value>>,
    #[serde(default)]
    next_records_url: Option<String>,
}

/// A search's answer: `{"searchRecords": [...]}`, or a bare array (API v36 and earlier).
#[derive(Deserialize)]
#[serde(untagged)]
enum SearchAnswer {
    Wrapped {
        #[serde(rename = "searchRecords", default)]
        search_records: Vec<Map<String, Value>>,
    },
    Bare(Vec<Map<String, Value>>),
}

/// A client of one org's REST API.
#[derive(Debug)]
pub struct Client {
    http: reqwest::Client,
    config: Config,
    token: AsyncMutex<Option<Token>>,
    key_prefixes: OnceCell<BTreeMap<String, String>>,
    usage: Mutex<Option<ApiUsage>>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("instance_url", &self.instance_url)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client; no request is made until the first call.
    pub fn new(config: Config) -> Result<Client, SfError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .user_agent(concat!("ctiflow-salesforce/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SfError::Transport(e.to_string()))?;
        Ok(Client {
            http,
            config,
            token: AsyncMutex::new(None),
            key_prefixes: OnceCell::new(),
            usage: Mutex::new(None),
        })
    }

    /// The org's API usage as of the last response that reported it.
    pub fn api_usage(&self) -> Option<ApiUsage> {
        *self.usage.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The current token, minted if there is none.
    async fn token(&self) -> Result<Token, SfError> {
        let mut cached = self.token.lock().await;
        if let Some(token) = &*cached {
            return Ok(token.clone());
        }
        let token = self
            .config
            .credentials
            .token(&self.http, self.config.max_answer_bytes)
            .await?;
        *cached = Some(token.clone());
        Ok(token)
    }

    /// Forgets `stale`, unless another request already replaced it.
    async fn forget(&self, stale: &Token) {
        let mut cached = self.token.lock().await;
        if cached.as_ref() == Some(stale) {
            *cached = None;
        }
    }

    /// Sends a request to `path` (under `/services/data/<version>`, or a server-relative
    /// `/services/...` path as `nextRecordsUrl` gives), with a fresh token on `401` once and
    /// retries as configured; the answer's JSON (`Null` for `204`).
    async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, SfError> {
        let mut refreshed = false;
        let mut retry = 0;
        loop {
            let token = self.token().await?;
            let url = if path.starts_with("/services/") {
                format!("{}{path}", token.instance_url)
            } else {
                format!(
                    "{}/services/data/{}{path}",
                    token.instance_url, self.config.api_version
                )
            };
            let mut request = self
                .http
                .request(method.clone(), url)
                .bearer_auth(&token.access_token)
                .header(reqwest::header::ACCEPT, "application/json");
            if !query.is_empty() {
                request = request.query(query);
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let error = match request.send().await {
                Err(e) => SfError::Transport(e.to_string()),
                Ok(response) => {
                    let status = response.status().as_u16();
                    if let Some(usage) = response
                        .headers()
                        .get("sforce-limit-info")
                        .and_then(|v| v.to_str().ok())
                        .and_then(ApiUsage::parse)
                    {
                        *self.usage.lock().unwrap_or_else(|e| e.into_inner()) = Some(usage);
                    }
                    match read_capped(response, self.config.max_answer_bytes).await {
                        Err(e) => e,
                        Ok(bytes) if (200..300).contains(&status) => {
                            if bytes.iter().all(u8::is_ascii_whitespace) {
                                return Ok(Value::Null);
                            }
                            return serde_json::from_slice(&bytes)
                                .map_err(|e| SfError::Decode(e.to_string()));
                        }
                        Ok(bytes) => {
                            let error = SfError::from_response(status, &bytes);
                            if status == 401 && !refreshed && self.config.credentials.can_refresh()
                            {
                                refreshed = true;
                                self.forget(&token).await;
                                continue;
                            }
                            error
                        }
                    }
                }
            };
            if !error.is_transient() || retry + 1 >= self.config.retry.attempts {
                return Err(error);
            }
            tokio::time::sleep(self.config.retry.delay(retry)).await;
            retry += 1;
        }
    }

    /// Creates a record of `sobject` (or publishes an event: Platform Events are created like
    /// records); its id.
    pub async fn create(
        &self,
        sobject: &str,
        fields: &Map<String, Value>,
    ) -> Result<String, SfError> {
        let path = format!("/sobjects/{sobject}/");
        let answer = self
            .send(
                Method::POST,
                &path,
                &[],
                Some(&Value::Object(fields.clone())),
            )
            .await?;
        let result: SaveResult =
            serde_json::from_value(answer).map_err(|e| SfError::Decode(e.to_string()))?;
        match (result.success, result.id) {
            (true, Some(id)) => Ok(id),
            (true, None) => Err(SfError::Decode("a successful create without an id".into())),
            (false, _) => Err(SfError::Api {
                status: 200,
                errors: result.errors,
            }),
        }
    }

    /// Updates fields of record `id` of `sobject`.
    pub async fn update(
        &self,
        sobject: &str,
        id: &str,
        fields: &Map<String, Value>,
    ) -> Result<(), SfError> {
        let path = format!("/sobjects/{sobject}/{id}");
        self.send(
            Method::PATCH,
            &path,
            &[],
            Some(&Value::Object(fields.clone())),
        )
        .await
        .map(drop)
    }

    /// Reads `fields` of record `id` of `sobject`.
    pub async fn get(
        &self,
        sobject: &str,
        id: &str,
        fields: &[&str],
    ) -> Result<Map<String, Value>, SfError> {
        let path = format!("/sobjects/{sobject}/{id}");
        let fields = fields.join(",");
        match self
            .send(Method::GET, &path, &[("fields", &fields)], None)
            .await?
        {
            Value::Object(record) => Ok(record),
            other => Err(SfError::Decode(format!(
                "a record that is not an object: {other}"
            ))),
        }
    }

    /// The records a SOQL query selects, following `nextRecordsUrl` until `max` records.
    pub async fn query(&self, soql: &str, max: usize) -> Result<Vec<Map<String, Value>>, SfError> {
        let mut page: QueryPage = decode(
            self.send(Method::GET, "/query", &[("q", soql)], None)
                .await?,
        )?;
        let mut records = Vec::new();
        loop {
            records.extend(page.records);
            match page.next_records_url {
                Some(next) if records.len() < max && next.starts_with("/services/") => {
                    page = decode(self.send(Method::GET, &next, &[], None).await?)?;
                }
                _ => break,
            }
        }
        records.truncate(max);
        Ok(records)
    }

    /// The records a SOSL search finds, each with its `attributes.type`.
    pub async fn search(&self, sosl: &str) -> Result<Vec<Map<String, Value>>, SfError> {
        let answer: SearchAnswer = decode(
            self.send(Method::GET, "/search", &[("q", sosl)], None)
                .await?,
        )?;
        Ok(match answer {
            SearchAnswer::Wrapped { search_records } => search_records,
            SearchAnswer::Bare(records) => records,
        })
    }

    /// The sObject whose ids start with `id`'s three-character key prefix, from the org's
    /// object list (`GET /sobjects/`, asked once).
    pub async fn sobject_of(&self, id: &str) -> Result<Option<String>, SfError> {
        let prefixes = self
            .key_prefixes
            .get_or_try_init(|| async {
                #[derive(Deserialize)]
                #[serde(rename_all = "camelCase")]
                struct Described {
                    name: String,
                    #[serde(default)]
                    key_prefix: Option<String>,
                }
                #[derive(Deserialize)]
                struct Global {
                    #[serde(default)]
                    sobjects: Vec<Described>,
                }
                let global: Global =
                    decode(self.send(Method::GET, "/sobjects/", &[], None).await?)?;
                // Several objects may share a prefix (custom objects' `a0x` in a fake, or
                // none at all): the first named keeps it.
                let mut prefixes = BTreeMap::new();
                for sobject in global.sobjects {
                    if let Some(prefix) = sobject.key_prefix {
                        prefixes.entry(prefix).or_insert(sobject.name);
                    }
                }
                Ok::<_, SfError>(prefixes)
            })
            .await?;
        Ok(id.get(..3).and_then(|prefix| prefixes.get(prefix)).cloned())
    }
}

/// The body of `response`, up to `max` bytes.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, SfError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| SfError::Transport(e.to_string()))?
    {
        if body.len() + chunk.len() > max {
            return Err(SfError::Decode(format!(
                "an answer longer than {max} bytes (Config::max_answer_bytes)"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, SfError> {
    serde_json::from_value(value).map_err(|e| SfError::Decode(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_header() {
        assert_eq!(
            ApiUsage::parse("api-usage=10018/100000"),
            Some(ApiUsage {
                used: 10018,
                allowed: 100000
            })
        );
        assert_eq!(
            ApiUsage::parse("per-app-api-usage=2/250(appName=x), api-usage=3/15000"),
            Some(ApiUsage {
                used: 3,
                allowed: 15000
            })
        );
        assert_eq!(ApiUsage::parse("api-usage=x/1"), None);
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let retry = Retry::default();
        for n in 0..40 {
            let delay = retry.delay(n);
            assert!(delay <= retry.max_delay, "{n}: {delay:?}");
            let full = retry
                .base_delay
                .saturating_mul(1 << n.min(16))
                .min(retry.max_delay);
            assert!(delay >= full / 2, "{n}: {delay:?}");
        }
    }
}
