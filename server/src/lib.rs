//! # preflight-server
//!
//! `preflight serve`: a local stand-in for every provider preflight knows, and
//! a gate in front of the real ones. Each request is checked by the library
//! ([`preflight::validate_with`], the only validator), answered, and recorded.
//!
//! ```no_run
//! # async fn run() -> Result<(), preflight_server::ServeError> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(preflight_server::ServeError::Bind)?;
//! let config = preflight_server::Config::default();
//! let outcome = preflight_server::serve(listener, config, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! }).await?;
//! assert!(!outcome.any_error || outcome.requests > 0);
//! # Ok(()) }
//! ```

pub mod admin;
pub mod answers;
mod app;
pub mod callbacks;
pub mod client;
#[doc(hidden)]
pub mod fuzzing;
pub mod gate;
pub mod records;
pub mod routing;
pub mod webhook_test;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// What to do with a request that has an error finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnInvalid {
    /// Answer with the provider's error shape (or preflight's 400); never forward.
    #[default]
    Reject,
    /// Answer success anyway (in gate mode: forward), and record the findings.
    Accept,
    /// Gate mode: forward it anyway, and record the findings (mock mode: as `accept`).
    Forward,
}

/// How the server runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// Rule levels, templates, credentials and the Sandeza password.
    pub options: preflight::Options,
    /// What an invalid request gets.
    pub on_invalid: OnInvalid,
    /// `--record FILE.ndjson`: every record, appended as it happens.
    pub record: Option<PathBuf>,
    /// How many records the ring keeps (`GET /__preflight/requests`).
    pub ring: usize,
    /// The largest request body read; a larger one is answered 413 unread.
    pub max_body: usize,
    /// How long a client may take to send a request's head, and its body.
    pub client_timeout: Duration,
    /// How long shutdown waits for requests in flight.
    pub drain_timeout: Duration,
    /// Gate mode: where each provider's valid requests are forwarded
    /// (`--upstream sandeza=https://…`); a provider without one is answered
    /// by the stand-in.
    pub upstreams: Vec<gate::Upstream>,
    /// How long an upstream has to answer a forwarded request (its head);
    /// past it the client gets a 504 in the provider's shape.
    pub upstream_timeout: Duration,
    /// `--callbacks`: the chatbot gateway's status callbacks to a valid
    /// send's `notifyurl` (mock mode only: in gate mode the gateway sends its own).
    pub callbacks: Option<CallbackConfig>,
}

/// Where status callbacks may go, and when.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallbackConfig {
    /// Hosts allowed beside loopback (`--callback-allow HOST`).
    pub allow: Vec<String>,
    /// The wait before each callback.
    pub delay: Duration,
}

impl CallbackConfig {
    /// Callbacks to loopback and `allow`, `delay` before each.
    pub fn new(allow: Vec<String>, delay: Duration) -> Self {
        CallbackConfig { allow, delay }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            options: preflight::Options::default(),
            on_invalid: OnInvalid::Reject,
            record: None,
            ring: 10_000,
            max_body: preflight::MAX_PAYLOAD_BYTES,
            client_timeout: Duration::from_secs(10),
            drain_timeout: Duration::from_secs(10),
            upstreams: Vec::new(),
            upstream_timeout: Duration::from_secs(30),
            callbacks: None,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome {
    /// Requests answered.
    pub requests: u64,
    /// True when any request had an error finding.
    pub any_error: bool,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The listen address could not be bound.
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
    /// The outgoing HTTP client (gate mode, callbacks) could not be built.
    #[error(transparent)]
    Client(#[from] client::ClientError),
    /// The record could not be kept.
    #[error(transparent)]
    Record(#[from] records::RecordError),
    /// The library could not start (its embedded schemas).
    #[error(transparent)]
    Preflight(#[from] preflight::Error),
}

/// Serves on `listener` until `shutdown` completes, then stops accepting,
/// lets the requests in flight finish (up to [`Config::drain_timeout`]) and
/// flushes the record.
///
/// # Errors
/// [`ServeError::Record`] when the record file cannot be created or written.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> Result<Outcome, ServeError> {
    // Compile every schema before the first request, so that no request pays for it.
    for endpoint in preflight::endpoints()? {
        let _ = preflight::validate_with(endpoint.id, b"{}", &config.options);
    }
    let state = Arc::new(app::State::new(config)?);
    let drain = state.config.drain_timeout;
    let builder = {
        let mut b = hyper::server::conn::http1::Builder::new();
        b.timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(state.config.client_timeout)
            .keep_alive(true);
        b
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => {
                        // Out of file descriptors, or a connection reset before
                        // it was accepted: wait a little, go on serving.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let service = hyper::service::service_fn(move |request| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(app::answer(state, request).await) }
                });
                let connection = graceful.watch(
                    builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service),
                );
                tokio::spawn(async move {
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(drain) => {}
    }
    state.records.finish()?;
    Ok(Outcome {
        requests: state.records.next_seq_peek(),
        any_error: state.records.any_error(),
    })
}

/// Completes on SIGINT or SIGTERM (Ctrl-C elsewhere). The handlers are
/// installed when this is called, not when the future is first polled, so
/// a signal sent as soon as the server says it is listening is not lost
/// (nor does it kill the process unflushed). Call from within a Tokio runtime.
pub fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let signals = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        );
        async move {
            match signals {
                (Ok(mut int), Ok(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn get(addr: std::net::SocketAddr, path: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        stream.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn a_panic_in_one_request_is_a_500_and_the_server_goes_on() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(super::serve(listener, super::Config::default(), async {
            let _ = stopped.await;
        }));
        let first = get(addr, "/__preflight/test-panic").await;
        assert!(first.starts_with("HTTP/1.1 500"), "{first}");
        assert!(first.contains("a bug in preflight"), "{first}");
        let second = get(addr, "/__preflight/test-panic").await;
        assert!(second.starts_with("HTTP/1.1 500"), "{second}");
        let health = get(addr, "/__preflight/health").await;
        assert!(health.starts_with("HTTP/1.1 200"), "{health}");
        let list = get(addr, "/__preflight/requests").await;
        assert_eq!(list.matches("internal-error").count(), 2, "{list}");
        stop.send(()).unwrap();
        let outcome = server.await.unwrap().unwrap();
        assert_eq!(outcome.requests, 2);
    }
}
