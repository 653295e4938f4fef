//! `--callbacks`: after a valid chatbot send with a `notifyurl`, the server
//! POSTs the gateway's status callbacks (`{"msgid": …, "ack": …}`, the
//! sequence of [`crate::answers::notify_sequence`]) to that URL, as the real
//! gateway does, so the application's notify handler is exercised too.
//!
//! Only to loopback hosts (`127.0.0.0/8`, `::1`, `localhost`) unless the
//! host is allowed (`--callback-allow HOST`): a request's body must not be
//! able to make the server POST anywhere on the network. The check is
//! synchronous ([`Callbacks::check_target`]) so the server can record a
//! refusal with the request; the sending runs in a task of its own
//! ([`Callbacks::spawn`]) and never delays the request's answer.
//!
//! Each callback waits the delay first (the application gets the send's
//! answer, and stores the `msgid`, before the first status arrives), is sent
//! once, and is never retried; after one that got no answer the rest are not
//! sent. What happened to each comes back from the task, for the record.

use crate::client::{Body, Client};
use hyper::http::{self, Request, Uri};
use serde_json::Value;
use std::net::IpAddr;
use std::time::Duration;

/// Default wait before each callback.
pub const DEFAULT_DELAY: Duration = Duration::from_millis(100);
/// Default time a callback's receiver has to answer.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Sends status callbacks. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Callbacks {
    /// Hosts allowed beside loopback, lower case, without brackets.
    allow: Vec<String>,
    client: Client,
    /// Wait before each callback.
    delay: Duration,
    /// Time each receiver has to answer.
    timeout: Duration,
}

/// Why a `notifyurl` gets no callback. The messages name the host, never the
/// whole URL (its query may hold a token).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefused {
    /// Not an absolute http(s) URL with a host.
    #[error("the notifyurl is not an absolute http(s) URL with a host: {0}")]
    Invalid(String),
    /// A scheme other than http or https.
    #[error("the notifyurl's scheme is `{0}`; callbacks go to http or https URLs only")]
    Scheme(String),
    /// Not loopback and not allowed.
    #[error(
        "the notifyurl's host `{0}` is not loopback; preflight serve sends callbacks to loopback hosts only unless `--callback-allow {0}` allows it"
    )]
    NotAllowed(String),
}

/// What happened to one callback.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CallbackOutcome {
    /// The body, as sent (or as it would have been).
    pub body: Value,
    /// What came of it.
    pub delivery: Delivery,
}

/// What came of one callback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "kebab-case")]
pub enum Delivery {
    /// The receiver answered with this status (any status: the gateway does
    /// not look at it).
    Answered {
        /// The HTTP status.
        status: u16,
    },
    /// No answer: no connection, it broke, or the timeout passed.
    Failed {
        /// Why (from the connection's errors; no header value).
        detail: String,
    },
    /// The target was refused; nothing was sent.
    Refused {
        /// Why.
        reason: String,
    },
    /// Not sent: an earlier callback of the sequence failed or was refused.
    NotSent,
}

/// One line on what came of a sequence: `ack 1 answered 200, ack 2 answered
/// 200, ack 3 failed (…)`. Names no URL.
pub fn describe(outcomes: &[CallbackOutcome]) -> String {
    outcomes
        .iter()
        .map(|o| {
            let ack = o
                .body
                .get("ack")
                .map_or_else(String::new, |a| format!("ack {a} "));
            let what = match &o.delivery {
                Delivery::Answered { status } => format!("answered {status}"),
                Delivery::Failed { detail } => format!("failed ({detail})"),
                Delivery::Refused { reason } => format!("refused ({reason})"),
                Delivery::NotSent => "not sent".to_string(),
            };
            format!("{ack}{what}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Callbacks {
    /// Callbacks through `client`, to loopback and the `allow`ed hosts
    /// (matched ignoring case; `[::1]` and `::1` alike), waiting `delay`
    /// before each, with [`DEFAULT_TIMEOUT`] for each answer.
    pub fn new(client: Client, allow: Vec<String>, delay: Duration) -> Callbacks {
        let allow = allow.iter().map(|h| normal_host(h)).collect();
        Callbacks {
            allow,
            client,
            delay,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same, with this timeout for each answer.
    pub fn with_timeout(mut self, timeout: Duration) -> Callbacks {
        self.timeout = timeout;
        self
    }

    /// Whether callbacks may go to `url`: an absolute http(s) URL whose host
    /// is loopback (`127.0.0.0/8`, `::1`, `localhost`) or allowed.
    ///
    /// # Errors
    /// [`CallbackRefused`], saying why.
    pub fn check_target(&self, url: &str) -> Result<(), CallbackRefused> {
        self.target(url).map(|_| ())
    }

    fn target(&self, url: &str) -> Result<Uri, CallbackRefused> {
        let uri: Uri = url
            .trim()
            .parse()
            .map_err(|e: http::uri::InvalidUri| CallbackRefused::Invalid(e.to_string()))?;
        let scheme = uri
            .scheme_str()
            .ok_or_else(|| CallbackRefused::Invalid("it has no scheme".into()))?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(CallbackRefused::Scheme(
                preflight::render::escape_controls(scheme).into_owned(),
            ));
        }
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| CallbackRefused::Invalid("it has no host".into()))?;
        let host = normal_host(host);
        if is_loopback(&host) || self.allow.contains(&host) {
            Ok(uri)
        } else {
            Err(CallbackRefused::NotAllowed(
                preflight::render::escape_controls(&host).into_owned(),
            ))
        }
    }

    /// Sends the status callbacks of `msgid` to `url` in a task of its own,
    /// in order, each after the delay; the task's result says what came of
    /// each. Call from within a Tokio runtime. A refused target gives one
    /// [`Delivery::Refused`] outcome per callback and sends nothing.
    pub fn spawn(
        &self,
        url: String,
        msgid: String,
    ) -> tokio::task::JoinHandle<Vec<CallbackOutcome>> {
        let this = self.clone();
        tokio::spawn(async move { this.send_all(&url, &msgid).await })
    }

    /// What [`Callbacks::spawn`] runs.
    pub async fn send_all(&self, url: &str, msgid: &str) -> Vec<CallbackOutcome> {
        let bodies = crate::answers::notify_sequence(msgid);
        let target = match self.target(url) {
            Ok(t) => t,
            Err(refused) => {
                return bodies
                    .into_iter()
                    .map(|body| CallbackOutcome {
                        body,
                        delivery: Delivery::Refused {
                            reason: refused.to_string(),
                        },
                    })
                    .collect();
            }
        };
        let mut out = Vec::with_capacity(bodies.len());
        let mut failed = false;
        for body in bodies {
            if failed {
                out.push(CallbackOutcome {
                    body,
                    delivery: Delivery::NotSent,
                });
                continue;
            }
            tokio::time::sleep(self.delay).await;
            let delivery = self.send_one(&target, &body).await;
            failed = matches!(delivery, Delivery::Failed { .. });
            out.push(CallbackOutcome { body, delivery });
        }
        out
    }

    async fn send_one(&self, target: &Uri, body: &Value) -> Delivery {
        let bytes = match serde_json::to_vec(body) {
            Ok(b) => b,
            Err(e) => {
                return Delivery::Failed {
                    detail: format!("the callback body could not be written: {e}"),
                };
            }
        };
        let request = Request::post(target.clone())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, "preflight-serve")
            .body(Body::from(bytes));
        let request = match request {
            Ok(r) => r,
            Err(e) => {
                return Delivery::Failed {
                    detail: format!("the callback request could not be made: {e}"),
                };
            }
        };
        // The answer's head is what counts; its body is dropped unread.
        match self.client.send(request, Some(self.timeout)).await {
            Ok(answer) => Delivery::Answered {
                status: answer.status().as_u16(),
            },
            Err(e) => Delivery::Failed {
                detail: e.to_string(),
            },
        }
    }
}

/// A host as compared: lower case, without IPv6 brackets or a final dot.
fn normal_host(host: &str) -> String {
    let h = host.trim();
    let h = h
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(h);
    h.trim_end_matches('.').to_ascii_lowercase()
}

/// `localhost`, `127.0.0.0/8`, `::1`, and `::ffff:127.x.y.z`.
fn is_loopback(host: &str) -> bool {
    if host == "localhost" {
        return true;
    }
    match host.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.is_loopback(),
        Ok(IpAddr::V6(v6)) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn callbacks(allow: &[&str]) -> Callbacks {
        Callbacks::new(
            Client::with_defaults().unwrap(),
            allow.iter().map(|s| s.to_string()).collect(),
            Duration::from_millis(1),
        )
    }

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback receiver answering 204 to every request, keeping the
    /// connection open; each request's head and body come out in order.
    async fn receiver() -> (
        std::net::SocketAddr,
        tokio::sync::mpsc::UnboundedReceiver<(String, Vec<u8>)>,
    ) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let (mut s, _) = listener.accept().await.unwrap();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let mut got = Vec::new();
                    let mut buf = [0u8; 4096];
                    loop {
                        let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
                            match s.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => got.extend_from_slice(&buf[..n]),
                            }
                            continue;
                        };
                        let head = String::from_utf8_lossy(&got[..end]).to_string();
                        let len = head
                            .to_ascii_lowercase()
                            .lines()
                            .find_map(|l| {
                                l.strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap())
                            })
                            .unwrap_or(0);
                        if got.len() < end + 4 + len {
                            match s.read(&mut buf).await {
                                Ok(0) | Err(_) => return,
                                Ok(n) => got.extend_from_slice(&buf[..n]),
                            }
                            continue;
                        }
                        let body = got[end + 4..end + 4 + len].to_vec();
                        got.drain(..end + 4 + len);
                        tx.send((head, body)).unwrap();
                        s.write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
                            .await
                            .unwrap();
                    }
                });
            }
        });
        (addr, rx)
    }

    #[tokio::test]
    async fn spawn_posts_the_sequence_in_order() {
        let (addr, mut got) = receiver().await;
        let c = callbacks(&[]);
        let msgid = "3EB020B4DBA916EB3379";
        let outcomes = c
            .spawn(
                format!("http://{addr}/wa/notify?toko=batik-solo"),
                msgid.into(),
            )
            .await
            .unwrap();
        let expected = crate::answers::notify_sequence(msgid);
        assert!(!expected.is_empty());
        assert_eq!(
            outcomes.iter().map(|o| o.body.clone()).collect::<Vec<_>>(),
            expected
        );
        for o in &outcomes {
            assert_eq!(o.delivery, Delivery::Answered { status: 204 });
        }
        for body in &expected {
            let (head, bytes) = got.recv().await.unwrap();
            assert!(
                head.starts_with("POST /wa/notify?toko=batik-solo HTTP/1.1\r\n"),
                "{head}"
            );
            assert!(
                head.to_ascii_lowercase()
                    .contains("content-type: application/json")
            );
            let sent: Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(&sent, body);
            assert_eq!(sent["msgid"], msgid);
        }
        assert!(got.try_recv().is_err());
    }

    #[tokio::test]
    async fn a_refused_target_gets_nothing() {
        let c = callbacks(&[]);
        let outcomes = c
            .spawn("https://yourdomain/your_notify_url".into(), "3EB0".into())
            .await
            .unwrap();
        assert!(!outcomes.is_empty());
        for o in outcomes {
            assert!(
                matches!(&o.delivery, Delivery::Refused { reason } if reason.contains("yourdomain")),
                "{o:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_receiver_that_is_down_stops_the_sequence() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let outcomes = callbacks(&[])
            .spawn(format!("http://{addr}/notify"), "3EB0".into())
            .await
            .unwrap();
        assert!(
            matches!(outcomes[0].delivery, Delivery::Failed { .. }),
            "{outcomes:?}"
        );
        assert!(
            outcomes[1..]
                .iter()
                .all(|o| o.delivery == Delivery::NotSent)
        );
        let json = serde_json::to_value(&outcomes[0]).unwrap();
        assert_eq!(json["delivery"]["result"], "failed");
    }

    #[test]
    fn loopback_targets_are_allowed() {
        let c = callbacks(&[]);
        for url in [
            "http://127.0.0.1:8080/notify",
            "http://127.8.9.10/wa/status?token=x",
            "https://localhost/notify",
            "http://LOCALHOST.:3000/",
            "http://[::1]:9000/notify",
            "http://[::ffff:127.0.0.1]/notify",
        ] {
            assert_eq!(c.check_target(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn other_targets_are_refused_unless_allowed() {
        let c = callbacks(&[]);
        for (url, host) in [
            ("https://yourdomain/your_notify_url", "yourdomain"),
            ("http://10.0.0.5/notify", "10.0.0.5"),
            ("http://128.0.0.1/notify", "128.0.0.1"),
            (
                "http://localhost.evil.example/notify",
                "localhost.evil.example",
            ),
            ("http://[::2]/notify", "::2"),
            ("http://0.0.0.0/notify", "0.0.0.0"),
        ] {
            let refused = c.check_target(url).unwrap_err();
            assert_eq!(refused, CallbackRefused::NotAllowed(host.into()), "{url}");
            assert!(refused.to_string().contains("--callback-allow"));
        }
        let c = callbacks(&["Hooks.TokoBaju.co.id", "[fd00::1]"]);
        assert_eq!(
            c.check_target("https://hooks.tokobaju.co.id/wa/ack?k=1"),
            Ok(())
        );
        assert_eq!(c.check_target("http://[fd00::1]:81/x"), Ok(()));
        assert!(c.check_target("https://tokobaju.co.id/wa/ack").is_err());
    }

    #[test]
    fn malformed_targets_are_refused() {
        let c = callbacks(&[]);
        assert!(matches!(
            c.check_target("ftp://127.0.0.1/x"),
            Err(CallbackRefused::Scheme(_))
        ));
        for url in [
            "",
            "/notify",
            "127.0.0.1/notify",
            "http://",
            "{{notifyurl}}",
        ] {
            assert!(
                matches!(c.check_target(url), Err(CallbackRefused::Invalid(_))),
                "{url}: {:?}",
                c.check_target(url)
            );
        }
    }
}
