//! Templates on the command line: the `[templates]` table of `preflight.toml`,
//! `validate --templates`, and `preflight templates check/list/new`, whose
//! every payload validates clean against the templates it was made from.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `preflight` in the repository root (whose preflight.toml maps the
/// example account's templates).
fn preflight() -> Command {
    in_dir(&root())
}

fn in_dir(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("preflight").unwrap();
    cmd.current_dir(dir)
        .env_remove("PREFLIGHT_SANDEZA_PASSWORD")
        .env("NO_COLOR", "1")
        .env_remove("FORCE_COLOR");
    cmd
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Out {
    let out = cmd.output().unwrap();
    Out {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const EXAMPLE: &str = "examples/templates/message_templates.json";

fn example_templates() -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["data"].as_array().unwrap().clone()
}

/// A small templates export.
const ONE: &str = r#"{"data": [
  {"name": "pengingat_tagihan", "language": "id", "status": "APPROVED", "category": "UTILITY",
   "components": [{"type": "BODY", "text": "Halo {{1}}, tagihan {{2}} jatuh tempo {{3}}",
     "example": {"body_text": [["Budi", "Rp 250.000", "25 Nov 2026"]]}}]}
]}
"#;

fn oca_send(id: &str, values: &[&str]) -> String {
    let params: Vec<Value> = values
        .iter()
        .map(|v| serde_json::json!({"type": "text", "text": v}))
        .collect();
    serde_json::json!({
        "message": {"type": "template", "template": {"template_code_id": id,
            "payload": [{"position": "body", "parameters": params}]}},
        "phone_number": "6281234567890"
    })
    .to_string()
}

#[test]
fn the_examples_folder_is_clean_with_its_templates() {
    let out = run(preflight().args(["validate", "examples/"]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    // The templates file is read as templates, once, and not as a payload.
    assert!(
        out.stdout
            .starts_with(&format!("templates: 39 from {EXAMPLE}\n")),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("unknown-endpoint"), "{}", out.stdout);
    let quiet = run(preflight().args(["validate", "-q", "examples/"]));
    assert!(!quiet.stdout.contains("templates:"), "{}", quiet.stdout);
    // Other formats: no extra line, still one document.
    let json = run(preflight().args(["validate", "-f", "json", "examples/"]));
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{v}");
}

#[test]
fn config_ids_paths_and_language_map_into_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::create_dir_all(dir.path().join("sends")).unwrap();
    std::fs::create_dir_all(dir.path().join("other")).unwrap();
    std::fs::write(dir.path().join("templates/t.json"), ONE).unwrap();
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[templates]\nfiles = [\"templates/\"]\npaths = [\"sends/**\"]\ndefault_language = \"id\"\n[templates.ids.oca]\n\"TPL-77\" = \"pengingat_tagihan\"\n",
    )
    .unwrap();
    // Two parameters for three placeholders, named by the mapped id.
    let short = oca_send("TPL-77", &["Budi", "Rp 250.000"]);
    std::fs::write(dir.path().join("sends/oca-push-message.json"), &short).unwrap();
    std::fs::write(dir.path().join("other/oca-push-message.json"), &short).unwrap();
    let out = run(in_dir(dir.path()).args(["validate", "-e", "oca/push-message", "sends/"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("template-parameter-count") && out.stdout.contains("132000"),
        "{}",
        out.stdout
    );
    // Outside `paths`: checked without templates.
    let out = run(in_dir(dir.path()).args(["validate", "-e", "oca/push-message", "other/"]));
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(!out.stdout.contains("templates:"), "{}", out.stdout);
    // --templates applies to every payload, whatever `paths` says; the ids
    // still come from the config.
    let out = run(in_dir(dir.path()).args([
        "validate",
        "-e",
        "oca/push-message",
        "--templates",
        "templates/t.json",
        "other/",
    ]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("template-parameter-count"),
        "{}",
        out.stdout
    );
    // Standard input is outside `paths`...
    let out = run(in_dir(dir.path())
        .args(["validate", "-e", "oca/push-message", "-"])
        .write_stdin(short.clone()));
    assert_eq!(out.code, 0, "{}", out.stdout);
    // ...and inside with no `paths`.
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[templates]\nfiles = [\"templates/\"]\n[templates.ids.oca]\n\"TPL-77\" = \"pengingat_tagihan\"\n",
    )
    .unwrap();
    let out = run(in_dir(dir.path())
        .args(["validate", "-e", "oca/push-message", "-"])
        .write_stdin(short));
    assert_eq!(out.code, 1, "{}", out.stdout);
    // The templates directory is never walked as payloads.
    let out = run(in_dir(dir.path()).args(["validate", "."]));
    assert!(
        !out.stdout.contains("unknown-endpoint") && !out.stdout.contains("t.json:"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_unknown_provider_or_field_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[templates]\nfiles = []\n[templates.ids.wablas]\n\"1\" = \"a\"\n",
    )
    .unwrap();
    let out = run(in_dir(dir.path()).args(["validate", "-"]).write_stdin("{}"));
    assert_eq!(out.code, 2);
    for accepted in ["wablas", "sandeza", "oca", "qiscus", "3dolphins"] {
        assert!(out.stderr.contains(accepted), "{}", out.stderr);
    }
    std::fs::write(
        dir.path().join("preflight.toml"),
        "[templates]\nfile = [\"t.json\"]\n",
    )
    .unwrap();
    let out = run(in_dir(dir.path()).args(["validate", "-"]).write_stdin("{}"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown field `file`"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_config_schema_describes_the_templates_table() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("preflight.schema.json")).unwrap(),
    )
    .unwrap();
    let config: Value =
        toml::from_str(&std::fs::read_to_string(root().join("preflight.toml")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&config));
    let bad: Value = toml::from_str("[templates.ids.wablas]\n\"1\" = \"a\"\n").unwrap();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn a_malformed_templates_file_stops_the_run_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"data\": [\n  {\"name\": \"a\", \"language\": }\n]}\n",
    )
    .unwrap();
    let payload = dir.path().join("send.json");
    std::fs::write(&payload, oca_send("a", &["x"])).unwrap();
    let out = run(in_dir(dir.path()).args([
        "validate",
        "--templates",
        "bad.json",
        "-e",
        "oca/push-message",
        "send.json",
    ]));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("bad.json:2:"), "{}", out.stdout);
    assert!(!out.stdout.contains("send.json"), "{}", out.stdout);
    assert!(
        out.stderr.contains("no payload was checked"),
        "{}",
        out.stderr
    );
    // A JSON report is one document with that file's finding.
    let out = run(in_dir(dir.path()).args([
        "validate",
        "-f",
        "json",
        "--templates",
        "bad.json",
        "send.json",
    ]));
    assert_eq!(out.code, 2);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(v.to_string().contains("bad.json"), "{v}");
    // A missing templates file is an error too, never a silent skip.
    let out = run(in_dir(dir.path()).args(["validate", "--templates", "nope.json", "send.json"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("nope.json"), "{}", out.stderr);
}

#[test]
fn templates_warnings_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let short_example = r#"{"data": [{"name": "x", "language": "id", "status": "APPROVED", "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Halo {{1}} dan {{2}}", "example": {"body_text": [["a"]]}}]}]}"#;
    std::fs::write(dir.path().join("w.json"), short_example).unwrap();
    let send = oca_send("x", &["a", "b"]);
    let out = run(in_dir(dir.path())
        .args([
            "validate",
            "--templates",
            "w.json",
            "-e",
            "oca/push-message",
            "-",
        ])
        .write_stdin(send.clone()));
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("warning[template-example]")
            && out.stdout.contains("w.json:2:")
            && out.stdout.contains("in 2 files (1 payload)"),
        "{}",
        out.stdout
    );
    let out = run(in_dir(dir.path())
        .args([
            "validate",
            "-f",
            "json",
            "--templates",
            "w.json",
            "-e",
            "oca/push-message",
            "-",
        ])
        .write_stdin(send));
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["summary"]["warnings"], 1, "{v}");
    assert_eq!(v["files"][0]["path"], "w.json", "{v}");
}

#[test]
fn a_template_in_two_files_is_a_duplicate_at_the_second() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("t")).unwrap();
    std::fs::write(dir.path().join("t/a.json"), ONE).unwrap();
    std::fs::write(dir.path().join("t/b.json"), format!("\n\n{ONE}")).unwrap();
    let out = run(in_dir(dir.path()).args(["templates", "check", "t/"]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[duplicate-template]")
            && out.stdout.contains("t/b.json:4:3")
            && out.stdout.contains("t/a.json:2:3"),
        "{}",
        out.stdout
    );
    // In a run it stops the run.
    let out = run(in_dir(dir.path())
        .args([
            "validate",
            "--templates",
            "t/",
            "-e",
            "oca/push-message",
            "-",
        ])
        .write_stdin(oca_send("pengingat_tagihan", &["a", "b", "c"])));
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(out.stdout.contains("duplicate-template"), "{}", out.stdout);
}

#[test]
fn templates_check_in_every_format() {
    let out = run(preflight().args(["templates", "check"]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("ok: 0 errors"), "{}", out.stdout);
    let dir = tempfile::tempdir().unwrap();
    let gap = r#"{"data": [{"name": "x", "language": "id", "status": "APPROVED", "category": "UTILITY",
  "components": [{"type": "BODY", "text": "Halo {{1}} dan {{3}}", "example": {"body_text": [["a", "b"]]}}]}]}"#;
    std::fs::write(dir.path().join("gap.json"), gap).unwrap();
    let text = run(in_dir(dir.path()).args(["templates", "check", "gap.json"]));
    assert_eq!(text.code, 1, "{}", text.stdout);
    assert!(text.stdout.contains("gap.json:2:"), "{}", text.stdout);
    let json = run(in_dir(dir.path()).args(["templates", "check", "-f", "json", "gap.json"]));
    assert_eq!(json.code, 1);
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v["summary"]["errors"].as_u64().unwrap() >= 1, "{v}");
    let sarif = run(in_dir(dir.path()).args(["templates", "check", "-f", "sarif", "gap.json"]));
    assert_eq!(sarif.code, 1);
    let v: Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let github = run(in_dir(dir.path()).args(["templates", "check", "-f", "github", "gap.json"]));
    assert_eq!(github.code, 1);
    assert!(
        github.stdout.contains("::error file=gap.json"),
        "{}",
        github.stdout
    );
    // Unreadable: 2.
    let out = run(in_dir(dir.path()).args(["templates", "check", "missing.json"]));
    assert_eq!(out.code, 2);
}

#[test]
fn templates_list_as_a_table_and_json() {
    let out = run(preflight().args(["templates", "list"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("status_pesanan_teks "))
        .unwrap();
    assert!(
        line.contains("APPROVED")
            && line.contains("UTILITY")
            && line.contains("POSITIONAL")
            && line.ends_with("header {{1}}; body {{1}} {{2}} {{3}}"),
        "{line}"
    );
    assert!(out.stdout.contains("cards 3"), "{}", out.stdout);
    assert!(out.stdout.contains("button 0 URL {{1}}"), "{}", out.stdout);
    let json = run(preflight().args(["templates", "list", "-f", "json", "--templates", EXAMPLE]));
    let v: Value = serde_json::from_str(&json.stdout).unwrap();
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), example_templates().len());
    let named = rows
        .iter()
        .find(|r| r["name"] == "konfirmasi_pendaftaran")
        .unwrap();
    assert_eq!(named["parameter_format"], "NAMED");
    assert_eq!(named["language"], "id");
}

/// The endpoints `templates new` writes, with Sandeza's two forms.
const SENDERS: [(&str, bool); 9] = [
    ("sandeza/send", false),
    ("sandeza/send", true),
    ("oca/push-message", false),
    ("qiscus/broadcast-client", false),
    ("qiscus/send-broadcast", false),
    ("qiscus/upload-csv", false),
    ("3dolphins/broadcast", false),
    ("3dolphins/broadcast-multiple", false),
    ("3dolphins/broadcast-whatsapp", false),
];

/// The (template, endpoint) pairs that cannot be sent, and a word of why.
fn cannot(endpoint: &str, delimited: bool, name: &str) -> Option<&'static str> {
    const NOT_APPROVED: [&str; 2] = ["promo_lama_2025", "pemberitahuan_ditolak"];
    if NOT_APPROVED.contains(&name) {
        return Some("not APPROVED");
    }
    let list: &[(&str, &str)] = match (endpoint, delimited) {
        ("sandeza/send", false) => &[("kupon_belanja", "COPY_CODE")],
        ("sandeza/send", true) => &[
            ("kupon_belanja", "COPY_CODE"),
            ("produk_unggulan_mpm", "MPM"),
            ("promo_akhir_tahun_carousel", "carousel"),
        ],
        ("oca/push-message", _) => &[
            ("kupon_belanja", "COPY_CODE"),
            ("produk_unggulan_mpm", "MPM"),
            ("promo_akhir_tahun_carousel", "carousel"),
            ("undangan_lokasi_toko", "LOCATION"),
        ],
        ("qiscus/broadcast-client", _) => {
            if name == "promo_akhir_tahun_carousel" {
                return Some("carousel");
            }
            // No header field: Qiscus fills the header from its own settings
            // (a note, not a refusal). button_params carry URL suffixes,
            // OTP and coupon codes only.
            &[("produk_unggulan_mpm", "MPM")]
        }
        ("qiscus/send-broadcast" | "qiscus/upload-csv", _) => {
            return (!["konfirmasi_pendaftaran", "invoice_update"].contains(&name))
                .then_some("template_detail_id");
        }
        _ => &[
            ("invoice_update", "button"),
            ("kupon_belanja", "button"),
            ("lacak_pengiriman_dokumen", "button"),
            ("lacak_pengiriman_url", "button"),
            ("otp_login", "button"),
            ("otp_transaksi", "button"),
            ("pengingat_janji_temu_klinik", "button"),
            ("produk_unggulan_mpm", "button"),
            ("status_pengiriman_paket", "button"),
            ("promo_akhir_tahun_carousel", "carousel"),
            ("undangan_lokasi_toko", "LOCATION"),
        ],
    };
    list.iter().find(|(n, _)| *n == name).map(|(_, why)| *why)
}

#[test]
fn templates_new_validates_clean_for_every_template_and_endpoint() {
    let names: BTreeSet<String> = example_templates()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    let mut failures = Vec::new();
    for name in &names {
        for (endpoint, delimited) in SENDERS {
            let mut cmd = preflight();
            cmd.args(["templates", "new", name, "--endpoint", endpoint]);
            if delimited {
                cmd.args(["--form", "delimited"]);
            }
            let made = run(&mut cmd);
            let form = if delimited { " (delimited)" } else { "" };
            match cannot(endpoint, delimited, name) {
                Some(why) => {
                    if made.code != 2 || !made.stderr.contains(why) || !made.stdout.is_empty() {
                        failures.push(format!(
                            "{name} via {endpoint}{form}: expected exit 2 saying {why:?}, got {}: {}{}",
                            made.code, made.stderr, made.stdout
                        ));
                    }
                    continue;
                }
                None if made.code != 0 => {
                    failures.push(format!(
                        "{name} via {endpoint}{form}: exit {}: {}",
                        made.code, made.stderr
                    ));
                    continue;
                }
                None => {}
            }
            serde_json::from_str::<Value>(&made.stdout).unwrap();
            let checked = run(preflight()
                .args([
                    "validate",
                    "--templates",
                    "examples/templates/",
                    "-e",
                    endpoint,
                    "-",
                ])
                .write_stdin(made.stdout.clone()));
            if checked.code != 0 || !checked.stdout.contains("ok: 0 errors, 0 warnings") {
                failures.push(format!(
                    "{name} via {endpoint}{form} is not clean:\n{}\n{}",
                    made.stdout, checked.stdout
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn templates_new_uses_mapped_ids_and_examples() {
    let out = run(preflight().args([
        "templates",
        "new",
        "sapaan_gelar",
        "-e",
        "3dolphins/broadcast",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["templateId"], "8a2d8a2a7d3e4f5a017d3ee3a1f20068");
    let out = run(preflight().args([
        "templates",
        "new",
        "invoice_update",
        "-e",
        "qiscus/send-broadcast",
    ]));
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["template_detail_id"], 8315);
    // The URL button's suffix is the example URL minus the static prefix.
    let out = run(preflight().args([
        "templates",
        "new",
        "status_pengiriman_paket",
        "-e",
        "oca/push-message",
    ]));
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let payload = &v["message"]["template"]["payload"];
    assert_eq!(
        payload[2]["parameters"][0]["text"],
        "lacak?resi=KC2611180093"
    );
    assert_eq!(
        payload[0]["parameters"][0]["image"]["url"],
        "https://example.com/header.jpg"
    );
    assert_eq!(payload[1]["parameters"][0]["text"], "Yusuf Hidayat");
}

#[test]
fn templates_new_refuses_unknown_names_and_languages() {
    let out = run(preflight().args([
        "templates",
        "new",
        "pengingat-tagihan",
        "-e",
        "oca/push-message",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `pengingat_tagihan`?"),
        "{}",
        out.stderr
    );
    let out = run(preflight().args([
        "templates",
        "new",
        "otp_login",
        "-e",
        "oca/push-message",
        "--language",
        "fr",
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("`en_US`"), "{}", out.stderr);
    let out = run(preflight().args(["templates", "new", "otp_login", "-e", "chatbot/sendwa"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("does not send WhatsApp templates"),
        "{}",
        out.stderr
    );
    // en_US chosen explicitly.
    let out = run(preflight().args([
        "templates",
        "new",
        "otp_login",
        "-e",
        "qiscus/broadcast-client",
        "-l",
        "en_US",
    ]));
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["language"], "en_US");
}

#[test]
fn a_templates_file_met_in_a_walk_says_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("message_templates.json"), ONE).unwrap();
    let out = run(in_dir(dir.path()).args(["validate", "."]));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("unknown-endpoint")
            && out.stdout.contains("looks like a WhatsApp templates file")
            && out.stdout.contains("--templates"),
        "{}",
        out.stdout
    );
    // Given as templates, it is not a payload.
    let out =
        run(in_dir(dir.path()).args(["validate", "--templates", "message_templates.json", "."]));
    assert!(!out.stdout.contains("unknown-endpoint"), "{}", out.stdout);
}

#[test]
fn a_qiscus_header_from_its_settings_is_said_once_as_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let send = std::fs::read_to_string(
        root().join("validator/tests/cases/template-header-format/valid/qiscus/broadcast-client/document-header-from-qiscus-settings.json"),
    )
    .unwrap();
    for i in 0..3 {
        std::fs::write(dir.path().join(format!("send-{i}.json")), &send).unwrap();
    }
    let out = preflight()
        .args(["validate", "-e", "qiscus/broadcast-client", "--templates"])
        .arg(root().join("examples/templates"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("note: template `invoice_dokumen` (id) has a DOCUMENT header")
            .count(),
        1,
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: 0 errors, 0 warnings in 3 files"));
}
