//! How the client gets an access token: the OAuth 2.0 JWT bearer flow, the client credentials
//! flow (both work with External Client Apps), or a token issued elsewhere. Never the
//! username-password flow, which Salesforce is retiring (`backends.md` §3.3).
//!
//! Neither flow returns a refresh token or, reliably, an expiry: a token is used until a
//! request answers `401 INVALID_SESSION_ID`, then a new one is minted once and the request
//! retried (see [`crate::Client`]).

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};

use crate::error::SfError;

/// The credentials of an External Client App (or a token).
#[derive(Clone)]
pub enum Credentials {
    /// A token issued elsewhere (`sf org display`, a host that refreshes tokens itself). When
    /// Salesforce rejects it there is nothing to refresh: requests fail as unauthorized.
    Token {
        /// The org's instance, `https://mydomain.my.salesforce.com`.
        instance_url: String,
        /// The access token.
        access_token: String,
    },
    /// The JWT bearer flow: an RS256 assertion signed with the private key whose certificate
    /// the app holds, for a pre-authorized user.
    JwtBearer {
        /// `https://login.salesforce.com`, `https://test.salesforce.com` or the Experience
        /// Cloud site's URL: where the token is asked for, and the assertion's audience.
        login_url: String,
        /// The app's consumer key (the assertion's issuer).
        client_id: String,
        /// The user the flows run as (the assertion's subject).
        username: String,
        /// The private key, PEM (PKCS#1 or PKCS#8).
        private_key_pem: String,
    },
    /// The client credentials flow: the app's key and secret, running as the app's "Run As"
    /// user. Salesforce accepts it only on the org's My Domain host.
    ClientCredentials {
        /// The org's My Domain, `https://mydomain.my.salesforce.com`.
        domain_url: String,
        /// The app's consumer key.
        client_id: String,
        /// The app's consumer secret.
        client_secret: String,
    },
}

/// Secrets stay out of logs.
impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token { instance_url, .. } => f
                .debug_struct("Token")
                .field("instance_url", instance_url)
                .finish_non_exhaustive(),
            Credentials::JwtBearer {
                login_url,
                client_id,
                username,
                ..
            } => f
                .debug_struct("JwtBearer")
                .field("login_url", login_url)
                .field("client_id", client_id)
                .field("username", username)
                .finish_non_exhaustive(),
            Credentials::ClientCredentials {
                domain_url,
                client_id,
                ..
            } => f
                .debug_struct("ClientCredentials")
                .field("domain_url", domain_url)
                .field("client_id", client_id)
                .finish_non_exhaustive(),
        }
    }
}

/// An access token and the instance it is for.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub access_token: String,
    pub instance_url: String,
}

/// The token endpoint's answer. Only these two fields are relied on: JWT bearer answers carry
/// no `issued_at` or `signature`, client credentials answers may add `api_instance_url`, and
/// neither promises `expires_in`.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    instance_url: String,
}

/// The JWT bearer assertion's claims.
#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// How long an assertion is valid: Salesforce allows up to three minutes.
const ASSERTION_LIFETIME_SECS: u64 = 180;

fn trim_url(url: &str) -> &str {
    url.trim_end_matches('/')
}

impl Credentials {
    /// A fresh token: the given one, or one from the token endpoint (an answer of at most
    /// `max_answer_bytes`).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        max_answer_bytes: usize,
    ) -> Result<Token, SfError> {
        let (endpoint, form) = match self {
            Credentials::Token {
                instance_url,
                access_token,
            } => {
                return Ok(Token {
                    access_token: access_token.clone(),
                    instance_url: trim_url(instance_url).to_owned(),
                });
            }
            Credentials::JwtBearer {
                login_url,
                client_id,
                username,
                private_key_pem,
            } => {
                let assertion = assertion(login_url, client_id, username, private_key_pem)?;
                (
                    login_url,
                    vec![
                        (
                            "grant_type",
                            "urn:ietf:params:oauth:grant-type:jwt-bearer".to_owned(),
                        ),
                        ("assertion", assertion),
                    ],
                )
            }
            Credentials::ClientCredentials {
                domain_url,
                client_id,
                client_secret,
            } => (
                domain_url,
                // In the form body, never the query string, where proxies log it.
                vec![
                    ("grant_type", "client_credentials".to_owned()),
                    ("client_id", client_id.clone()),
                    ("client_secret", client_secret.clone()),
                ],
            ),
        };
        let url = format!("{}/services/oauth2/token", trim_url(endpoint));
        let response = http
            .post(url)
            .form(&form)
            .send()
            .await
            .map_err(|e| SfError::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let body = crate::client::read_capped(response, max_answer_bytes).await?;
        if !(200..300).contains(&status) {
            return Err(SfError::from_response(status, &body));
        }
        let token: TokenResponse = serde_json::from_slice(&body)
            .map_err(|e| SfError::Decode(format!("token response: {e}")))?;
        Ok(Token {
            access_token: token.access_token,
            instance_url: trim_url(&token.instance_url).to_owned(),
        })
    }

    /// Whether asking again can give a different token.
    pub(crate) fn can_refresh(&self) -> bool {
        !matches!(self, Credentials::Token { .. })
    }
}

/// The signed JWT bearer assertion.
fn assertion(
    login_url: &str,
    client_id: &str,
    username: &str,
    private_key_pem: &str,
) -> Result<String, SfError> {
    let key =
        EncodingKey::from_rsa_pem(private_key_pem.as_bytes()).map_err(|e| SfError::OAuth {
            error: "invalid_private_key".to_owned(),
            description: format!("the JWT bearer private key is not an RSA PEM key: {e}"),
        })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let claims = Claims {
        iss: client_id,
        sub: username,
        aud: trim_url(login_url),
        exp: now + ASSERTION_LIFETIME_SECS,
    };
    jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &key).map_err(|e| {
        SfError::OAuth {
            error: "invalid_assertion".to_owned(),
            description: format!("cannot sign the JWT bearer assertion: {e}"),
        }
    })
}
