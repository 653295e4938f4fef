//! `preflight serve`: the real binary on an ephemeral loopback port, talked
//! to over HTTP/1.1.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{Answer, Server};
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
    let admin = server.json("GET", "/__preflight/nope", "");
    assert_eq!(admin.status, 404);
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
    assert_eq!(Answer::parse(&raw).status, 413);
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
    for line in text.lines() {
        let _: serde_json::Value = serde_json::from_str(line).unwrap();
    }
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
