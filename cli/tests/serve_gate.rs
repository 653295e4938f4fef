//! `preflight serve` in gate mode (`--upstream`) against a fake provider on
//! loopback, and `--callbacks` to a loopback notify receiver.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{Server, records};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::Duration;

const SENDWA: &str = r#"{"nohp": "6281234567890", "pesan": "[OTP] Kode verifikasi Anda 482913. Jangan berikan kode ini kepada siapa pun 🙏"}"#;
const SENDWA_BAD: &str = r#"{"nohp": "0812-3456-7890", "pesan": "Halo Kak Siti"}"#;
const KEY: &str = "secretkey: 3c1f9a77e2";

/// One request as the fake upstream read it off the wire.
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or("")
    }

    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// A fake provider: answers every request on every (keep-alive) connection
/// after `delay` with a fixed JSON 200, and sends what it read to the test.
fn fake_upstream(delay: Duration) -> (String, Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let tx = tx.clone();
            std::thread::spawn(move || serve_connection(stream, &tx, delay));
        }
    });
    (addr, rx)
}

fn serve_connection(mut stream: TcpStream, tx: &Sender<Received>, delay: Duration) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let end = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        while buffer.len() < end + 4 + length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buffer[end + 4..end + 4 + length].to_vec();
        buffer.drain(..end + 4 + length);
        let _ = tx.send(Received { head, body });
        std::thread::sleep(delay);
        let answer = br#"{"success": true, "message": {"id": "upstream-1"}, "from": "upstream"}"#;
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Upstream: fake\r\nContent-Length: {}\r\n\r\n",
            answer.len()
        );
        if stream.write_all(response.as_bytes()).is_err() || stream.write_all(answer).is_err() {
            return;
        }
    }
}

#[test]
fn valid_requests_are_forwarded_byte_for_byte_and_the_answer_comes_back() {
    let (upstream, received) = fake_upstream(Duration::ZERO);
    let server = Server::start(&["--upstream", &format!("chatbot=http://{upstream}/gw")]);
    let answer = server.request(
        "POST",
        "/chatbot/api/sendwa?trace=abc%20def",
        &[
            "Content-Type: application/json",
            KEY,
            "X-Request-Id: inv-0087",
        ],
        SENDWA.as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.body["from"], "upstream");
    assert_eq!(answer.header("x-upstream"), Some("fake"));
    assert_eq!(answer.header("x-preflight-errors"), Some("0"));
    let got = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        got.request_line(),
        "POST /gw/api/sendwa?trace=abc%20def HTTP/1.1"
    );
    assert_eq!(
        got.body,
        SENDWA.as_bytes(),
        "the body's bytes are unchanged"
    );
    assert_eq!(got.header("secretkey").as_deref(), Some("3c1f9a77e2"));
    assert_eq!(got.header("x-request-id").as_deref(), Some("inv-0087"));
    assert_eq!(
        got.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(got.header("host").as_deref(), Some(upstream.as_str()));
    // A chunked body goes on with its length, the same bytes.
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let (a, b) = SENDWA.split_at(20);
    let request = format!(
        "POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{KEY}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    assert_eq!(serve_support::Answer::parse(&raw).status, 200);
    let got = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(got.body, SENDWA.as_bytes());
    assert_eq!(got.header("transfer-encoding"), None);
    // Providers without an upstream are still answered by the stand-in.
    let sandeza = server.request(
        "POST",
        "/oca/api/v2/push/message",
        &[
            "Content-Type: application/json",
            "Authorization: eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        ],
        b"{}",
    );
    assert_eq!(sandeza.status, 400);
    let kept = records(&server);
    assert_eq!(kept[0]["outcome"], "forwarded");
    assert_eq!(kept[0]["upstream"], "127.0.0.1");
    assert_eq!(kept[0]["headers"]["secretkey"], "<redacted>");
    assert_eq!(
        server.stop().0,
        1,
        "the stand-in's invalid OCA request had errors"
    );
}

#[test]
fn invalid_requests_are_never_forwarded_unless_asked() {
    let (upstream, received) = fake_upstream(Duration::ZERO);
    let server = Server::start(&["--upstream", &format!("chatbot=http://{upstream}")]);
    let bad = server.json("POST", "/chatbot/api/sendwa", SENDWA_BAD);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.body["success"], false, "the gateway's own error shape");
    let unauthorized = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json"],
        SENDWA.as_bytes(),
    );
    assert_eq!(unauthorized.status, 401);
    // The next valid request is the first the upstream sees.
    assert_eq!(
        server.json("POST", "/chatbot/api/sendwa", SENDWA).status,
        200
    );
    let got = received.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(got.body, SENDWA.as_bytes());
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "only one request was forwarded"
    );
    drop(server);

    let server = Server::start(&[
        "--upstream",
        &format!("chatbot=http://{upstream}"),
        "--on-invalid",
        "forward",
    ]);
    let bad = server.json("POST", "/chatbot/api/sendwa", SENDWA_BAD);
    assert_eq!(bad.status, 200, "forwarded: the upstream's answer");
    assert_eq!(bad.header("x-preflight-errors"), Some("1"));
    assert_eq!(
        received.recv_timeout(Duration::from_secs(10)).unwrap().body,
        SENDWA_BAD.as_bytes()
    );
    let kept = records(&server);
    assert_eq!(kept[0]["outcome"], "forwarded-invalid");
    assert_eq!(kept[0]["findings"][0]["rule"], "phone-format");
    assert_eq!(
        server.stop().0,
        1,
        "the forwarded request had an error finding"
    );
}

#[test]
fn a_down_or_slow_upstream_is_answered_502_or_504_in_the_providers_shape() {
    // A port nothing listens on.
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let server = Server::start(&[
        "--upstream",
        &format!("chatbot=http://{free}"),
        "--exit-zero",
    ]);
    let down = server.json("POST", "/chatbot/api/sendwa", SENDWA);
    assert_eq!(down.status, 502, "{}", down.body);
    assert_eq!(down.body["success"], false);
    assert_eq!(records(&server)[0]["outcome"], "upstream-unreachable");
    drop(server);

    let (slow, received) = fake_upstream(Duration::from_secs(3));
    let server = Server::start(&[
        "--upstream",
        &format!("chatbot=http://{slow}"),
        "--upstream-timeout",
        "1",
        "--exit-zero",
    ]);
    let started = std::time::Instant::now();
    let late = server.json("POST", "/chatbot/api/sendwa", SENDWA);
    assert_eq!(late.status, 504, "{}", late.body);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "answered at the timeout, not the upstream's pace"
    );
    assert_eq!(records(&server)[0]["outcome"], "upstream-timeout");
    // Sent once: never retried.
    assert!(received.recv_timeout(Duration::from_secs(5)).is_ok());
    assert!(
        received.recv_timeout(Duration::from_secs(3)).is_err(),
        "not retried"
    );
    assert_eq!(server.stop().0, 0);
}

#[test]
fn bad_upstream_arguments_are_refused_at_start() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "whatsapp=https://user:rahasia@api.example.co.id",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown provider `whatsapp`"), "{stderr}");
    assert!(!stderr.contains("rahasia"), "{stderr}");
}

/// A notify receiver: every POST's body, answered 200.
fn notify_receiver() -> (String, Receiver<serde_json::Value>) {
    let (addr, raw) = fake_upstream(Duration::ZERO);
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        while let Ok(got) = raw.recv() {
            let _ = tx.send(serde_json::from_slice(&got.body).unwrap_or(serde_json::Value::Null));
        }
    });
    (addr, rx)
}

#[test]
fn callbacks_post_the_status_sequence_to_a_loopback_notifyurl() {
    let (receiver, bodies) = notify_receiver();
    let server = Server::start(&["--callbacks", "--callback-delay", "10"]);
    let send = format!(
        r#"{{"nohp": "6281234567890", "pesan": "Invoice INV-2026-11-0087 sudah terbit", "notifyurl": "http://{receiver}/whatsapp/notify"}}"#
    );
    let answer = server.json("POST", "/chatbot/api/sendwa", &send);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let msgid = answer.body["message"]["id"].as_str().unwrap().to_string();
    let acks: Vec<serde_json::Value> = (0..3)
        .map(|_| bodies.recv_timeout(Duration::from_secs(10)).unwrap())
        .collect();
    for (i, body) in acks.iter().enumerate() {
        assert_eq!(body["msgid"], msgid.as_str());
        assert_eq!(body["ack"], i + 1);
    }
    assert_eq!(records(&server)[0]["callbacks"]["scheduled"], 3);
    // A notifyurl off loopback is refused and recorded; nothing is sent.
    let send = r#"{"nohp": "6281234567890", "pesan": "Halo", "notifyurl": "https://api.tokobaju.co.id/whatsapp/notify"}"#;
    assert_eq!(server.json("POST", "/chatbot/api/sendwa", send).status, 200);
    let kept = records(&server);
    let refused = kept[1]["callbacks"]["refused"].as_str().unwrap();
    assert!(
        refused.contains("api.tokobaju.co.id") && refused.contains("--callback-allow"),
        "{refused}"
    );
    assert!(bodies.recv_timeout(Duration::from_millis(300)).is_err());
    let (_, stderr) = server.stop();
    assert!(
        stderr.contains(
            "status callbacks: ack 1 answered 200, ack 2 answered 200, ack 3 answered 200"
        ),
        "{stderr}"
    );
    // Without --callbacks nothing is sent.
    let server = Server::start(&[]);
    let send = format!(
        r#"{{"nohp": "6281234567890", "pesan": "Halo", "notifyurl": "http://{receiver}/n"}}"#
    );
    assert_eq!(
        server.json("POST", "/chatbot/api/sendwa", &send).status,
        200
    );
    assert!(bodies.recv_timeout(Duration::from_millis(500)).is_err());
}

/// `schemas/output/serve.json`, with the report schema its findings refer to.
fn serve_schema() -> jsonschema::Validator {
    let read = |name: &str| -> serde_json::Value {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../schemas/output")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(ReportSchema(read("report.json")))
        .build(&read("serve.json"))
        .unwrap()
}

/// Answers the one reference serve.json makes, to report.json, from the checkout.
struct ReportSchema(serde_json::Value);

impl jsonschema::Retrieve for ReportSchema {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
        if uri.as_str() == "https://preflight.invalid/schemas/output/report.json" {
            Ok(self.0.clone())
        } else {
            Err(format!("no such schema here: {}", uri.as_str()).into())
        }
    }
}

fn assert_fits(validator: &jsonschema::Validator, document: &serde_json::Value) {
    let problems: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}\n{document:#}");
}

#[test]
fn records_and_admin_answers_match_their_schema() {
    let validator = serve_schema();
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("requests.ndjson");
    let (upstream, _received) = fake_upstream(Duration::ZERO);
    let (receiver, _bodies) = notify_receiver();
    let server = Server::start(&[
        "--record",
        record.to_str().unwrap(),
        "--upstream",
        &format!("oca=http://{upstream}"),
        "--callbacks",
        "--callback-delay",
        "10",
        "--client-timeout",
        "1",
        "--max-body",
        "4096",
    ]);
    let mut outcomes = std::collections::BTreeSet::new();
    // answered (with callbacks scheduled and refused), rejected, unauthorized.
    let with_notify = format!(
        r#"{{"nohp": "6281234567890", "pesan": "Halo Kak Siti", "notifyurl": "http://{receiver}/n"}}"#
    );
    server.json("POST", "/chatbot/api/sendwa", &with_notify);
    server.json("POST", "/chatbot/api/sendwa", r#"{"nohp": "6281234567890", "pesan": "Halo", "notifyurl": "https://api.tokobaju.co.id/n"}"#);
    server.json("POST", "/chatbot/api/sendwa?ref=inv-0087", SENDWA_BAD);
    server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json"],
        SENDWA.as_bytes(),
    );
    // Not JSON; not found; wrong method; too large.
    server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json", KEY],
        b"nohp=62812&pesan=\xff",
    );
    server.request("POST", "/chatbot/api/sendwq", &[], b"");
    server.request("GET", "/chatbot/api/sendwa", &[], b"");
    server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json", KEY],
        &vec![b' '; 5000],
    );
    // Forwarded (OCA has an upstream), and a form with a file.
    server.request(
        "POST",
        "/oca/api/v2/push/message",
        &[
            "Content-Type: application/json",
            "Authorization: eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        ],
        &std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/oca/push-message")
                .read_dir()
                .unwrap()
                .next()
                .unwrap()
                .unwrap()
                .path(),
        )
        .unwrap(),
    );
    let boundary = "b0undary";
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"uploadFile\"; filename=\"r.xlsx\"\r\n\r\nPK\x03\x04xl/workbook.xml\r\n--{boundary}--\r\n"
    );
    server.request(
        "POST",
        "/3dolphins/dolphin/apiv1/graph/broadcast/upload/recipient",
        &[
            "Authorization: Bearer 9b1d7e4a0c2f",
            &format!("Content-Type: multipart/form-data; boundary={boundary}"),
        ],
        form.as_bytes(),
    );
    // A body that never finishes arriving (408), and one cut off (400).
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(format!("POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\n{KEY}\r\nContent-Length: 50\r\n\r\n{{\"nohp\"").as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = slow.read_to_end(&mut raw);
    let mut cut = TcpStream::connect(&server.addr).unwrap();
    cut.write_all(format!("POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\n{KEY}\r\nContent-Length: 50\r\n\r\n{{\"nohp\"").as_bytes()).unwrap();
    cut.shutdown(std::net::Shutdown::Write).unwrap();
    let _ = cut.read_to_end(&mut raw);
    std::thread::sleep(Duration::from_millis(200));

    let list = server
        .request("GET", "/__preflight/requests", &[], b"")
        .body;
    assert_fits(&validator, &list);
    for r in list["requests"].as_array().unwrap() {
        outcomes.insert(r["outcome"].as_str().unwrap().to_string());
    }
    // The uploaded workbook is stored beside the record and served back by digest.
    let upload = list["requests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("files").is_some())
        .unwrap();
    let digest = upload["files"][0]["sha256"].as_str().unwrap();
    assert!(
        upload["files"][0]["stored"]
            .as_str()
            .unwrap()
            .ends_with(&format!("requests.ndjson.files/{digest}"))
    );
    let mut get = TcpStream::connect(&server.addr).unwrap();
    get.write_all(
        format!("GET /__preflight/files/{digest} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut raw = Vec::new();
    get.read_to_end(&mut raw).unwrap();
    assert!(
        raw.starts_with(b"HTTP/1.1 200") && raw.ends_with(b"PK\x03\x04xl/workbook.xml"),
        "{}",
        String::from_utf8_lossy(&raw)
    );
    assert_eq!(
        server
            .request(
                "GET",
                &format!("/__preflight/files/{}", "0".repeat(64)),
                &[],
                b""
            )
            .status,
        404
    );
    let filtered = server
        .request(
            "GET",
            "/__preflight/requests?endpoint=chatbot/sendwa&findings=true",
            &[],
            b"",
        )
        .body;
    assert_fits(&validator, &filtered);
    assert!(
        filtered["requests"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["route"] == "chatbot/sendwa"
                && r["findings"].as_array().is_some_and(|f| !f.is_empty()))
    );
    assert_fits(
        &validator,
        &server.request("GET", "/__preflight/summary", &[], b"").body,
    );
    assert_fits(
        &validator,
        &server.request("GET", "/__preflight/health", &[], b"").body,
    );
    let deleted = server
        .request("DELETE", "/__preflight/requests", &[], b"")
        .body;
    assert_fits(&validator, &deleted);
    assert_eq!(
        server
            .request("GET", "/__preflight/requests", &[], b"")
            .body["requests"],
        serde_json::json!([])
    );
    let (code, _) = server.stop();
    assert_eq!(code, 1);
    // Every line of the record file is a record, and the ring had them all.
    let text = std::fs::read_to_string(&record).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 12, "every request but /__preflight's, once");
    assert_eq!(lines.len(), list["requests"].as_array().unwrap().len());
    for line in &lines {
        assert_fits(&validator, line);
    }
    for expected in [
        "answered",
        "rejected",
        "unauthorized",
        "not-found",
        "method-not-allowed",
        "too-large",
        "forwarded",
        "body-timeout",
        "incomplete-body",
    ] {
        assert!(
            outcomes.contains(expected),
            "no {expected} record: {outcomes:?}"
        );
    }
    assert!(
        !text.contains("3c1f9a77e2") && !text.contains("9b1d7e4a0c2f") && !text.contains("c2ln"),
        "secrets in the record"
    );
}

/// The fenced block after the README line that contains `after`, unindented.
fn readme_block(after: &str) -> String {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"),
    )
    .unwrap();
    let at = readme
        .find(after)
        .unwrap_or_else(|| panic!("README lacks {after:?}"));
    let rest = &readme[at..];
    let open = rest.find("```").unwrap();
    let body = &rest[open..];
    let body = &body[body.find('\n').unwrap() + 1..];
    let close = body.find("```").unwrap();
    body[..close]
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_readme_record_and_credentials_snippets_hold() {
    let record: serde_json::Value = serde_json::from_str(&readme_block("A record:")).unwrap();
    assert_fits(&serve_schema(), &record);
    assert!(record.get("seq").is_some(), "it is a record");
    // The credentials snippet, as written, with its variables set.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("preflight.toml");
    std::fs::write(&config, readme_block("shown, recorded or echoed:")).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_preflight"));
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--exit-zero",
            "--config",
        ])
        .arg(&config)
        .env("QISCUS_APP_ID", "karyo-gzb8xa9qrdjt1ofmf")
        .env("QISCUS_SECRET_KEY", "4b1c9e0d7a");
    let server = Server::spawn(command);
    let body = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/qiscus/send-broadcast/immediate.json"),
    )
    .unwrap();
    let path = "/qiscus/api/v3/admin/broadcast/send_broadcast";
    let json = "Content-Type: application/json";
    let ok = server.request(
        "POST",
        path,
        &[
            json,
            "Qiscus-App-Id: karyo-gzb8xa9qrdjt1ofmf",
            "Qiscus-Secret-Key: 4b1c9e0d7a",
        ],
        &body,
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    let wrong = server.request(
        "POST",
        path,
        &[
            json,
            "Qiscus-App-Id: karyo-gzb8xa9qrdjt1ofmf",
            "Qiscus-Secret-Key: staging-key",
        ],
        &body,
    );
    assert_eq!(wrong.status, 401);
    let gateway = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &[json, "secretkey: test-gateway-key"],
        SENDWA.as_bytes(),
    );
    assert_eq!(gateway.status, 200, "{}", gateway.body);
}
