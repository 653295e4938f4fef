//! `/__preflight/…`: what tests ask the server.
//!
//! - `GET /__preflight/health`: `{"status": "ok", "version": …, "requests": N}`
//! - `GET /__preflight/requests[?endpoint=ID&findings=true&errors=true]`: `{"requests": […], "dropped": N}`
//! - `DELETE /__preflight/requests`: forgets the records and counts, `{"deleted": N}`
//! - `GET /__preflight/summary`: counts by endpoint, rule and status
//! - `GET /__preflight/files/<sha256>`: an uploaded file, as stored beside
//!   the `--record` file (404 without `--record` or for an unknown digest)
//!
//! The README's "Stand-in server" section describes the shapes.

use crate::app::{Body, State, json_response};
use crate::records::Filter;
use crate::routing::query_pairs;
use hyper::header::{self, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::json;

/// The answer to a `/__preflight/…` request.
pub(crate) fn answer(
    state: &State,
    method: &str,
    path: &str,
    query: Option<&str>,
) -> Response<Body> {
    let path = path.trim_end_matches('/');
    if let Some(digest) = path.strip_prefix("/__preflight/files/") {
        return stored_file(state, method, digest);
    }
    let allowed: &[&str] = match path {
        "/__preflight/health" | "/__preflight/summary" => &["GET"],
        "/__preflight/requests" => &["GET", "DELETE"],
        _ => {
            return json_response(
                StatusCode::NOT_FOUND,
                &json!({
                    "error": format!("no such preflight route: {}", preflight::render::escape_controls(path)),
                    "routes": ["GET /__preflight/health", "GET /__preflight/requests", "DELETE /__preflight/requests", "GET /__preflight/summary", "GET /__preflight/files/<sha256>"],
                    "preflight": true,
                }),
            );
        }
    };
    if !allowed.contains(&method) {
        let mut response = json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &json!({"error": format!("{path} takes {}", allowed.join(", ")), "allowed": allowed, "preflight": true}),
        );
        if let Ok(v) = HeaderValue::from_str(&allowed.join(", ")) {
            response.headers_mut().insert(header::ALLOW, v);
        }
        return response;
    }
    match (method, path) {
        ("GET", "/__preflight/health") => json_response(
            StatusCode::OK,
            &json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "requests": state.records.next_seq_peek(),
            }),
        ),
        ("GET", "/__preflight/summary") => json_response(StatusCode::OK, &state.records.summary()),
        ("DELETE", _) => {
            let deleted = state.records.reset();
            json_response(StatusCode::OK, &json!({"deleted": deleted}))
        }
        _ => match Filter::parse(&query_pairs(query)) {
            Ok(filter) => json_response(StatusCode::OK, &state.records.list(&filter)),
            Err(problem) => json_response(
                StatusCode::BAD_REQUEST,
                &json!({"error": problem, "preflight": true}),
            ),
        },
    }
}

/// `GET /__preflight/files/<sha256>`: the uploaded file with that digest.
fn stored_file(state: &State, method: &str, digest: &str) -> Response<Body> {
    if method != "GET" {
        let mut response = json_response(
            StatusCode::METHOD_NOT_ALLOWED,
            &json!({"error": "/__preflight/files/<sha256> takes GET", "allowed": ["GET"], "preflight": true}),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET"));
        return response;
    }
    let well_formed = digest.len() == 64
        && digest
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    let Some(dir) = state.files_dir() else {
        return json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "uploaded files are stored only with --record FILE.ndjson (beside it, in FILE.ndjson.files/)", "preflight": true}),
        );
    };
    match std::fs::read(dir.join(digest)) {
        Ok(bytes) if well_formed => {
            let mut response = Response::new(crate::app::full(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            response
        }
        _ => json_response(
            StatusCode::NOT_FOUND,
            &json!({"error": "no uploaded file has that SHA-256 (the records' `files[].sha256`)", "preflight": true}),
        ),
    }
}
