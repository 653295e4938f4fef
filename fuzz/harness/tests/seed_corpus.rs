//! Writes every target's unminimized seed corpus into
//! `$PREFLIGHT_SEED_DIR/<target>/` (`fuzz/seed-corpus.sh` runs it, then
//! minimizes it into `fuzz/corpus/` with `cargo fuzz cmin`). Ignored: run
//! on purpose only.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight_fuzz_harness::SEEDS;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn index_of(id: &str) -> Option<u8> {
    preflight::endpoints()
        .unwrap()
        .iter()
        .position(|e| e.id == id)
        .map(|i| i as u8)
}

fn raw(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && !["target", ".git", "fuzz"].contains(&name.as_str()) {
            toml_files(&path, out);
        } else if name.ends_with(".toml") && name != "Cargo.toml" && !name.starts_with("Cargo") {
            out.push(path);
        }
    }
}

#[test]
#[ignore = "writes the seed corpus; run by fuzz/seed-corpus.sh"]
fn write_seed_corpus() {
    let out = PathBuf::from(std::env::var("PREFLIGHT_SEED_DIR").expect("PREFLIGHT_SEED_DIR"));
    let mut n = 0usize;
    let mut put = |target: &str, bytes: Vec<u8>| {
        let dir = out.join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("seed-{n:05}")), bytes).unwrap();
        n += 1;
    };
    let types = preflight::types::Request::ENDPOINTS;
    for (i, (id, name, bytes)) in SEEDS.iter().enumerate() {
        put("mutated_examples", vec![(i >> 8) as u8, i as u8]);
        if *id == "meta/message-templates" {
            put("templates", [&[0u8][..], bytes].concat());
            continue;
        }
        let Some(e) = index_of(id) else { continue };
        put("validate", [&[e][..], bytes].concat());
        put("render", [&[0u8, e + 1][..], bytes].concat());
        if name.starts_with("examples/") {
            put("render", [&[0u8, 0][..], bytes].concat());
            if bytes.windows(8).any(|w| w == b"template") {
                for which in 0..8u8 {
                    put("templates", [&[1u8, which][..], bytes].concat());
                }
            }
        }
        if let Some(t) = types.iter().position(|t| t == id) {
            put("types_roundtrip", [&[t as u8][..], bytes].concat());
        }
    }
    // Planted secrets, each template, broken a few ways.
    for t in 0..7u8 {
        for form in 0..4u8 {
            let base = [1u8, t, 5, 1, 2, 3, 4, 5, 6, 7, 8, form];
            put("render", base.to_vec());
            put(
                "render",
                [&base[..], &[0, 128, 0, 2, 200, 0, 4, 64, 0]].concat(),
            );
        }
    }
    // HTTP: every documented route, raw and built; the admin routes.
    for (r, route) in preflight::http::ROUTES.iter().enumerate() {
        put("http", vec![1, r as u8, 0, r as u8 % 7, 3]);
        put("http", vec![1, r as u8, 1, r as u8 % 7, 3, 0, 0, 128, 0]);
        let path = preflight_fuzz_harness::concrete_path(route);
        let example = route
            .endpoint
            .and_then(|id| {
                SEEDS
                    .iter()
                    .find(|(e, n, _)| *e == id && n.starts_with("examples/"))
            })
            .map(|(_, _, b)| b.to_vec())
            .unwrap_or_default();
        let mut headers = vec![("Content-Type", "application/json")];
        for a in route.auth {
            headers.push((a.name, "dGVzdA"));
        }
        put(
            "http",
            [&[0u8][..], &raw(route.method, &path, &headers, &example)].concat(),
        );
    }
    let multipart = "--b\r\nContent-Disposition: form-data; name=\"template_detail_id\"\r\n\r\n8402\r\n--b\r\nContent-Disposition: form-data; name=\"separator\"\r\n\r\n,\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\nContent-Type: text/csv\r\n\r\nphone_number,nama\r\n6281234567890,Siti\r\n--b--\r\n";
    put(
        "http",
        [
            &[0u8][..],
            &raw(
                "POST",
                "/api/v3/admin/broadcast/upload_csv",
                &[
                    ("Content-Type", "multipart/form-data; boundary=b"),
                    ("Qiscus-App-Id", "app"),
                ],
                multipart.as_bytes(),
            ),
        ]
        .concat(),
    );
    for (m, p) in [
        ("GET", "/__preflight/health"),
        (
            "GET",
            "/__preflight/requests?errors=true&endpoint=sandeza/send",
        ),
        ("GET", "/__preflight/summary"),
        ("DELETE", "/__preflight/requests"),
        ("GET", "/__preflight"),
        ("GET", "/nowhere"),
    ] {
        put("http", [&[0u8][..], &raw(m, p, &[], b"")].concat());
    }
    put(
        "http",
        [
            &[0u8][..],
            &b"POST /json/send/cgw HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\n\r\nGET /__preflight/health HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        ]
        .concat(),
    );
    // preflight.toml files, and sidecars.
    let mut tomls = Vec::new();
    toml_files(&root(), &mut tomls);
    tomls.sort();
    for path in tomls {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.to_string_lossy();
        let mode = u8::from(name.ends_with(".expect.toml"));
        if name.ends_with("preflight.toml") || mode == 1 {
            put("config", [&[mode][..], &bytes].concat());
        }
    }
    put(
        "config",
        b"\0[[ignore]]\npaths = [\"a/**\"]\nrules = [\"*\"]\npointers = [\"/ref_id\"]\nreason = \"r\"\n\n[[expect]]\npaths = [\"b.json\"]\nfindings = [\"max-length@/ref_id:warning\"]\n\n[[overrides]]\npaths = [\"c/*\"]\n[overrides.rules]\nphone-format = \"off\"\n\nexclude = [\"d/\"]\n".to_vec(),
    );
    put(
        "config",
        b"\0[credentials.qiscus]\nQiscus-Secret-Key = { env = \"QISCUS_SECRET_KEY\" }\n[rules]\nphone-format = \"warning\"\n".to_vec(),
    );
    put(
        "config",
        b"\x01lines = { \"3\" = [\"phone-format\"] }\nreason = \"x\"\n".to_vec(),
    );
}
