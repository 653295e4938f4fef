//! The bodies of preflight's fuzz targets (`fuzz/fuzz_targets/`), one
//! function per target taking the fuzzer's bytes, with the invariants
//! checked inside: a broken one panics with what broke, which is how the
//! fuzzer finds it. `tests/replay.rs` runs every corpus and regression input
//! through them as an ordinary test, on stable.
//!
//! The targets: [`validate`], [`mutated_examples`], [`types_roundtrip`], [`render`],
//! [`templates`], [`http`] and [`config`].

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a fuzz harness reports a broken invariant by panicking"
)]

pub mod dict;
pub mod invariants;
pub mod mutate;
pub mod secrets;

use preflight::render::{self, FileResult, Format};
use preflight::templates::{TemplateSet, Templates};
use preflight::{Endpoint, Options, Origin};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

mod seeds {
    include!(concat!(env!("OUT_DIR"), "/seeds.rs"));
}
pub use seeds::SEEDS;

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target, by name: what `fuzz/fuzz_targets/<name>.rs` calls.
pub const TARGETS: &[(&str, Target)] = &[
    ("validate", validate),
    ("mutated_examples", mutated_examples),
    ("types_roundtrip", types_roundtrip),
    ("render", render),
    ("templates", templates),
    ("http", http),
    ("config", config),
];

fn endpoints() -> &'static [Endpoint] {
    preflight::endpoints().unwrap()
}

/// The endpoint byte `b` picks.
fn endpoint_of(b: u8) -> &'static Endpoint {
    let all = endpoints();
    &all[usize::from(b) % all.len()]
}

/// Validates `payload` for `endpoint` with `options`: every finding's
/// invariants, the same report twice, and `--fix` settling.
fn check_payload(endpoint: &'static Endpoint, payload: &[u8], options: &Options) {
    let what = endpoint.id;
    let report = preflight::validate_with(endpoint.id, payload, options).unwrap();
    invariants::diagnostics(what, payload, &report.diagnostics);
    let again = preflight::validate_with(endpoint.id, payload, options).unwrap();
    assert_eq!(report, again, "{what}: the same payload, another report");
    // Only a payload with a fix can change under `--fix`.
    if options.templates.is_none() && report.diagnostics.iter().any(|d| d.fix.is_some()) {
        invariants::fixes(what, Some(endpoint), payload);
    }
}

/// `validate`: the endpoint from the first byte, the rest as the payload.
pub fn validate(data: &[u8]) {
    let Some((&first, payload)) = data.split_first() else {
        return;
    };
    check_payload(endpoint_of(first), payload, &Options::default());
}

/// `mutated_examples`: a seed (a shipped example or rule case, [`SEEDS`]) from the
/// first two bytes, edited as the rest says ([`mutate::apply`]); checked for
/// its endpoint (a templates file as one), and as the command checks it
/// with the endpoint detected.
pub fn mutated_examples(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let pick = (usize::from(data[0]) << 8) | usize::from(data[1]);
    let (id, _, seed) = SEEDS[pick % SEEDS.len()];
    let payload = mutate::apply(seed, &data[2..]);
    if id == "meta/message-templates" {
        // What is left of the two bytes picks the example checked against it.
        check_templates_file(&payload, pick / SEEDS.len());
        return;
    }
    let Ok(endpoint) = preflight::endpoint(id) else {
        return;
    };
    check_payload(endpoint, &payload, &Options::default());
    let checked = preflight::check(&payload, None, &Options::default(), Origin::default()).unwrap();
    let diagnostics: Vec<_> = checked.findings.into_iter().map(|f| f.diagnostic).collect();
    invariants::diagnostics("detected", &payload, &diagnostics);
}

/// `types_roundtrip`: the endpoint (of the typed ones) from the first byte,
/// the rest as JSON text: what `Request::parse` accepts serializes to a
/// payload with no error finding, and parses back to the same value.
pub fn types_roundtrip(data: &[u8]) {
    use preflight::types::Request;
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let ids = Request::ENDPOINTS;
    let id = ids[usize::from(first) % ids.len()];
    let text = String::from_utf8_lossy(rest);
    let Ok(request) = Request::parse(id, &text) else {
        return;
    };
    assert_eq!(request.endpoint_id(), id);
    assert!(
        !request.validate().has_errors(),
        "{id}: a parsed value has an error finding: {text:?}"
    );
    let json = serde_json::to_string(&request).unwrap();
    let report = preflight::validate(id, json.as_bytes()).unwrap();
    assert!(
        !report.has_errors(),
        "{id}: the serialized value has error findings {:?}: {json}",
        report.diagnostics
    );
    let back = Request::parse(id, &json)
        .unwrap_or_else(|e| panic!("{id}: the serialized value does not parse: {e}: {json}"));
    assert!(
        back == request,
        "{id}: another value on the way back: {json}"
    );
}

/// The renderings the `render` target can ask for: every format with
/// colour off, and the text format with colour.
const RENDERINGS: [(Format, bool); 6] = [
    (Format::Text, false),
    (Format::Json, false),
    (Format::Sarif, false),
    (Format::Github, false),
    (Format::Concise, false),
    (Format::Text, true),
];

/// `files` rendered as the text format (colour off) and as `pick` says
/// ([`RENDERINGS`]); a SARIF log is 200 kB of rule help however few the
/// findings, so one format a run keeps the target fast, and the fuzzer
/// reaches every format through the byte that picks it.
fn renderings(files: &[FileResult], pick: u8) -> Vec<(Format, bool, String)> {
    let mut out = vec![(
        Format::Text,
        false,
        render::render(Format::Text, files, false),
    )];
    let (format, color) = RENDERINGS[usize::from(pick) % RENDERINGS.len()];
    if (format, color) != (Format::Text, false) {
        out.push((format, color, render::render(format, files, color)));
    }
    out
}

/// Checks `bytes` as the command does and renders the findings as the text
/// format and as `pick` says; every rendering is printable (colour off) or
/// valid JSON, and the text one the same twice. Returns the renderings.
fn check_and_render(
    endpoint: Option<&'static Endpoint>,
    bytes: &[u8],
    options: &Options,
    pick: u8,
) -> Vec<(Format, bool, String)> {
    let checked = preflight::check(bytes, endpoint, options, Origin::default()).unwrap();
    let diagnostics: Vec<_> = checked
        .findings
        .iter()
        .map(|f| f.diagnostic.clone())
        .collect();
    invariants::diagnostics("check", bytes, &diagnostics);
    let files = [FileResult {
        path: "fixtures/payload.json".to_string(),
        endpoint: endpoint.map(|e| e.id.to_string()),
        payloads: 1,
        findings: checked.findings,
    }];
    let out = renderings(&files, pick);
    for (format, color, text) in &out {
        let what = format!("{format:?} (colour {color})");
        match format {
            Format::Json | Format::Sarif if !color => {
                assert!(
                    serde_json::from_str::<serde_json::Value>(text).is_ok(),
                    "{what}: not JSON:\n{text}"
                );
            }
            _ if !color => invariants::printable(&what, text),
            _ => {}
        }
    }
    assert_eq!(
        out[0].2,
        render::render(Format::Text, &files, false),
        "the same findings, another rendering"
    );
    out
}

/// `render`: the first byte's low bit picks the mode and the rest of it the
/// rendering besides text ([`RENDERINGS`]). Mode 0: the second byte picks
/// the endpoint (0: detected) and the rest is the payload; mode 1: the rest
/// describes a payload with a planted secret ([`secrets::plant`]), which no
/// rendering may show.
pub fn render(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let pick = mode >> 1;
    if mode % 2 == 0 {
        let Some((&which, payload)) = rest.split_first() else {
            return;
        };
        let endpoint = (which != 0).then(|| endpoint_of(which - 1));
        check_and_render(endpoint, payload, &Options::default(), pick);
    } else {
        let planted = secrets::plant(rest);
        let endpoint = planted.endpoint.map(|id| preflight::endpoint(id).unwrap());
        for (format, color, out) in
            check_and_render(endpoint, planted.text.as_bytes(), &Options::default(), pick)
        {
            invariants::hidden(
                &format!("{format:?} (colour {color}) of {:?}", planted.text),
                &planted.secret,
                &out,
            );
        }
    }
}

/// The example account's templates, as the root `preflight.toml` maps
/// them.
pub fn example_templates() -> Arc<Templates> {
    static TEMPLATES: OnceLock<Arc<Templates>> = OnceLock::new();
    TEMPLATES
        .get_or_init(|| {
            let mut set = TemplateSet::new();
            let (_, name, bytes) = SEEDS
                .iter()
                .find(|(_, name, _)| *name == "examples/templates/message_templates.json")
                .unwrap();
            set.add_text(name, std::str::from_utf8(bytes).unwrap())
                .unwrap();
            let config: toml::Value =
                toml::from_str(include_str!("../../../preflight.toml")).unwrap();
            let mut ids: HashMap<String, HashMap<String, String>> = HashMap::new();
            if let Some(table) = config["templates"]["ids"].as_table() {
                for (provider, map) in table {
                    let entry = ids.entry(provider.clone()).or_default();
                    for (k, v) in map.as_table().into_iter().flatten() {
                        entry.insert(k.clone(), v.as_str().unwrap_or_default().to_string());
                    }
                }
            }
            Arc::new(Templates {
                set,
                ids,
                default_language: Some("id".to_string()),
            })
        })
        .clone()
}

/// The endpoints whose payloads name a template ([`template_examples`]).
fn template_senders() -> Vec<&'static Endpoint> {
    let mut out: Vec<&'static Endpoint> = template_examples().iter().map(|(e, _)| *e).collect();
    out.dedup_by_key(|e| e.id);
    out
}

/// The shipped examples that send a template, with their endpoints.
fn template_examples() -> &'static [(&'static Endpoint, &'static [u8])] {
    static EXAMPLES: OnceLock<Vec<(&'static Endpoint, &'static [u8])>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        SEEDS
            .iter()
            .filter(|(id, name, bytes)| {
                name.starts_with("examples/")
                    && *id != "meta/message-templates"
                    && bytes.windows(8).any(|w| w == b"template")
            })
            .filter_map(|(id, _, seed)| Some((preflight::endpoint(id).ok()?, *seed)))
            .collect()
    })
}

/// A templates file's check ([`preflight::templates::check_file`]): its
/// findings' invariants, the same twice; and, when it loads, the
/// template-sending example `pick` names ([`template_examples`]) checked
/// against it. One example a run, not all 48 of them: checking every one
/// made a loading file 48 times as slow as one that does not load, and the
/// fuzzer reaches each example through the byte that picks it.
fn check_templates_file(bytes: &[u8], pick: usize) {
    let options = Options::default();
    let checked = preflight::templates::check_file(bytes, &options).unwrap();
    let diagnostics: Vec<_> = checked.findings.into_iter().map(|f| f.diagnostic).collect();
    invariants::diagnostics("templates file", bytes, &diagnostics);
    let again = preflight::templates::check_file(bytes, &options).unwrap();
    let again: Vec<_> = again.findings.into_iter().map(|f| f.diagnostic).collect();
    assert_eq!(
        diagnostics, again,
        "the same templates file, other findings"
    );
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut set = TemplateSet::new();
    if set.add_text("templates.json", text).is_err() {
        return;
    }
    let mut with = Options::default();
    with.templates = Some(Arc::new(Templates::new(set)));
    let examples = template_examples();
    if let Some((endpoint, seed)) = examples.get(pick % examples.len().max(1)) {
        check_payload(endpoint, seed, &with);
    }
}

/// `templates`: with the first byte even, the rest is a templates file
/// ([`check_templates_file`], the rest of the first byte picking the example
/// checked against it); odd, the second byte picks a template-sending
/// endpoint and the rest is its payload, checked against the example
/// account's templates.
pub fn templates(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        check_templates_file(rest, usize::from(mode >> 1));
        return;
    }
    let Some((&which, payload)) = rest.split_first() else {
        return;
    };
    let senders = template_senders();
    let endpoint = senders[usize::from(which) % senders.len()];
    let mut options = Options::default();
    options.templates = Some(example_templates());
    check_payload(endpoint, payload, &options);
}

/// The server the `http` target talks to, built once.
fn server() -> &'static preflight_server::fuzzing::Server {
    static SERVER: OnceLock<preflight_server::fuzzing::Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        let mut config = preflight_server::Config::default();
        config.max_body = 1 << 20;
        config.ring = 64;
        preflight_server::fuzzing::Server::new(config).unwrap()
    })
}

/// Serves raw HTTP/1.1 `bytes` as one connection to the `http` target's server.
pub fn serve(bytes: &[u8]) -> preflight_server::fuzzing::Served {
    server().serve(bytes)
}

/// The secret the `http` target puts in credential headers.
const HEADER_SECRET: &str = "QJZKWVQJZKWVZZKQ";

/// `http`: the server's request handling. With the first byte even, the
/// rest is raw HTTP/1.1 sent as it is, with an `Authorization` header
/// holding a secret added after the first line; odd, a request to a
/// documented route ([`preflight::http::ROUTES`], the second byte) with its
/// credential headers set to a secret and, as its body, a payload with a
/// planted secret (JSON, or the form's fields as multipart). Neither secret
/// may appear in the answer or the records; every request that got an
/// answer is recorded.
pub fn http(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (request, secret) = if mode % 2 == 0 {
        let mut request = rest.to_vec();
        // Upper-case letters of the secret's could only come from the bytes.
        for b in &mut request {
            if b"QJZKWV".contains(b) {
                *b = b.to_ascii_lowercase();
            }
        }
        if let Some(i) = request.windows(2).position(|w| w == b"\r\n") {
            let header = format!("\r\nAuthorization: Bearer {HEADER_SECRET}");
            request.splice(i..i, header.bytes());
        }
        (request, None)
    } else {
        let (request, secret) = route_request(rest);
        (request, Some(secret))
    };
    let served = serve(&request);
    let records = serde_json::to_string(&served.records).unwrap();
    let response = String::from_utf8_lossy(&served.response);
    for (what, out) in [("the answer", &*response), ("the records", &records)] {
        invariants::hidden(what, HEADER_SECRET, out);
        if let Some(secret) = &secret {
            invariants::hidden(what, secret, out);
        }
    }
    let answers = response.matches("HTTP/1.1 ").count();
    assert!(
        served.records.len() <= answers.max(1) + 1,
        "{} records for {answers} answers:\n{records}",
        served.records.len()
    );
}

/// A route's path with each `{parameter}` filled (`1`), as a request sends it.
pub fn concrete_path(route: &preflight::http::Route) -> String {
    route
        .path
        .split('/')
        .map(|s| if s.starts_with('{') { "1" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// A request to a documented route, as [`http`] describes; and the body's
/// secret.
fn route_request(data: &[u8]) -> (Vec<u8>, String) {
    use preflight::http::{BodyKind, ROUTES};
    let get = |i: usize| data.get(i).copied().unwrap_or(0);
    let route = &ROUTES[usize::from(get(0)) % ROUTES.len()];
    let planted = secrets::plant(data.get(2..).unwrap_or_default());
    let path = concrete_path(route);
    let mut head = format!("{} {path} HTTP/1.1\r\nHost: localhost\r\n", route.method);
    for auth in route.auth {
        let scheme = auth.scheme.map(|s| format!("{s} ")).unwrap_or_default();
        head.push_str(&format!("{}: {scheme}{HEADER_SECRET}\r\n", auth.name));
    }
    let multipart = route.bodies.contains(&BodyKind::Multipart)
        && (get(1) % 2 == 1 || !route.bodies.contains(&BodyKind::Json));
    let body = if route.bodies == [BodyKind::Empty] {
        Vec::new()
    } else if multipart {
        let boundary = "preflightboundary";
        head.push_str(&format!(
            "Content-Type: multipart/form-data; boundary={boundary}\r\n"
        ));
        let mut body = String::new();
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&planted.text).unwrap_or_default();
        for (k, v) in &fields {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
            ));
        }
        if let Some(upload) = route.upload {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nphone_number,nama\r\n6281234567890,Siti\r\n",
                upload.field
            ));
        }
        // The body cut where the bytes say (inside a character, maybe), or closed.
        if get(1) % 4 == 3 {
            let mut bytes = body.into_bytes();
            bytes.truncate(bytes.len() / 2);
            bytes
        } else {
            body.push_str(&format!("--{boundary}--\r\n"));
            body.into_bytes()
        }
    } else {
        head.push_str("Content-Type: application/json\r\n");
        planted.text.into_bytes()
    };
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut request = head.into_bytes();
    request.extend(body);
    (request, planted.secret)
}

/// `config`: with the first byte even, the rest is a `preflight.toml`
/// (loaded as the command loads it: globs, rules, `[[ignore]]`,
/// `[[expect]]`); odd, a fixture's `NAME.expect.toml`. No panic; every
/// glob's span inside the text and its line and column right; an error's
/// message printable; the same twice.
pub fn config(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    if mode % 2 == 1 {
        let result = preflight_cli::fuzzing::sidecar(text);
        if let Err(e) = &result {
            invariants::printable("the sidecar's error", e);
        }
        assert_eq!(result, preflight_cli::fuzzing::sidecar(text));
        return;
    }
    if mode % 4 == 2 {
        // A credential, its string continued (or broken) by the input: the
        // error, wherever the parse stops, never shows it.
        const SECRET: &str = "QZJKWVQZJKWV";
        let planted = format!("[credentials.qiscus]\n\"Qiscus-Secret-Key\" = \"{SECRET}{text}");
        // Unless the input has a piece of it too, somewhere else (a key,
        // say), where it is not a credential and may be shown.
        if let Err(e) = preflight_cli::fuzzing::config(&planted)
            && !invariants::shares_a_piece(SECRET, text)
        {
            invariants::hidden(&format!("the error of {planted:?}"), SECRET, &e);
        }
    }
    let result = preflight_cli::fuzzing::config(text);
    match &result {
        Ok(loaded) => {
            for (span, at) in &loaded.spans {
                invariants::span("a glob", text.as_bytes(), span, Some(*at), None);
            }
        }
        Err(e) => invariants::printable("the config's error", e),
    }
    assert_eq!(result, preflight_cli::fuzzing::config(text));
}
