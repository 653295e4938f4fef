//! [`validate_request`]: a whole HTTP request — its credentials, its
//! `Content-Type`, its body or form and the file it uploads — checked with
//! the same engine as [`crate::validate_with`].

use super::{BodyKind, ROUTES, Route, UploadKind};
use crate::engine::pipeline;
use crate::{Diagnostic, Error, Options, Report, Severity, Source};
use serde_json::{Map, Value};

/// The rule of a route's credential header that is missing or empty.
pub const MISSING_AUTH_HEADER: &str = "missing-auth-header";
/// The rule of a credential that is not of the documented form.
pub const AUTH_HEADER_FORM: &str = "auth-header-form";
/// The rule of a credential that differs from the configured one.
pub const CREDENTIALS_MISMATCH: &str = "credentials-mismatch";
/// The rule of a body sent with a `Content-Type` the route does not read.
pub const WRONG_CONTENT_TYPE: &str = "wrong-content-type";
/// The rule of an upload route's form without its file.
pub const MISSING_UPLOAD_FILE: &str = "missing-upload-file";
/// The rule of an uploaded file that is not what the route takes.
pub const UPLOAD_FILE_FORMAT: &str = "upload-file-format";
/// The rule of a body that is another route's.
pub const SIBLING_ROUTE_BODY: &str = "sibling-route-body";
/// The rules whose errors a provider answers with 401 (`preflight serve`
/// does too): the credentials are missing, malformed or wrong.
pub const UNAUTHORIZED_RULES: &[&str] =
    &[MISSING_AUTH_HEADER, AUTH_HEADER_FORM, CREDENTIALS_MISMATCH];

/// The most rows of Qiscus' recipients CSV in one upload ("You can send
/// messages up to 1000 recipients at one time").
pub const QISCUS_CSV_MAX_RECIPIENTS: usize = 1000;

/// One HTTP request as it arrived.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The method (`POST`).
    pub method: &'a str,
    /// The path under the provider's base URL (`/api/sendwa`).
    pub path: &'a str,
    /// The headers, names in any case, values as sent.
    pub headers: &'a [(&'a str, &'a [u8])],
    /// The body.
    pub body: Body<'a>,
}

impl<'a> Request<'a> {
    /// A request.
    pub fn new(
        method: &'a str,
        path: &'a str,
        headers: &'a [(&'a str, &'a [u8])],
        body: Body<'a>,
    ) -> Self {
        Request {
            method,
            path,
            headers,
            body,
        }
    }

    /// The first value of a header, its name matched case-insensitively.
    fn header(&self, name: &str) -> Option<&'a [u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

/// A request's body.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Body<'a> {
    /// The bytes as sent (a JSON document, or nothing).
    Bytes(&'a [u8]),
    /// A `multipart/form-data` body as read.
    Form {
        /// The text fields, in order.
        fields: &'a [(&'a str, &'a str)],
        /// The files.
        files: &'a [File<'a>],
        /// Why the form could not be read to its end, if it could not.
        problem: Option<&'a str>,
    },
}

/// One uploaded file of a form.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct File<'a> {
    /// The form field it came in.
    pub field: &'a str,
    /// The file name the client gave.
    pub filename: Option<&'a str>,
    /// The part's `Content-Type`.
    pub content_type: Option<&'a str>,
    /// The file's bytes.
    pub bytes: &'a [u8],
}

impl<'a> File<'a> {
    /// A file.
    pub fn new(
        field: &'a str,
        filename: Option<&'a str>,
        content_type: Option<&'a str>,
        bytes: &'a [u8],
    ) -> Self {
        File {
            field,
            filename,
            content_type,
            bytes,
        }
    }
}

/// Whether a report holds an error the provider answers 401 (see
/// [`UNAUTHORIZED_RULES`]).
pub fn is_unauthorized(report: &Report) -> bool {
    report
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && UNAUTHORIZED_RULES.contains(&d.rule.as_str()))
}

/// Checks a whole request to `route`: the headers that carry its credentials
/// (present, of the documented form, equal to `options.credentials` when
/// configured), its `Content-Type`, its body (a JSON document checked as
/// [`crate::validate_with`] checks it, or a form's fields as the route's
/// endpoint), the file an upload route takes, and whether the body is
/// another documented route's. Request-level findings have the pointer `""`;
/// body findings are placed in the body. Header values are never shown.
///
/// ```
/// use preflight::http::{self, Body, Request};
///
/// let route = http::route("chatbot/sendwa").unwrap();
/// let body = br#"{"nohp": "6281234567890", "pesan": "Halo Kak Siti"}"#;
/// let headers: &[(&str, &[u8])] = &[("Content-Type", b"application/json")];
/// let request = Request::new("POST", "/api/sendwa", headers, Body::Bytes(body));
/// let report = http::validate_request(route, &request, &Default::default())?;
/// assert_eq!(report.diagnostics[0].rule, "missing-auth-header");
/// assert!(http::is_unauthorized(&report));
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// Only if the embedded schemas are broken (a bug in preflight).
pub fn validate_request(
    route: &Route,
    request: &Request<'_>,
    options: &Options,
) -> Result<Report, Error> {
    validate_request_parsed(route, request, options).map(|(report, _)| report)
}

/// [`validate_request`], also handing back the JSON body as the check parsed
/// it, for a caller that needs the value too (the stand-in server echoes and
/// records it) and would otherwise parse the body again. `None` for a form,
/// a body that is not JSON text, or one checked as another route's.
///
/// ```
/// use preflight::http::{self, Body, Request};
/// let route = http::route("chatbot/sendwa").expect("a documented route");
/// let body = br#"{"nohp": "6281234567890", "pesan": "Halo Budi, pesanan #TB-0042 sudah dikirim."}"#;
/// let headers: &[(&str, &[u8])] = &[("content-type", b"application/json"), ("secretkey", b"a8F3kQ9zX2")];
/// let request = Request::new("POST", "/api/sendwa", headers, Body::Bytes(body));
/// let (report, value) = http::validate_request_parsed(route, &request, &preflight::Options::default())?;
/// assert_eq!(report.error_count(), 0);
/// assert_eq!(value.expect("parsed")["nohp"], "6281234567890");
/// # Ok::<(), preflight::Error>(())
/// ```
///
/// # Errors
/// As [`validate_request`].
pub fn validate_request_parsed(
    route: &Route,
    request: &Request<'_>,
    options: &Options,
) -> Result<(Report, Option<Value>), Error> {
    let mut out = Vec::new();
    credentials(route, request, options, &mut out);
    let value = match request.body {
        Body::Bytes(bytes) => bytes_body(route, request, bytes, options, &mut out)?,
        Body::Form {
            fields,
            files,
            problem,
        } => {
            form_body(route, fields, files, problem, options, &mut out)?;
            None
        }
    };
    pipeline::apply_levels(&mut out, options);
    pipeline::sort(&mut out);
    Ok((Report { diagnostics: out }, value))
}

fn finding(rule: &str, severity: Severity, message: String) -> Diagnostic {
    Diagnostic::new(rule, severity, "", message).with_source(Source::Provider)
}

fn credentials(route: &Route, request: &Request<'_>, options: &Options, out: &mut Vec<Diagnostic>) {
    let configured = options.credentials.get(route.provider);
    for auth in route.auth {
        let example = match auth.scheme {
            Some(scheme) => format!("`{}: {scheme} <token>`", auth.name),
            None => format!("`{}: <value>`", auth.name),
        };
        let raw = request.header(auth.name).unwrap_or_default();
        let Ok(value) = std::str::from_utf8(raw) else {
            out.push(
                finding(
                    AUTH_HEADER_FORM,
                    Severity::Error,
                    format!(
                        "the `{}` header's value is not text (it has bytes outside ASCII)",
                        auth.name
                    ),
                )
                .with_help(format!(
                    "send {example} with the credential as the provider issued it"
                )),
            );
            continue;
        };
        let value = value.trim();
        if value.is_empty() {
            let what = if request.header(auth.name).is_some() {
                "is empty"
            } else {
                "is missing"
            };
            out.push(
                finding(
                    MISSING_AUTH_HEADER,
                    Severity::Error,
                    format!(
                        "the `{}` header {what}: {} answers 401 without it",
                        auth.name, route.provider
                    ),
                )
                .with_help(format!("send {example} on every {} call", route.provider)),
            );
            continue;
        }
        let token = match auth.scheme {
            Some(scheme) => match split_scheme(value, scheme) {
                Some(token) if !token.is_empty() => token,
                Some(_) => {
                    out.push(
                        finding(
                            AUTH_HEADER_FORM,
                            Severity::Error,
                            format!(
                                "the `{}` header is `{scheme}` with no token after it",
                                auth.name
                            ),
                        )
                        .with_help(format!("send {example}")),
                    );
                    continue;
                }
                None => {
                    out.push(
                        finding(
                            AUTH_HEADER_FORM,
                            Severity::Error,
                            format!(
                                "the `{}` header does not start with `{scheme} `: {} reads the token after the scheme",
                                auth.name, route.provider
                            ),
                        )
                        .with_help(format!("send {example}: the word `{scheme}`, a space, then the token")),
                    );
                    continue;
                }
            },
            None => value,
        };
        if is_placeholder(token) {
            out.push(
                finding(
                    AUTH_HEADER_FORM,
                    Severity::Error,
                    format!(
                        "the `{}` header holds a placeholder as the doc writes it (`{{{{…}}}}`, `[…]`, `<…>` or `${{…}}`), not a credential",
                        auth.name
                    ),
                )
                .with_help("put the credential itself there: is the variable that should hold it unset?"),
            );
            continue;
        }
        let expected = configured.and_then(|headers| {
            headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(auth.name))
                .map(|(_, v)| v.trim())
        });
        if let Some(expected) = expected
            && expected != token
        {
            out.push(
                finding(
                    CREDENTIALS_MISMATCH,
                    Severity::Error,
                    format!(
                        "the `{}` header does not match the credential configured for {} (`[credentials.{}]` in preflight.toml)",
                        auth.name, route.provider, route.provider
                    ),
                )
                .with_help("send the credential of the account the configuration names, or correct the configuration"),
            );
        }
    }
}

/// The token after `scheme` and spaces, if the value starts with the scheme
/// (any case); `Some("")` for the scheme alone.
fn split_scheme<'v>(value: &'v str, scheme: &str) -> Option<&'v str> {
    let head = value.get(..scheme.len())?;
    if !head.eq_ignore_ascii_case(scheme) {
        return None;
    }
    let rest = &value[scheme.len()..];
    if rest.is_empty() {
        return Some("");
    }
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some(rest.trim_start())
}

/// A value that is a template placeholder as the providers' docs write
/// them: `{{secret_key}}`, `[generatedToken]`, `<token>`, `${TOKEN}`.
fn is_placeholder(value: &str) -> bool {
    let wrapped = |open: &str, close: &str| {
        value.len() > open.len() + close.len()
            && value.starts_with(open)
            && value.ends_with(close)
            && !value[open.len()..value.len() - close.len()]
                .contains([' ', open.chars().next().unwrap_or(' ')])
    };
    wrapped("{{", "}}") || wrapped("[", "]") || wrapped("<", ">") || wrapped("${", "}")
}

/// The media type of a `Content-Type` value, lowercased, without parameters.
fn media_type(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    text.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json_media(media: &str) -> bool {
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

fn route_line(route: &Route) -> String {
    format!("{} /{}{}", route.method, route.provider, route.path)
}

fn bytes_body(
    route: &Route,
    request: &Request<'_>,
    bytes: &[u8],
    options: &Options,
    out: &mut Vec<Diagnostic>,
) -> Result<Option<Value>, Error> {
    let takes_json = route.bodies.contains(&BodyKind::Json);
    let takes_form = route.bodies.contains(&BodyKind::Multipart);
    if !takes_json {
        if takes_form {
            let media = request.header("content-type").map(media_type);
            out.push(
                finding(
                    WRONG_CONTENT_TYPE,
                    Severity::Error,
                    format!(
                        "{} takes multipart/form-data, but the request is {}",
                        route_line(route),
                        media.map_or("sent without a Content-Type".to_string(), |m| format!(
                            "`{m}`"
                        ))
                    ),
                )
                .with_help(multipart_help(route)),
            );
        }
        return Ok(None);
    }
    let Some(endpoint) = route.endpoint else {
        return Ok(None);
    };
    // Parsed only where a finding depends on it (most requests need neither).
    let parses = || serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
    match request.header("content-type").map(media_type) {
        None => out.push(
            finding(
                WRONG_CONTENT_TYPE,
                Severity::Warning,
                format!("the request has no Content-Type; {} takes `application/json`", route_line(route)),
            )
            .with_help("send `Content-Type: application/json`: the doc's samples do, and a server may not read a body without it"),
        ),
        Some(media) if is_json_media(&media) => {}
        Some(media) => {
            let help = if media == "application/x-www-form-urlencoded" {
                "send the payload as JSON text with `Content-Type: application/json` (in PHP: `CURLOPT_POSTFIELDS => json_encode($payload)` and the header; an array there is sent as a form)"
            } else {
                "send `Content-Type: application/json` with the JSON text as the body"
            };
            out.push(
                finding(
                    WRONG_CONTENT_TYPE,
                    Severity::Error,
                    format!("the request is `{}`, but {} takes `application/json`", crate::render::escape_controls(&media), route_line(route)),
                )
                .with_help(help),
            );
            if !parses() {
                // One mistake: the body is not JSON because it was sent as something else.
                return Ok(None);
            }
        }
    }
    // A body of the route the doc's samples send here (`also_at`).
    let mut others = ROUTES
        .iter()
        .filter(|r| {
            r.provider == route.provider && r.also_at == Some(route.path) && r.endpoint.is_some()
        })
        .peekable();
    if others.peek().is_some()
        && let Some(value) = json_value(bytes)
    {
        for other in others {
            let Some(other_endpoint) = other.endpoint else {
                continue;
            };
            if crate::detect(&value).is_ok_and(|e| e.id == other_endpoint) {
                let report = crate::validate_with(other_endpoint, bytes, options)?;
                out.extend(report.diagnostics);
                out.push(
                    finding(
                        "doc-discrepancy",
                        Severity::Warning,
                        format!(
                            "this is a {other_endpoint} body sent to {}: {}",
                            route_line(route),
                            other
                                .discrepancy
                                .unwrap_or("the doc's samples send it here")
                        ),
                    )
                    .with_help(format!(
                        "its documented route is {}; send it there if the gateway answers it",
                        route_line(other)
                    )),
                );
                return Ok(None);
            }
        }
    }
    let (report, value) = pipeline::validate_bytes_parsed(
        crate::engine::schema::registry::Registry::get()?.endpoint(endpoint)?,
        bytes,
        options,
    )?;
    if report.has_errors()
        && let Some(value) = &value
        && let Some(sibling) = sibling(route, endpoint, value, options)?
        && options.level(SIBLING_ROUTE_BODY) != Some(crate::Level::Off)
    {
        out.push(
            finding(
                SIBLING_ROUTE_BODY,
                Severity::Error,
                format!(
                    "this body is a {} payload, sent to {}: it fits {} with no error, and gives {} here",
                    sibling.endpoint.unwrap_or(sibling.id),
                    route_line(route),
                    route_line(sibling),
                    count(report.error_count(), "error")
                ),
            )
            .with_help(format!("send it to {} (or build the {endpoint} body this route takes)", route_line(sibling))),
        );
        return Ok(None);
    }
    out.extend(report.diagnostics);
    Ok(value)
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn json_value(bytes: &[u8]) -> Option<Value> {
    serde_json::from_slice(bytes).ok()
}

/// The documented route whose endpoint `value` fits with no error, when the
/// body's shape names one other than `endpoint`.
fn sibling(
    route: &Route,
    endpoint: &str,
    value: &Value,
    options: &Options,
) -> Result<Option<&'static Route>, Error> {
    let Ok(detected) = crate::detect(value) else {
        return Ok(None);
    };
    if detected.id == endpoint {
        return Ok(None);
    }
    let Some(other) = ROUTES
        .iter()
        .find(|r| r.endpoint == Some(detected.id) && r.id != route.id)
    else {
        return Ok(None);
    };
    let report = crate::validate_value_with(detected.id, value, options)?;
    Ok((!report.has_errors()).then_some(other))
}

fn multipart_help(route: &Route) -> String {
    match route.upload {
        Some(upload) => format!(
            "send a multipart/form-data form with the file in `{}` (curl: `--form '{}=@\"path\"'`)",
            upload.field, upload.field
        ),
        None => "send the fields as a multipart/form-data form".to_string(),
    }
}

fn form_body(
    route: &Route,
    fields: &[(&str, &str)],
    files: &[File<'_>],
    problem: Option<&str>,
    options: &Options,
    out: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    if !route.bodies.contains(&BodyKind::Multipart) {
        out.push(
            finding(
                WRONG_CONTENT_TYPE,
                Severity::Error,
                format!(
                    "the request is multipart/form-data, but {} takes `application/json`",
                    route_line(route)
                ),
            )
            .with_help("send the payload as JSON text with `Content-Type: application/json`"),
        );
        return Ok(());
    }
    if let Some(problem) = problem {
        out.push(
            finding(
                "parse-error",
                Severity::Error,
                format!("the multipart body could not be read to its end: {}", crate::render::escape_controls(problem)),
            )
            .with_help("send a well-formed multipart/form-data body (let the HTTP client build it and its boundary)"),
        );
        // One mistake: the fields and the file that did not arrive are its consequences.
        return Ok(());
    }
    if route.bodies.first() != Some(&BodyKind::Multipart)
        && let Some(discrepancy) = route.discrepancy
    {
        out.push(finding(
            "doc-discrepancy",
            Severity::Warning,
            format!(
                "{} sent as multipart/form-data: {discrepancy}",
                route_line(route)
            ),
        ));
    }
    if let Some(endpoint) = route.endpoint {
        let endpoint = crate::endpoint(endpoint)?;
        let value = form_value(endpoint.schema(), fields);
        out.extend(crate::validate_value_with(endpoint.id, &value, options)?.diagnostics);
    }
    if let Some(upload) = route.upload {
        match files.iter().find(|f| f.field == upload.field) {
            Some(file) => upload_format(route, upload.kind, file, fields, out),
            None => out.push(missing_file(route, upload.field, fields, files)),
        }
    }
    Ok(())
}

/// The form's fields as the JSON object the endpoint's schema describes: a
/// field's text becomes a number or a boolean where the schema's property
/// takes that and not a string (a form field is always text).
fn form_value(schema: &str, fields: &[(&str, &str)]) -> Value {
    let schema: Value = serde_json::from_str(schema).unwrap_or(Value::Null);
    let properties = schema.get("properties");
    let mut object = Map::new();
    for (name, text) in fields {
        let types: Vec<&str> = match properties
            .and_then(|p| p.get(*name))
            .and_then(|p| p.get("type"))
        {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let value = if types.contains(&"string") || types.is_empty() {
            Value::String((*text).to_string())
        } else if (types.contains(&"integer") || types.contains(&"number"))
            && let Ok(n) = text.trim().parse::<serde_json::Number>()
            && (types.contains(&"number") || n.is_i64() || n.is_u64())
        {
            Value::Number(n)
        } else if types.contains(&"boolean") && matches!(*text, "true" | "false") {
            Value::Bool(*text == "true")
        } else {
            Value::String((*text).to_string())
        };
        object.insert((*name).to_string(), value);
    }
    Value::Object(object)
}

fn missing_file(
    route: &Route,
    field: &str,
    fields: &[(&str, &str)],
    files: &[File<'_>],
) -> Diagnostic {
    let message = if fields.iter().any(|(n, _)| *n == field) {
        format!(
            "`{field}` is a text field, not a file: {} reads the recipients' file from `{field}`",
            route_line(route)
        )
    } else if let Some(other) = files.first() {
        format!(
            "the file is in `{}`, but {} reads it from `{field}`",
            crate::render::escape_controls(other.field),
            route_line(route)
        )
    } else {
        format!(
            "the form has no file: {} reads the recipients' file from `{field}`",
            route_line(route)
        )
    };
    finding(MISSING_UPLOAD_FILE, Severity::Error, message).with_help(multipart_help(route))
}

fn upload_format(
    route: &Route,
    kind: UploadKind,
    file: &File<'_>,
    fields: &[(&str, &str)],
    out: &mut Vec<Diagnostic>,
) {
    let bytes = file.bytes;
    let name = file.filename.map(crate::render::escape_controls);
    let called = name.as_deref().map_or(String::new(), |n| format!(" `{n}`"));
    let error = |message: String, help: &str| {
        finding(UPLOAD_FILE_FORMAT, Severity::Error, message).with_help(help.to_string())
    };
    if bytes.is_empty() {
        out.push(error(
            format!("the uploaded file{called} is empty"),
            "upload the recipients' file with its rows",
        ));
        return;
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    match kind {
        UploadKind::Xlsx => {
            if ole {
                out.push(error(
                    format!("the uploaded file{called} is an Excel 97-2003 workbook (.xls), not .xlsx"),
                    "save it as an Excel Workbook (.xlsx): 3Dolphins reads recipients from .xlsx only",
                ));
            } else if !zip {
                let what = if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
                    "text (CSV?)"
                } else {
                    "not a workbook"
                };
                out.push(error(
                    format!("the uploaded file{called} is {what}: an .xlsx workbook is a ZIP archive, and this one is not"),
                    "save the recipients as an Excel Workbook (.xlsx), as the doc's recipient-file.xlsx",
                ));
            } else if !contains(bytes, b"xl/workbook.xml") && !contains(bytes, b"xl/_rels") {
                out.push(error(
                    format!("the uploaded file{called} is a ZIP archive without a workbook in it (an .ods or .docx?), not .xlsx"),
                    "save the recipients as an Excel Workbook (.xlsx)",
                ));
            } else if let Some(n) = name.as_deref()
                && !n.to_ascii_lowercase().ends_with(".xlsx")
            {
                out.push(finding(
                    UPLOAD_FILE_FORMAT,
                    Severity::Warning,
                    format!("the uploaded workbook is named `{n}`; 3Dolphins' doc asks for an .xlsx file"),
                ).with_help("name the file with the .xlsx extension"));
            }
        }
        UploadKind::Csv => {
            if zip || ole {
                out.push(error(
                    format!("the uploaded file{called} is an Excel workbook, not CSV"),
                    "save the recipients as CSV (Excel: Save As → CSV UTF-8) and upload that",
                ));
                return;
            }
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    out.push(finding(
                        UPLOAD_FILE_FORMAT,
                        Severity::Warning,
                        format!("the uploaded CSV{called} is not UTF-8 text (byte {} is not): names with accents or emoji may arrive garbled", e.valid_up_to()),
                    ).with_help("save it as CSV UTF-8"));
                    return;
                }
            };
            csv_checks(
                route,
                text.strip_prefix('\u{feff}').unwrap_or(text),
                &called,
                fields,
                out,
            );
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The records of a CSV text (quotes respected), each as its field count and
/// its line number, blank lines skipped.
fn csv_records(text: &str, separator: char) -> Vec<(usize, usize)> {
    let mut records = Vec::new();
    let (mut fields, mut quoted, mut line, mut start_line, mut blank) =
        (1usize, false, 1usize, 1usize, true);
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                blank = false;
            }
            '\n' if !quoted => {
                if !blank {
                    records.push((fields, start_line));
                }
                fields = 1;
                blank = true;
                line += 1;
                start_line = line;
            }
            '\n' => line += 1,
            '\r' => {}
            c if c == separator && !quoted => {
                fields += 1;
                blank = false;
            }
            c if !c.is_whitespace() => blank = false,
            _ => {}
        }
    }
    if !blank {
        records.push((fields, start_line));
    }
    records
}

fn csv_checks(
    route: &Route,
    text: &str,
    called: &str,
    fields: &[(&str, &str)],
    out: &mut Vec<Diagnostic>,
) {
    let separator = match fields
        .iter()
        .find(|(n, _)| *n == "separator")
        .map(|(_, v)| *v)
    {
        Some(";") => ';',
        Some(",") => ',',
        // A missing or wrong separator is the form's own finding.
        _ => return,
    };
    let other = if separator == ',' { ';' } else { ',' };
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if header.is_empty() {
        out.push(
            finding(
                UPLOAD_FILE_FORMAT,
                Severity::Error,
                format!("the uploaded CSV{called} has no rows"),
            )
            .with_help("upload the template's CSV with a header row and one row per recipient"),
        );
        return;
    }
    if !header.contains(separator) && header.contains(other) {
        out.push(
            finding(
                UPLOAD_FILE_FORMAT,
                Severity::Error,
                format!("the uploaded CSV{called} is separated by `{other}`, but the form's `separator` is `{separator}`: every row would be read as one column"),
            )
            .with_help(format!("send `separator` `{other}`, or save the CSV with `{separator}`")),
        );
        return;
    }
    let records = csv_records(text, separator);
    let Some(((columns, _), rows)) = records.split_first() else {
        return;
    };
    let ragged: Vec<usize> = rows
        .iter()
        .filter(|(n, _)| n != columns)
        .map(|(_, line)| *line)
        .collect();
    if !ragged.is_empty() {
        let shown: Vec<String> = ragged.iter().take(10).map(usize::to_string).collect();
        let more = if ragged.len() > 10 {
            format!(" and {} more", ragged.len() - 10)
        } else {
            String::new()
        };
        out.push(
            finding(
                UPLOAD_FILE_FORMAT,
                Severity::Error,
                format!(
                    "the uploaded CSV{called} has {} whose column count differs from the header's {columns}: line{} {}{more}",
                    count(ragged.len(), "row"),
                    if ragged.len() == 1 { "" } else { "s" },
                    shown.join(", ")
                ),
            )
            .with_help(format!("give every row the header's columns; a value with `{separator}` in it goes in double quotes")),
        );
    }
    if rows.len() > QISCUS_CSV_MAX_RECIPIENTS {
        out.push(
            finding(
                UPLOAD_FILE_FORMAT,
                Severity::Error,
                format!(
                    "the uploaded CSV{called} has {} recipient rows; {} takes up to {QISCUS_CSV_MAX_RECIPIENTS} at one time",
                    rows.len(),
                    route_line(route)
                ),
            )
            .with_help(format!("split the recipients into files of at most {QISCUS_CSV_MAX_RECIPIENTS} rows, one broadcast each")),
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn placeholders_are_the_docs_forms() {
        for p in [
            "{{secret_key}}",
            "[generatedToken]",
            "<token>",
            "${QISCUS_SECRET}",
            "{{JWT_AUTH}}",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in [
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
            "sk_live_[x]y",
            "a<b>",
            "[]",
            "{{}}",
            "ab12-CD34",
        ] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn schemes_split_in_any_case() {
        assert_eq!(split_scheme("Bearer abc", "Bearer"), Some("abc"));
        assert_eq!(split_scheme("bearer   abc", "Bearer"), Some("abc"));
        assert_eq!(split_scheme("Bearer", "Bearer"), Some(""));
        assert_eq!(split_scheme("Bearerabc", "Bearer"), None);
        assert_eq!(split_scheme("abc", "Bearer"), None);
        assert_eq!(split_scheme("é", "Bearer"), None);
    }

    #[test]
    fn csv_records_respect_quotes_and_blank_lines() {
        let text = "phone_number,name\n6281234567890,\"Siti, S.Kom\"\n\n6281234567891,\"Budi\nSantoso\"\r\n";
        assert_eq!(csv_records(text, ','), vec![(2, 1), (2, 2), (2, 4)]);
    }
}
