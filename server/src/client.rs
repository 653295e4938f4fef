//! The one outgoing HTTP/1.1 client: gate mode's forwards, the chatbot
//! gateway's status callbacks and `preflight webhook-test` all use it.
//!
//! Built once per server (or command) and cloned freely: clones share the
//! connection pool. `http://` and `https://` both work; https uses rustls
//! with the ring provider and the Mozilla roots (webpki-roots), so nothing
//! depends on the machine's certificate store.
//!
//! Two timeouts: `connect` bounds the TCP connect (and is reported as the
//! target being unreachable), `overall` bounds everything up to the
//! response's head ([`Client::send`]) or up to its whole body
//! ([`Client::fetch`]).
//!
//! Nothing is retried by preflight. The pool's one automatic retry is of a
//! request that was never written (the pooled connection closed before it
//! was sent), so the other side receives each request at most once.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use std::time::Duration;

/// The body type of every outgoing request: the bytes, whole.
pub type Body = Full<Bytes>;

type Inner = hyper_util::client::legacy::Client<hyper_rustls::HttpsConnector<HttpConnector>, Body>;

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default overall timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The shared client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    inner: Inner,
    connect_timeout: Duration,
    timeout: Duration,
}

/// The client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// rustls refused the TLS configuration (a bug: the configuration is fixed).
    #[error("TLS setup failed: {0}")]
    Tls(String),
}

/// Why a request got no (whole) answer. The details come from the
/// connection's errors and never hold a header value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No answer within the overall timeout.
    #[error("no answer within {}", seconds(*.0))]
    Timeout(Duration),
    /// No connection (refused, no route, DNS, TLS, connect timeout), or the
    /// connection broke before the answer was whole.
    #[error("{0}")]
    Unreachable(String),
    /// The answer's body was longer than the limit [`Client::fetch`] was given.
    #[error("the answer's body is larger than {0} bytes")]
    TooLarge(usize),
}

impl Client {
    /// A client with these timeouts.
    ///
    /// # Errors
    /// [`ClientError::Tls`] if rustls refuses its configuration.
    pub fn new(connect_timeout: Duration, timeout: Duration) -> Result<Client, ClientError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(connect_timeout));
        http.set_nodelay(true);
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|e| ClientError::Tls(e.to_string()))?
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let inner = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            // Header names as the application wrote them, when the server
            // side kept their case in the request's extensions.
            .http1_preserve_header_case(true)
            .pool_idle_timeout(Duration::from_secs(30))
            .build(https);
        Ok(Client {
            inner,
            connect_timeout,
            timeout,
        })
    }

    /// A client with [`DEFAULT_CONNECT_TIMEOUT`] and [`DEFAULT_TIMEOUT`].
    ///
    /// # Errors
    /// As [`Client::new`].
    pub fn with_defaults() -> Result<Client, ClientError> {
        Client::new(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }

    /// The overall timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Sends `request` (its URI absolute) and waits for the answer's head,
    /// at most `timeout` (`None`: the client's overall timeout). The body
    /// is left to stream.
    ///
    /// # Errors
    /// [`SendError::Timeout`] or [`SendError::Unreachable`].
    pub async fn send(
        &self,
        request: Request<Body>,
        timeout: Option<Duration>,
    ) -> Result<Response<Incoming>, SendError> {
        let timeout = timeout.unwrap_or(self.timeout);
        match tokio::time::timeout(timeout, self.inner.request(request)).await {
            Err(_) => Err(SendError::Timeout(timeout)),
            Ok(Err(e)) => Err(SendError::Unreachable(describe(&e))),
            Ok(Ok(response)) => Ok(response),
        }
    }

    /// Sends `request` and reads the whole answer, at most `limit` bytes of
    /// body, all within `timeout` (`None`: the client's overall timeout).
    ///
    /// # Errors
    /// [`SendError`]: timeout, no connection, or a body over `limit`.
    pub async fn fetch(
        &self,
        request: Request<Body>,
        limit: usize,
        timeout: Option<Duration>,
    ) -> Result<Response<Bytes>, SendError> {
        let timeout = timeout.unwrap_or(self.timeout);
        let whole = async {
            let response = self
                .inner
                .request(request)
                .await
                .map_err(|e| SendError::Unreachable(describe(&e)))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, limit)
                .collect()
                .await
                .map_err(|e| {
                    if e.downcast_ref::<http_body_util::LengthLimitError>()
                        .is_some()
                    {
                        SendError::TooLarge(limit)
                    } else {
                        SendError::Unreachable(format!(
                            "the connection broke while the answer was read: {}",
                            describe(&*e)
                        ))
                    }
                })?
                .to_bytes();
            Ok(Response::from_parts(parts, body))
        };
        match tokio::time::timeout(timeout, whole).await {
            Err(_) => Err(SendError::Timeout(timeout)),
            Ok(result) => result,
        }
    }
}

/// `2.5 s`, `30 s`.
pub(crate) fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0} s")
    } else {
        format!("{s} s")
    }
}

/// An error and its causes, innermost last, without repeats: `client error
/// (Connect): tcp connect error: Connection refused (os error 111)`. These
/// come from the connection (I/O, DNS, TLS, HTTP framing), never from a
/// request's headers.
pub fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = next {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        next = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn serve_once(answer: &'static [u8]) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let _ = s.read(&mut buf).await;
            s.write_all(answer).await.unwrap();
            let _ = s.shutdown().await;
        });
        addr
    }

    fn get(addr: std::net::SocketAddr) -> Request<Body> {
        Request::get(format!("http://{addr}/x"))
            .body(Body::default())
            .unwrap()
    }

    #[tokio::test]
    async fn fetch_reads_the_whole_answer_and_bounds_it() {
        let client = Client::with_defaults().unwrap();
        let addr =
            serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhallo")
                .await;
        let r = client.fetch(get(addr), 100, None).await.unwrap();
        assert_eq!((r.status().as_u16(), &r.body()[..]), (200, &b"hallo"[..]));

        let addr =
            serve_once(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nconnection: close\r\n\r\nhallo")
                .await;
        assert_eq!(
            client.fetch(get(addr), 4, None).await.unwrap_err(),
            SendError::TooLarge(4)
        );
    }

    #[tokio::test]
    async fn a_closed_port_is_unreachable_with_the_cause() {
        let client = Client::with_defaults().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        match client.send(get(addr), None).await {
            Err(SendError::Unreachable(detail)) => {
                assert!(detail.contains("refused"), "{detail}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn seconds_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(seconds(Duration::from_millis(2500)), "2.5 s");
    }
}
