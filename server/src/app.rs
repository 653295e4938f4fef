//! One request, from its head to its answer and record.

use crate::answers::{self, Answer, Asked, Ids};
use crate::records::{self, RING_BODY_LIMIT, Records};
use crate::routing::{self, Lookup};
use crate::{Config, OnInvalid};
use bytes::Bytes;
use futures_util::FutureExt;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Request, Response, StatusCode};
use preflight::http::{BodyKind, Route};
use preflight::{Diagnostic, Report};
use serde_json::{Map, Value, json};
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

/// The body type of every answer.
pub type Body = http_body_util::combinators::BoxBody<Bytes, BoxError>;
/// Errors a streamed body may end with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Bodies longer than this are checked on a blocking thread.
const INLINE_CHECK_LIMIT: usize = 256 * 1024;

/// What every request shares.
pub struct State {
    pub config: Config,
    pub records: Records,
    pub ids: Ids,
    /// The outgoing client, when there is an upstream or callbacks.
    client: Option<crate::client::Client>,
    callbacks: Option<crate::callbacks::Callbacks>,
}

impl State {
    pub fn new(config: Config) -> Result<Self, crate::ServeError> {
        let records = Records::new(config.ring, config.record.as_deref())?;
        let client = if config.upstreams.is_empty() && config.callbacks.is_none() {
            None
        } else {
            Some(crate::client::Client::new(
                std::time::Duration::from_secs(10).min(config.upstream_timeout),
                config.upstream_timeout,
            )?)
        };
        let callbacks = match (&config.callbacks, &client) {
            (Some(c), Some(client)) => Some(crate::callbacks::Callbacks::new(
                client.clone(),
                c.allow.clone(),
                c.delay,
            )),
            _ => None,
        };
        Ok(State {
            config,
            records,
            ids: Ids::new(),
            client,
            callbacks,
        })
    }

    /// Where uploaded files are stored: beside the record file, in
    /// `FILE.ndjson.files/`, named by their SHA-256.
    pub(crate) fn files_dir(&self) -> Option<std::path::PathBuf> {
        let record = self.config.record.as_ref()?;
        let mut name = record.as_os_str().to_owned();
        name.push(".files");
        Some(std::path::PathBuf::from(name))
    }

    fn upstream(&self, provider: &str) -> Option<&crate::gate::Upstream> {
        self.config
            .upstreams
            .iter()
            .find(|u| u.provider == provider)
    }
}

/// The answer to one request. A panic anywhere in handling it is answered
/// 500 and recorded; the server goes on.
pub async fn answer(state: Arc<State>, request: Request<Incoming>) -> Response<Body> {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    match AssertUnwindSafe(handle(state.clone(), request, started))
        .catch_unwind()
        .await
    {
        Ok(response) => response,
        Err(_) => {
            let body = json!({"error": "preflight failed while handling this request (a bug in preflight; please report it with the request)",
                              "preflight": true});
            let mut record = base_record(&state, &method, &path, None, started);
            record.insert("status".into(), json!(500));
            record.insert("outcome".into(), json!("internal-error"));
            state.records.keep(Value::Object(record), None);
            let mut response = json_response(StatusCode::INTERNAL_SERVER_ERROR, &body);
            preflight_headers(response.headers_mut(), &Report::default());
            response
        }
    }
}

async fn handle(state: Arc<State>, request: Request<Incoming>, started: Instant) -> Response<Body> {
    let method = request.method().as_str().to_string();
    let path = request.uri().path().to_string();
    // Only in this crate's tests: a request that panics, to show that one does not stop the server.
    #[cfg(test)]
    if path == "/__preflight/test-panic" {
        panic!("a request handler panicked");
    }
    if path == "/__preflight" || path.starts_with("/__preflight/") {
        return crate::admin::answer(&state, &method, &path, request.uri().query());
    }
    let found = routing::lookup(&method, &path);
    let (route, params) = match found {
        Lookup::Found { route, params, .. } => (route, params),
        Lookup::WrongMethod { ref allowed, route } => {
            let allow = allowed.join(", ");
            let body = json!({
                "error": format!("{} takes {allow}, not {}", routing::served(route).split_once(' ').map_or("", |(_, p)| p), escape(&method)),
                "allowed": allowed,
                "route": route.id,
                "preflight": true,
            });
            let report = found.report(&method, &path, &state.config.options);
            let mut response = refused(
                &state,
                (&method, &path, Some(route)),
                started,
                request.headers(),
                (405, "method-not-allowed"),
                &report,
                &body,
            );
            if let Ok(v) = HeaderValue::from_str(&allow) {
                response.headers_mut().insert(header::ALLOW, v);
            }
            return response;
        }
        Lookup::NotFound { ref nearest } => {
            let mut body = json!({
                "error": format!("no documented route is {} {}", escape(&method), escape(&path)),
                "preflight": true,
            });
            if let Some(nearest) = nearest {
                body["nearest"] = json!(nearest);
                body["help"] = json!(format!(
                    "did you mean {nearest}? Routes are served under /<provider>: point the provider's base URL at http://HOST:PORT/<provider>"
                ));
            }
            let report = found.report(&method, &path, &state.config.options);
            return refused(
                &state,
                (&method, &path, None),
                started,
                request.headers(),
                (404, "not-found"),
                &report,
                &body,
            );
        }
    };
    let query = routing::query_pairs(request.uri().query());
    let (parts, body) = request.into_parts();

    // The body: refused unread when it says it is too long, else read up to the limit.
    let limit = state.config.max_body;
    let declared = content_length(&parts.headers);
    if declared.is_some_and(|n| n > limit as u64) {
        return too_large(
            &state,
            &method,
            &path,
            route,
            started,
            &parts.headers,
            declared,
        );
    }
    let read = tokio::time::timeout(
        state.config.client_timeout,
        Limited::new(body, limit).collect(),
    )
    .await;
    let bytes = match read {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => {
            return too_large(&state, &method, &path, route, started, &parts.headers, None);
        }
        Ok(Err(_)) => {
            // The client went away mid-body (or sent a broken chunk).
            let mut record = base_record(&state, &method, &path, Some(route), started);
            record.insert("status".into(), json!(400));
            record.insert("outcome".into(), json!("incomplete-body"));
            state.records.keep(Value::Object(record), None);
            let mut response = json_response(
                StatusCode::BAD_REQUEST,
                &json!({"error": "the request body ended early or was malformed", "preflight": true}),
            );
            preflight_headers(response.headers_mut(), &Report::default());
            return response;
        }
        Err(_) => {
            let mut record = base_record(&state, &method, &path, Some(route), started);
            record.insert("status".into(), json!(408));
            record.insert("outcome".into(), json!("body-timeout"));
            state.records.keep(Value::Object(record), None);
            let mut response = json_response(
                StatusCode::REQUEST_TIMEOUT,
                &json!({"error": format!("the request body did not arrive within {} s", state.config.client_timeout.as_secs()), "preflight": true}),
            );
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            preflight_headers(response.headers_mut(), &Report::default());
            return response;
        }
    };

    let form = if route.bodies.contains(&BodyKind::Multipart) && is_multipart(&parts.headers) {
        Some(read_form(&parts.headers, bytes.clone()).await)
    } else {
        None
    };

    let check = Checked::run(&state, route, &method, &path, &parts.headers, &bytes, form).await;
    let mut params_all = params.clone();
    params_all.extend(query.iter().cloned());
    let asked = Asked {
        body: check.value.as_ref(),
        params: &params_all,
    };

    let errors = check.report.error_count();
    let unauthorized = check.unauthorized();
    let passes = errors == 0 || state.config.on_invalid != OnInvalid::Reject;

    let mut record = base_record(&state, &method, &path, Some(route), started);

    // Gate mode: forwarded as it came; the provider's answer held (up to a size), then sent back.
    if passes
        && let Some(upstream) = state.upstream(route.provider)
        && let Some(client) = &state.client
    {
        let under = path
            .strip_prefix(&routing::prefix(route.provider))
            .unwrap_or(&path)
            .to_string();
        let host = upstream.base.host().unwrap_or_default().to_string();
        record.insert("upstream".into(), json!(escape(&host)));
        // The headers as they came, for the record completed after the forward.
        let headers_seen = parts.headers.clone();
        let timeout = state.config.upstream_timeout;
        let deadline = tokio::time::Instant::now() + timeout;
        let forwarded =
            match crate::gate::forward(client, upstream, parts, bytes, &under, timeout).await {
                // Read whole (up to a size) by the same deadline: a break or a stall
                // mid-answer is a 502 or 504 below, not a cut-off answer.
                Ok(answer) => crate::gate::read_answer(answer, deadline, timeout, &host).await,
                Err(failure) => Err(failure),
            };
        let response = match forwarded {
            Ok(crate::gate::Answered {
                mut head,
                held,
                rest,
            }) => {
                crate::gate::strip_hop_by_hop(&mut head.headers);
                preflight_headers(&mut head.headers, &check.report);
                record.insert("status".into(), json!(head.status.as_u16()));
                record.insert(
                    "outcome".into(),
                    json!(if errors > 0 {
                        "forwarded-invalid"
                    } else {
                        "forwarded"
                    }),
                );
                Response::from_parts(head, held_then_rest(held, rest))
            }
            Err((failure, detail)) => {
                let answer = answers::upstream_failure(route, failure, &detail);
                record.insert("status".into(), json!(answer.status));
                record.insert("outcome".into(), json!(failure.kind()));
                record.insert("upstream_error".into(), json!(escape(&detail)));
                let mut response = json_response(
                    StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY),
                    &answer.body,
                );
                preflight_headers(response.headers_mut(), &check.report);
                response
            }
        };
        check.keep(&state, record, started, &headers_seen, route, &params_all);
        return response;
    }

    let (answer, outcome) = if unauthorized && state.config.on_invalid == OnInvalid::Reject {
        (
            Answer {
                status: 401,
                body: check.findings_document(route, &method, &path),
            },
            "unauthorized",
        )
    } else if !passes {
        let findings_doc = check.findings_document(route, &method, &path);
        match answers::invalid(route, &findings_doc) {
            Some(answer) => (answer, "rejected"),
            None => (
                Answer {
                    status: 400,
                    body: findings_doc,
                },
                "rejected",
            ),
        }
    } else {
        (
            answers::success(route, asked, &state.ids),
            if errors > 0 { "accepted" } else { "answered" },
        )
    };

    // The gateway's status callbacks, after a send it accepted.
    if answer.status == 200
        && let Some(callbacks) = &state.callbacks
        && let Some(msgid) = answers::message_id(&answer)
        && let Some(url) = answers::notify_url(&asked)
    {
        match callbacks.check_target(url) {
            Ok(()) => {
                let sequence = answers::notify_sequence(msgid).len();
                record.insert("callbacks".into(), json!({"scheduled": sequence}));
                let sending = callbacks.spawn(url.to_string(), msgid.to_string());
                let seq = record.get("seq").cloned().unwrap_or(Value::Null);
                tokio::spawn(async move {
                    if let Ok(outcomes) = sending.await {
                        eprintln!(
                            "preflight serve: request {seq}'s status callbacks: {}",
                            crate::callbacks::describe(&outcomes)
                        );
                    }
                });
            }
            Err(refused) => {
                record.insert("callbacks".into(), json!({"refused": refused.to_string()}));
            }
        }
    }

    let mut response = json_response(
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::OK),
        &answer.body,
    );
    preflight_headers(response.headers_mut(), &check.report);

    record.insert("status".into(), json!(answer.status));
    record.insert("outcome".into(), json!(outcome));
    check.keep(&state, record, started, &parts.headers, route, &params_all);
    response
}

/// A body over the limit: a `payload-too-large` finding, answered 413 (in
/// the provider's error shape where it has one) without reading the body.
fn too_large(
    state: &State,
    method: &str,
    path: &str,
    route: &'static Route,
    started: Instant,
    headers: &HeaderMap,
    declared: Option<u64>,
) -> Response<Body> {
    let limit = state.config.max_body;
    let report = preflight::http::too_large(limit, declared, &state.config.options);
    let findings = findings_document(&report, Some(route), method, path);
    let body = match answers::invalid(route, &findings) {
        Some(answer) => answer.body,
        None => findings,
    };
    let mut response = refused(
        state,
        (method, path, Some(route)),
        started,
        headers,
        (413, "too-large"),
        &report,
        &body,
    );
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// The answer to a request refused before its body was checked (no route
/// takes it, or its body is too large), with its findings in the
/// `X-Preflight-*` headers and its record (headers masked).
fn refused(
    state: &State,
    (method, path, route): (&str, &str, Option<&'static Route>),
    started: Instant,
    headers: &HeaderMap,
    (status, outcome): (u16, &str),
    report: &Report,
    body: &Value,
) -> Response<Body> {
    let mut record = base_record(state, method, path, route, started);
    record.insert("status".into(), json!(status));
    record.insert("outcome".into(), json!(outcome));
    record.insert("errors".into(), json!(report.error_count()));
    record.insert("warnings".into(), json!(report.warning_count()));
    record.insert("findings".into(), findings_json(report));
    record.insert("headers".into(), masked_headers(headers, route));
    if let Some(n) = content_length(headers) {
        record.insert("body_bytes".into(), json!(n));
    }
    state.records.keep(Value::Object(record), None);
    let mut response = json_response(
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        body,
    );
    preflight_headers(response.headers_mut(), report);
    response
}

/// The length a request's `Content-Length` declares, when it is a number.
fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
}

fn findings_json(report: &Report) -> Value {
    Value::Array(
        report
            .diagnostics
            .iter()
            .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
            .collect(),
    )
}

/// The findings of one request as `--format json` gives them: one file,
/// named `METHOD PATH`.
fn findings_document(report: &Report, route: Option<&Route>, method: &str, path: &str) -> Value {
    let mut file = json!({
        "path": format!("{} {}", escape(method), escape(path)),
        "diagnostics": findings_json(report),
    });
    if let Some(endpoint) = route.and_then(|r| r.endpoint) {
        file["endpoint"] = json!(endpoint);
    }
    json!({
        "files": [file],
        "summary": {
            "files": 1,
            "payloads": 1,
            "errors": report.error_count(),
            "warnings": report.warning_count(),
        }
    })
}

/// A multipart form as read: text fields and files.
pub struct Form {
    pub fields: Vec<(String, String)>,
    pub files: Vec<FormFile>,
    /// Why the form could not be read to its end, if it could not.
    pub problem: Option<String>,
}

/// One uploaded file.
pub struct FormFile {
    pub field: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

async fn read_form(headers: &HeaderMap, bytes: Bytes) -> Form {
    let mut form = Form {
        fields: Vec::new(),
        files: Vec::new(),
        problem: None,
    };
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .ok_or(multer::Error::NoBoundary)
        .and_then(multer::parse_boundary);
    let boundary = match boundary {
        Ok(b) => b,
        Err(e) => {
            form.problem = Some(e.to_string());
            return form;
        }
    };
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(|m| m.to_string());
                match field.bytes().await {
                    Ok(data) => {
                        if filename.is_some() {
                            form.files.push(FormFile {
                                field: name,
                                filename,
                                content_type,
                                bytes: data,
                            });
                        } else {
                            form.fields
                                .push((name, String::from_utf8_lossy(&data).into_owned()));
                        }
                    }
                    Err(e) => {
                        form.problem = Some(e.to_string());
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(e) => {
                form.problem = Some(e.to_string());
                break;
            }
        }
    }
    form
}

/// A request checked by the library.
struct Checked {
    report: Report,
    /// The body parsed once: a JSON body, or a form's fields as an object of
    /// strings; `None` for an empty body or one that is not JSON.
    value: Option<Value>,
    /// A non-empty body that is not JSON, as text (for the record).
    text: Option<String>,
    form: Option<Form>,
    body_len: usize,
}

impl Checked {
    async fn run(
        state: &Arc<State>,
        route: &'static Route,
        method: &str,
        path: &str,
        headers: &HeaderMap,
        bytes: &Bytes,
        form: Option<Form>,
    ) -> Checked {
        let under = path
            .strip_prefix(&routing::prefix(route.provider))
            .unwrap_or(path);
        let ((report, parsed), form) = if bytes.len() > INLINE_CHECK_LIMIT {
            let header_pairs: Vec<(String, Vec<u8>)> = headers
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), v.as_bytes().to_vec()))
                .collect();
            let under = under.to_string();
            let method = method.to_string();
            let body = bytes.clone();
            let state2 = state.clone();
            let joined = tokio::task::spawn_blocking(move || {
                let headers: Vec<(&str, &[u8])> = header_pairs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_slice()))
                    .collect();
                let checked = check(
                    &state2,
                    route,
                    &method,
                    &under,
                    &headers,
                    &body,
                    form.as_ref(),
                );
                (checked, form)
            })
            .await;
            match joined {
                Ok(pair) => pair,
                // A panic in the check is answered 500 by `answer`, like one here.
                Err(e) => match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(_) => {
                        let mut report = Report::default();
                        report.diagnostics.push(Diagnostic::error(
                            "internal",
                            "",
                            "the check was cancelled (the server is stopping)",
                        ));
                        ((report, None), None)
                    }
                },
            }
        } else {
            let headers: Vec<(&str, &[u8])> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_bytes()))
                .collect();
            let checked = check(state, route, method, under, &headers, bytes, form.as_ref());
            (checked, form)
        };
        let (value, text) = match (&form, parsed) {
            (Some(form), _) => (
                Some(Value::Object(
                    form.fields
                        .iter()
                        .map(|(k, v)| (k.clone(), json!(v)))
                        .collect(),
                )),
                None,
            ),
            // The value the check parsed: the body is not parsed again.
            (None, Some(value)) => (Some(value), None),
            (None, None) if bytes.iter().all(u8::is_ascii_whitespace) => (None, None),
            (None, None) => match serde_json::from_slice::<Value>(bytes) {
                Ok(value) => (Some(value), None),
                Err(_) => (None, Some(String::from_utf8_lossy(bytes).into_owned())),
            },
        };
        Checked {
            report,
            value,
            text,
            form,
            body_len: bytes.len(),
        }
    }

    fn unauthorized(&self) -> bool {
        preflight::http::is_unauthorized(&self.report)
    }

    /// The `--format json` document of the findings.
    fn findings_document(&self, route: &Route, method: &str, path: &str) -> Value {
        findings_document(&self.report, Some(route), method, path)
    }

    fn fill_record(
        &mut self,
        record: &mut Map<String, Value>,
        headers: &HeaderMap,
        route: &Route,
        params: &[(String, String)],
    ) {
        record.insert("errors".into(), json!(self.report.error_count()));
        record.insert("warnings".into(), json!(self.report.warning_count()));
        record.insert("findings".into(), findings_json(&self.report));
        record.insert("headers".into(), masked_headers(headers, Some(route)));
        if !params.is_empty() {
            let object: Map<String, Value> =
                params.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            record.insert("params".into(), Value::Object(object));
        }
        record.insert("body_bytes".into(), json!(self.body_len));
        if let Some(form) = &self.form {
            if let Some(mut fields) = self.value.take() {
                preflight::render::mask_value(&mut fields);
                record.insert("form".into(), fields);
            }
            let files: Vec<Value> = form
                .files
                .iter()
                .map(|f| {
                    use sha2::Digest;
                    let digest = sha2::Sha256::digest(&f.bytes);
                    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                    json!({"field": f.field, "filename": f.filename, "content_type": f.content_type,
                           "bytes": f.bytes.len(), "sha256": hex})
                })
                .collect();
            record.insert("files".into(), Value::Array(files));
            if let Some(problem) = &form.problem {
                record.insert("form_problem".into(), json!(problem));
            }
        } else if let Some(mut body) = self.value.take() {
            // The answer is built: the value is masked in place, not copied.
            preflight::render::mask_value(&mut body);
            record.insert("body".into(), body);
        } else if let Some(text) = &self.text {
            record.insert(
                "body_text".into(),
                json!(preflight::render::masked_text(text, false)),
            );
        }
    }

    /// Completes the record once the answer is known (so that a forwarded
    /// request does not wait for it): the time taken, the findings, headers,
    /// body and files; then keeps it.
    fn keep(
        mut self,
        state: &State,
        mut record: Map<String, Value>,
        started: Instant,
        headers: &HeaderMap,
        route: &Route,
        params: &[(String, String)],
    ) {
        record.insert(
            "duration_us".into(),
            json!(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)),
        );
        self.fill_record(&mut record, headers, route, params);
        if let Some(dir) = state.files_dir() {
            self.store_files(&dir, &mut record);
        }
        let ring = self.ring_record(&record);
        state.records.keep(Value::Object(record), ring);
    }

    /// Keeps the form's files in `dir` by digest (written once; the same file
    /// uploaded again is not written twice), and says where in the record.
    /// A file that cannot be written is said in the record, not an error of
    /// the request.
    fn store_files(&self, dir: &std::path::Path, record: &mut Map<String, Value>) {
        let Some(form) = &self.form else { return };
        let Some(Value::Array(files)) = record.get_mut("files") else {
            return;
        };
        for (file, entry) in form.files.iter().zip(files.iter_mut()) {
            let Some(digest) = entry
                .get("sha256")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                continue;
            };
            let path = dir.join(&digest);
            let stored = if path.exists() {
                Ok(())
            } else {
                std::fs::create_dir_all(dir).and_then(|()| {
                    let partial = dir.join(format!("{digest}.partial"));
                    std::fs::write(&partial, &file.bytes)?;
                    std::fs::rename(&partial, &path)
                })
            };
            if let Value::Object(entry) = entry {
                match stored {
                    Ok(()) => {
                        entry.insert("stored".into(), json!(path.display().to_string()));
                    }
                    Err(e) => {
                        entry.insert("store_error".into(), json!(e.to_string()));
                    }
                }
            }
        }
    }

    /// The ring's copy of a record: the same, without a long body.
    fn ring_record(&self, record: &Map<String, Value>) -> Option<Value> {
        if self.body_len <= RING_BODY_LIMIT {
            return None;
        }
        let mut short = record.clone();
        short.remove("body");
        short.remove("body_text");
        short.insert("body_kept".into(), json!(false));
        Some(Value::Object(short))
    }
}

/// The one check of a request: the library's.
fn check(
    state: &State,
    route: &Route,
    method: &str,
    under: &str,
    headers: &[(&str, &[u8])],
    bytes: &[u8],
    form: Option<&Form>,
) -> (Report, Option<Value>) {
    use preflight::http::{self, File};
    let fields: Vec<(&str, &str)>;
    let files: Vec<File<'_>>;
    let body = match form {
        Some(form) => {
            fields = form
                .fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            files = form
                .files
                .iter()
                .map(|f| {
                    File::new(
                        &f.field,
                        f.filename.as_deref(),
                        f.content_type.as_deref(),
                        &f.bytes,
                    )
                })
                .collect();
            http::Body::Form {
                fields: &fields,
                files: &files,
                problem: form.problem.as_deref(),
            }
        }
        None => http::Body::Bytes(bytes),
    };
    let request = http::Request::new(method, under, headers, body);
    match http::validate_request_parsed(route, &request, &state.config.options) {
        Ok(checked) => checked,
        Err(e) => {
            let mut report = Report::default();
            report
                .diagnostics
                .push(Diagnostic::error("internal", "", e.to_string()));
            (report, None)
        }
    }
}

/// The headers as recorded: credentials (the route's auth headers and any
/// header named like a secret) as `"<redacted>"`.
fn masked_headers(headers: &HeaderMap, route: Option<&Route>) -> Value {
    let mut object = Map::new();
    for (name, value) in headers {
        let name = name.as_str();
        let secret =
            // Any provider's credential header, whichever route (if any) was
            // asked for: `Qiscus-App-Id` sent to the wrong path is still one.
            route.is_some_and(|r| r.auth.iter().any(|a| a.name.eq_ignore_ascii_case(name)))
                || credential_headers()
                    .iter()
                    .any(|c| c.eq_ignore_ascii_case(name))
                || is_secret_header(name);
        let shown = if secret {
            json!("<redacted>")
        } else {
            json!(String::from_utf8_lossy(value.as_bytes()))
        };
        object.insert(name.to_string(), shown);
    }
    Value::Object(object)
}

/// Every documented credential header's name, once each.
fn credential_headers() -> &'static [&'static str] {
    static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        for auth in preflight::http::ROUTES.iter().flat_map(|r| r.auth) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(auth.name)) {
                names.push(auth.name);
            }
        }
        names
    })
}

/// Headers whose values are credentials whatever the route.
pub fn is_secret_header(name: &str) -> bool {
    // "authorization" contains "auth": it needs no needle of its own.
    let name = name.as_bytes();
    [
        "cookie",
        "secret",
        "key",
        "token",
        "password",
        "signature",
        "auth",
    ]
    .iter()
    .any(|needle| {
        let needle = needle.as_bytes();
        name.windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    })
}

fn base_record(
    state: &State,
    method: &str,
    path: &str,
    route: Option<&Route>,
    started: Instant,
) -> Map<String, Value> {
    let mut record = Map::new();
    record.insert("seq".into(), json!(state.records.next_seq()));
    record.insert("time".into(), json!(records::now_rfc3339()));
    record.insert("method".into(), json!(method));
    record.insert("path".into(), json!(path));
    record.insert("route".into(), json!(route.map(|r| r.id)));
    record.insert("endpoint".into(), json!(route.and_then(|r| r.endpoint)));
    record.insert(
        "duration_us".into(),
        json!(u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX)),
    );
    record
}

fn preflight_headers(headers: &mut HeaderMap, report: &Report) {
    headers.insert(
        "x-preflight-errors",
        HeaderValue::from(report.error_count()),
    );
    headers.insert(
        "x-preflight-findings",
        HeaderValue::from(report.diagnostics.len()),
    );
}

/// A JSON answer.
pub fn json_response(status: StatusCode, body: &Value) -> Response<Body> {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut response = Response::new(full(bytes));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// An upstream's answer body as read by [`crate::gate::read_answer`]: the
/// bytes held, then the rest streamed when there is more.
fn held_then_rest(held: Bytes, rest: Option<Incoming>) -> Body {
    use futures_util::StreamExt;
    match rest {
        None => full(held),
        Some(rest) => {
            let first = futures_util::stream::once(async move {
                Ok::<_, BoxError>(hyper::body::Frame::data(held))
            });
            let rest = http_body_util::BodyStream::new(rest).map(|f| f.map_err(BoxError::from));
            BodyExt::boxed(http_body_util::StreamBody::new(first.chain(rest)))
        }
    }
}

/// A body of bytes.
pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// Text from a request as it may be shown.
fn escape(text: &str) -> String {
    preflight::render::escape_controls(text).into_owned()
}
