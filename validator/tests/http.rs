//! `preflight::http::validate_request`: every request-level rule, each with
//! requests that break it and real-world requests that do not.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use preflight::http::{self, Body, File, Request};
use preflight::{Options, Report, Severity};

const JSON: (&str, &[u8]) = ("Content-Type", b"application/json");

fn check(
    id: &str,
    path: &str,
    headers: &[(&str, &[u8])],
    body: Body<'_>,
    options: &Options,
) -> Report {
    let route = http::route(id).unwrap();
    let method = route.method;
    http::validate_request(route, &Request::new(method, path, headers, body), options).unwrap()
}

fn rules(report: &Report) -> Vec<(&str, Severity)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.rule.as_str(), d.severity))
        .collect()
}

const SENDWA: &[u8] = "{\"nohp\": \"6281234567890\", \"pesan\": \"[OTP] Kode verifikasi Anda 482913. Jangan berikan ke siapa pun, termasuk petugas Toko Baju \u{1F64F}\"}".as_bytes();

fn sendwa(headers: &[(&str, &[u8])]) -> Report {
    check(
        "chatbot/sendwa",
        "/api/sendwa",
        headers,
        Body::Bytes(SENDWA),
        &Options::default(),
    )
}

/// Every message and help of a report, for checking that no secret shows.
fn texts(report: &Report) -> String {
    report
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{} {} {}",
                d.message,
                d.help.clone().unwrap_or_default(),
                d.note.clone().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn a_documented_request_of_every_provider_is_clean() {
    let opts = Options::default();
    let sendwa = sendwa(&[("secretkey", b"a8f3c1e9-77b2-4d0e-9c5a-1f2e3d4c5b6a"), JSON]);
    assert!(sendwa.is_clean(), "{sendwa:?}");
    let oca = std::fs::read(
        root()
            .join("examples/oca/push-message")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    let report = check(
        "oca/push-message",
        "/api/v2/push/message",
        &[
            (
                "authorization",
                b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ0b2tvYmFqdSJ9.c2lnbmF0dXJl",
            ),
            ("content-type", b"application/json; charset=utf-8"),
        ],
        Body::Bytes(&oca),
        &opts,
    );
    assert!(report.is_clean(), "{report:?}");
    let broadcast =
        std::fs::read(root().join("examples/3dolphins/broadcast/document.json")).unwrap();
    let report = check(
        "3dolphins/broadcast",
        "/dolphin/apiv1/graph/broadcast",
        &[("Authorization", b"bearer 9b1d7e4a0c2f"), JSON],
        Body::Bytes(&broadcast),
        &opts,
    );
    assert!(report.is_clean(), "{report:?}");
    // A GET with no body and no Content-Type.
    let report = check(
        "3dolphins/broadcast-detail",
        "/dolphin/apiv1/graph/broadcast/detail",
        &[("Authorization", b"Bearer 9b1d7e4a0c2f")],
        Body::Bytes(b""),
        &opts,
    );
    assert!(report.is_clean(), "{report:?}");
}

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn missing_auth_header_both_ways() {
    let report = sendwa(&[JSON]);
    assert_eq!(rules(&report), [("missing-auth-header", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("`secretkey` header is missing"),
        "{report:?}"
    );
    assert!(http::is_unauthorized(&report));
    let report = sendwa(&[("SecretKey", b"  "), JSON]);
    assert_eq!(rules(&report), [("missing-auth-header", Severity::Error)]);
    assert!(report.diagnostics[0].message.contains("is empty"));
    // Qiscus needs both headers: one missing is one finding.
    let body = std::fs::read(root().join("examples/qiscus/send-broadcast/immediate.json")).unwrap();
    let report = check(
        "qiscus/send-broadcast",
        "/api/v3/admin/broadcast/send_broadcast",
        &[("Qiscus-App-Id", b"karyo-gzb8xa9qrdjt1ofmf"), JSON],
        Body::Bytes(&body),
        &Options::default(),
    );
    assert_eq!(rules(&report), [("missing-auth-header", Severity::Error)]);
    assert!(report.diagnostics[0].message.contains("Qiscus-Secret-Key"));
    // Present in another case: clean; Sandeza has no header at all.
    assert!(sendwa(&[("SECRETKEY", b"k3y"), JSON]).is_clean());
    let sandeza = std::fs::read(
        root()
            .join("examples/sandeza/send")
            .read_dir()
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    let report = check(
        "sandeza/send",
        "/json/send/cgw",
        &[JSON],
        Body::Bytes(&sandeza),
        &Options::default(),
    );
    assert!(
        !rules(&report).iter().any(|(r, _)| r.contains("auth")),
        "{report:?}"
    );
}

#[test]
fn auth_header_form_both_ways() {
    let body = std::fs::read(root().join("examples/3dolphins/broadcast/document.json")).unwrap();
    let dolphins = |value: &'static [u8]| {
        check(
            "3dolphins/broadcast",
            "/dolphin/apiv1/graph/broadcast",
            &[("Authorization", value), JSON],
            Body::Bytes(&body),
            &Options::default(),
        )
    };
    for bad in [
        &b"9b1d7e4a0c2f"[..],
        b"Bearer",
        b"Bearer9b1d",
        b"Bearer [generatedToken]",
        b"Basic dXNlcjpwYXNz",
    ] {
        let report = dolphins(bad);
        assert_eq!(
            rules(&report),
            [("auth-header-form", Severity::Error)],
            "{}",
            String::from_utf8_lossy(bad)
        );
        assert!(http::is_unauthorized(&report));
        // The value is never shown.
        assert!(
            !texts(&report).contains("9b1d") && !texts(&report).contains("dXNlcjpwYXNz"),
            "{report:?}"
        );
    }
    for good in [
        &b"Bearer 9b1d7e4a0c2f"[..],
        b"bearer   eyJhbGciOiJIUzI1NiJ9.e30.c2ln",
        b"BEARER [x]y",
    ] {
        assert!(
            dolphins(good).is_clean(),
            "{}",
            String::from_utf8_lossy(good)
        );
    }
    // The gateway's doc placeholder left in, and bytes that are not text.
    assert_eq!(
        rules(&sendwa(&[("secretkey", b"{{secret_key}}"), JSON])),
        [("auth-header-form", Severity::Error)]
    );
    assert_eq!(
        rules(&sendwa(&[("secretkey", b"\xff\xfe"), JSON])),
        [("auth-header-form", Severity::Error)]
    );
    // Real keys with brackets or braces inside are not placeholders.
    assert!(sendwa(&[("secretkey", b"sk_[live]_9f{8e}7d"), JSON]).is_clean());
}

#[test]
fn credentials_mismatch_both_ways() {
    let mut options = Options::default();
    options.credentials.insert(
        "chatbot".into(),
        [("SecretKey".to_string(), "sk-current-9f8e7d".to_string())].into(),
    );
    let run = |value: &'static [u8]| {
        check(
            "chatbot/sendwa",
            "/api/sendwa",
            &[("secretkey", value), JSON],
            Body::Bytes(SENDWA),
            &options,
        )
    };
    let report = run(b"sk-old-1a2b3c");
    assert_eq!(rules(&report), [("credentials-mismatch", Severity::Error)]);
    assert!(http::is_unauthorized(&report));
    assert!(
        !texts(&report).contains("sk-old") && !texts(&report).contains("sk-current"),
        "{report:?}"
    );
    assert!(run(b"sk-current-9f8e7d").is_clean());
    // A provider without configured credentials is not compared.
    let body = std::fs::read(root().join("examples/3dolphins/broadcast/document.json")).unwrap();
    let report = check(
        "3dolphins/broadcast",
        "/dolphin/apiv1/graph/broadcast",
        &[("Authorization", b"Bearer anything"), JSON],
        Body::Bytes(&body),
        &options,
    );
    assert!(report.is_clean());
    // With a scheme, the token after it is compared.
    options.credentials.insert(
        "3dolphins".into(),
        [("authorization".to_string(), "tok-1".to_string())].into(),
    );
    let dolphins = |value: &'static [u8]| {
        check(
            "3dolphins/broadcast",
            "/dolphin/apiv1/graph/broadcast",
            &[("Authorization", value), JSON],
            Body::Bytes(&body),
            &options,
        )
    };
    assert!(dolphins(b"Bearer tok-1").is_clean());
    assert_eq!(
        rules(&dolphins(b"Bearer tok-2")),
        [("credentials-mismatch", Severity::Error)]
    );
}

#[test]
fn wrong_content_type_both_ways() {
    let key: (&str, &[u8]) = ("secretkey", b"k3y");
    // PHP's cURL with an array body: a form, not JSON. One finding, not a parse error too.
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key, ("Content-Type", b"application/x-www-form-urlencoded")],
        Body::Bytes(b"nohp=6281234567890&pesan=Halo+Kak+Siti"),
        &Options::default(),
    );
    assert_eq!(rules(&report), [("wrong-content-type", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("json_encode")
    );
    // JSON text under text/plain: the type is wrong, and the body is still checked.
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key, ("Content-Type", b"text/plain")],
        Body::Bytes(br#"{"nohp": "0812-3456-7890", "pesan": "Halo"}"#),
        &Options::default(),
    );
    let found = rules(&report);
    assert!(
        found.contains(&("wrong-content-type", Severity::Error))
            && found.contains(&("phone-format", Severity::Error)),
        "{found:?}"
    );
    // No Content-Type: a warning.
    assert_eq!(
        rules(&sendwa(&[key])),
        [("wrong-content-type", Severity::Warning)]
    );
    // An upload route sent as JSON.
    let report = check(
        "qiscus/upload-csv",
        "/api/v3/admin/broadcast/upload_csv",
        &[
            ("Qiscus-App-Id", b"app"),
            ("Qiscus-Secret-Key", b"sk"),
            JSON,
        ],
        Body::Bytes(br#"{"template_detail_id": 8315, "separator": ","}"#),
        &Options::default(),
    );
    assert_eq!(rules(&report), [("wrong-content-type", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("file=@")
    );
    // A form to a JSON-only route.
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key],
        Body::Form {
            fields: &[("nohp", "6281234567890")],
            files: &[],
            problem: None,
        },
        &Options::default(),
    );
    assert_eq!(rules(&report), [("wrong-content-type", Severity::Error)]);
    // application/json with parameters, and +json types, are JSON.
    assert!(sendwa(&[key, ("content-type", b"Application/JSON;charset=UTF-8")]).is_clean());
    assert!(sendwa(&[key, ("content-type", b"application/vnd.api+json")]).is_clean());
}

const QISCUS: &[(&str, &[u8])] = &[
    ("Qiscus-App-Id", b"karyo-gzb8xa9qrdjt1ofmf"),
    ("Qiscus-Secret-Key", b"4b1c9e0d7a"),
];
const CSV: &[u8] = "phone_number,nama,tanggal\n6281234567890,\"Siti Rahmawati, S.Kom\",25 Nov 2026\n6285712345678,Raden Mas Bagus Satriyo Wicaksono Adiningrat,26 Nov 2026 \u{1F389}\n".as_bytes();

fn upload_csv(fields: &[(&str, &str)], files: &[File<'_>]) -> Report {
    check(
        "qiscus/upload-csv",
        "/api/v3/admin/broadcast/upload_csv",
        QISCUS,
        Body::Form {
            fields,
            files,
            problem: None,
        },
        &Options::default(),
    )
}

const CSV_FIELDS: &[(&str, &str)] = &[("template_detail_id", "8315"), ("separator", ",")];

#[test]
fn a_qiscus_upload_is_clean_and_its_fields_are_checked_as_the_endpoint() {
    let report = upload_csv(
        CSV_FIELDS,
        &[File::new(
            "file",
            Some("csv_broadcast_template.csv"),
            Some("text/csv"),
            CSV,
        )],
    );
    assert!(report.is_clean(), "{report:?}");
    let semicolon = "phone_number;nama\r\n6281234567890;\"Budi; Santoso\"\r\n".as_bytes();
    let report = upload_csv(
        &[("template_detail_id", "8315"), ("separator", ";")],
        &[File::new("file", Some("r.csv"), None, semicolon)],
    );
    assert!(report.is_clean(), "{report:?}");
    // The form's fields are the endpoint's payload.
    let report = upload_csv(
        &[("template_detail_id", "8315"), ("separator", "|")],
        &[File::new("file", Some("r.csv"), None, CSV)],
    );
    assert_eq!(rules(&report), [("enum", Severity::Error)], "{report:?}");
    assert_eq!(report.diagnostics[0].pointer, "/separator");
}

#[test]
fn send_broadcast_as_a_form_takes_numbers_as_text_and_says_the_discrepancy() {
    let fields = [
        ("template_detail_id", "8402"),
        ("broadcast_file_id", "2290533"),
        ("name", "Undangan Webinar UMKM Batch 3"),
        ("separator", ";"),
    ];
    let report = check(
        "qiscus/send-broadcast",
        "/api/v3/admin/broadcast/send_broadcast",
        QISCUS,
        Body::Form {
            fields: &fields,
            files: &[],
            problem: None,
        },
        &Options::default(),
    );
    assert_eq!(
        rules(&report),
        [("doc-discrepancy", Severity::Warning)],
        "{report:?}"
    );
    // A field that is not a number where one is needed is still the schema's finding.
    let fields = [
        ("template_detail_id", "8402"),
        ("broadcast_file_id", "file-2290533"),
        ("name", "Undangan"),
        ("separator", ";"),
    ];
    let report = check(
        "qiscus/send-broadcast",
        "/api/v3/admin/broadcast/send_broadcast",
        QISCUS,
        Body::Form {
            fields: &fields,
            files: &[],
            problem: None,
        },
        &Options::default(),
    );
    assert!(
        rules(&report).contains(&("type", Severity::Error)),
        "{report:?}"
    );
}

#[test]
fn missing_upload_file_both_ways() {
    let report = upload_csv(CSV_FIELDS, &[]);
    assert_eq!(rules(&report), [("missing-upload-file", Severity::Error)]);
    let report = upload_csv(CSV_FIELDS, &[File::new("upload", Some("r.csv"), None, CSV)]);
    assert_eq!(rules(&report), [("missing-upload-file", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("the file is in `upload`"),
        "{report:?}"
    );
    // `curl -F file=path` without the @: a text field named file.
    let report = upload_csv(
        &[
            ("template_detail_id", "8315"),
            ("separator", ","),
            ("file", "/home/u/r.csv"),
        ],
        &[],
    );
    assert!(
        rules(&report).contains(&("missing-upload-file", Severity::Error)),
        "{report:?}"
    );
    assert!(
        report
            .diagnostics
            .iter()
            .any(|d| d.message.contains("is a text field"))
    );
    assert!(upload_csv(CSV_FIELDS, &[File::new("file", None, None, CSV)]).is_clean());
}

fn xlsx(files: &[File<'_>]) -> Report {
    check(
        "3dolphins/upload-recipient",
        "/dolphin/apiv1/graph/broadcast/upload/recipient",
        &[("Authorization", b"Bearer 9b1d7e4a0c2f")],
        Body::Form {
            fields: &[],
            files,
            problem: None,
        },
        &Options::default(),
    )
}

/// The start of a real .xlsx: a ZIP whose entries name the workbook's parts.
const XLSX: &[u8] = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml...PK\x03\x04xl/workbook.xml...PK\x03\x04xl/worksheets/sheet1.xml";

#[test]
fn upload_file_format_xlsx_both_ways() {
    assert!(
        xlsx(&[File::new(
            "uploadFile",
            Some("recipient-file.xlsx"),
            None,
            XLSX
        )])
        .is_clean()
    );
    assert!(
        xlsx(&[File::new(
            "uploadFile",
            Some("Daftar Penerima Promo 12.12 (Final).XLSX"),
            None,
            XLSX
        )])
        .is_clean()
    );
    for (bytes, says) in [
        (&b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"[..], ".xls"),
        (b"phone,name\n6281234567890,Siti\n", "text (CSV?)"),
        (
            b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
            "without a workbook",
        ),
        (b"", "is empty"),
    ] {
        let report = xlsx(&[File::new(
            "uploadFile",
            Some("recipients.xlsx"),
            None,
            bytes,
        )]);
        assert_eq!(
            rules(&report),
            [("upload-file-format", Severity::Error)],
            "{says}"
        );
        assert!(report.diagnostics[0].message.contains(says), "{report:?}");
    }
    let report = xlsx(&[File::new("uploadFile", Some("recipients.bin"), None, XLSX)]);
    assert_eq!(rules(&report), [("upload-file-format", Severity::Warning)]);
    assert_eq!(
        rules(&xlsx(&[])),
        [("missing-upload-file", Severity::Error)]
    );
}

#[test]
fn upload_file_format_csv_both_ways() {
    let file = |bytes: &'static [u8]| [File::new("file", Some("r.csv"), None, bytes)];
    // Separated by ; but the form says ,.
    let report = upload_csv(
        CSV_FIELDS,
        &file(b"phone_number;nama\n6281234567890;Siti\n"),
    );
    assert_eq!(rules(&report), [("upload-file-format", Severity::Error)]);
    assert!(report.diagnostics[0].message.contains("separated by `;`"));
    // A ragged row, named by its line.
    let report = upload_csv(
        CSV_FIELDS,
        &file(b"phone_number,nama,kota\n6281234567890,Siti,Bandung\n6281234567891,Budi\n"),
    );
    assert_eq!(rules(&report), [("upload-file-format", Severity::Error)]);
    assert!(
        report.diagnostics[0].message.contains("line 3"),
        "{report:?}"
    );
    // A workbook where CSV belongs; an empty file; text that is not UTF-8 (a warning).
    assert_eq!(
        rules(&upload_csv(CSV_FIELDS, &file(XLSX))),
        [("upload-file-format", Severity::Error)]
    );
    assert_eq!(
        rules(&upload_csv(CSV_FIELDS, &file(b""))),
        [("upload-file-format", Severity::Error)]
    );
    assert_eq!(
        rules(&upload_csv(
            CSV_FIELDS,
            &file(b"phone_number,nama\n6281234567890,Jos\xe9\n")
        )),
        [("upload-file-format", Severity::Warning)]
    );
    // More than 1,000 recipients; exactly 1,000 is fine.
    let rows = |n: usize| {
        let mut text = String::from("phone_number,nama\n");
        for i in 0..n {
            text.push_str(&format!("62812{i:08},Pelanggan {i}\n"));
        }
        text.into_bytes()
    };
    let (many, limit) = (rows(1001), rows(1000));
    let report = upload_csv(CSV_FIELDS, &[File::new("file", None, None, &many)]);
    assert_eq!(rules(&report), [("upload-file-format", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("1001 recipient rows")
    );
    assert!(upload_csv(CSV_FIELDS, &[File::new("file", None, None, &limit)]).is_clean());
    // A UTF-8 byte-order mark (Excel's "CSV UTF-8") is fine; a one-column CSV too.
    assert!(
        upload_csv(
            CSV_FIELDS,
            &file("\u{feff}phone_number,nama\n6281234567890,Siti\n".as_bytes())
        )
        .is_clean()
    );
    assert!(
        upload_csv(
            CSV_FIELDS,
            &file(b"phone_number\n6281234567890\n6281234567891\n")
        )
        .is_clean()
    );
}

#[test]
fn a_malformed_form_is_a_parse_error() {
    let report = check(
        "qiscus/upload-csv",
        "/api/v3/admin/broadcast/upload_csv",
        QISCUS,
        Body::Form {
            fields: CSV_FIELDS,
            files: &[File::new("file", None, None, CSV)],
            problem: Some("incomplete stream"),
        },
        &Options::default(),
    );
    assert_eq!(rules(&report), [("parse-error", Severity::Error)]);
}

#[test]
fn sibling_route_body_both_ways() {
    let key: (&str, &[u8]) = ("secretkey", b"k3y");
    let media = std::fs::read(root().join("examples/chatbot/sendmedia/document.json")).unwrap();
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key, JSON],
        Body::Bytes(&media),
        &Options::default(),
    );
    assert_eq!(
        rules(&report),
        [("sibling-route-body", Severity::Error)],
        "{report:?}"
    );
    assert!(
        report.diagnostics[0]
            .message
            .contains("POST /chatbot/api/sendmedia"),
        "{report:?}"
    );
    // At its own route it is clean.
    assert!(
        check(
            "chatbot/sendmedia",
            "/api/sendmedia",
            &[key, JSON],
            Body::Bytes(&media),
            &Options::default()
        )
        .is_clean()
    );
    // A body with a mistake of its own that fits no other route keeps its findings.
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key, JSON],
        Body::Bytes(br#"{"nohp": "6281234567890", "pesan": "Halo", "pesn": "x"}"#),
        &Options::default(),
    );
    assert!(
        !rules(&report)
            .iter()
            .any(|(r, _)| *r == "sibling-route-body"),
        "{report:?}"
    );
    // Turned off, the route's own findings come back.
    let mut options = Options::default();
    options
        .levels
        .insert("sibling-route-body".into(), preflight::Level::Off);
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[key, JSON],
        Body::Bytes(&media),
        &options,
    );
    assert!(
        !report.diagnostics.is_empty()
            && !rules(&report)
                .iter()
                .any(|(r, _)| *r == "sibling-route-body")
    );
}

#[test]
fn sendcontacttogroup_at_sendcontact_follows_the_recorded_discrepancy() {
    let key: (&str, &[u8]) = ("secretkey", b"k3y");
    let group =
        std::fs::read(root().join("examples/chatbot/sendcontacttogroup/contact.json")).unwrap();
    let report = check(
        "chatbot/sendcontact",
        "/api/sendcontact",
        &[key, JSON],
        Body::Bytes(&group),
        &Options::default(),
    );
    assert_eq!(
        rules(&report),
        [("doc-discrepancy", Severity::Warning)],
        "{report:?}"
    );
    assert!(
        report.diagnostics[0]
            .message
            .contains("chatbot/sendcontacttogroup")
    );
    // Its own mistakes are still found there.
    let bad = String::from_utf8(group.clone())
        .unwrap()
        .replace("6281355512345", "081355512345");
    let report = check(
        "chatbot/sendcontact",
        "/api/sendcontact",
        &[key, JSON],
        Body::Bytes(bad.as_bytes()),
        &Options::default(),
    );
    assert!(
        rules(&report).contains(&("phone-format", Severity::Error)),
        "{report:?}"
    );
    // A sendcontact body at sendcontact is just that.
    let contact = std::fs::read(root().join("examples/chatbot/sendcontact/contact.json")).unwrap();
    assert!(
        check(
            "chatbot/sendcontact",
            "/api/sendcontact",
            &[key, JSON],
            Body::Bytes(&contact),
            &Options::default()
        )
        .is_clean()
    );
}

#[test]
fn levels_apply_to_request_rules() {
    let mut options = Options::default();
    options
        .levels
        .insert("wrong-content-type".into(), preflight::Level::Off);
    options
        .levels
        .insert("missing-auth-header".into(), preflight::Level::Warning);
    let report = check(
        "chatbot/sendwa",
        "/api/sendwa",
        &[],
        Body::Bytes(SENDWA),
        &options,
    );
    assert_eq!(rules(&report), [("missing-auth-header", Severity::Warning)]);
    assert!(!http::is_unauthorized(&report));
}

/// A documented route's path with its parameters filled, under its provider's prefix.
fn served_path(route: &http::Route, param: &str) -> String {
    let mut path = format!("/{}", route.provider);
    for part in route.path.split('/').filter(|p| !p.is_empty()) {
        path.push('/');
        path.push_str(if part.starts_with('{') { param } else { part });
    }
    path
}

#[test]
fn undocumented_route_both_ways() {
    let options = Options::default();
    // Every documented route, by its documented method (any case), with a
    // trailing slash, and with a real channel name as its parameter: found,
    // and no finding.
    for route in http::ROUTES {
        for param in ["WA-TokoBaju-01", "wa%2001"] {
            let path = served_path(route, param);
            for (method, path) in [
                (route.method.to_string(), path.clone()),
                (route.method.to_ascii_lowercase(), format!("{path}/")),
            ] {
                let found = http::lookup(&method, &path);
                assert!(
                    matches!(&found, http::Lookup::Found { route: r, .. } if r.id == route.id),
                    "{method} {path}: {found:?}"
                );
                assert!(
                    found
                        .report(&method, &path, &options)
                        .diagnostics
                        .is_empty()
                );
            }
        }
    }
    // A typo, a missing provider prefix, the wrong provider, the wrong
    // method: one error each, naming the route meant.
    for (method, path, meant) in [
        ("POST", "/chatbot/api/sendwha", "POST /chatbot/api/sendwa"),
        ("POST", "/api/sendwa", "POST /chatbot/api/sendwa"),
        ("POST", "/oca/json/send/cgw", "POST /sandeza/json/send/cgw"),
        (
            "POST",
            "/qiscus/api/v3/admin/broadcast/clients",
            "POST /qiscus/api/v3/admin/broadcast/client",
        ),
    ] {
        let report = http::lookup(method, path).report(method, path, &options);
        assert_eq!(
            rules(&report),
            [("undocumented-route", Severity::Error)],
            "{path}"
        );
        let help = report.diagnostics[0].help.clone().unwrap_or_default();
        assert!(help.contains(meant), "{path}: {help}");
    }
    let report = http::lookup("GET", "/sandeza/json/send/cgw").report(
        "GET",
        "/sandeza/json/send/cgw",
        &options,
    );
    assert_eq!(rules(&report), [("undocumented-route", Severity::Error)]);
    assert!(
        report.diagnostics[0]
            .message
            .contains("takes POST, not GET")
    );
    // A path with terminal controls is shown escaped.
    let path = "/chatbot/api/\u{1b}[2Jsendwa";
    let report = http::lookup("POST", path).report("POST", path, &options);
    assert!(!report.diagnostics[0].message.contains('\u{1b}'));
    // Levels apply.
    let mut off = Options::default();
    off.levels
        .insert("undocumented-route".into(), preflight::Level::Warning);
    let report = http::lookup("POST", "/api/sendwa").report("POST", "/api/sendwa", &off);
    assert_eq!(rules(&report), [("undocumented-route", Severity::Warning)]);
}

#[test]
fn a_body_over_the_limit_is_one_payload_too_large_error() {
    let report = http::too_large(65_536, Some(65_537), &Options::default());
    assert_eq!(rules(&report), [("payload-too-large", Severity::Error)]);
    assert!(report.diagnostics[0].message.contains("65537 bytes"));
    let report = http::too_large(65_536, None, &Options::default());
    assert!(report.diagnostics[0].message.contains("longer"));
}
