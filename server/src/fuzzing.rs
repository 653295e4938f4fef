//! The server's request handling without a socket, for the fuzz targets
//! (`fuzz/`): raw HTTP/1.1 bytes served over an in-memory connection through
//! the same hyper service [`crate::serve`] runs. Not a stable API.

use crate::app::{self, State};
use crate::{Config, ServeError};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What one byte string got.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    /// The bytes the server wrote back (every response on the connection).
    pub response: Vec<u8>,
    /// The records the requests left (`GET /__preflight/requests`'s list).
    pub records: Vec<Value>,
    /// False when the connection did not finish within the time limit.
    pub finished: bool,
}

/// A server's state built once, answering byte strings one connection each.
pub struct Server {
    runtime: tokio::runtime::Runtime,
    state: Arc<State>,
}

impl Server {
    /// A server with `config` (no record file is written: give none).
    ///
    /// # Errors
    /// As [`crate::serve`] before it listens.
    pub fn new(config: Config) -> Result<Self, ServeError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(ServeError::Bind)?;
        for endpoint in preflight::endpoints()? {
            let _ = preflight::validate_with(endpoint.id, b"{}", &config.options);
        }
        let state = Arc::new(State::new(config)?);
        Ok(Server { runtime, state })
    }

    /// Serves `bytes` as one client connection that sends them and closes
    /// its side; returns what came back and the records left (the ring is
    /// emptied before).
    pub fn serve(&self, bytes: &[u8]) -> Served {
        self.state.records.reset();
        let state = self.state.clone();
        let (response, finished) = self.runtime.block_on(async move {
            let (mut client, server) = tokio::io::duplex(64 * 1024);
            let service = hyper::service::service_fn(move |request| {
                let state = state.clone();
                async move { Ok::<_, std::convert::Infallible>(app::answer(state, request).await) }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(2))
                .half_close(true)
                .keep_alive(true);
            let connection = tokio::spawn(async move {
                let _ = builder
                    .serve_connection(hyper_util::rt::TokioIo::new(server), service)
                    .await;
            });
            let exchange = async {
                let (mut read, mut write) = tokio::io::split(&mut client);
                let send = async {
                    let _ = write.write_all(bytes).await;
                    let _ = write.shutdown().await;
                };
                let mut out = Vec::new();
                let receive = read.read_to_end(&mut out);
                let ((), _) = tokio::join!(send, receive);
                out
            };
            let result = tokio::time::timeout(Duration::from_secs(5), exchange).await;
            connection.abort();
            match result {
                Ok(out) => (out, true),
                Err(_) => (Vec::new(), false),
            }
        });
        let list = self.state.records.list(&crate::records::Filter::default());
        let records = match list.get("requests") {
            Some(Value::Array(records)) => records.clone(),
            _ => Vec::new(),
        };
        Served {
            response,
            records,
            finished,
        }
    }
}
