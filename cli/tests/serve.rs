//! `preflight serve`: the real binary on an ephemeral loopback port, talked
//! to over HTTP/1.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{Answer, Server, records};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

const SENDWA: &str = r#"{"nohp": "6281234567890", "pesan": "[OTP] Kode verifikasi Anda 482913. Jangan berikan kode ini kepada siapa pun 🙏"}"#;
const SENDWA_BAD: &str = r#"{"nohp": "0812-3456-7890", "pesan": "Halo Kak Siti"}"#;

#[test]
fn valid_and_invalid_requests_are_answered_recorded_and_set_the_exit_status() {
    let server = Server::start(&[]);
    let ok = server.json("POST", "/chatbot/api/sendwa", SENDWA);
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(ok.header("x-preflight-errors"), Some("0"));

    let bad = server.json("POST", "/chatbot/api/sendwa", SENDWA_BAD);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_ne!(bad.header("x-preflight-errors"), Some("0"));
    assert!(
        bad.body.to_string().contains("phone-format"),
        "{}",
        bad.body
    );

    let listed = server.json("GET", "/__preflight/requests?findings=true", "");
    assert_eq!(listed.status, 200);
    let requests = listed.body["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1, "{}", listed.body);
    assert_eq!(requests[0]["endpoint"], "chatbot/sendwa");
    assert_eq!(requests[0]["body"]["nohp"], "0812-3456-7890");
    assert_eq!(requests[0]["headers"]["secretkey"], "<redacted>");
    assert!(!listed.body.to_string().contains("3c1f9a77e2"));

    let summary = server.json("GET", "/__preflight/summary", "");
    assert_eq!(summary.body["requests"], 2, "{}", summary.body);
    assert_eq!(summary.body["by_rule"]["phone-format"]["errors"], 1);

    let deleted = server.json("DELETE", "/__preflight/requests", "");
    assert_eq!(deleted.body["deleted"], 2, "{}", deleted.body);
    let after = server.json("GET", "/__preflight/requests", "");
    assert_eq!(after.body["requests"].as_array().unwrap().len(), 0);
    assert_eq!(after.body["dropped"], 0);

    let (code, stderr) = server.stop();
    assert_eq!(code, 1, "an error finding fails the run: {stderr}");
}

#[test]
fn exit_zero_and_a_clean_run_exit_0() {
    let server = Server::start(&["--exit-zero"]);
    let bad = server.json("POST", "/chatbot/api/sendwa", SENDWA_BAD);
    assert_eq!(bad.status, 400);
    assert_eq!(server.stop().0, 0);

    let server = Server::start(&[]);
    let ok = server.json("POST", "/chatbot/api/sendwa", SENDWA);
    assert_eq!(ok.status, 200);
    assert_eq!(server.stop().0, 0);
}

#[test]
fn on_invalid_accept_answers_success_and_records_the_findings() {
    let server = Server::start(&["--on-invalid", "accept"]);
    let bad = server.json("POST", "/chatbot/api/sendwa", SENDWA_BAD);
    assert_eq!(bad.status, 200, "{}", bad.body);
    assert_ne!(bad.header("x-preflight-errors"), Some("0"));
    let listed = server.json("GET", "/__preflight/requests?errors=true", "");
    assert_eq!(listed.body["requests"][0]["outcome"], "accepted");
    assert_eq!(server.stop().0, 1);
}

#[test]
fn unknown_routes_and_methods_name_the_documented_ones() {
    let server = Server::start(&[]);
    let missing = server.json("POST", "/chatbot/api/sendwha", SENDWA);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body["nearest"], "POST /chatbot/api/sendwa");
    let method = server.json("GET", "/sandeza/json/send/cgw", "");
    assert_eq!(method.status, 405);
    assert_eq!(method.header("allow"), Some("POST"));
    // Each is an `undocumented-route` error, in the headers and the record.
    for answer in [&missing, &method] {
        assert_eq!(answer.header("x-preflight-errors"), Some("1"));
        assert_eq!(answer.header("x-preflight-findings"), Some("1"));
    }
    let admin = server.json("GET", "/__preflight/nope", "");
    assert_eq!(admin.status, 404);
    // Qiscus' credentials sent without the /qiscus prefix: a 404 whose
    // record still hides them.
    let unprefixed = server.request(
        "POST",
        "/api/v3/admin/broadcast/client",
        &[
            "Content-Type: application/json",
            "Qiscus-App-Id: tokobaju-9f3k2",
            "Qiscus-Secret-Key: 5e1c0a77b2",
        ],
        b"{}",
    );
    assert_eq!(unprefixed.status, 404);
    assert!(
        unprefixed.body["nearest"]
            .as_str()
            .unwrap()
            .contains("/qiscus/")
    );
    let listed = server.json("GET", "/__preflight/requests?errors=true", "");
    let text = listed.body.to_string();
    assert!(
        !text.contains("tokobaju-9f3k2") && !text.contains("5e1c0a77b2"),
        "{text}"
    );
    let requests = listed.body["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 3, "{}", listed.body);
    assert_eq!(requests[0]["outcome"], "not-found");
    assert_eq!(requests[0]["findings"][0]["rule"], "undocumented-route");
    let help = requests[0]["findings"][0]["help"].as_str().unwrap();
    assert!(help.contains("POST /chatbot/api/sendwa"), "{help}");
    assert_eq!(requests[0]["headers"]["secretkey"], "<redacted>");
    assert_eq!(requests[1]["outcome"], "method-not-allowed");
    let message = requests[1]["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("takes POST, not GET"), "{message}");
    let (code, stderr) = server.stop();
    assert_eq!(
        code, 1,
        "a request to no documented route fails the run: {stderr}"
    );
}

#[test]
fn undocumented_route_turned_off_in_the_config_answers_404_without_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("preflight.toml");
    std::fs::write(&config, "[rules]\nundocumented-route = \"off\"\n").unwrap();
    let server = Server::start(&["--config", config.to_str().unwrap()]);
    let missing = server.json("POST", "/chatbot/api/sendwha", SENDWA);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("x-preflight-errors"), Some("0"));
    assert_eq!(missing.header("x-preflight-findings"), Some("0"));
    assert_eq!(server.stop().0, 0);
}

#[test]
fn bodies_over_the_limit_are_refused_unread_and_the_record_file_is_flushed() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("requests.ndjson");
    let server = Server::start(&[
        "--max-body",
        "1000",
        "--record",
        record.to_str().unwrap(),
        "--exit-zero",
    ]);
    // Declares 10 MB and sends nothing: answered at once.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(b"POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let refused = Answer::parse(&raw);
    assert_eq!(refused.status, 413);
    // A `payload-too-large` error, in the gateway's error shape.
    assert_eq!(refused.header("x-preflight-errors"), Some("1"));
    assert_eq!(refused.body["success"], false, "{}", refused.body);
    let message = refused.body["errorMessage"].as_str().unwrap();
    assert!(message.contains("10000000 bytes"), "{message}");
    // Chunked, over the limit.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let chunk = "a".repeat(800);
    let request = format!(
        "POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n320\r\n{chunk}\r\n320\r\n{chunk}\r\n0\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    assert_eq!(Answer::parse(&raw).status, 413);
    // Not JSON, not UTF-8: a finding, never a crash.
    let odd = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json", "secretkey: 3c1f9a77e2"],
        b"{\"nohp\": \"\xff\xfe\"",
    );
    assert_eq!(odd.status, 400);
    let ok = server.json("POST", "/chatbot/api/sendwa", SENDWA);
    assert_eq!(ok.status, 200);
    assert_eq!(server.stop().0, 0);
    let text = std::fs::read_to_string(&record).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    for refused in &lines[..2] {
        assert_eq!(refused["status"], 413, "{refused}");
        assert_eq!(refused["errors"], 1, "{refused}");
        assert_eq!(refused["findings"][0]["rule"], "payload-too-large");
        assert_eq!(refused["headers"]["host"], "x", "{refused}");
    }
    assert_eq!(lines[0]["body_bytes"], 10_000_000);
    assert!(!text.contains("3c1f9a77e2"), "{text}");
}

#[test]
fn keep_alive_connections_carry_many_requests() {
    let server = Server::start(&[]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let request = format!(
        "POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nsecretkey: k\r\nContent-Length: {}\r\n\r\n{SENDWA}",
        SENDWA.len()
    );
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    for _ in 0..50 {
        stream.write_all(request.as_bytes()).unwrap();
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
    }
    drop(stream);
    let health = server.json("GET", "/__preflight/health", "");
    assert_eq!(health.body["status"], "ok");
    assert_eq!(health.body["requests"], 50);
}

/// The credential headers a route's provider documents, filled in.
fn auth_headers(route: &preflight::http::Route) -> Vec<String> {
    route
        .auth
        .iter()
        .map(|a| match a.scheme {
            Some(scheme) => format!("{}: {scheme} 9b1d7e4a0c2f", a.name),
            None => format!("{}: karyo-3c1f9a77e2", a.name),
        })
        .collect()
}

/// The route's path with its parameters filled in.
fn concrete(route: &preflight::http::Route) -> String {
    format!(
        "/{}{}",
        route.provider,
        route.path.replace("{channel}", "5f8e2c1d9a0b4e7f6c3d2a18")
    )
}

fn example(endpoint: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples")
        .join(endpoint);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    std::fs::read(&files[0]).unwrap()
}

#[test]
fn every_documented_route_answers_a_valid_request_and_refuses_an_invalid_one() {
    let server = Server::start(&["--exit-zero"]);
    for route in preflight::http::ROUTES {
        let path = concrete(route);
        let mut headers = auth_headers(route);
        let upload =
            route.upload.is_some() || route.bodies == [preflight::http::BodyKind::Multipart];
        if upload {
            continue; // below, as forms
        }
        let body = match route.endpoint {
            Some(endpoint) => {
                headers.push("Content-Type: application/json".into());
                example(endpoint)
            }
            None => Vec::new(),
        };
        let refs: Vec<&str> = headers.iter().map(String::as_str).collect();
        let ok = server.request(route.method, &path, &refs, &body);
        assert_eq!(ok.status, 200, "{} {path}: {}", route.method, ok.body);
        assert_eq!(
            ok.header("x-preflight-errors"),
            Some("0"),
            "{path}: {}",
            ok.body
        );
        // Without its credentials: 401, with preflight's findings.
        if !route.auth.is_empty() {
            let refs: Vec<&str> = refs
                .iter()
                .copied()
                .filter(|h| h.starts_with("Content-Type"))
                .collect();
            let denied = server.request(route.method, &path, &refs, &body);
            assert_eq!(denied.status, 401, "{path}");
            assert_eq!(
                denied.body["files"][0]["diagnostics"][0]["rule"], "missing-auth-header",
                "{path}"
            );
        }
        // An empty object: the provider's error answer (or preflight's 400).
        if route.endpoint.is_some() {
            let bad = server.request(route.method, &path, &refs, b"{}");
            assert_eq!(bad.status, 400, "{path}: {}", bad.body);
            assert_ne!(bad.header("x-preflight-errors"), Some("0"), "{path}");
        }
    }
    let kept = records(&server);
    assert!(
        kept.iter()
            .all(|r| r["headers"].as_object().unwrap().iter().all(|(k, v)| {
                !(k.eq_ignore_ascii_case("authorization")
                    || k.starts_with("qiscus-")
                    || k == "secretkey")
                    || v == "<redacted>"
            }))
    );
    assert_eq!(server.stop().0, 0);
}

/// A multipart/form-data body: text fields, then files (field, name, bytes).
fn form(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----preflight7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, filename, bytes) in files {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (
        format!("Content-Type: multipart/form-data; boundary={boundary}"),
        body,
    )
}

const QISCUS: [&str; 2] = [
    "Qiscus-App-Id: karyo-gzb8xa9qrdjt1ofmf",
    "Qiscus-Secret-Key: 4b1c9e0d7a",
];

#[test]
fn uploads_are_read_as_forms_their_files_checked_and_kept_by_digest() {
    let server = Server::start(&["--exit-zero"]);
    let csv = "phone_number,nama\n6281234567890,\"Siti Rahmawati, S.Kom\"\n6285712345678,Raden Mas Bagus Satriyo Wicaksono\n";
    let (content_type, body) = form(
        &[("template_detail_id", "8315"), ("separator", ",")],
        &[("file", "csv_broadcast_template.csv", csv.as_bytes())],
    );
    let path = "/qiscus/api/v3/admin/broadcast/upload_csv";
    let ok = server.request("POST", path, &[QISCUS[0], QISCUS[1], &content_type], &body);
    assert_eq!(ok.status, 200, "{}", ok.body);
    // The separator the form names is not the file's.
    let (content_type, body) = form(
        &[("template_detail_id", "8315"), ("separator", ";")],
        &[("file", "r.csv", csv.as_bytes())],
    );
    let bad = server.request("POST", path, &[QISCUS[0], QISCUS[1], &content_type], &body);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(
        bad.body["files"][0]["diagnostics"][0]["rule"],
        "upload-file-format"
    );
    // 3Dolphins' workbook, in `uploadFile`; then one in the wrong field.
    let xlsx: &[u8] = b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml..PK\x03\x04xl/workbook.xml..";
    let path = "/3dolphins/dolphin/apiv1/graph/broadcast/upload/recipient";
    let auth = "Authorization: Bearer 9b1d7e4a0c2f";
    let (content_type, body) = form(&[], &[("uploadFile", "recipient-file.xlsx", xlsx)]);
    let ok = server.request("POST", path, &[auth, &content_type], &body);
    assert_eq!(ok.status, 200, "{}", ok.body);
    let (content_type, body) = form(&[], &[("file", "recipient-file.xlsx", xlsx)]);
    let bad = server.request("POST", path, &[auth, &content_type], &body);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(
        bad.body["files"][0]["diagnostics"][0]["rule"],
        "missing-upload-file"
    );
    // A form cut off in the middle is a finding, not a crash.
    let (content_type, body) = form(&[], &[("uploadFile", "recipient-file.xlsx", xlsx)]);
    let cut = server.request(
        "POST",
        path,
        &[auth, &content_type],
        &body[..body.len() - 30],
    );
    assert_eq!(cut.status, 400);
    assert_eq!(
        cut.body["files"][0]["diagnostics"][0]["rule"],
        "parse-error"
    );
    // send_broadcast takes JSON or a form.
    let fields = [
        ("template_detail_id", "8402"),
        ("broadcast_file_id", "2290533"),
        ("name", "Undangan Webinar UMKM Batch 3"),
        ("separator", ";"),
    ];
    let (content_type, body) = form(&fields, &[]);
    let answer = server.request(
        "POST",
        "/qiscus/api/v3/admin/broadcast/send_broadcast",
        &[QISCUS[0], QISCUS[1], &content_type],
        &body,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.header("x-preflight-findings"),
        Some("1"),
        "the doc-discrepancy warning"
    );

    let kept = records(&server);
    let upload = &kept[0];
    assert_eq!(upload["form"]["separator"], ",");
    assert_eq!(upload["files"][0]["field"], "file");
    assert_eq!(upload["files"][0]["bytes"], csv.len());
    assert_eq!(upload["files"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(upload["headers"]["qiscus-secret-key"], "<redacted>");
}

#[test]
fn configured_credentials_are_checked_and_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("preflight.toml");
    std::fs::write(
        &config,
        "[credentials.chatbot]\nsecretkey = { env = \"PREFLIGHT_TEST_GATEWAY_KEY\" }\n[credentials.qiscus]\nQiscus-Secret-Key = \"4b1c9e0d7a\"\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"));
    child
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--exit-zero",
            "--config",
        ])
        .arg(&config)
        .env("PREFLIGHT_TEST_GATEWAY_KEY", "sk-current-9f8e7d");
    let server = Server::spawn(child);
    let wrong = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json", "secretkey: sk-old-1a2b3c"],
        SENDWA.as_bytes(),
    );
    assert_eq!(wrong.status, 401, "{}", wrong.body);
    assert_eq!(
        wrong.body["files"][0]["diagnostics"][0]["rule"],
        "credentials-mismatch"
    );
    let right = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &[
            "Content-Type: application/json",
            "secretkey: sk-current-9f8e7d",
        ],
        SENDWA.as_bytes(),
    );
    assert_eq!(right.status, 200, "{}", right.body);
    let raw = server
        .request("GET", "/__preflight/requests", &[], b"")
        .body
        .to_string();
    assert!(
        !raw.contains("sk-old") && !raw.contains("sk-current"),
        "{raw}"
    );
    drop(server);
    // An unset variable, or a header the provider does not have, stops it at start.
    std::fs::write(
        &config,
        "[credentials.chatbot]\nsecretkey = { env = \"PREFLIGHT_TEST_UNSET_VARIABLE\" }\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("PREFLIGHT_TEST_UNSET_VARIABLE is not set")
    );
    std::fs::write(&config, "[credentials.chatbot]\nAuthorization = \"x\"\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args(["serve", "--listen", "127.0.0.1:0", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("not a credential header of chatbot (it has: secretkey)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
