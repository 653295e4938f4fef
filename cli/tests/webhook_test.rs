//! `preflight webhook-test` against a small loopback webhook: a good reply,
//! a bad one, replies that cannot be checked, and no webhook at all.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;

const GOOD: &str = r#"{"success": true, "message": {"reply": [
  {"type": "message", "content": "Terima kasih, Kak Budi 🙏 Penawaran [PROMO-12.12] akan kami kirim ke budi@tokobaju.co.id"},
  {"type": "location", "content": [{"coordinate": "0.525960-101.426866"}]},
  {"type": "document", "content": "https://cdn.tokobaju.co.id/wa/penawaran-harga.pdf"}
]}}"#;

/// An empty text and a reply type the gateway does not know.
const BAD: &str = r#"{"success": true, "message": {"reply": [
  {"type": "message", "content": ""},
  {"type": "sticker", "content": "https://cdn.tokobaju.co.id/wa/stiker.webp"}
]}}"#;

const UNAUTHORIZED: &str = r#"{"success": false, "message": "Unauthorized"}"#;

const PHP_NOTICE: &str = "<br />\n<b>Notice</b>:  Undefined index: data in <b>/var/www/html/webhook.php</b> on line <b>7</b><br />\n{\"success\":true,\"message\":{\"reply\":[{\"type\":\"message\",\"content\":\"Halo\"}]}}";

/// What the webhook answers at a path: status, content type, body.
fn answer(path: &str) -> (u16, &'static str, String) {
    match path {
        "/good" => (200, "application/json", GOOD.into()),
        "/bad" => (200, "application/json", BAD.into()),
        "/unauthorized" => (200, "application/json", UNAUTHORIZED.into()),
        "/php" => (200, "text/html; charset=UTF-8", PHP_NOTICE.into()),
        "/crash" => (
            500,
            "text/html",
            "<h1>Fatal error</h1> token=kunci-webhook-rahasia".into(),
        ),
        _ => (404, "text/plain", "not found".into()),
    }
}

/// One request: its request line, headers (lower-cased names) and body.
struct Got {
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(s: &mut TcpStream) -> Option<Got> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).to_string();
            let mut lines = head.split("\r\n");
            let line = lines.next()?.to_string();
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                .collect();
            let len = headers
                .iter()
                .find(|(k, _)| k == "content-length")
                .map_or(0, |(_, v)| v.parse().unwrap());
            while got.len() < end + 4 + len {
                let n = s.read(&mut buf).ok()?;
                if n == 0 {
                    return None;
                }
                got.extend_from_slice(&buf[..n]);
            }
            return Some(Got {
                line,
                headers,
                body: got[end + 4..end + 4 + len].to_vec(),
            });
        }
        let n = s.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        got.extend_from_slice(&buf[..n]);
    }
}

/// A loopback webhook on a thread of its own; each request it got comes out
/// of the channel.
fn webhook() -> (SocketAddr, mpsc::Receiver<Got>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let Some(got) = read_request(&mut s) else {
                continue;
            };
            let path = got.line.split(' ').nth(1).unwrap_or("").to_string();
            let _ = tx.send(got);
            let (status, kind, body) = answer(&path);
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (addr, rx)
}

fn preflight(dir: &tempfile::TempDir) -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(dir.path())
        .env_remove("PREFLIGHT_WEBHOOK_KEY")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR");
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(url: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let out = preflight(&dir)
        .args([
            "webhook-test",
            url,
            "--keyword",
            "penawaran#",
            "--data",
            "Budi Santoso#budi@tokobaju.co.id",
        ])
        .args(if extra.contains(&"--timeout") {
            &[][..]
        } else {
            &["--timeout", "5"][..]
        })
        .args(extra)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_good_reply_passes_and_the_documented_body_is_sent() {
    let (addr, got) = webhook();
    let url = format!("http://{addr}/good");
    let r = run(
        &url,
        &[
            "--webhook-key",
            "kunci-webhook-rahasia",
            "--from",
            "6281234567890",
            "--header",
            "X-Toko: batik-solo",
            "--header",
            "Authorization: Bearer token-rahasia",
        ],
    );
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("ok: 0 errors, 0 warnings in 1 file (1 payload)"),
        "{}",
        r.stdout
    );
    let got = got.recv().unwrap();
    assert_eq!(got.line, "POST /good HTTP/1.1");
    let header = |name: &str| {
        got.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("content-type"), Some("application/json"));
    assert_eq!(header("x-toko"), Some("batik-solo"));
    assert_eq!(header("authorization"), Some("Bearer token-rahasia"));
    let body: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!(body["keyword"], "penawaran#");
    assert_eq!(body["webhookkey"], "kunci-webhook-rahasia");
    assert_eq!(body["from"], "6281234567890");
    assert_eq!(
        body["data"],
        serde_json::json!(["Budi Santoso", "budi@tokobaju.co.id"])
    );
    // Neither the key nor a header value is ever printed.
    for secret in ["kunci-webhook-rahasia", "token-rahasia"] {
        assert!(!r.stdout.contains(secret) && !r.stderr.contains(secret));
    }
}

#[test]
fn a_bad_reply_fails_with_its_findings_under_the_url() {
    let (addr, _got) = webhook();
    let url = format!("http://{addr}/bad");
    let r = run(&url, &[]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&format!("{url}:")), "{}", r.stdout);
    assert!(r.stdout.contains("error"), "{}", r.stdout);

    // The same as JSON, like `validate --format json`.
    let r = run(&url, &["--format", "json"]);
    assert_eq!(r.code, 1);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let file = &report["files"][0];
    assert_eq!(file["path"], url.as_str());
    assert_eq!(file["endpoint"], "chatbot/webhook-reply");
    let pointers: Vec<&str> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .filter_map(|d| d["pointer"].as_str())
        .collect();
    assert!(
        pointers.iter().any(|p| p.starts_with("/message/reply/0")),
        "{pointers:?}"
    );
    assert!(
        pointers.iter().any(|p| p.starts_with("/message/reply/1")),
        "{pointers:?}"
    );
    assert!(report["summary"]["errors"].as_u64().unwrap() >= 2);
}

#[test]
fn the_good_reply_is_clean_in_every_format() {
    let (addr, _got) = webhook();
    let url = format!("http://{addr}/good");
    for format in ["json", "sarif", "github"] {
        let r = run(&url, &["--format", format]);
        assert_eq!(r.code, 0, "{format}: {}\n{}", r.stdout, r.stderr);
    }
    let r = run(&url, &["--format", "json"]);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0);
    assert_eq!(report["summary"]["payloads"], 1);
}

#[test]
fn a_refusal_passes_the_schema_with_a_note_on_the_key() {
    let (addr, _got) = webhook();
    let r = run(&format!("http://{addr}/unauthorized"), &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("success: false") && r.stderr.contains("--webhook-key"),
        "{}",
        r.stderr
    );
}

#[test]
fn text_before_the_json_is_exit_2_naming_it() {
    let (addr, _got) = webhook();
    let r = run(&format!("http://{addr}/php"), &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("not JSON"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Notice") && r.stderr.contains("display_errors"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_server_error_is_exit_2_with_what_it_said_masked() {
    let (addr, _got) = webhook();
    let r = run(
        &format!("http://{addr}/crash"),
        &["--webhook-key", "kunci-webhook-rahasia"],
    );
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("HTTP 500 Internal Server Error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Fatal error"), "{}", r.stderr);
    assert!(!r.stderr.contains("kunci-webhook-rahasia"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn an_unreachable_webhook_is_exit_2() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let r = run(&format!("http://{addr}/webhook"), &[]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("could not be reached"), "{}", r.stderr);
    assert!(r.stderr.contains("help:"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn a_stalled_webhook_times_out_with_exit_2() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        // Takes the request and never answers.
        let (mut s, _) = listener.accept().unwrap();
        let _ = read_request(&mut s);
        std::thread::sleep(std::time::Duration::from_secs(20));
    });
    let started = std::time::Instant::now();
    let r = run(&format!("http://{addr}/webhook"), &["--timeout", "0.5"]);
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("did not answer within 0.5 s"),
        "{}",
        r.stderr
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn bad_arguments_are_exit_2_without_echoing_values() {
    let r = run("http://127.0.0.1:9/webhook", &["--header", "token-rahasia"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("NAME:VALUE") && !r.stderr.contains("token-rahasia"));
    let r = run("127.0.0.1:9/webhook", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("http://"), "{}", r.stderr);
}
