//! `preflight serve` under many connections, slow and broken clients,
//! malformed HTTP, and a stop while requests are in flight (loopback only,
//! bounded in count and time; the long runs are in bench/).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod serve_support;

use serve_support::{Answer, Server, records};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const SENDWA: &str = r#"{"nohp": "6281234567890", "pesan": "[OTP] Kode verifikasi Anda 482913. Jangan berikan kode ini kepada siapa pun 🙏"}"#;
const KEY: &str = "secretkey: 3c1f9a77e2";

fn sendwa_request(close: bool) -> String {
    format!(
        "POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{KEY}\r\n{}Content-Length: {}\r\n\r\n{SENDWA}",
        if close { "Connection: close\r\n" } else { "" },
        SENDWA.len()
    )
}

/// Reads one answer with a Content-Length body off a keep-alive stream.
fn read_answer(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> u16 {
    let mut chunk = [0u8; 8192];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if buffer.len() >= end + 4 + length {
                let status = head.split(' ').nth(1).unwrap().parse().unwrap();
                buffer.drain(..end + 4 + length);
                return status;
            }
        }
        let n = stream.read(&mut chunk).unwrap();
        assert!(n > 0, "the server closed a keep-alive connection");
        buffer.extend_from_slice(&chunk[..n]);
    }
}

#[test]
fn twenty_thousand_requests_on_keep_alive_connections_are_each_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("load.ndjson");
    let server = Server::start(&["--record", record.to_str().unwrap(), "--ring", "1000"]);
    let (connections, each) = (16, 1250);
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let addr = server.addr.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).unwrap();
                let request = sendwa_request(false);
                let mut buffer = Vec::new();
                // Pipelined in batches of 10: write them, then read the answers.
                for _ in 0..each / 10 {
                    stream.write_all(request.repeat(10).as_bytes()).unwrap();
                    for _ in 0..10 {
                        assert_eq!(read_answer(&mut stream, &mut buffer), 200);
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let summary = server.request("GET", "/__preflight/summary", &[], b"").body;
    assert_eq!(summary["requests"], 20_000);
    assert_eq!(summary["kept"], 1000, "the ring is bounded");
    assert_eq!(summary["dropped"], 19_000);
    assert_eq!(server.stop().0, 0);
    let text = std::fs::read_to_string(&record).unwrap();
    let mut seqs: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs.len(), 20_000, "every request is in the record file");
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), 20_000, "each once");
}

#[test]
fn a_thousand_concurrent_connections_are_all_answered() {
    let server = Server::start(&[]);
    // Open them all first, so that they are concurrent; then send on each.
    let mut streams: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(&server.addr).unwrap())
        .collect();
    let request = sendwa_request(true);
    for s in &mut streams {
        s.write_all(request.as_bytes()).unwrap();
    }
    let mut ok = 0;
    for mut s in streams {
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        if Answer::parse(&raw).status == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 1000);
    assert_eq!(server.stop().0, 0);
}

#[test]
fn slow_clients_time_out_and_others_are_still_served() {
    let server = Server::start(&["--client-timeout", "1"]);
    // Slowloris: a head that never ends, one byte every 200 ms.
    let mut loris = TcpStream::connect(&server.addr).unwrap();
    loris
        .write_all(b"POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let mut writer = loris.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..50 {
            if writer.write_all(b"X").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let started = Instant::now();
    loris
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap();
    let mut out = Vec::new();
    let ended = match loris.read_to_end(&mut out) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(ended, "a head trickling in forever is cut off");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(5),
        "{took:?}"
    );
    if !out.is_empty() {
        assert!(
            String::from_utf8_lossy(&out).starts_with("HTTP/1.1 408"),
            "{}",
            String::from_utf8_lossy(&out)
        );
    }
    trickle.join().unwrap();
    // Meanwhile and after, a normal client is answered.
    assert_eq!(
        server.json("POST", "/chatbot/api/sendwa", SENDWA).status,
        200
    );
    assert_eq!(server.stop().0, 0);
}

#[test]
fn malformed_http_and_broken_bodies_never_take_the_server_down() {
    let server = Server::start(&["--exit-zero"]);
    let raw = |bytes: &[u8]| {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let _ = s.write_all(bytes);
        let _ = s.shutdown(std::net::Shutdown::Write);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        out
    };
    for garbage in [
        &b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"[..], // a TLS hello to the plain port
        b"GARBAGE\r\n\r\n",
        b"POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST /chatbot/api/sendwa HTTP/1.1\r\nHo\x00st: x\r\n\r\n",
        b"POST /chatbot/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"",
    ] {
        let out = raw(garbage);
        if !out.is_empty() {
            let status: u16 = String::from_utf8_lossy(&out)
                .split(' ')
                .nth(1)
                .unwrap_or("0")
                .parse()
                .unwrap_or(0);
            assert!(
                (400..500).contains(&status),
                "{:?} → {}",
                String::from_utf8_lossy(garbage),
                String::from_utf8_lossy(&out)
            );
        }
    }
    // Invalid UTF-8 and a JSON body under the wrong type: findings, not crashes.
    let odd = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/json", KEY],
        b"{\"nohp\": \"62\xc3\x28\", \"pesan\": \"x\"}",
    );
    assert_eq!(odd.status, 400);
    let form = server.request(
        "POST",
        "/chatbot/api/sendwa",
        &["Content-Type: application/x-www-form-urlencoded", KEY],
        b"nohp=6281234567890&pesan=Halo",
    );
    assert_eq!(form.status, 400);
    assert_eq!(
        form.body["errorMessage"]
            .as_str()
            .map(|m| m.contains("Content-Type") || m.contains("application/json")),
        Some(true),
        "{}",
        form.body
    );
    // A client that goes away mid-body.
    let mut gone = TcpStream::connect(&server.addr).unwrap();
    gone.write_all(format!("POST /chatbot/api/sendwa HTTP/1.1\r\nHost: x\r\n{KEY}\r\nContent-Length: 5000\r\n\r\n{{\"nohp\": ").as_bytes()).unwrap();
    drop(gone);
    std::thread::sleep(Duration::from_millis(200));
    // Still up, still right.
    assert_eq!(
        server.json("POST", "/chatbot/api/sendwa", SENDWA).status,
        200
    );
    let outcomes: Vec<String> = records(&server)
        .iter()
        .map(|r| r["outcome"].as_str().unwrap().to_string())
        .collect();
    assert!(
        outcomes.contains(&"incomplete-body".to_string()),
        "{outcomes:?}"
    );
    assert_eq!(server.stop().0, 0);
}

#[test]
fn a_stop_drains_requests_in_flight_and_flushes_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("drain.ndjson");
    let server = Server::start(&["--record", record.to_str().unwrap()]);
    // A request whose body is still arriving when the stop comes.
    let mut in_flight = TcpStream::connect(&server.addr).unwrap();
    let request = sendwa_request(true);
    let (head, rest) = request.split_at(request.len() - 20);
    in_flight.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let pid = server.child.id();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    in_flight.write_all(rest.as_bytes()).unwrap();
    let mut raw = Vec::new();
    in_flight.read_to_end(&mut raw).unwrap();
    assert_eq!(
        Answer::parse(&raw).status,
        200,
        "the request in flight is answered"
    );
    // No new connection is taken after the stop.
    assert!(
        TcpStream::connect(&server.addr)
            .and_then(|mut s| {
                s.write_all(sendwa_request(true).as_bytes())?;
                let mut out = Vec::new();
                s.read_to_end(&mut out)?;
                Ok(out)
            })
            .map_or(true, |out| out.is_empty())
    );
    let (code, _) = server.stop_after_signal();
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&record).unwrap();
    assert_eq!(text.lines().count(), 1, "flushed: {text}");
}
