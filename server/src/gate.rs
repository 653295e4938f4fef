//! Gate mode: a valid request is forwarded to the real provider as it came
//! (same method, headers and body bytes) and the provider's answer goes back
//! unchanged: read whole first (up to [`ANSWER_HELD_BYTES`], within the
//! upstream timeout), so that an answer that breaks off or stalls is a 502
//! or 504 in the provider's shape rather than a cut-off 200; past that size,
//! the rest is streamed.
//!
//! What changes on the way, and why:
//!
//! - The URL: the upstream's scheme and host, its base path, the path under
//!   the provider's prefix (`/sandeza/json/send/cgw` → `/json/send/cgw`),
//!   and the request's own query, byte for byte.
//! - `Host` is the upstream's. The application's `Host` names preflight
//!   (`127.0.0.1:4010`); sent on, it would reach the wrong virtual host on
//!   the provider's side (or its CDN's, which refuse unknown hosts), and
//!   with https it would disagree with the TLS server name.
//! - Hop-by-hop headers ([`HOP_BY_HOP`] and any that `Connection` names)
//!   are dropped: they describe the connection between the application and
//!   preflight, not the request (RFC 9110 §7.6.1). The body's framing is
//!   redone for the new connection: the bytes are the same; a chunked body
//!   arrives with a `Content-Length`.
//!
//! Nothing is retried: a failure is answered once, as 502 or 504.

use crate::answers::UpstreamFailure;
use crate::client::{Body, Client, SendError};
use bytes::Bytes;
use hyper::http::{self, HeaderMap, HeaderName, HeaderValue, Request, Uri, request::Parts};
use std::time::Duration;

/// Where one provider's requests are forwarded (`--upstream sandeza=https://…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// The provider, as in [`preflight::http::Route::provider`] (`sandeza`).
    pub provider: String,
    /// The base URL: scheme, authority, and a path (`/` when none was given),
    /// no query.
    pub base: Uri,
}

/// A `--upstream` that cannot be used. The messages never repeat the URL
/// (it may carry a credential); they name the provider and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GateError {
    /// No `=` between provider and URL.
    #[error(
        "--upstream takes PROVIDER=URL (e.g. sandeza=https://api.example.co.id); there is no `=`"
    )]
    NoEquals,
    /// A provider preflight does not know.
    #[error("--upstream: unknown provider `{given}`; the providers are {known}")]
    UnknownProvider {
        /// What was given (control characters escaped).
        given: String,
        /// The providers, comma-separated.
        known: String,
    },
    /// The URL does not parse, or has no host.
    #[error("--upstream {provider}=…: {problem}")]
    BadUrl {
        /// The provider.
        provider: String,
        /// What is wrong.
        problem: String,
    },
    /// A scheme other than http or https.
    #[error("--upstream {provider}=…: the URL's scheme must be http or https, not `{scheme}`")]
    Scheme {
        /// The provider.
        provider: String,
        /// The scheme given.
        scheme: String,
    },
    /// Two `--upstream`s for one provider.
    #[error("--upstream {0}=… is given twice; give each provider one upstream")]
    Duplicate(String),
}

/// The providers preflight knows: those of [`preflight::http::ROUTES`], in order.
pub fn providers() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in preflight::http::ROUTES {
        if !out.contains(&r.provider) {
            out.push(r.provider);
        }
    }
    out
}

impl Upstream {
    /// Parses `PROVIDER=URL`: `sandeza=https://api.example.co.id`, with an
    /// optional base path (`oca=https://gw.example.com/oca-proxy`). The
    /// provider is matched ignoring case.
    ///
    /// # Errors
    /// [`GateError`]: no `=`, an unknown provider, a URL that does not parse
    /// or has no host, user info, a query or fragment, a scheme other than
    /// http or https.
    pub fn parse(text: &str) -> Result<Upstream, GateError> {
        let (provider, url) = text.split_once('=').ok_or(GateError::NoEquals)?;
        let known = providers();
        let provider = provider.trim();
        let Some(provider) = known
            .iter()
            .find(|p| p.eq_ignore_ascii_case(provider))
            .map(|p| p.to_string())
        else {
            return Err(GateError::UnknownProvider {
                given: preflight::render::escape_controls(provider).into_owned(),
                known: known.join(", "),
            });
        };
        let bad = |problem: &str| GateError::BadUrl {
            provider: provider.clone(),
            problem: problem.to_string(),
        };
        let url = url.trim();
        if url.is_empty() {
            return Err(bad("the URL is empty"));
        }
        // Checked on the text: `Uri` drops a fragment silently.
        if url.contains('#') {
            return Err(bad("the URL has a fragment (`#…`); give the base URL only"));
        }
        let uri: Uri = url.parse().map_err(|_| {
            bad("the URL does not parse; give an absolute URL such as https://api.example.co.id")
        })?;
        let Some(scheme) = uri.scheme_str() else {
            return Err(bad(
                "the URL has no scheme; give an absolute URL such as https://api.example.co.id",
            ));
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(GateError::Scheme {
                provider,
                scheme: preflight::render::escape_controls(scheme).into_owned(),
            });
        }
        let Some(authority) = uri.authority() else {
            return Err(bad("the URL has no host"));
        };
        if authority.as_str().contains('@') {
            return Err(bad(
                "the URL has user info (`user@`); the providers take credentials in headers or the body, which are forwarded as they come",
            ));
        }
        if authority.host().is_empty() {
            return Err(bad("the URL has no host"));
        }
        if uri.query().is_some() {
            return Err(bad(
                "the URL has a query (`?…`); give the base URL only: each request's own query is forwarded",
            ));
        }
        Ok(Upstream {
            provider,
            base: uri,
        })
    }

    /// Parses every `--upstream`; one per provider.
    ///
    /// # Errors
    /// The first [`GateError`], or [`GateError::Duplicate`].
    pub fn parse_all<S: AsRef<str>>(texts: &[S]) -> Result<Vec<Upstream>, GateError> {
        let mut out: Vec<Upstream> = Vec::new();
        for t in texts {
            let u = Upstream::parse(t.as_ref())?;
            if out.iter().any(|o| o.provider == u.provider) {
                return Err(GateError::Duplicate(u.provider));
            }
            out.push(u);
        }
        Ok(out)
    }

    /// The URL a request is forwarded to: the base path (without its final
    /// `/`), then `path_under_provider`, then `?query` when the request had
    /// one (kept byte for byte, even empty).
    ///
    /// # Errors
    /// A path or query that does not make a URI (cannot happen for a path and
    /// query that came in a request's URI).
    pub fn target(&self, path_under_provider: &str, query: Option<&str>) -> Result<Uri, String> {
        let base = self.base.path().trim_end_matches('/');
        let mut path_and_query = String::with_capacity(
            base.len() + path_under_provider.len() + query.map_or(0, |q| q.len() + 1) + 1,
        );
        path_and_query.push_str(base);
        if !path_under_provider.starts_with('/') {
            path_and_query.push('/');
        }
        path_and_query.push_str(path_under_provider);
        if let Some(q) = query {
            path_and_query.push('?');
            path_and_query.push_str(q);
        }
        let mut parts = http::uri::Parts::default();
        parts.scheme = self.base.scheme().cloned();
        parts.authority = self.base.authority().cloned();
        parts.path_and_query = Some(
            path_and_query
                .parse()
                .map_err(|e: http::uri::InvalidUri| e.to_string())?,
        );
        Uri::from_parts(parts).map_err(|e| e.to_string())
    }
}

/// The hop-by-hop headers never forwarded (RFC 9110 §7.6.1, with the
/// historical `Keep-Alive` and `Proxy-Connection`). `Proxy-Authorization`
/// is a credential for a proxy, preflight here, not for the provider.
pub const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// Removes the hop-by-hop headers, and those `Connection` names, in place.
/// For requests on their way out, and for the upstream's answer before it
/// goes back (hyper frames the answer for its own connection).
pub fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(http::header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

/// Forwards one request to `upstream` and returns its answer, the body left
/// to stream. `parts` and `body` are the request as it came;
/// `path_under_provider` is its path without the `/<provider>` prefix; the
/// query comes from `parts.uri`. `timeout` bounds everything up to the
/// answer's head. Never retried.
///
/// # Errors
/// [`UpstreamFailure::Unreachable`] (no connection, or it broke) or
/// [`UpstreamFailure::Timeout`], with a detail to record and answer. The
/// detail names the upstream's host and the connection's error, never a
/// header value.
pub async fn forward(
    client: &Client,
    upstream: &Upstream,
    parts: Parts,
    body: Bytes,
    path_under_provider: &str,
    timeout: Duration,
) -> Result<hyper::Response<hyper::body::Incoming>, (UpstreamFailure, String)> {
    let host = upstream.base.host().unwrap_or_default().to_string();
    let target = upstream
        .target(path_under_provider, parts.uri.query())
        .map_err(|e| {
            (
                UpstreamFailure::Unreachable,
                format!("the upstream URL for {host} could not be made: {e}"),
            )
        })?;
    let Parts {
        method,
        mut headers,
        extensions,
        ..
    } = parts;
    strip_hop_by_hop(&mut headers);
    if let Some(authority) = upstream.base.authority()
        && let Ok(value) = HeaderValue::from_str(authority.as_str())
    {
        headers.insert(http::header::HOST, value);
    }
    let mut request = Request::new(Body::new(body));
    *request.method_mut() = method;
    *request.uri_mut() = target;
    *request.headers_mut() = headers;
    // Kept: hyper's record of the header names' case, when the server kept it.
    *request.extensions_mut() = extensions;
    client
        .send(request, Some(timeout))
        .await
        .map_err(|e| match e {
            SendError::Timeout(d) => (
                UpstreamFailure::Timeout,
                format!(
                    "the upstream {host} did not answer within {}",
                    crate::client::seconds(d)
                ),
            ),
            other => (
                UpstreamFailure::Unreachable,
                format!("the upstream {host} could not be reached: {other}"),
            ),
        })
}

/// How much of an upstream's answer is read before it goes back. Up to
/// this (every documented provider answer is far smaller), the answer is
/// held whole: an upstream that breaks the connection or stalls mid-answer
/// gets the client a 502 or 504 in the provider's shape, recorded. A longer
/// answer goes back as these bytes and then the rest streamed; a break in
/// the rest cuts the client's connection.
pub const ANSWER_HELD_BYTES: usize = 1024 * 1024;

/// An upstream's answer as read: its head, the bytes held, and the rest of
/// its body when it is longer than [`ANSWER_HELD_BYTES`].
pub struct Answered {
    /// The answer's head.
    pub head: http::response::Parts,
    /// Its body, or its first [`ANSWER_HELD_BYTES`] or more.
    pub held: Bytes,
    /// The rest of the body, still to come.
    pub rest: Option<hyper::body::Incoming>,
}

/// Reads the upstream's answer (from [`forward`]) whole, up to
/// [`ANSWER_HELD_BYTES`], by `deadline` (the forward's start plus the
/// upstream timeout, `timeout`).
///
/// # Errors
/// [`UpstreamFailure::Unreachable`] when the connection breaks mid-answer,
/// [`UpstreamFailure::Timeout`] when the answer is not whole by `deadline`;
/// the detail names the upstream's host only.
pub async fn read_answer(
    answer: hyper::Response<hyper::body::Incoming>,
    deadline: tokio::time::Instant,
    timeout: Duration,
    host: &str,
) -> Result<Answered, (UpstreamFailure, String)> {
    use http_body_util::BodyExt;
    let (head, mut body) = answer.into_parts();
    let mut held = bytes::BytesMut::new();
    loop {
        if held.len() > ANSWER_HELD_BYTES {
            return Ok(Answered {
                head,
                held: held.freeze(),
                rest: Some(body),
            });
        }
        match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return Err((
                    UpstreamFailure::Timeout,
                    format!(
                        "the upstream {host} did not finish its answer within {}",
                        crate::client::seconds(timeout)
                    ),
                ));
            }
            Ok(None) => {
                return Ok(Answered {
                    head,
                    held: held.freeze(),
                    rest: None,
                });
            }
            Ok(Some(Ok(frame))) => {
                // Trailers are not passed on (HTTP/1.1 answers here carry none).
                if let Ok(data) = frame.into_data() {
                    held.extend_from_slice(&data);
                }
            }
            Ok(Some(Err(e))) => {
                return Err((
                    UpstreamFailure::Unreachable,
                    format!(
                        "the connection to the upstream {host} broke while its answer was read: {}",
                        crate::client::describe(&e)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// Reads one HTTP/1.1 request with a Content-Length body: its bytes.
    async fn read_request(s: &mut tokio::net::TcpStream) -> Vec<u8> {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = s.read(&mut buf).await.unwrap();
            if n == 0 {
                return got;
            }
            got.extend_from_slice(&buf[..n]);
            if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse::<usize>().unwrap())
                    .unwrap_or(0);
                if got.len() >= end + 4 + len {
                    return got;
                }
            }
        }
    }

    /// A fake upstream answering each request with `answer`; the requests
    /// it got come out of the channel, as bytes.
    async fn fake_upstream(
        answer: &'static [u8],
    ) -> (
        std::net::SocketAddr,
        tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                let got = read_request(&mut s).await;
                tx.send(got).unwrap();
                s.write_all(answer).await.unwrap();
                let _ = s.shutdown().await;
            }
        });
        (addr, rx)
    }

    const BODY: &str = r#"{"nohp": "6281234567890", "pesan": "[OTP] Kode Anda 482913. Jangan berikan ke siapa pun 🙏", "notifyurl": "http://127.0.0.1:9/ack"}"#;

    fn incoming(uri: &str) -> (Parts, Bytes) {
        let request = Request::post(uri)
            .header("host", "127.0.0.1:4010")
            .header("secretkey", "rahasia-sekali")
            .header("content-type", "application/json")
            .header("x-request-id", "a1")
            .header("x-request-id", "a2")
            .header("connection", "keep-alive, x-hop")
            .header("x-hop", "dropped")
            .header("content-length", BODY.len().to_string())
            .body(())
            .unwrap();
        (request.into_parts().0, Bytes::from_static(BODY.as_bytes()))
    }

    /// Forwards one request to a fake upstream that writes `answer` (then
    /// waits `stall` and closes), and reads the answer as the gate does,
    /// with a 1 s upstream timeout.
    async fn forward_and_read(
        answer: &'static [u8],
        stall: Duration,
    ) -> Result<Answered, (UpstreamFailure, String)> {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (mut s, _) = listener.accept().await.unwrap();
            let _ = read_request(&mut s).await;
            s.write_all(answer).await.unwrap();
            tokio::time::sleep(stall).await;
        });
        let upstream = Upstream::parse(&format!("chatbot=http://{addr}")).unwrap();
        let client = Client::with_defaults().unwrap();
        let (parts, body) = incoming("/chatbot/api/sendwa");
        let timeout = Duration::from_secs(1);
        let deadline = tokio::time::Instant::now() + timeout;
        let answer = forward(&client, &upstream, parts, body, "/api/sendwa", timeout).await?;
        read_answer(answer, deadline, timeout, "127.0.0.1").await
    }

    #[tokio::test]
    async fn an_upstream_that_closes_mid_answer_is_a_failure_not_a_cut_off_answer() {
        let cut = forward_and_read(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"success\":tr",
            Duration::ZERO,
        )
        .await;
        match cut {
            Err((UpstreamFailure::Unreachable, detail)) => {
                assert!(
                    detail.contains("broke while its answer was read"),
                    "{detail}"
                );
            }
            Err(other) => panic!("{other:?}"),
            Ok(a) => panic!("answered {:?}", a.held),
        }
    }

    #[tokio::test]
    async fn an_upstream_that_stalls_mid_answer_is_a_timeout() {
        let started = std::time::Instant::now();
        let stalled = forward_and_read(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{\"success\":tr",
            Duration::from_secs(5),
        )
        .await;
        assert!(
            matches!(stalled, Err((UpstreamFailure::Timeout, _))),
            "{:?}",
            stalled.err()
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[tokio::test]
    async fn a_whole_answer_is_held_and_a_long_one_streams_after_the_held_part() {
        let whole = forward_and_read(
            b"HTTP/1.1 200 OK\r\ncontent-length: 16\r\n\r\n{\"success\":true}",
            Duration::ZERO,
        )
        .await
        .unwrap();
        assert_eq!(
            (&whole.held[..], whole.rest.is_none()),
            (&br#"{"success":true}"#[..], true)
        );

        let long: &'static [u8] = Box::leak(
            [
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n",
                    3 * ANSWER_HELD_BYTES
                )
                .into_bytes(),
                vec![b'x'; 3 * ANSWER_HELD_BYTES],
            ]
            .concat()
            .into_boxed_slice(),
        );
        let answered = forward_and_read(long, Duration::ZERO).await.unwrap();
        assert!(answered.held.len() > ANSWER_HELD_BYTES);
        let rest = http_body_util::BodyExt::collect(answered.rest.unwrap())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(answered.held.len() + rest.len(), 3 * ANSWER_HELD_BYTES);
    }

    #[tokio::test]
    async fn forward_sends_the_same_request_and_returns_the_answer() {
        let (addr, mut got) = fake_upstream(
            b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nx-upstream: ya\r\ncontent-length: 16\r\nconnection: close\r\n\r\n{\"success\":true}",
        )
        .await;
        let upstream = Upstream::parse(&format!("chatbot=http://{addr}/bot-7")).unwrap();
        let client = Client::with_defaults().unwrap();
        let (parts, body) = incoming("/chatbot/api/sendwa?trace=1&nama=Siti%20Nurhaliza");
        let response = forward(
            &client,
            &upstream,
            parts,
            body,
            "/api/sendwa",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()["x-upstream"], "ya");
        let answer = http_body_util::BodyExt::collect(response.into_body())
            .await
            .unwrap()
            .to_bytes();
        assert_eq!(&answer[..], br#"{"success":true}"#);

        let sent = got.recv().await.unwrap();
        let end = sent.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        assert_eq!(&sent[end + 4..], BODY.as_bytes(), "the body's bytes");
        let head = String::from_utf8(sent[..end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("POST /bot-7/api/sendwa?trace=1&nama=Siti%20Nurhaliza HTTP/1.1")
        );
        let mut headers: Vec<String> = lines.map(|l| l.to_ascii_lowercase()).collect();
        headers.sort();
        assert_eq!(
            headers,
            [
                format!("content-length: {}", BODY.len()),
                "content-type: application/json".into(),
                format!("host: {addr}"),
                "secretkey: rahasia-sekali".into(),
                "x-request-id: a1".into(),
                "x-request-id: a2".into(),
            ]
        );
    }

    #[tokio::test]
    async fn a_chunked_request_arrives_with_its_length_and_the_same_bytes() {
        let (addr, mut got) =
            fake_upstream(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
                .await;
        let upstream = Upstream::parse(&format!("oca=http://{addr}")).unwrap();
        let client = Client::with_defaults().unwrap();
        let (parts, _) = Request::post("/oca/api/v2/push/message")
            .header("transfer-encoding", "chunked")
            .header("authorization", "rahasia")
            .body(())
            .unwrap()
            .into_parts();
        forward(
            &client,
            &upstream,
            parts,
            Bytes::from_static(BODY.as_bytes()),
            "/api/v2/push/message",
            Duration::from_secs(5),
        )
        .await
        .unwrap();
        let sent = String::from_utf8(got.recv().await.unwrap()).unwrap();
        let lower = sent.to_ascii_lowercase();
        assert!(!lower.contains("transfer-encoding"), "{sent}");
        assert!(
            lower.contains(&format!("content-length: {}\r\n", BODY.len())),
            "{sent}"
        );
        assert!(sent.ends_with(&format!("\r\n\r\n{BODY}")), "{sent}");
    }

    #[tokio::test]
    async fn upstream_down_is_unreachable_and_names_no_header_value() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let upstream = Upstream::parse(&format!("chatbot=http://{addr}")).unwrap();
        let client = Client::with_defaults().unwrap();
        let (parts, body) = incoming("/chatbot/api/sendwa");
        let (failure, detail) = forward(
            &client,
            &upstream,
            parts,
            body,
            "/api/sendwa",
            Duration::from_secs(5),
        )
        .await
        .unwrap_err();
        assert_eq!(failure, UpstreamFailure::Unreachable);
        assert!(detail.contains("127.0.0.1"), "{detail}");
        assert!(!detail.contains("rahasia"), "{detail}");
    }

    #[tokio::test]
    async fn a_stalled_upstream_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, mut requests) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            // Reads the request, then never answers.
            let (mut s, _) = listener.accept().await.unwrap();
            tx.send(read_request(&mut s).await).unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(s);
        });
        let upstream = Upstream::parse(&format!("sandeza=http://{addr}")).unwrap();
        let client = Client::with_defaults().unwrap();
        let (parts, body) = incoming("/sandeza/json/send/cgw");
        let started = std::time::Instant::now();
        let (failure, detail) = forward(
            &client,
            &upstream,
            parts,
            body,
            "/json/send/cgw",
            Duration::from_millis(300),
        )
        .await
        .unwrap_err();
        assert_eq!(failure, UpstreamFailure::Timeout);
        assert!(detail.contains("0.3 s"), "{detail}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // Sent once, never again.
        assert!(requests.recv().await.is_some());
        assert!(requests.try_recv().is_err());
    }

    #[test]
    fn an_upstream_is_provider_equals_url() {
        let u = Upstream::parse("sandeza=https://api.sandeza.example").unwrap();
        assert_eq!(u.provider, "sandeza");
        assert_eq!(u.base.host(), Some("api.sandeza.example"));
        assert_eq!(
            u.target("/json/send/cgw", None).unwrap().to_string(),
            "https://api.sandeza.example/json/send/cgw"
        );
        let u = Upstream::parse("3Dolphins=http://127.0.0.1:9000/tenant/acme/").unwrap();
        assert_eq!(u.provider, "3dolphins");
        assert_eq!(
            u.target(
                "/dolphin/apiv1/graph/broadcast/verify/wa-01",
                Some("a=1&b=%20")
            )
            .unwrap()
            .to_string(),
            "http://127.0.0.1:9000/tenant/acme/dolphin/apiv1/graph/broadcast/verify/wa-01?a=1&b=%20"
        );
        // An empty query is kept as it came.
        assert_eq!(
            u.target("/x", Some("")).unwrap().to_string(),
            "http://127.0.0.1:9000/tenant/acme/x?"
        );
    }

    #[test]
    fn every_documented_provider_parses() {
        for p in ["sandeza", "oca", "qiscus", "3dolphins", "chatbot"] {
            assert!(providers().contains(&p), "{p}");
            assert_eq!(
                Upstream::parse(&format!("{p}=https://h.example"))
                    .unwrap()
                    .provider,
                p
            );
        }
    }

    #[test]
    fn bad_upstreams_say_what_is_wrong_without_the_url() {
        let err = |t: &str| Upstream::parse(t).unwrap_err();
        assert_eq!(err("https://api.sandeza.example"), GateError::NoEquals);
        match err("sandesa=https://h.example") {
            GateError::UnknownProvider { given, known } => {
                assert_eq!(given, "sandesa");
                assert!(known.contains("sandeza") && known.contains("3dolphins"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err("oca=ftp://h.example/x"),
            GateError::Scheme {
                provider: "oca".into(),
                scheme: "ftp".into()
            }
        );
        for bad in [
            "oca=",
            "oca=h.example",
            "oca=/api",
            "oca=https://h.example/?token=rahasia",
            "oca=https://user:rahasia@h.example",
            "oca=https://h.example/#x",
            "oca=https://",
        ] {
            let e = err(bad);
            assert!(matches!(e, GateError::BadUrl { .. }), "{bad}: {e:?}");
            assert!(!e.to_string().contains("rahasia"), "{e}");
        }
    }

    #[test]
    fn one_upstream_per_provider() {
        assert_eq!(
            Upstream::parse_all(&["oca=https://a.example", "OCA=https://b.example"]).unwrap_err(),
            GateError::Duplicate("oca".into())
        );
        assert_eq!(
            Upstream::parse_all(&["oca=https://a.example", "qiscus=https://b.example"])
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn hop_by_hop_headers_go_and_the_rest_stay() {
        let mut h = HeaderMap::new();
        h.insert("connection", "keep-alive, X-Trace".parse().unwrap());
        h.insert("keep-alive", "timeout=5".parse().unwrap());
        h.insert("x-trace", "1".parse().unwrap());
        h.insert("transfer-encoding", "chunked".parse().unwrap());
        h.insert("proxy-authorization", "Basic eA==".parse().unwrap());
        h.insert("authorization", "Bearer rahasia".parse().unwrap());
        h.insert("qiscus-secret-key", "rahasia".parse().unwrap());
        strip_hop_by_hop(&mut h);
        let mut names: Vec<_> = h.keys().map(|k| k.as_str()).collect();
        names.sort();
        assert_eq!(names, ["authorization", "qiscus-secret-key"]);
    }
}
