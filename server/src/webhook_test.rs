//! `preflight webhook-test`: plays the chatbot gateway's part against the
//! user's keyword webhook. It POSTs the documented keyword webhook body
//! ([`crate::answers::keyword_webhook`]) to the URL the user names and
//! returns the reply, for the command to validate as `chatbot/webhook-reply`.
//!
//! Any http(s) URL is allowed: the user chose it. The reply's body is read
//! up to [`preflight::MAX_PAYLOAD_BYTES`], within the timeout.

use crate::client::{Body, Client, ClientError, SendError};
use bytes::Bytes;
use hyper::http::{self, HeaderName, HeaderValue, Request, Uri};
use serde_json::Value;
use std::time::Duration;

/// One webhook test: where, and what the customer typed.
#[derive(Debug, Clone)]
pub struct WebhookTest {
    /// The webhook's URL (http or https).
    pub url: String,
    /// The keyword the chat matched (`penawaran#`, or `penawaran`).
    pub keyword: String,
    /// What the customer typed after a `#` keyword (`Budi Santoso#budi@tokobaju.co.id`),
    /// or their name for a keyword without `#`.
    pub data: String,
    /// The customer's number (`6282386123456`).
    pub from: String,
    /// The webhook key sent as `webhookkey`; `None`: preflight's stand-in key (`answers::WEBHOOK_KEY_STAND_IN`).
    pub webhook_key: Option<String>,
    /// Extra request headers, in order; a name given again is added, a
    /// `Content-Type` given replaces the default.
    pub headers: Vec<(String, String)>,
    /// Time the webhook has to answer, body included.
    pub timeout: Duration,
}

/// The webhook's reply.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The status's standard reason phrase (`Internal Server Error`), when it has one.
    pub reason: Option<&'static str>,
    /// The `Content-Type`, when it is text.
    pub content_type: Option<String>,
    /// The body, whole.
    pub body: Bytes,
}

/// Why there is no reply to check. The messages never hold a header value
/// or the webhook key.
#[derive(Debug, thiserror::Error)]
pub enum WebhookTestError {
    /// The URL is not an absolute http(s) URL.
    #[error("the webhook URL {0}")]
    Url(String),
    /// A `--header` that is not a valid header.
    #[error("--header {name}: {problem}")]
    Header {
        /// The header's name (control characters escaped).
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// The client could not be built.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The runtime could not start.
    #[error("could not start the HTTP client: {0}")]
    Runtime(String),
    /// No connection, or it broke.
    #[error("the webhook could not be reached: {0}")]
    Unreachable(String),
    /// No whole reply within the timeout.
    #[error("the webhook did not answer within {}", crate::client::seconds(*.0))]
    Timeout(Duration),
    /// The reply is larger than preflight checks.
    #[error("the webhook's reply is larger than {} MiB; no gateway reads a reply this large", .0 / (1024 * 1024))]
    TooLarge(usize),
}

/// The body sent: the documented keyword webhook, with `webhookkey` set
/// to the test's key when one is given.
pub fn body(test: &WebhookTest) -> Value {
    let mut body = crate::answers::keyword_webhook(&test.keyword, &test.data, &test.from);
    if let (Some(key), Some(object)) = (&test.webhook_key, body.as_object_mut()) {
        object.insert("webhookkey".into(), Value::from(key.clone()));
    }
    body
}

fn request(test: &WebhookTest) -> Result<Request<Body>, WebhookTestError> {
    let uri: Uri = test
        .url
        .trim()
        .parse()
        .map_err(|_| WebhookTestError::Url("does not parse as a URL".into()))?;
    match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {}
        Some(_) => {
            return Err(WebhookTestError::Url(
                "must start with http:// or https://".into(),
            ));
        }
        None => {
            return Err(WebhookTestError::Url(
                "has no scheme: give the whole URL, e.g. http://127.0.0.1:8000/webhook".into(),
            ));
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(WebhookTestError::Url("has no host".into()));
    }
    let bytes = serde_json::to_vec(&body(test))
        .map_err(|e| WebhookTestError::Runtime(format!("the body could not be written: {e}")))?;
    let mut request = Request::post(uri)
        .body(Body::from(bytes))
        .map_err(|e| WebhookTestError::Url(e.to_string()))?;
    let headers = request.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    headers.insert(
        http::header::USER_AGENT,
        HeaderValue::from_static("preflight-webhook-test"),
    );
    let mut given: Vec<HeaderName> = Vec::new();
    for (name, value) in &test.headers {
        let shown = preflight::render::escape_controls(name.trim()).into_owned();
        let header = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
            WebhookTestError::Header {
                name: shown.clone(),
                problem: "not a valid header name".into(),
            }
        })?;
        // The value is never shown: it may be a credential.
        let value = HeaderValue::from_str(value.trim()).map_err(|_| WebhookTestError::Header {
            name: shown,
            problem: "the value has characters a header cannot carry".into(),
        })?;
        if given.contains(&header) {
            headers.append(header, value);
        } else {
            headers.insert(header.clone(), value);
            given.push(header);
        }
    }
    Ok(request)
}

/// Sends the test's webhook body and reads the reply.
///
/// # Errors
/// [`WebhookTestError`]: a bad URL or header, no connection, the timeout, a
/// reply too large. Any status is a reply.
pub async fn send(client: &Client, test: &WebhookTest) -> Result<Reply, WebhookTestError> {
    let request = request(test)?;
    let answer = client
        .fetch(request, preflight::MAX_PAYLOAD_BYTES, Some(test.timeout))
        .await
        .map_err(|e| match e {
            SendError::Timeout(d) => WebhookTestError::Timeout(d),
            SendError::TooLarge(n) => WebhookTestError::TooLarge(n),
            SendError::Unreachable(detail) => WebhookTestError::Unreachable(detail),
        })?;
    let content_type = answer
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    Ok(Reply {
        status: answer.status().as_u16(),
        reason: answer.status().canonical_reason(),
        content_type,
        body: answer.into_body(),
    })
}

/// [`send`] on a runtime of its own, for the command line.
///
/// # Errors
/// As [`send`].
pub fn send_blocking(test: &WebhookTest) -> Result<Reply, WebhookTestError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| WebhookTestError::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let connect = test.timeout.min(crate::client::DEFAULT_CONNECT_TIMEOUT);
        let client = Client::new(connect, test.timeout)?;
        send(&client, test).await
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn test(url: &str) -> WebhookTest {
        WebhookTest {
            url: url.into(),
            keyword: "penawaran#".into(),
            data: "Budi Santoso#budi@tokobaju.co.id".into(),
            from: "6282386123456".into(),
            webhook_key: Some("kunci-rahasia".into()),
            headers: vec![
                ("X-Signature".into(), "rahasia-1".into()),
                (
                    "content-type".into(),
                    "application/json; charset=utf-8".into(),
                ),
            ],
            timeout: Duration::from_secs(2),
        }
    }

    #[test]
    fn the_body_is_the_documented_webhook_with_the_key() {
        let b = body(&test("http://127.0.0.1/x"));
        assert_eq!(b["keyword"], "penawaran#");
        assert_eq!(b["webhookkey"], "kunci-rahasia");
        assert_eq!(b["from"], "6282386123456");
        let report = preflight::validate_value("chatbot/webhook", &b).unwrap();
        assert!(report.is_clean(), "{:?}", report.diagnostics);
    }

    #[test]
    fn headers_are_set_and_bad_ones_named_without_their_value() {
        let r = request(&test("http://127.0.0.1:9/hook")).unwrap();
        assert_eq!(r.headers()["x-signature"], "rahasia-1");
        assert_eq!(
            r.headers()["content-type"],
            "application/json; charset=utf-8"
        );
        let mut t = test("http://127.0.0.1/x");
        t.headers = vec![("X-Key".into(), "rahasia\n".into())];
        // A trailing line break is trimmed; one inside is refused.
        assert!(request(&t).is_ok());
        t.headers = vec![("X-Key".into(), "raha\nsia".into())];
        let e = request(&t).unwrap_err().to_string();
        assert!(e.contains("X-Key") && !e.contains("raha"), "{e}");
        t.headers = vec![("X Key".into(), "v".into())];
        assert!(request(&t).unwrap_err().to_string().contains("header name"));
    }

    #[test]
    fn only_http_urls() {
        for url in [
            "127.0.0.1:8000/webhook",
            "ftp://127.0.0.1/x",
            "/webhook",
            "http://",
        ] {
            assert!(
                matches!(request(&test(url)), Err(WebhookTestError::Url(_))),
                "{url}"
            );
        }
    }
}
